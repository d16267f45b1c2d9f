"""Big undoable operations run in the background: the GUI keeps running, progress reaches the whole,
Cancel leaves the database as it was, and a failure reaches the error dialog and the log."""

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.db.connection import database
from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import bulk
from app.ui.common import messages, undo_tasks
from app.ui.common.undo_tasks import UndoRunner
from tests.helpers.leadgen import add_leads, full_state


@pytest.fixture
def runner(qtbot, db, monkeypatch):
    monkeypatch.setattr(undo_tasks, "BACKGROUND_MIN_LEADS", 10)
    window = QWidget()
    qtbot.addWidget(window)
    yield UndoRunner(UndoStack(DataEvents()), window)


def _held(action, gate: threading.Event, inside: threading.Event):
    """``action`` whose first progress report waits for ``gate``: the job stops mid-transaction."""
    def held(*args, progress, cancelled):
        def report(done, fraction):
            if not inside.is_set():
                inside.set()
                assert gate.wait(10)
            progress(done, fraction)
        return action(*args, progress=report, cancelled=cancelled)
    return held


def _vip_count() -> int:
    return database.execute_sql("SELECT count(*) FROM lead WHERE vip").fetchone()[0]


def _dialog():
    return next(w for w in QApplication.topLevelWidgets() if w.objectName() == "taskProgressDialog")


def test_the_gui_runs_while_a_big_action_works_and_progress_reaches_the_whole(qtbot, runner):
    ids = add_leads(20)
    gate, inside = threading.Event(), threading.Event()
    done, fractions, ticks = [], [], []
    runner.perform("Bulk actions", len(ids), _held(bulk.set_vip, gate, inside), ids, True, on_done=done.append)
    runner.task.progressed.connect(lambda _n, fraction: fractions.append(fraction))
    assert inside.wait(10)
    timer = QTimer(interval=0)
    timer.timeout.connect(lambda: ticks.append(_vip_count()))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the event loop runs while the worker holds its transaction
    timer.stop()
    assert set(ticks) == {0}, "the GUI reads the last committed state, never a half-written one"
    gate.set()
    qtbot.waitUntil(lambda: bool(done))
    assert fractions[-1] == 1.0 and _vip_count() == 20
    assert runner._stack.undoText() == done[0].name


def test_cancel_leaves_the_database_unchanged(qtbot, runner):
    ids = add_leads(20)
    before = full_state()
    gate, inside = threading.Event(), threading.Event()
    done, status = [], []
    runner.status_changed.connect(status.append)
    runner.perform("Bulk actions", len(ids), _held(bulk.delete_to_trash, gate, inside), ids, on_done=done.append)
    assert inside.wait(10)
    _dialog().canceled.emit()  # what its Cancel button does
    gate.set()
    qtbot.waitUntil(lambda: runner.task is None)
    assert status == [messages.CANCELLED] and done == []
    assert full_state() == before and runner._stack.count() == 0


def test_a_failure_reaches_the_error_dialog_and_the_log(qtbot, runner, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))

    def broken(*_args, progress, cancelled):
        raise RuntimeError("disk on fire")

    runner.perform("Bulk actions", 100, broken, [1])
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [("Bulk actions", "disk on fire")]
    assert "background task failed" in caplog.text and "disk on fire" in caplog.text
    assert runner.task is None


def test_a_big_undo_and_redo_run_in_the_background(qtbot, runner):
    ids = add_leads(20)
    before = full_state()
    runner._stack.perform(bulk.set_vip, ids, True)
    after = full_state()
    runner.undo()
    assert runner.task is not None
    qtbot.waitUntil(lambda: runner.task is None)
    assert full_state() == before and runner._stack.canRedo() and not runner._stack.canUndo()
    runner.redo()
    qtbot.waitUntil(lambda: runner.task is None)
    assert full_state() == after and runner._stack.canUndo()


def test_a_cancelled_undo_changes_nothing_and_stays_undoable(qtbot, runner, monkeypatch):
    ids = add_leads(20)
    runner._stack.perform(bulk.set_vip, ids, True)
    after = full_state()
    gate, inside = threading.Event(), threading.Event()
    monkeypatch.setattr(undo_tasks.undo, "undo", _held(undo_tasks.undo.undo, gate, inside))
    runner.undo()
    assert inside.wait(10)
    _dialog().canceled.emit()
    gate.set()
    qtbot.waitUntil(lambda: runner.task is None)
    assert full_state() == after and runner._stack.canUndo()


def test_small_operations_stay_on_the_gui_thread(qtbot, runner):
    ids = add_leads(3)
    done = []
    runner.perform("Bulk actions", len(ids), bulk.set_vip, ids, True, on_done=done.append)
    assert runner.task is None and len(done) == 1 and _vip_count() == 3
    runner.undo()
    assert _vip_count() == 0
