"""GUI bootstrap: log file and crash dialog, which database, one instance per database, the window.

Start-up order matters: the log and the exception hooks come first (so a failure anywhere after
is recorded and shown), then the database is chosen and locked, and only then opened.
"""

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import APP_NAME, __version__, logs
from app.paths import default_database_path, resource_path
from app.services import backups, storage
from app.services.backups import StartupReport
from app.services.errors import user_message
from app.ui.common import settings
from app.ui.common.error_dialog import ErrorReporter
from app.ui.common.style import apply_style
from app.ui.common.tasks import wait_for_tasks
from app.ui.shell.collector import GuiThreadCollector
from app.ui.shell.recovery_prompts import resolve_startup
from app.ui.shell.single_instance import SingleInstance

log = logging.getLogger("app.startup")

# Set to 1 to print "window shown after N ms" and quit at once: how the launch time is measured.
QUIT_AFTER_SHOW_ENV = "LEADDESK_QUIT_AFTER_SHOW"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The LeadDesk icon at every rendered size (PNGs: they load without the SVG plugin)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path(f"icons/leaddesk-{size}.png")))
    return icon


def create_application() -> QApplication:
    """The QApplication with LeadDesk's names and icon, the log file and the crash dialog."""
    logs.setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    apply_style(app)
    # Lets Wayland/X11 docks match the window to leaddesk.desktop (and its icon).
    QGuiApplication.setDesktopFileName("leaddesk")
    reporter = ErrorReporter(app)
    reporter.setObjectName("errorReporter")
    reporter.install()
    GuiThreadCollector(app)
    return app


UPGRADE_LABEL = ("Updating your lead database for this version of LeadDesk…\n"
                 "This happens once; a million leads take about half a minute.")


def run_gui(args) -> int:
    """Run the app until its window closes; the process exit code."""
    app = create_application()
    log.info("LeadDesk %s starting", __version__)
    db_path = choose_database(args.db)

    instance = SingleInstance(db_path, app)
    if not instance.acquire():
        if instance.notify_running_instance():
            log.info("Another instance has this database open; asked it to come to the front")
            return 0
        QMessageBox.warning(
            None, APP_NAME,
            "LeadDesk is already open on this database but is not responding.\n\n"
            "Wait a moment and try again, or close the other LeadDesk window.",
        )
        return 1
    try:
        report = open_database(db_path)
        if report is None:
            return 1
        db_path = report.path
        settings.remember_database(db_path)

        from app.ui.shell.main_window import MainWindow

        window = MainWindow(db_path)
        # Old leftovers, the daily backup and a big file's check; that check reads the whole file,
        # so it starts a little after the window's first moments.
        window.backup_runner.start(check=report.check_pending,
                                   delay_s=backups.BIG_FILE_START_DELAY_S if report.check_pending else 0.0)
        _add_help_menu(window)
        instance.raise_requested.connect(lambda: bring_to_front(window))
        show_and_report(window)
        return app.exec()
    finally:
        wait_for_tasks()  # a backup half-copied or an edit half-applied must not be cut by the exit
        storage.close_at_quit()
        instance.release()


def choose_database(explicit: Path | None) -> Path:
    """The database to open: ``--db``, else the one used last time, else the default.

    A remembered file that has gone missing is still returned: the start-up check in
    ``open_database`` then tells the rep and offers Locate / Restore a backup / Start new / Quit,
    so the app never silently starts on a new, empty database in its place.
    """
    if explicit is not None:
        return Path(explicit).expanduser()
    remembered = settings.remembered_database()
    if remembered is None:
        return default_database_path()
    if not remembered.exists():
        log.warning("The remembered database file is missing")
    return remembered


def open_database(db_path: Path) -> StartupReport | None:
    """Open the database, telling the user in plain words if it can't be opened.

    Returns the report of the database opened (the rep may have located the file elsewhere), or
    None to quit. ``backups.check_and_open`` checks the file first (restoring a damaged one from
    its newest good backup, refusing a newer LeadDesk's file, asking about a missing one);
    ``resolve_startup`` tells the rep what happened and asks what is needed.
    """
    upgrade_first(db_path)
    try:
        report = resolve_startup(backups.check_and_open(db_path))
    except Exception as error:  # noqa: BLE001 - any failure here must reach the user, not a traceback
        log.error("Could not open the database: %s", type(error).__name__)
        message = user_message(error) or str(error)
        QMessageBox.critical(None, APP_NAME, f"LeadDesk could not open the lead database.\n\n{message}")
        return None
    return report if report.is_open else None


def upgrade_first(db_path: Path) -> None:
    """Migrate an older file on a task, with a progress dialog, before the window opens.

    At a million leads a migration takes half a minute; on the GUI thread nothing would be on screen
    meanwhile and a second launch would find the app "not responding". A failure is only logged:
    ``check_and_open`` then opens (or recovers) the file as it always does and reports in plain words.
    """
    if not storage.upgrade_pending(db_path):
        return
    from PySide6.QtCore import QEventLoop

    from app.ui.common.tasks import run_task

    loop = QEventLoop()

    def failed(message: str) -> None:
        log.warning("Upgrading the database failed: %s", message)
        loop.quit()

    log.info("Upgrading the database to this version's schema")
    run_task(lambda _progress, _cancelled: storage.open(db_path), lambda _result: loop.quit(), failed,
             label=UPGRADE_LABEL)
    loop.exec()


def _add_help_menu(window: QWidget) -> None:
    if hasattr(window, "menuBar"):
        from app.ui.shell.about_dialog import add_help_menu

        if window.menuBar().findChild(QObject, "aboutAction") is None:
            add_help_menu(window.menuBar(), window)


def bring_to_front(window: QWidget) -> None:
    """Show a window another launch asked for: un-minimise, raise, focus."""
    log.info("Another launch on this database: bringing the window to the front")
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class _FirstExposeWatcher(QObject):
    """Logs how long after process start the window was first on screen."""

    def __init__(self, window: QWidget, quit_after: bool):
        super().__init__(window)
        self._quit_after = quit_after

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Expose and watched.isExposed():
            watched.removeEventFilter(self)
            # The widgets paint while the expose event is handled; report once that is done.
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        elapsed = process_age_ms()
        text = f"window shown {elapsed:.0f} ms after launch" if elapsed is not None else "window shown"
        log.info(text)
        if self._quit_after:
            if sys.stdout is not None:
                print(text, flush=True)
            QApplication.quit()


def show_and_report(window: QWidget) -> None:
    window.show()
    handle = window.windowHandle()
    if handle is not None:
        handle.installEventFilter(_FirstExposeWatcher(window, os.environ.get(QUIT_AFTER_SHOW_ENV) == "1"))


def process_age_ms() -> float | None:
    """Milliseconds since this process started (Linux /proc; None elsewhere)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            uptime_s = float(uptime.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return (uptime_s - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
