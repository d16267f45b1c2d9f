"""The export dialog and the import history dialog (Undo import)."""

import csv

from PySide6.QtWidgets import QMessageBox

from app.qtmodels.events import DataEvents
from app.services.importing import import_file, list_import_runs
from app.services.lead_filter import LeadFilter
from app.services.sample import write_leads_csv
from app.ui.files.export_dialog import ExportDialog
from app.ui.files.import_history_dialog import ImportHistoryDialog
from tests.helpers.events import added_or_removed


def test_export_selection_with_chosen_columns(qtbot, db, tmp_path):
    import_file(write_leads_csv(tmp_path / "in.csv", 20))
    dialog = ExportDialog(None, LeadFilter(), [5, 2])
    qtbot.addWidget(dialog)
    assert dialog.profile_combo.currentData() == "spreadsheet"
    for row in range(dialog.columns_list.count()):
        item = dialog.columns_list.item(row)
        if item.text() not in ("first_name", "email"):
            item.setCheckState(item.checkState().Unchecked)
    dialog.selection_radio.setChecked(True)
    out = tmp_path / "out.csv"
    dialog.export_to(out)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    assert "2 leads exported" in dialog.status_label.text()
    with open(out, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["first_name", "email"] and len(rows) == 3


def test_export_current_filter(qtbot, db, tmp_path):
    import_file(write_leads_csv(tmp_path / "in.csv", 20))
    dialog = ExportDialog(None, LeadFilter(has_email=True), [])
    qtbot.addWidget(dialog)
    assert not dialog.selection_radio.isEnabled()
    dialog.export_to(tmp_path / "out.csv")
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    with_email = db.connection().execute("SELECT count(*) FROM lead WHERE email != ''").fetchone()[0]
    assert dialog.written == with_email


def test_history_lists_imports_and_undoes_one(qtbot, db, tmp_path, monkeypatch):
    import_file(write_leads_csv(tmp_path / "first.csv", 10), campaign="One")
    import_file(write_leads_csv(tmp_path / "second.csv", 5, seed=9), campaign="Two")
    events = DataEvents()
    dialog = ImportHistoryDialog(events)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 0).text() == "second.csv"
    assert not dialog.undo_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.undo_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(events.changed, check_params_cb=added_or_removed):
        dialog.undo_button.click()
    assert "5 leads removed" in dialog.status_label.text()
    assert db.connection().execute("SELECT count(*) FROM lead").fetchone() == (10,)
    assert list_import_runs()[0].undone_at
    assert dialog.table.item(0, 8).text().startswith("undone")
