"""The app around the windows: crash dialog, settings fallbacks, which database, About."""

import json

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton

from app import __version__, logs
from app.ui.common import settings
from app.ui.common.error_dialog import ErrorDialog, ErrorReporter
from app.ui.shell.about_dialog import AboutDialog, add_help_menu
from app.ui.shell.application import bring_to_front, choose_database, process_age_ms


@pytest.fixture
def reporter(qapp):
    """The app's crash reporting as run_gui installs it; the hooks are restored afterwards."""
    import sys
    import threading

    saved = sys.excepthook, threading.excepthook
    logs.setup_logging()
    reporter = ErrorReporter()
    reporter.install()
    yield reporter
    logs.install_excepthooks(None)
    sys.excepthook, threading.excepthook = saved
    for handler in list(logs.log.handlers):
        logs.log.removeHandler(handler)
        handler.close()


def _error_dialogs():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]


@pytest.mark.qt_no_exception_capture
def test_a_failing_slot_shows_the_dialog_logs_it_and_the_app_keeps_running(qtbot, reporter):
    def failing_slot():
        raise ZeroDivisionError("while saving ada@example.com")

    QTimer.singleShot(0, failing_slot)
    qtbot.waitUntil(lambda: len(_error_dialogs()) == 1)
    dialog = _error_dialogs()[0]
    assert dialog.text() == "Something went wrong."
    assert "in failing_slot" in dialog.detailedText()
    assert "ada@example.com" not in dialog.detailedText()
    assert dialog.findChild(QPushButton, "openLogFolderButton").text() == "Open log folder"

    log_text = logs.current_log_file().read_text()
    assert "ZeroDivisionError" in log_text and "in failing_slot" in log_text
    assert "ada@example.com" not in log_text

    dialog.close()
    qtbot.waitUntil(lambda: not _error_dialogs())
    # Still running: the event loop delivers the next timer, and a second failure shows again.
    with qtbot.waitSignal(reporter.error_reported):
        QTimer.singleShot(0, failing_slot)
    qtbot.waitUntil(lambda: len(_error_dialogs()) == 1)
    _error_dialogs()[0].close()


@pytest.mark.qt_no_exception_capture
def test_repeated_failures_show_one_dialog_not_a_pile(qtbot, reporter):
    def failing_slot():
        raise RuntimeError("paint failed")

    for _ in range(3):
        QTimer.singleShot(0, failing_slot)
    with qtbot.waitSignals([reporter.error_reported] * 3):
        pass
    qtbot.waitUntil(lambda: len(_error_dialogs()) == 1)
    assert len(_error_dialogs()) == 1
    _error_dialogs()[0].close()


# --- settings ---------------------------------------------------------------------------------


def _write_raw(text: str) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_settings_round_trip(qapp):
    settings.write(settings.WINDOW_GEOMETRY, b"\x01\x02geometry")
    settings.write(settings.LAST_PAGE, "campaigns")
    settings.write_json(settings.LAST_FILTER, {"text": "growth"})
    assert settings.read_bytes(settings.WINDOW_GEOMETRY) == b"\x01\x02geometry"
    assert settings.read_str(settings.LAST_PAGE, "leads", allowed={"leads", "campaigns"}) == "campaigns"
    assert settings.read_json(settings.LAST_FILTER, {}) == {"text": "growth"}


def test_stale_and_corrupt_settings_fall_back_to_defaults(qapp):
    _write_raw(
        "[window]\n"
        "geometry=not bytes at all\n"
        "page=a-page-from-an-old-version\n"
        "splitter=@Invalid()\n"
        "[leads]\n"
        "filter={\"text\": \n"
        "count=minus-three\n"
    )
    assert settings.read_bytes(settings.WINDOW_GEOMETRY) == b""
    assert settings.read_str(settings.LAST_PAGE, "leads", allowed={"leads", "campaigns"}) == "leads"
    assert settings.read_bytes(settings.SPLITTER_STATE) == b""
    assert settings.read_json(settings.LAST_FILTER, {}) == {}
    assert settings.read_int("leads/count", 50, minimum=0) == 50
    assert settings.read_bool("leads/missing", True) is True


def test_json_setting_of_the_wrong_shape_falls_back(qapp):
    settings.write(settings.LAST_FILTER, json.dumps(["a", "list"]))
    assert settings.read_json(settings.LAST_FILTER, {"text": ""}) == {"text": ""}


def test_a_binary_garbage_settings_file_is_survived(qapp):
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\xff\xfe[[[\x00garbage")
    assert settings.read_str(settings.LAST_PAGE, "leads") == "leads"
    assert settings.remembered_database() is None


# --- which database ---------------------------------------------------------------------------


def test_first_run_uses_the_default_database(qapp):
    from app.paths import default_database_path

    assert choose_database(None) == default_database_path()


def test_explicit_db_wins(qapp, tmp_path):
    assert choose_database(tmp_path / "mine.db") == tmp_path / "mine.db"


def test_the_remembered_database_is_reopened(qapp, tmp_path):
    remembered = tmp_path / "elsewhere.db"
    remembered.write_bytes(b"")
    settings.remember_database(remembered)
    assert choose_database(None) == remembered.resolve()


def test_a_missing_remembered_database_is_never_silently_replaced(qapp, tmp_path):
    """The last database vanished (unplugged drive, deleted): the start-up check must ask."""
    from app.services import backups, storage

    remembered = tmp_path / "usb-stick" / "leads.db"
    assert backups.check_and_open(remembered).is_open  # a normal session on it...
    settings.remember_database(remembered)
    storage.close()
    remembered.unlink()  # ...then the file is gone

    assert choose_database(None) == remembered.resolve()
    report = backups.check_and_open(choose_database(None))
    assert report.status is backups.StartupStatus.MISSING and not report.is_open
    assert not remembered.exists()


def test_an_older_file_is_upgraded_off_the_gui_thread_before_the_window(qapp, tmp_path, monkeypatch):
    """At 1M leads a migration takes half a minute: it runs on a task (with a progress dialog), not frozen."""
    import threading

    from app.db import connection
    from app.db.models import Lead
    from app.services import storage
    from app.ui.shell import application

    path = tmp_path / "leads.db"
    earlier = connection.MIGRATIONS[:-1]
    with monkeypatch.context() as older:
        older.setattr(connection, "MIGRATIONS", earlier)
        older.setattr(connection, "SCHEMA_VERSION", len(earlier))
        storage.open(path)
        Lead.create(first_name="Ada", email="ada@example.com")
        storage.close()
    assert storage.upgrade_pending(path)
    migrated_on = []
    real_migrate = connection.migrate
    monkeypatch.setattr(connection, "migrate", lambda conn: (migrated_on.append(threading.current_thread()),
                                                              real_migrate(conn)))

    report = application.open_database(path)

    assert report is not None and report.is_open
    assert migrated_on[0] is not threading.main_thread()  # the upgrade; the open after it finds nothing to do
    assert not storage.upgrade_pending(path)
    assert [lead.first_name for lead in Lead.select()] == ["Ada"]
    storage.close()


def test_nothing_is_pending_for_a_new_current_or_newer_file(qapp, tmp_path):
    from app.services import storage

    path = tmp_path / "leads.db"
    assert not storage.upgrade_pending(path)  # not there yet
    storage.open(path)
    storage.close()
    assert not storage.upgrade_pending(path)
    path.write_bytes(b"not a database at all, but bytes a damaged file might hold" * 100)
    assert not storage.upgrade_pending(path)  # the start-up check reports it, as before


# --- About, Help menu, raising ----------------------------------------------------------------


def test_about_shows_version_data_folder_size_and_lead_count(qtbot, db):
    from app.db.models import Lead
    from app.paths import data_dir

    for n in range(3):
        Lead.create(first_name=f"Lead{n}", last_name="Test", email=f"lead{n}@example.com")
    Lead.create(first_name="Trashed", deleted_at="2026-01-01T00:00:00Z")
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    value = lambda name: dialog.findChild(QLabel, name).text()  # noqa: E731
    assert value("aboutVersion") == __version__
    assert value("aboutDataFolder") == str(data_dir())
    assert value("aboutLeadCount") == "3"
    assert value("aboutDatabaseSize").split()[-1] in ("KiB", "MiB", "bytes", "KB", "MB")


def test_help_menu_offers_about(qtbot, db):
    window = QMainWindow()
    qtbot.addWidget(window)
    action = add_help_menu(window.menuBar(), window)
    assert action.objectName() == "aboutAction"
    assert "About LeadDesk" in action.text().replace("&", "")


def test_bring_to_front_restores_a_minimised_window(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    bring_to_front(window)
    qtbot.waitUntil(lambda: not window.isMinimized() and window.isVisible())


def test_process_age_is_known_on_linux():
    age = process_age_ms()
    assert age is None or age > 0


# --- closing ----------------------------------------------------------------------------------


def test_closing_with_an_edit_still_in_a_field_saves_it(qtbot, db, db_path):
    """The rep types a new headline and closes the window without leaving the field."""
    from PySide6.QtWidgets import QLineEdit

    from app.services import leads
    from app.ui.shell.main_window import MainWindow
    from tests.helpers.leadgen import add_lead

    lead_id = add_lead(first_name="Camille", last_name="Durand", job_title="Head of Growth")
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    window.show()
    window.show_page("leads")
    qtbot.waitUntil(lambda: window.leads.source.is_settled() and window.leads.source.rowCount() == 1)
    window.leads.detail.show_lead(lead_id)
    editor = window.findChild(QLineEdit, "jobTitleEdit")
    qtbot.waitUntil(lambda: editor.text() == "Head of Growth")
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "Chief Growth Officer")
    assert window.close()
    assert leads.get_lead(lead_id).job_title == "Chief Growth Officer"
