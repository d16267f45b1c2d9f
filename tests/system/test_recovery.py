"""Start-up recovery: damaged files moved aside and restored, missing files asked about, newer refused."""

import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from app.db.connection import close_database, database, open_database
from app.db.models import Lead
from app.services import backups
from app.services.backups import StartupStatus
from app.ui.shell import recovery_prompts

PAGE = 4096


@pytest.fixture(autouse=True)
def _closed():
    yield
    close_database()


def _make(db_path, names, backup=True) -> None:
    """A database holding ``names``, its backup, then one more lead made after the backup."""
    open_database(db_path)
    with database.atomic():
        for name in names:
            Lead.create(first_name=name)
    if backup:
        backups.create_backup()
    with database.atomic():
        Lead.create(first_name="After backup")
    close_database()


def _names() -> list[str]:
    return [lead.first_name for lead in Lead.select().order_by(Lead.id)]


def _corrupt_header(path) -> None:
    with open(path, "r+b") as f:
        f.write(b"Not SQLite at all")


def _corrupt_btree_page(path) -> None:
    # Byte 0 of a b-tree page is its type (2, 5, 10 or 13); 0xFF is none of them.
    with open(path, "r+b") as f:
        for page in (2, 3):
            f.seek((page - 1) * PAGE)
            f.write(b"\xff\xff\xff\xff")


def _truncate(path) -> None:
    with open(path, "r+b") as f:
        f.truncate(PAGE * 3 + 100)


@pytest.mark.parametrize("damage", [_corrupt_header, _corrupt_btree_page, _truncate])
def test_damaged_database_is_moved_aside_and_newest_good_backup_restored(db_path, damage):
    _make(db_path, ["Ada", "Bob"])
    damage(db_path)
    damaged_bytes = db_path.read_bytes()

    report = backups.check_and_open(db_path)

    assert report.status is StartupStatus.RESTORED and report.is_open
    assert _names() == ["Ada", "Bob"]
    assert backups.describe_date(report.backup.created) in report.message
    assert report.moved_to.read_bytes() == damaged_bytes, "the damaged file is kept, untouched"
    assert report.moved_to.parent == db_path.parent and "damaged" in report.moved_to.name
    with database.atomic():
        Lead.create(first_name="Cleo")  # and the rep carries on
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_damaged_newest_backup_falls_back_to_an_older_good_one(db_path):
    _make(db_path, ["Ada"])
    open_database(db_path)
    newest = backups.create_backup()
    close_database()
    _corrupt_header(newest.path)
    _corrupt_header(db_path)
    report = backups.check_and_open(db_path)
    assert report.status is StartupStatus.RESTORED
    assert report.backup.created < newest.created
    assert _names() == ["Ada"]


def test_damaged_without_backup_asks_and_keeps_the_file(db_path):
    _make(db_path, ["Ada"], backup=False)
    for path in db_path.parent.glob("leads.db.backups/*.db"):
        path.unlink()  # the first-open daily backup too
    _corrupt_header(db_path)
    before = db_path.read_bytes()
    report = backups.check_and_open(db_path)
    assert report.status is StartupStatus.DAMAGED_NO_BACKUP and not report.is_open
    assert db_path.read_bytes() == before

    fresh = backups.start_new(db_path)
    assert fresh.is_open and _names() == []
    assert fresh.moved_to.read_bytes() == before


def test_a_hot_wal_after_a_crash_is_not_mistaken_for_damage(db_path):
    _make(db_path, ["Ada"])
    open_database(db_path)
    with database.atomic():
        Lead.create(first_name="In the WAL only")
    # Leave the -wal behind as a crash would: copy the files while the connection is open.
    copies = {s: db_path.with_name(db_path.name + s).read_bytes() for s in ("", "-wal")}
    close_database()
    for suffix, data in copies.items():
        db_path.with_name(db_path.name + suffix).write_bytes(data)
    report = backups.check_and_open(db_path)
    assert report.status is StartupStatus.OPENED
    assert "In the WAL only" in _names()


def test_a_big_file_is_checked_after_opening_and_recovered_at_the_next_start(db_path, monkeypatch):
    monkeypatch.setattr(backups, "SYNC_CHECK_MAX_BYTES", 0)  # every file counts as big
    monkeypatch.setattr(backups, "BIG_FILE_START_DELAY_S", 0.0)
    _make(db_path, ["Ada"])
    _corrupt_btree_page(db_path)
    report = backups.check_and_open(db_path)
    assert report.status is StartupStatus.OPENED and report.check_pending, "opened at once, checked later"
    assert backups.check_and_back_up(check=report.check_pending) == backups.DAMAGE_FOUND
    close_database()

    report = backups.check_and_open(db_path)  # the next start checks first because of the mark
    assert report.status is StartupStatus.RESTORED and _names() == ["Ada"] and not report.check_pending
    close_database()
    assert backups.check_and_open(db_path).status is StartupStatus.OPENED
    assert not db_path.with_name("leads.db.check-needed").exists()


def test_damage_found_in_the_background_is_shown_on_the_gui_thread(qtbot, db_path, monkeypatch):
    from app.ui.files.backup_runner import BackupRunner

    monkeypatch.setattr(backups, "SYNC_CHECK_MAX_BYTES", 0)
    _make(db_path, ["Ada"])
    _corrupt_btree_page(db_path)
    assert backups.check_and_open(db_path).check_pending
    runner = BackupRunner()
    runner.start(check=True)
    qtbot.waitUntil(lambda: runner.box is not None and runner.box.isVisible())
    assert runner.box.text() == backups.DAMAGE_FOUND and not runner.is_running()
    runner.box.close()


def test_missing_database_that_existed_is_never_silently_replaced(db_path):
    _make(db_path, ["Ada"])
    db_path.unlink()
    report = backups.check_and_open(db_path)
    assert report.status is StartupStatus.MISSING and not report.is_open
    assert not db_path.exists(), "no empty file was created in its place"

    restored = backups.restore_latest(db_path)
    assert restored.status is StartupStatus.RESTORED and _names() == ["Ada"]


def test_missing_database_is_known_even_without_backups(db_path):
    open_database(db_path)
    close_database()
    backups.check_and_open(db_path)  # remembered as an existing database
    close_database()
    for path in db_path.parent.glob("leads.db.backups/*.db"):
        path.unlink()
    db_path.unlink()
    assert backups.check_and_open(db_path).status is StartupStatus.MISSING


def test_first_start_creates_the_database(db_path):
    report = backups.check_and_open(db_path)
    assert report.status is StartupStatus.OPENED and db_path.exists()


def test_newer_schema_is_refused_untouched_with_a_clear_message(db_path):
    _make(db_path, ["Ada"], backup=False)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    files = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()}
    report = backups.check_and_open(db_path)
    assert report.status is StartupStatus.TOO_NEW and not report.is_open
    assert "newer version of LeadDesk" in report.message
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()} == files


# --- the dialogs ---------------------------------------------------------------------------------

def _answer(*names: str) -> None:
    """Click the named button of each message box as it opens, in order."""
    pending, handled = list(names), []

    def click():
        box = QApplication.activeModalWidget()
        if box is not None and box not in handled:
            handled.append(box)
            box.findChild(QPushButton, pending.pop(0)).click()
        if pending:
            QTimer.singleShot(10, click)

    QTimer.singleShot(0, click)


def test_restored_prompt_names_the_date(qtbot, db_path):
    _make(db_path, ["Ada"])
    _corrupt_header(db_path)
    report = backups.check_and_open(db_path)
    box = recovery_prompts.startup_box(report)
    qtbot.addWidget(box)
    assert backups.describe_date(report.backup.created) in box.text()
    assert str(report.moved_to) in box.text()


def test_missing_prompt_offers_locate_restore_start_new(qtbot, db_path):
    _make(db_path, ["Ada"])
    db_path.unlink()
    report = backups.check_and_open(db_path)
    box = recovery_prompts.startup_box(report)
    qtbot.addWidget(box)
    for name in (recovery_prompts.LOCATE, recovery_prompts.RESTORE, recovery_prompts.START_NEW,
                 recovery_prompts.QUIT):
        assert box.findChild(QPushButton, name).isEnabled(), name
    assert box.defaultButton().objectName() == recovery_prompts.QUIT


def test_missing_then_restore_a_backup_opens_it(qtbot, db_path):
    _make(db_path, ["Ada"])
    db_path.unlink()
    report = backups.check_and_open(db_path)
    _answer(recovery_prompts.RESTORE, recovery_prompts.OK)  # the question, then "restored from <date>"
    final = recovery_prompts.resolve_startup(report)
    assert final.status is StartupStatus.RESTORED and _names() == ["Ada"]


def test_missing_then_start_new_opens_an_empty_database(qtbot, db_path):
    _make(db_path, ["Ada"])
    db_path.unlink()
    _answer(recovery_prompts.START_NEW)
    final = recovery_prompts.resolve_startup(backups.check_and_open(db_path))
    assert final.status is StartupStatus.OPENED and _names() == []


def test_too_new_prompt_only_lets_the_rep_quit(qtbot, db_path):
    _make(db_path, ["Ada"], backup=False)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    _answer(recovery_prompts.QUIT)
    final = recovery_prompts.resolve_startup(backups.check_and_open(db_path))
    assert final.status is StartupStatus.TOO_NEW and not final.is_open
