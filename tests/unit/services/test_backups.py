"""Backups: made with the backup API, verified, rotated, taken before migrations, restorable."""

import datetime as dt
import sqlite3

import pytest

from app.db import backup, connection
from app.db.connection import close_database, database, open_database
from app.db.models import Lead
from app.paths import data_dir, default_database_path
from app.services import backups
from tests.helpers.events import everything

UTC = dt.timezone.utc


def _names(path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT first_name FROM lead ORDER BY id")]
    finally:
        conn.close()


def _add(name: str) -> None:
    with database.atomic():
        Lead.create(first_name=name)


def test_backup_is_a_verified_self_contained_copy_of_committed_data(db, db_path):
    _add("Ada")
    info = backups.create_backup()
    assert info.reason == backup.MANUAL and info.size == info.path.stat().st_size
    assert info.path.parent == db_path.with_name("leads.db.backups")  # a --db file keeps them beside it
    assert _names(info.path) == ["Ada"]
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal needed to read it
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
    assert [b.path for b in backups.list_backups()] == [info.path]
    assert not list(info.path.parent.glob("*.partial"))


def test_default_database_keeps_backups_in_the_data_folder():
    open_database(default_database_path())
    try:
        assert backups.create_backup().path.parent == data_dir() / "backups"
    finally:
        close_database()


def test_daily_backup_only_when_changed_and_at_most_daily(db, db_path):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    first = backup.backup_if_due(db_path, start)
    assert first is not None and first.reason == backup.DAILY
    _add("Ada")
    assert backup.backup_if_due(db_path, start + dt.timedelta(hours=23)) is None, "at most daily"
    second = backup.backup_if_due(db_path, start + dt.timedelta(hours=25))
    assert second is not None and _names(second.path) == ["Ada"]
    assert backup.backup_if_due(db_path, start + dt.timedelta(days=3)) is None, "nothing changed"
    _add("Bob")
    assert backup.backup_if_due(db_path, start + dt.timedelta(days=4)) is not None


def test_the_start_up_work_takes_the_daily_backup(db_path):
    report = backups.check_and_open(db_path)
    try:
        assert report.is_open and not report.check_pending
        assert backups.check_and_back_up() is None
        assert [b.reason for b in backups.list_backups()] == [backup.DAILY]
    finally:
        close_database()


def test_rotation_keeps_7_daily_4_weekly_6_monthly(db, db_path):
    start = dt.datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    days = 400  # every 5th day for a year, then every day (fewer real backups, same coverage)
    for day in [*range(0, days - 10, 5), *range(days - 10, days)]:
        backup.create_backup(db_path, backup.DAILY, start + dt.timedelta(days=day))
    manual = backup.create_backup(db_path, backup.MANUAL, start + dt.timedelta(days=days - 10))
    kept = backups.list_backups()
    daily = sorted(b.created.date() for b in kept if b.reason == backup.DAILY)
    last = (start + dt.timedelta(days=days - 1)).date()
    assert manual.path in [b.path for b in kept], "a manual backup is kept for 30 days"
    recent = [last - dt.timedelta(days=d) for d in range(7)]
    assert set(recent) <= set(daily)
    weeks = {d.isocalendar()[:2] for d in daily}
    months = {(d.year, d.month) for d in daily}
    assert len(weeks) >= 4 and len(months) == 6
    assert len(daily) <= 7 + 4 + 6
    assert min(daily) >= last - dt.timedelta(days=7 * 31), "nothing older than the monthly window"


def test_migration_is_preceded_by_a_backup_of_the_old_file(db_path, monkeypatch):
    open_database(db_path)
    _add("Ada")
    close_database()
    old_version = connection.SCHEMA_VERSION
    extra = "CREATE TABLE extra (id INTEGER PRIMARY KEY);"
    monkeypatch.setattr(connection, "MIGRATIONS", [*connection.MIGRATIONS, extra])
    monkeypatch.setattr(connection, "SCHEMA_VERSION", len(connection.MIGRATIONS))
    open_database(db_path)
    try:
        [before] = backups.list_backups()
        assert before.reason == backup.BEFORE_MIGRATION
        conn = sqlite3.connect(before.path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == old_version
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
        conn.close()
        assert _names(before.path) == ["Ada"]
        assert database.execute_sql("PRAGMA user_version").fetchone()[0] == old_version + 1
    finally:
        close_database()


def test_up_to_date_or_new_files_are_not_backed_up_on_open(db_path):
    open_database(db_path)  # new
    close_database()
    open_database(db_path)  # current
    close_database()
    assert backups.list_backups(db_path) == []


def test_restore_brings_back_the_backup_and_keeps_the_state_before(db, db_path):
    _add("Ada")
    chosen = backups.create_backup()
    _add("Bob")
    reader = connection.open_reader(db_path)  # a background reader stays open through the restore
    before = backups.restore_backup(chosen)
    assert [lead.first_name for lead in Lead.select()] == ["Ada"]
    assert [r[0] for r in reader.execute("SELECT first_name FROM lead")] == ["Ada"]
    reader.close()
    assert before.reason == backup.BEFORE_RESTORE and _names(before.path) == ["Ada", "Bob"]
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    _add("Cleo")  # and saving carries on
    assert Lead.select().count() == 2


def test_a_damaged_backup_is_refused_and_nothing_changes(db, db_path):
    _add("Ada")
    chosen = backups.create_backup()
    with open(chosen.path, "r+b") as f:
        f.write(b"garbage!" * 20)
    with pytest.raises(ValueError, match="damaged"):
        backups.restore_backup(chosen)
    assert [lead.first_name for lead in Lead.select()] == ["Ada"]


# --- File → Backups ------------------------------------------------------------------------------

def _dialog(qtbot, events=None):
    from app.ui.files.backups_dialog import BackupsDialog

    dialog = BackupsDialog(events)
    qtbot.addWidget(dialog)
    return dialog


def test_backups_dialog_lists_dates_kinds_and_sizes_and_backs_up_now(qtbot, qtmodeltester, db):
    from PySide6.QtWidgets import QLabel, QPushButton, QTableWidget

    dialog = _dialog(qtbot)
    table = dialog.findChild(QTableWidget, "backupsTable")
    restore = dialog.findChild(QPushButton, "restoreButton")
    assert table.rowCount() == 0 and not restore.isEnabled()
    assert not dialog.findChild(QLabel, "backupsEmpty").isHidden()

    _add("Ada")
    dialog.findChild(QPushButton, "backupNowButton").click()
    [info] = backups.list_backups()
    assert table.rowCount() == 1 and restore.isEnabled()
    assert table.item(0, 0).text() == backups.describe_date(info.created)
    assert table.item(0, 1).text() == "Made by you"
    assert table.item(0, 2).text().lower().endswith("kb")
    qtmodeltester.check(table.model())


def test_backups_dialog_restore_backs_up_first_and_tells_every_screen(qtbot, db, monkeypatch):
    from PySide6.QtWidgets import QMessageBox, QPushButton, QTableWidget

    from app.qtmodels.events import DataEvents

    _add("Ada")
    chosen = backups.create_backup()
    _add("Bob")
    events = DataEvents()
    dialog = _dialog(qtbot, events)
    table = dialog.findChild(QTableWidget, "backupsTable")
    row = [b.path for b in backups.list_backups()].index(chosen.path)
    table.selectRow(row)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    with qtbot.waitSignals([dialog.restored, events.changed], check_params_cbs=[None, everything]):
        dialog.findChild(QPushButton, "restoreButton").click()
    assert backups.describe_date(chosen.created) in asked[0]
    assert [lead.first_name for lead in Lead.select()] == ["Ada"]
    kinds = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert "Before a restore" in kinds


def test_backups_dialog_cancelled_restore_changes_nothing(qtbot, db, monkeypatch):
    from PySide6.QtWidgets import QMessageBox, QPushButton

    _add("Ada")
    backups.create_backup()
    _add("Bob")
    dialog = _dialog(qtbot)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dialog.findChild(QPushButton, "restoreButton").click()
    assert Lead.select().count() == 2
    assert len(backups.list_backups()) == 1
