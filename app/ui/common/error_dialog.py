"""How failures reach the rep (calibre's ``error_dialog``): one helper for expected failures, one
"Something went wrong" dialog for uncaught exceptions (the app keeps running). Both are logged."""

import logging

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import logs
from app.ui.common import messages

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the rep that ``title`` failed and why (``message``, plain words), and log it."""
    log.warning("%s failed: %s", title, message)
    QMessageBox.warning(parent, title, message)


class ErrorDialog(QMessageBox):
    """Tells the user something failed, with the (scrubbed) traceback under Details."""

    def __init__(self, report: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("LeadDesk")
        self.setText(messages.CRASH_TITLE)
        self.setInformativeText(messages.CRASH_TEXT)
        self.setDetailedText(report)
        self.setStandardButtons(QMessageBox.StandardButton.Close)
        self._open_logs = self.addButton(messages.OPEN_LOG_FOLDER, QMessageBox.ButtonRole.ActionRole)
        self._open_logs.setObjectName("openLogFolderButton")
        self._open_logs.clicked.connect(self._on_open_logs_clicked)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    @Slot()
    def _on_open_logs_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(logs.log_dir())))


class ErrorReporter(QObject):
    """Bridges ``app.logs`` (any thread) to the dialog (GUI thread).

    Signals:
        error_reported(str): an uncaught exception was logged; carries the scrubbed report.
    """

    error_reported = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._dialog: ErrorDialog | None = None
        # Queued, so a worker thread's failure is shown by the GUI thread.
        self.error_reported.connect(self._on_self_error_reported, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        """Make this reporter the target of ``app.logs``' exception hooks."""
        logs.install_excepthooks(self.error_reported.emit)

    @Slot(str)
    def _on_self_error_reported(self, report: str) -> None:
        if self._dialog is not None:
            # One dialog at a time: a failure repeating on every repaint must not stack dialogs.
            self._dialog.setDetailedText(report)
            return
        self._dialog = ErrorDialog(report, QApplication.activeWindow())
        self._dialog.finished.connect(self._on_dialog_finished)
        self._dialog.open()

    @Slot()
    def _on_dialog_finished(self) -> None:
        self._dialog = None
