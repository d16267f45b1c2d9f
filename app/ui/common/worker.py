"""A worker thread for long jobs started from a dialog (import, export, Empty Trash).

The job runs with the thread's own database connection (Peewee keeps one per thread), closed
when it ends; the dialog stays responsive and hears back through queued signals.
"""

import threading

from PySide6.QtCore import QThread, Signal, Slot

from app.services import errors, storage


class Worker(QThread):
    """Runs ``job(progress, cancelled)`` off the GUI thread; reports back through queued signals.

    ``progress(done, fraction)`` may be called from the job; ``cancelled()`` says whether the rep
    asked to stop.

    A worker has no parent and keeps itself alive until its thread ends, so closing the dialog
    that started it can never destroy a running thread.

    Signals:
        progressed(int, float): rows done so far and the fraction of the file read.
        succeeded(object): the job's result.
        failed(str): a one-line reason (the job raised).
    """

    progressed = Signal(int, float)
    succeeded = Signal(object)
    failed = Signal(str)

    _running: set = set()

    def __init__(self, job):
        super().__init__()
        self._job = job
        self.cancel_requested = threading.Event()
        self.finished.connect(self._on_self_finished)

    def start(self) -> None:
        Worker._running.add(self)
        super().start()

    @Slot()
    def _on_self_finished(self) -> None:
        Worker._running.discard(self)
        self.deleteLater()

    def run(self) -> None:
        result, message = None, None
        try:
            result = self._job(self.progressed.emit, self.cancel_requested.is_set)
        except Exception as exc:  # noqa: BLE001 - any failure is reported to the rep in plain words
            message = errors.user_message(exc) or str(exc) or type(exc).__name__
        finally:
            storage.close()  # this thread's own connection
        if message is None:
            self.succeeded.emit(result)
        else:
            self.failed.emit(message)
