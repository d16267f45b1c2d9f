"""The dialogs at start when the database needed attention.

``resolve_startup(report)`` shows what ``backups.check_and_open`` found and, for a missing or
damaged-beyond-backup file, asks what to do (Locate…, Restore a backup, Start new, Quit) until a
database is open or the rep quits. Nothing is replaced without the rep's say-so, except a damaged
file that had a good backup: that one is restored and the rep is told which date they are back to.

A big file is checked just after it opens, off the GUI thread (``app/ui/files/backup_runner.py``).
"""

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
