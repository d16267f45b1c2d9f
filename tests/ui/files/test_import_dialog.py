"""The import dialog: detection shown, a mapping changed, import off the GUI thread, the report."""

from PySide6.QtCore import Qt

from app.qtmodels.events import DataEvents
from app.services.importing import list_import_runs
from app.services.leads import get_lead
from app.services.sample import write_leads_csv
from app.ui.files.import_dialog import ImportDialog
from tests.helpers.events import everything
from tests.helpers.import_samples import write_sample


def _dialog(qtbot, path):
    events = DataEvents()
    dialog = ImportDialog(events, None, path)
    qtbot.addWidget(dialog)
    return dialog, events


def _run_import(qtbot, dialog, events):
    with qtbot.waitSignal(events.changed, check_params_cb=everything, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2)


def test_detects_maps_imports_and_reports(qtbot, db, tmp_path):
    path = write_sample(tmp_path, "apollo_export.csv", "apollo.csv")
    dialog, events = _dialog(qtbot, path)
    assert "Apollo people export" in dialog.detected_label.text()
    assert "comma" in dialog.detected_label.text()
    assert dialog.campaign_combo.currentText() == "apollo"
    assert dialog.preview_table.rowCount() == 3

    # "Seniority" would be custom; send it to the job title instead and ignore the keywords.
    header = dialog.preview.plan.header
    seniority = dialog.mapping_table.cellWidget(header.index("Seniority"), 1)
    seniority.setCurrentIndex(seniority.findData("job_title"))
    seniority.activated.emit(seniority.currentIndex())
    title = dialog.mapping_table.cellWidget(header.index("Title"), 1)
    title.setCurrentIndex(title.findData("ignore"))
    keywords = dialog.mapping_table.cellWidget(header.index("Keywords"), 1)
    keywords.setCurrentIndex(keywords.findData("ignore"))
    keywords.activated.emit(keywords.currentIndex())
    titles = [dialog.preview_table.item(r, 2).text() for r in range(3)]
    assert titles == ["VP", "Head", "C suite"]

    _run_import(qtbot, dialog, events)
    assert "3 created" in dialog.report_label.text()
    assert dialog.rejected_view.toPlainText() == "None: every row was read."
    assert not dialog.save_rejected_button.isEnabled()
    lead = get_lead(1)
    assert lead.job_title == "VP" and "Keywords" not in lead.custom
    assert [m.name for m in lead.memberships] == ["apollo"]
    assert list_import_runs()[0].campaign == "apollo"

    # The same header layout next time: the mapping is remembered.
    again, _ = _dialog(qtbot, path)
    assert "saved mapping applied" in again.detected_label.text()
    assert again.current_plan().mapping == dialog.current_plan().mapping


def test_rejected_rows_are_listed_and_saved(qtbot, db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("email,first_name\na@example.com,Ann\nb@example.com\n\"c@example.com,Cid\n", encoding="utf-8")
    dialog, events = _dialog(qtbot, path)
    _run_import(qtbot, dialog, events)
    assert dialog.rejected_view.toPlainText().splitlines() == [
        "line 3: expected 2 cells, found 1", "line 4: unterminated quote"]
    out = tmp_path / "fixme.csv"
    dialog.save_rejected(out)
    assert out.read_text(encoding="utf-8").splitlines() == ["email,first_name", "b@example.com", '"c@example.com,Cid']


def test_cancel_changes_nothing_and_returns_to_the_setup(qtbot, db, tmp_path):
    path = write_leads_csv(tmp_path / "big.csv", 30000)
    dialog, events = _dialog(qtbot, path)
    dialog._on_import_button_clicked()
    dialog._on_cancel_button_clicked()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 0, timeout=30000)
    assert "cancelled" in dialog.error_label.text()
    assert db.connection().execute("SELECT count(*) FROM lead").fetchone() == (0,)
    assert list_import_runs() == []


def test_cancel_while_the_search_index_is_built_says_cancelled_and_changes_nothing(qtbot, db, tmp_path):
    rows = 30_001  # only the last report counts them all: no batch boundary follows it
    dialog, _ = _dialog(qtbot, write_leads_csv(tmp_path / "big.csv", rows))
    dialog._on_import_button_clicked()
    worker = dialog._worker
    # The rep's Cancel, the moment the last row is read (on the worker's thread: the finishing steps follow).
    worker.progressed.connect(lambda done, _f: worker.cancel_requested.set() if done == rows else None,
                              Qt.ConnectionType.DirectConnection)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 0, timeout=30000)
    assert dialog.error_label.text() == "Import cancelled: nothing was changed."  # not a failure to save
    assert db.connection().execute("SELECT count(*) FROM lead").fetchone() == (0,)
    assert list_import_runs() == []


def test_once_every_row_is_read_the_bar_is_busy_until_the_save(qtbot, db, tmp_path):
    path = write_leads_csv(tmp_path / "big.csv", 30000)
    dialog, events = _dialog(qtbot, path)
    seen = []  # what the dialog shows after each report, the search index and save still to come
    with qtbot.waitSignal(events.changed, check_params_cb=everything, timeout=30000):
        dialog._on_import_button_clicked()
        dialog._worker.progressed.connect(lambda _rows, fraction: seen.append(
            (fraction, dialog.progress.bar.maximum(), dialog.progress.label.text())))
    assert seen[0][0] < 1 and seen[0][1] == 1000 and "rows/s" in seen[0][2]
    assert seen[-1] == (1.0, 0, "All 30,000 rows read · building the search index and saving…")
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2)
    assert "30,000 created" in dialog.report_label.text()


def test_unreadable_file_is_explained(qtbot, db, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    dialog, _ = _dialog(qtbot, path)
    assert "empty" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()


def test_paused_campaign_is_refused_with_a_message(qtbot, db, tmp_path):
    db.connection().execute("INSERT INTO campaign (name, status, created_at) VALUES ('Old', 'paused', 'x')")
    path = tmp_path / "f.csv"
    path.write_text("email\na@example.com\n", encoding="utf-8")
    dialog, _ = _dialog(qtbot, path)
    dialog.campaign_combo.setCurrentText("Old")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Only active campaigns" in dialog.error_label.text(), timeout=20000)
    assert dialog.pages.currentIndex() == 0


def test_stored_as_shows_where_each_column_goes(qtbot, db, tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("Name,Address,City\nAnn Lee,12 Elm St,Springfield\n", encoding="utf-8")
    dialog, _ = _dialog(qtbot, path)
    stored = [dialog.mapping_table.item(c, 3).text() for c in range(3)]
    assert stored == ["Full name (split into first/last)", "Location (city, state, country)", "custom field “City”"]

    # Sending the address to custom frees the location for the city.
    address = dialog.mapping_table.cellWidget(1, 1)
    address.setCurrentIndex(address.findData("custom"))
    address.activated.emit(address.currentIndex())
    assert dialog.mapping_table.item(1, 3).text() == "custom field “Address”"
    assert dialog.mapping_table.item(2, 3).text() == "custom field “City”"  # still its own choice: custom


def test_a_header_matched_by_its_words_is_shown_as_a_guess(qtbot, db, tmp_path):
    path = tmp_path / "ads.csv"
    path.write_text("Lead Email,Device\njo@mail.example,Mobile\n", encoding="utf-8")
    dialog, _ = _dialog(qtbot, path)
    assert dialog.mapping_table.item(0, 3).text() == "Email (guess)"
    assert dialog.mapping_table.item(1, 3).text() == "custom field “Device”"


def test_a_file_without_lead_columns_is_imported_only_with_consent(qtbot, db, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "orders.csv"
    path.write_text("Order Number,Amount\nA-1,19.90\nA-2,5.00\n", encoding="utf-8")
    dialog, events = _dialog(qtbot, path)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 0 and "“Order Number”, “Amount”" in asked[0]
    assert db.connection().execute("SELECT count(*) FROM lead").fetchone() == (0,)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _run_import(qtbot, dialog, events)
    assert "2 created" in dialog.report_label.text()
