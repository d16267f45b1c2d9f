"""The background-task helper: results and failures come back on the GUI thread; Cancel stops the job."""

import threading

from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.common.tasks import run_task


def _on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_the_result_comes_back_on_the_gui_thread(qtbot):
    seen = []
    run_task(lambda _progress, _cancelled: threading.current_thread() is threading.main_thread(),
             lambda result: seen.append((result, _on_gui_thread())))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(False, True)]  # the job ran elsewhere, the callback on the GUI thread


def test_a_failure_goes_to_on_error_and_to_the_log(qtbot, caplog):
    def job(_progress, _cancelled):
        raise ValueError("That file is not a CSV.")

    errors = []
    run_task(job, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == ["That file is not a CSV."]
    assert "background task failed" in caplog.text


def test_without_on_error_the_rep_sees_one_warning(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))

    def job(_progress, _cancelled):
        raise ValueError("Disk full.")

    run_task(job, lambda _r: None, title="Export")
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [("Export", "Disk full.")]


def test_cancel_in_the_progress_dialog_stops_a_cancellable_job(qtbot):
    started = threading.Event()

    def job(progress, cancelled):
        started.set()
        while not cancelled():
            progress(1, 0.5)
            threading.Event().wait(0.005)
        return "stopped"

    results = []
    task = run_task(job, results.append, label="Working…", cancellable=True)
    assert started.wait(5)
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "taskProgressDialog")
    with qtbot.waitSignal(task.succeeded):
        dialog.canceled.emit()  # what the Cancel button does
    qtbot.waitUntil(lambda: results == ["stopped"])


def test_other_listeners_still_hear_the_task_after_its_callbacks_ran(qtbot):
    gate = threading.Event()
    done, heard = [], []
    task = run_task(lambda _progress, _cancelled: gate.wait(5) and "result", done.append, label="Working…")
    task.succeeded.connect(heard.append)
    gate.set()
    qtbot.waitUntil(lambda: bool(done) and bool(heard))
    assert done == heard == ["result"]
