"""The Trash dialog: restore selected or all (undoable), empty for good after a warning."""

from PySide6.QtWidgets import QMessageBox
from test_undo import add_leads

from app.db.connection import database
from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import bulk, trash
from app.ui.trash_dialog import TrashDialog


def test_restore_and_empty(qtbot, db, monkeypatch):
    ids = add_leads(3)
    events = DataEvents()
    stack = UndoStack(events)
    stack.perform(bulk.delete_to_trash, ids)
    dialog = TrashDialog(stack, events)
    qtbot.addWidget(dialog)
    assert dialog.tree.topLevelItemCount() == 3
    assert dialog.summary.text() == "3 leads in the Trash."
    assert not dialog.restore_button.isEnabled()

    dialog.tree.topLevelItem(0).setSelected(True)
    dialog.restore_button.click()
    assert dialog.tree.topLevelItemCount() == 2
    assert stack.undoText() == "Restore 1 lead"
    stack.undo()
    assert dialog.tree.topLevelItemCount() == 3

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    dialog.empty_button.click()
    assert trash.count() == 3
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(events.leads_added_or_removed):
        dialog.empty_button.click()
    assert database.execute_sql("SELECT count(*) FROM lead").fetchone()[0] == 0
    assert dialog.summary.text().startswith("The Trash is empty")
    assert not dialog.empty_button.isEnabled()
    # Undoing the old delete after the leads are gone for good is harmless.
    stack.undo()
    assert database.execute_sql("SELECT count(*) FROM lead").fetchone()[0] == 0


def test_restore_all(qtbot, db):
    ids = add_leads(2)
    events = DataEvents()
    stack = UndoStack(events)
    bulk.delete_to_trash(ids)
    dialog = TrashDialog(stack, events)
    qtbot.addWidget(dialog)
    dialog.restore_all_button.click()
    assert trash.count() == 0
