"""The start-up check and the daily backup, off the GUI thread.

``BackupRunner`` runs ``backups.check_and_back_up`` through ``run_task``, one run at a time, and
shows the damage a big file's check finds in a message box that does not block (the rep can quit).
A failed daily backup is logged by the task and otherwise stays quiet: the next run retries.
"""

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QMessageBox

from app.services import backups
from app.ui.common.tasks import Task, run_task


class BackupRunner(QObject):
    """Starts ``check_and_back_up`` on a task unless one is still running."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._task: Task | None = None
        self.box: QMessageBox | None = None  # the damage report, once shown

    def start(self, check: bool = False, delay_s: float = 0.0) -> None:
        """Run it now, or after ``delay_s`` (a big file's check reads the whole file: not in the first moments)."""
        if delay_s > 0:
            QTimer.singleShot(int(delay_s * 1000), self, lambda: self.start(check))
            return
        if self._task is not None:
            return
        self._task = run_task(lambda _progress, _cancelled: backups.check_and_back_up(check=check),
                              self._on_done, self._on_failed)

    def is_running(self) -> bool:
        return self._task is not None

    @Slot()
    def run_daily(self) -> None:
        """The hourly timer's slot: the daily backup, for reps who leave LeadDesk open for days."""
        self.start()

    def _on_done(self, damage: str | None) -> None:
        self._task = None
        if damage:
            self.box = QMessageBox(QMessageBox.Icon.Warning, "LeadDesk", damage, QMessageBox.StandardButton.Ok)
            self.box.setObjectName("damageFoundMessage")
            self.box.open()

    def _on_failed(self, _message: str) -> None:
        self._task = None
