"""Backups and the start-up check, for the UI (which never imports app.db).

``check_and_open(path)`` is the one call the app makes at start instead of ``storage.open``: it
checks the file, restores a damaged one from the newest good backup, refuses a newer LeadDesk's
file and a missing one that used to exist, then opens the database. The returned ``StartupReport``
says what happened (``app/ui/shell/recovery_prompts.py`` shows it) and whether the file still needs
its integrity check; the screens then run ``check_and_back_up`` off the GUI thread (``run_task``):
the removal of what an unfinished backup left behind, the daily backup and, for a big file, the check.
"""

import datetime as dt
import enum
import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.db import backup, recovery
from app.db.backup import BackupInfo
from app.db.connection import (
    SchemaTooNewError,
    close_database,
    database,
    open_database,
    refuse_newer_header,
)
from app.paths import data_dir

log = logging.getLogger(__name__)
_KNOWN = "known_databases.json"

# About 0.1 s of quick_check: smaller files are checked before they open, bigger ones just after.
SYNC_CHECK_MAX_BYTES = 16 * 1024 * 1024
# A big file's background check and backup read the whole file (seconds of disk and CPU at 1M
# leads); starting them a little after launch keeps that work out of the window's first moments.
BIG_FILE_START_DELAY_S = 10.0

DAMAGE_FOUND = (
    "LeadDesk found damage in your database file. Quit LeadDesk and start it again: it will restore "
    "your latest good backup and keep the damaged file next to it."
)


class StartupStatus(enum.Enum):
    """What the start-up check found."""

    OPENED = "opened"  # all well, the database is open
    RESTORED = "restored"  # it was damaged; moved aside, a backup restored and opened
    MISSING = "missing"  # a database that used to exist is gone: ask the rep, nothing opened
    DAMAGED_NO_BACKUP = "damaged-no-backup"  # damaged and no good backup: ask, nothing opened
    TOO_NEW = "too-new"  # written by a newer LeadDesk: refused, left untouched


@dataclass(frozen=True)
class StartupReport:
    """The outcome of ``check_and_open``; ``message`` is ready to show to the rep."""

    status: StartupStatus
    path: Path
    message: str = ""
    backup: BackupInfo | None = None  # the backup that was restored
    moved_to: Path | None = None  # where the damaged file now is
    check_pending: bool = False  # a big file opened unchecked: ``check_and_back_up(check=True)`` checks it

    @property
    def is_open(self) -> bool:
        return self.status in (StartupStatus.OPENED, StartupStatus.RESTORED)


def check_and_open(path: str | os.PathLike) -> StartupReport:
    """Check ``path`` and open it, recovering what can be recovered without asking.

    ``quick_check`` reads the whole file (about 0.9 s per 100,000 leads), so only files up to
    ``SYNC_CHECK_MAX_BYTES`` (or one a previous check found damaged) are checked before opening;
    bigger ones open at once with ``check_pending`` set, for ``check_and_back_up`` to check later.
    """
    path = Path(path)
    if not path.exists():
        if _was_known(path) or backup.list_backups(path):
            return StartupReport(
                StartupStatus.MISSING, path,
                f"The LeadDesk database file is missing:\n{path}\n\n"
                "It may have been moved, renamed or deleted. Locate it, restore a backup, "
                "or start with an empty database.",
            )
        return _open(path)
    try:
        refuse_newer_header(path)
        if path.stat().st_size > SYNC_CHECK_MAX_BYTES and not recovery.is_suspect(path):
            return _open(path, check_pending=True)
        if recovery.check(path) is None:
            recovery.clear_suspect(path)
            return _open(path)
    except SchemaTooNewError as exc:
        close_database()
        return StartupReport(StartupStatus.TOO_NEW, path, f"{exc}\n\nThe file was left untouched. "
                             "Please install the newer LeadDesk to open it.")
    good = recovery.newest_good_backup(path)
    if good is None:
        return StartupReport(
            StartupStatus.DAMAGED_NO_BACKUP, path,
            f"The LeadDesk database is damaged and there is no backup to restore:\n{path}\n\n"
            "You can start with an empty database; the damaged file will be kept next to it.",
        )
    moved = recovery.move_aside(path)
    recovery.restore_into_missing(good, path)
    _open(path)
    return StartupReport(
        StartupStatus.RESTORED, path,
        f"The LeadDesk database was damaged, so it was restored from the backup of "
        f"{describe_date(good.created)}. Changes made after that are not in it.\n\n"
        f"The damaged file was kept as:\n{moved}",
        backup=good, moved_to=moved,
    )


def start_new(path: str | os.PathLike) -> StartupReport:
    """Start with an empty database at ``path`` (a damaged file there is moved aside first)."""
    path = Path(path)
    moved = recovery.move_aside(path) if path.exists() else None
    _open(path)
    return StartupReport(StartupStatus.OPENED, path, moved_to=moved)


def restore_latest(path: str | os.PathLike) -> StartupReport:
    """For a missing database: restore its newest good backup and open it."""
    path = Path(path)
    good = recovery.newest_good_backup(path)
    if good is None:
        return StartupReport(StartupStatus.MISSING, path, "There is no usable backup of this database.")
    recovery.restore_into_missing(good, path)
    _open(path)
    return StartupReport(
        StartupStatus.RESTORED, path,
        f"The database was restored from the backup of {describe_date(good.created)}.", backup=good,
    )


def current_path() -> Path:
    """The open database file."""
    return Path(database.database)


def list_backups(path: str | os.PathLike | None = None) -> list[BackupInfo]:
    """Backups of ``path`` (default: the open database), newest first."""
    return backup.list_backups(path or current_path())


def create_backup(reason: str = backup.MANUAL) -> BackupInfo:
    """Back up the open database now."""
    return backup.create_backup(current_path(), reason)


def check_and_back_up(path: str | os.PathLike | None = None, check: bool = False) -> str | None:
    """Remove what an unfinished backup left behind, check the file (``check``), take the daily backup if due.

    Returns ``DAMAGE_FOUND`` if the check found damage (the file is marked, so the next start
    recovers it; no backup is taken of a damaged file), else None. Slow on a big database (about
    2 s per 100,000 leads to copy and verify), so the screens run it off the GUI thread; the backup
    API reads one snapshot through its own connection, so the rep keeps editing meanwhile. Cheap
    when not due (a directory listing and two ``stat`` calls): fine for an hourly timer. If the app
    quits mid-copy, the unfinished ``.partial`` files are removed by the next call.
    """
    path = Path(path or current_path())
    try:
        # A backup cut short by a kill or crash left a copy as large as the database behind.
        removed = backup.remove_leftovers(path)
        if removed:
            log.info("removed %d file(s) left by an unfinished backup", len(removed))
        if check and recovery.check(path) is not None:
            recovery.mark_suspect(path)
            log.error("database check found damage")
            return DAMAGE_FOUND
        backup.backup_if_due(path)
    except (OSError, sqlite3.Error) as exc:
        # A failed daily backup must not disturb the rep; the next start or timer retries.
        log.warning("background check or backup failed: %s", type(exc).__name__)
    return None


def restore_backup(chosen: BackupInfo) -> BackupInfo:
    """Replace the open database's content with ``chosen``; returns the backup of the state before.

    The database stays at the same path and is reopened (and migrated if the backup is older).
    Every screen must reload afterwards (the UI broadcasts a change of everything).
    """
    path = current_path()
    if not backup.is_healthy(chosen.path):
        raise ValueError("That backup is damaged and cannot be restored. Choose another one.")
    before = backup.create_backup(path, backup.BEFORE_RESTORE)
    close_database()
    try:
        backup.copy_database(chosen.path, path)
    finally:
        open_database(path)
    return before


def describe_date(when: dt.datetime) -> str:
    """A backup's time in the rep's local time zone, e.g. "Tuesday 24 November 2026, 18:05"."""
    return when.astimezone().strftime("%A %d %B %Y, %H:%M")


def _open(path: Path, check_pending: bool = False) -> StartupReport:
    open_database(path)
    _remember(path)
    return StartupReport(StartupStatus.OPENED, path, check_pending=check_pending)


def _known_file() -> Path:
    return data_dir() / _KNOWN


def _known() -> list[str]:
    try:
        data = json.loads(_known_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [p for p in data if isinstance(p, str)] if isinstance(data, list) else []


def _was_known(path: Path) -> bool:
    return str(path.resolve()) in _known()


def _remember(path: Path) -> None:
    # The marker that a database existed here: a later start that cannot find it must ask.
    known = _known()
    key = str(path.resolve())
    if key in known:
        return
    tmp = _known_file().with_suffix(".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(known + [key], f)
    os.replace(tmp, _known_file())
