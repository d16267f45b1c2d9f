"""``LeadDesk --smoke``: prove a build carries everything it needs, then exit 0 (or 1 and why).

Runs offscreen on a throw-away data folder and database: the Qt platform and image plugins, the
bundled resources (icon, sample leads), SQLite with FTS5, an import and a search, and the main
window actually shown.
"""

import os
import sys
import tempfile
import time
from pathlib import Path


class SmokeFailure(Exception):
    """A check failed; the message says which."""


def run_smoke() -> int:
    started = time.perf_counter()
    # Before QApplication exists: no display is needed (CI, a headless check after install).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="leaddesk-smoke-") as folder:
        # The user's real data folder and settings are never touched.
        os.environ["LEADDESK_DATA_DIR"] = str(Path(folder) / "data")
        os.environ["XDG_CONFIG_HOME"] = str(Path(folder) / "config")
        try:
            facts = _checks(Path(folder) / "smoke.db")
        except SmokeFailure as failure:
            _say(f"LeadDesk smoke FAILED: {failure}")
            return 1
        except Exception as error:  # noqa: BLE001 - e.g. a module missing from the bundle
            _say(f"LeadDesk smoke FAILED: {type(error).__name__}: {error}")
            return 1
    facts.append(f"{(time.perf_counter() - started) * 1000:.0f} ms")
    _say("LeadDesk smoke OK: " + ", ".join(facts))
    return 0


def _checks(db_path: Path) -> list[str]:
    from PySide6.QtGui import QImageReader
    from PySide6.QtWidgets import QApplication

    from app import __version__
    from app.services import storage
    from app.ui.shell.application import app_icon, create_application

    app = create_application()
    facts = [f"version {__version__}", f"Qt platform {QApplication.platformName()}"]
    if app_icon().pixmap(64, 64).isNull():
        raise SmokeFailure("the app icon did not load (resources/icons missing from the build?)")
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if not {"png", "svg"} <= formats:
        raise SmokeFailure(f"image formats missing: {sorted({'png', 'svg'} - formats)}")

    storage.open(db_path)
    try:
        if not storage.fts5_available():
            raise SmokeFailure("this SQLite has no FTS5; lead search cannot work")
        facts.append("SQLite FTS5")
        imported = _import_sample()
        if imported is not None:
            if storage.database_stats().lead_count == 0:
                raise SmokeFailure("the sample import added no leads")
            facts.append(f"sample imported ({imported} leads)")
            found = storage.search_count(SAMPLE_SEARCH)
            if found == 0:
                raise SmokeFailure("a search for a company in the sample found nothing")
            facts.append(f"search found {found}")
        facts.append(_show_main_window(app, db_path))
    finally:
        storage.close()
    return facts


# A company name in the bundled MassProspecting sample (3+ letters, so it goes through FTS5).
SAMPLE_SEARCH = "Lumen"


def _import_sample() -> int | None:
    """Import the bundled sample; None when this build has no sample importer yet."""
    try:
        from app.services.sample import load_sample
    except ImportError:
        return None
    try:
        result = load_sample()
    except Exception as error:  # noqa: BLE001 - report any failure as a smoke failure
        raise SmokeFailure(f"importing the bundled sample failed: {type(error).__name__}: {error}") from error
    return result if isinstance(result, int) else result.created + result.updated + result.unchanged


def _show_main_window(app, db_path: Path) -> str:
    from PySide6.QtCore import QTimer

    try:
        from app.ui.shell.main_window import MainWindow
    except ImportError as error:
        raise SmokeFailure(f"the main window is missing from the build: {error}") from error
    window = MainWindow(db_path)
    window.show()
    seen = {}

    def look():
        handle = window.windowHandle()
        seen["shown"] = window.isVisible() and handle is not None and handle.isExposed()
        # exit(), not quit(): quit() would first close the window we are looking at.
        app.exit(0)

    # Let the window lay out, paint and run its first query before looking at it.
    QTimer.singleShot(300, look)
    app.exec()
    window.close()
    window.deleteLater()
    if not seen.get("shown"):
        raise SmokeFailure("the main window did not show")
    return "main window shown"


def _say(text: str) -> None:
    # A windowed build on Windows has no stdout; the exit code still tells.
    if sys.stdout is not None:
        print(text, flush=True)
