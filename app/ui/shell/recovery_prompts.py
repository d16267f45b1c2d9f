"""The dialogs at start when the database needed attention.

``resolve_startup(report)`` shows what ``backups.check_and_open`` found and, for a missing or
damaged-beyond-backup file, asks what to do (Locate…, Restore a backup, Start new, Quit) until a
database is open or the rep quits. Nothing is replaced without the rep's say-so, except a damaged
file that had a good backup: that one is restored and the rep is told which date they are back to.

A big file is checked just after it opens, on a worker thread; ``DamageAlert`` brings what that
check finds to the GUI thread: ``check_and_open(path, on_damage=alert.damage_found.emit)``.
"""

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app import APP_NAME
from app.services import backups
from app.services.backups import StartupReport, StartupStatus

# Button roles for the "what now?" question; objectNames make them scriptable in tests.
LOCATE, RESTORE, START_NEW, QUIT, OK = "locateButton", "restoreButton", "startNewButton", "quitButton", "okButton"


def startup_box(report: StartupReport, parent: QWidget | None = None) -> QMessageBox:
    """The message box for ``report`` (not shown); buttons carry the objectNames above."""
    box = QMessageBox(parent)
    box.setObjectName("startupMessage")
    box.setWindowTitle(APP_NAME)
    box.setText(report.message)
    if report.status is StartupStatus.RESTORED:
        box.setIcon(QMessageBox.Icon.Information)
        box.addButton(QMessageBox.StandardButton.Ok).setObjectName(OK)
    elif report.status is StartupStatus.TOO_NEW:
        box.setIcon(QMessageBox.Icon.Critical)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole).setObjectName(QUIT)
    else:
        box.setIcon(QMessageBox.Icon.Warning)
        if report.status is StartupStatus.MISSING:
            box.addButton("Locate…", QMessageBox.ButtonRole.ActionRole).setObjectName(LOCATE)
            restore = box.addButton("Restore a backup", QMessageBox.ButtonRole.ActionRole)
            restore.setObjectName(RESTORE)
            restore.setEnabled(bool(backups.list_backups(report.path)))
        box.addButton("Start new", QMessageBox.ButtonRole.DestructiveRole).setObjectName(START_NEW)
        box.setDefaultButton(box.addButton("Quit", QMessageBox.ButtonRole.RejectRole))
        box.defaultButton().setObjectName(QUIT)
    return box


def resolve_startup(report: StartupReport, parent: QWidget | None = None) -> StartupReport:
    """Tell and ask until the database is open (``report.is_open``) or the rep chose Quit."""
    while report.status is not StartupStatus.OPENED:
        box = startup_box(report, parent)
        box.exec()
        if report.status is StartupStatus.RESTORED:
            return report
        choice = box.clickedButton().objectName() if box.clickedButton() else QUIT
        if choice == QUIT:
            return report
        if choice == START_NEW:
            report = backups.start_new(report.path)
        elif choice == RESTORE:
            report = backups.restore_latest(report.path)
        elif choice == LOCATE:
            located, _ = QFileDialog.getOpenFileName(
                parent, "Locate your LeadDesk database", str(report.path.parent),
                "LeadDesk database (*.db);;All files (*)")
            if located:
                report = backups.check_and_open(located)
    return report


class DamageAlert(QObject):
    """Shows the background check's damage report on the GUI thread (non-modal: the rep can quit).

    Signals:
        damage_found(str): emitted from any thread with the message to show.
    """

    damage_found = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.box: QMessageBox | None = None
        # Emitted from the worker thread, received on this object's (the GUI) thread.
        self.damage_found.connect(self._on_self_damage_found)

    @Slot(str)
    def _on_self_damage_found(self, message: str) -> None:
        self.box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, QMessageBox.StandardButton.Ok)
        self.box.setObjectName("damageFoundMessage")
        self.box.open()
