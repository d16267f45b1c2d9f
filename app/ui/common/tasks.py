"""The one way to run work off the GUI thread (Picard's ``run_task``, Anki's ``QueryOp``).

``run_task(job, on_done, on_error)`` runs ``job(progress, cancelled)`` on a ``Task`` thread with
its own database connection (Peewee keeps one per thread, closed when the job ends) and calls back
on the GUI thread through queued signals. With a ``label`` it shows a modal progress dialog, with
Cancel when the job can stop part-way. Every failure is logged; without an ``on_error`` it reaches
the rep through ``error_dialog.show_error``. The leads list's ``QueryThread`` is the one exception:
a long-lived thread that drops superseded queries (see docs/ARCHITECTURE.md).
"""

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.services import errors, storage
from app.ui.common import messages

log = logging.getLogger(__name__)


class Task(QThread):
    """Runs ``job(progress, cancelled)`` off the GUI thread; reports back through queued signals.

    ``progress(done, fraction)`` may be called from the job; ``cancelled()`` says whether the rep
    asked to stop.

    A task has no parent and keeps itself alive until its thread ends, so closing the dialog
    that started it can never destroy a running thread.

    Signals:
        progressed(int, float): items done so far and the fraction of the whole (0..1).
        succeeded(object): the job's result.
        failed(str): a one-line reason (the job raised; the traceback is in the log).
    """

    progressed = Signal(int, float)
    succeeded = Signal(object)
    failed = Signal(str)

    _running: set = set()

    def __init__(self, job: Callable):
        super().__init__()
        self._job = job
        self.cancel_requested = threading.Event()
        self.finished.connect(self._on_self_finished)

    def start(self) -> None:
        Task._running.add(self)
        super().start()

    @Slot()
    def _on_self_finished(self) -> None:
        Task._running.discard(self)
        self.deleteLater()

    def run(self) -> None:
        result, message = None, None
        try:
            result = self._job(self.progressed.emit, self.cancel_requested.is_set)
        except Exception as exc:  # noqa: BLE001 - any failure is logged and reported in plain words
            log.warning("background task failed", exc_info=True)
            message = errors.user_message(exc) or str(exc) or type(exc).__name__
        finally:
            storage.close()  # this thread's own connection
        if message is None:
            self.succeeded.emit(result)
        else:
            self.failed.emit(message)


def wait_for_tasks() -> None:
    """Ask every running task to stop and wait until it has (the app is quitting)."""
    for task in list(Task._running):
        task.cancel_requested.set()
        task.wait()


def run_task(job: Callable, on_done: Callable[[object], None], on_error: Callable[[str], None] | None = None, *,
             parent: QWidget | None = None, title: str = "LeadDesk", label: str | None = None,
             cancellable: bool = False) -> Task:
    """Start ``job(progress, cancelled)`` on a ``Task``; ``on_done(result)`` or ``on_error(message)`` follow.

    ``label``: show a modal progress dialog titled ``title`` while it runs (busy until the job
    reports a fraction); ``cancellable``: the dialog has Cancel, which sets ``cancelled()``.
    Without ``on_error`` a failure is shown with ``show_error(parent, title, message)``.
    """
    from app.ui.common.error_dialog import show_error

    task = Task(job)
    dialog = _progress_dialog(task, parent, title, label, cancellable) if label else None

    def finish(callback, value) -> None:
        # Let go of the callbacks (and the widgets they hold) now, not when the task object goes.
        task.succeeded.disconnect()
        task.failed.disconnect()
        if dialog is not None:
            task.progressed.disconnect()
        if dialog is not None:
            dialog.reset()
            dialog.deleteLater()
        callback(value)

    task.succeeded.connect(lambda result: finish(on_done, result))
    task.failed.connect(lambda message: finish(on_error or (lambda m: show_error(parent, title, m)), message))
    task.start()
    return task


def _progress_dialog(task: Task, parent, title: str, label: str, cancellable: bool) -> QProgressDialog:
    dialog = QProgressDialog(label, "Cancel" if cancellable else None, 0, 0, parent)
    dialog.setObjectName("taskProgressDialog")
    # Modal: the rep cannot start another change (or undo) on the data the job is changing.
    dialog.setWindowModality(Qt.WindowModality.WindowModal if parent is not None else Qt.WindowModality.ApplicationModal)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)  # a quick job never flashes a dialog
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    if cancellable:
        dialog.canceled.connect(task.cancel_requested.set)
        dialog.canceled.connect(lambda: dialog.setLabelText(messages.CANCELLING))
    task.progressed.connect(lambda _done, fraction: _show_fraction(dialog, fraction))
    dialog.setValue(0)
    return dialog


def _show_fraction(dialog: QProgressDialog, fraction: float) -> None:
    if dialog.maximum() == 0:
        dialog.setRange(0, 1000)
    dialog.setValue(int(fraction * 1000))
