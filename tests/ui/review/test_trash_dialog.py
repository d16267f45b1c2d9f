"""The Trash dialog: restore selected or all (undoable), empty for good after a warning."""

from PySide6.QtWidgets import QMessageBox

from app.db.connection import database
from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import bulk, trash
from app.ui.review.trash_dialog import TrashDialog
from tests.helpers.events import added_or_removed
from tests.helpers.leadgen import add_leads


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
    dialog.show()
    with qtbot.waitSignal(events.changed, check_params_cb=added_or_removed):
        dialog.empty_button.click()
        # Erasing runs on a worker (most of a minute at 1M leads): busy, and it can't be closed.
        assert dialog.is_busy() and dialog.progress.isVisible()
        assert not dialog.close_button.isEnabled() and not dialog.restore_all_button.isEnabled()
        dialog.reject()
        assert dialog.isVisible()
    assert not dialog.is_busy() and not dialog.progress.isVisible()
    assert database.execute_sql("SELECT count(*) FROM lead").fetchone()[0] == 0
    assert dialog.summary.text().startswith("The Trash is empty")
    assert not dialog.empty_button.isEnabled()
    # Undoing the old delete after the leads are gone for good is harmless.
    stack.undo()
    assert database.execute_sql("SELECT count(*) FROM lead").fetchone()[0] == 0


def test_a_failed_empty_says_so_and_erases_nothing(qtbot, db, monkeypatch):
    import sqlite3

    add_leads(2)
    stack = UndoStack(DataEvents())
    stack.perform(bulk.delete_to_trash, [r[0] for r in database.execute_sql("SELECT id FROM lead")])
    dialog = TrashDialog(stack, DataEvents())
    qtbot.addWidget(dialog)

    def full_disk():
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(trash, "empty", full_disk)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]) or QMessageBox.StandardButton.Yes)
    dialog.empty_button.click()
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert "could not be emptied" in shown[-1] and "Nothing was erased" in shown[-1]
    assert dialog.tree.topLevelItemCount() == 2 and dialog.empty_button.isEnabled() and trash.count() == 2


def test_restore_all(qtbot, db):
    ids = add_leads(2)
    events = DataEvents()
    stack = UndoStack(events)
    bulk.delete_to_trash(ids)
    dialog = TrashDialog(stack, events)
    qtbot.addWidget(dialog)
    dialog.restore_all_button.click()
    assert trash.count() == 0


def test_restoring_a_big_trash_runs_in_the_background_and_stays_open_meanwhile(qtbot, db, monkeypatch):
    from app.ui.common import undo_tasks

    monkeypatch.setattr(undo_tasks, "BACKGROUND_MIN_LEADS", 2)
    ids = add_leads(3)
    events = DataEvents()
    stack = UndoStack(events)
    bulk.delete_to_trash(ids)
    dialog = TrashDialog(stack, events)
    qtbot.addWidget(dialog)
    dialog.restore_all_button.click()
    assert dialog.is_busy()
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert trash.count() == 0 and stack.undoText() == "Restore 3 leads"
    stack.undo()
    assert trash.count() == 3


def test_another_reps_leads_stay_in_the_trash_with_a_clear_message(qtbot, db, monkeypatch):
    ids = add_leads(3)
    database.execute_sql("UPDATE lead SET owner = 'ann' WHERE id = ?", (ids[0],))
    database.execute_sql("UPDATE sync_state SET enabled = 1, rep = 'bob'")
    events = DataEvents()
    stack = UndoStack(events)
    stack.perform(bulk.delete_to_trash, ids[:1])
    dialog = TrashDialog(stack, events)
    qtbot.addWidget(dialog)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    dialog.empty_button.click()
    assert shown == ["1 lead stays in the Trash: only ann or a manager may delete it for good."]
    assert trash.count() == 1 and not dialog.is_busy()

    stack.perform(bulk.delete_to_trash, ids[1:])
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]) or QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(events.changed, check_params_cb=added_or_removed):
        dialog.empty_button.click()
    assert shown[1].startswith("Delete 2 leads for good?") and shown[1].endswith(shown[0])
    assert trash.count() == 1 and dialog.tree.topLevelItemCount() == 1
