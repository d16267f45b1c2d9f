"""Backups of the lead database through SQLite's online backup API, verified and rotated.

Where: the default database (in the user data folder) keeps its backups in ``data_dir()/backups``;
a database opened with ``--db PATH`` keeps them next to it in ``PATH.backups/`` so two databases
never mix their backups. Folders are 0700, files 0600.

A backup is written to a ``.partial`` file, switched to a self-contained rollback journal, checked
with ``PRAGMA quick_check`` and only then renamed into place; older backups are pruned only after
that. What a backup killed mid-copy leaves behind is removed at the next start (``remove_leftovers``)
and before every backup. Rotation keeps the newest daily backup of each of the last 7 days, 4 weeks and 6 months that
have one; manual backups and safety backups (before a migration or a restore) are kept 30 days.
"""

import datetime as dt
import json
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from app.paths import data_dir, default_database_path

DAILY = "daily"
MANUAL = "manual"
BEFORE_MIGRATION = "before-migration"
BEFORE_RESTORE = "before-restore"
REASONS = (DAILY, MANUAL, BEFORE_MIGRATION, BEFORE_RESTORE)

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 6
KEEP_SAFETY = dt.timedelta(days=30)
BACKUP_INTERVAL = dt.timedelta(days=1)

_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^leaddesk-(\d{8}T\d{12}Z)-([a-z-]+)\.db$")
_STATE = "state.json"
_one_at_a_time = threading.Lock()


@dataclass(frozen=True)
class BackupInfo:
    """One verified backup file."""

    path: Path
    created: dt.datetime  # UTC
    reason: str
    size: int


def backup_dir(db_path: str | os.PathLike) -> Path:
    """The owner-only folder holding the backups of ``db_path`` (created on first use)."""
    db_path = Path(db_path).resolve()
    if db_path == default_database_path().resolve():
        folder = data_dir() / "backups"
    else:
        folder = db_path.with_name(db_path.name + ".backups")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def list_backups(db_path: str | os.PathLike) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first."""
    found = []
    for path in backup_dir(db_path).iterdir():
        match = _NAME.match(path.name)
        if match:
            created = dt.datetime.strptime(match[1], _STAMP).replace(tzinfo=dt.timezone.utc)
            found.append(BackupInfo(path, created, match[2], path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def is_healthy(path: str | os.PathLike) -> bool:
    """True when ``path`` opens as an SQLite database and passes ``PRAGMA quick_check``."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def copy_database(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """Copy ``source`` into ``target`` with the backup API (one consistent read snapshot).

    ``target`` is created owner-only if missing. Copying into a database that other connections
    have open is safe: SQLite writes it as one transaction they all see.
    """
    target = Path(target)
    if not target.exists():
        fd = os.open(target, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: the whole file in one step, hence one snapshot
    finally:
        dst.close()
        src.close()


def fingerprint(db_path: str | os.PathLike) -> str:
    """Changes whenever a transaction is committed: it lands in the -wal, or in the file at a checkpoint.

    (``PRAGMA data_version`` only works within one connection; the header change counter is not
    updated in WAL mode.) A checkpoint with no new data can change it too: that costs at most one
    extra backup, never a missed one.
    """
    parts = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(f"{db_path}{suffix}")
        except FileNotFoundError:
            continue
        parts.append(f"{st.st_mtime_ns}:{st.st_size}")
    return "/".join(parts)


def create_backup(db_path: str | os.PathLike, reason: str, now: dt.datetime | None = None) -> BackupInfo:
    """Back up ``db_path`` now, verify the copy, then prune old backups. Raises on failure."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    with _one_at_a_time:  # the worker's daily backup and a manual one must not share the folder's partials
        return _create_backup(db_path, reason, now or dt.datetime.now(dt.timezone.utc))


def remove_leftovers(db_path: str | os.PathLike) -> list[Path]:
    """Delete what a backup cut short (the app killed or crashed mid-copy) left in the folder.

    That is the unfinished ``.partial`` copy, as large as the database, and the files SQLite keeps
    beside it (``.partial-journal``, ``-wal``, ``-shm``). Verified backups are never touched. Takes
    the backup lock, so it never removes the partial of a backup this process is writing.
    """
    with _one_at_a_time:
        return _remove_leftovers(backup_dir(db_path))


def _remove_leftovers(folder: Path) -> list[Path]:
    removed = []
    for path in folder.iterdir():
        if path.name.endswith(".partial") or ".partial-" in path.name:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _create_backup(db_path: str | os.PathLike, reason: str, now: dt.datetime) -> BackupInfo:
    folder = backup_dir(db_path)
    final = folder / f"leaddesk-{now.strftime(_STAMP)}-{reason}.db"
    partial = final.with_name(final.name + ".partial")
    _remove_leftovers(folder)
    before = fingerprint(db_path)  # taken first: a write during the copy means "changed" next time
    try:
        copy_database(db_path, partial)
        conn = sqlite3.connect(partial)
        try:
            conn.execute("PRAGMA journal_mode = delete")  # one self-contained file
        finally:
            conn.close()
        if not is_healthy(partial):
            raise sqlite3.DatabaseError("the new backup failed its integrity check")
        os.chmod(partial, 0o600)
        _fsync(partial)
        os.replace(partial, final)
        _fsync(folder)
    finally:
        partial.unlink(missing_ok=True)
    _write_state(folder, {"fingerprint": before})
    prune(db_path, now)
    return BackupInfo(final, now, reason, final.stat().st_size)


def backup_if_due(db_path: str | os.PathLike, now: dt.datetime | None = None) -> BackupInfo | None:
    """A daily backup when the database changed since the last one and that one is a day old."""
    now = now or dt.datetime.now(dt.timezone.utc)
    backups = list_backups(db_path)
    if backups and now - backups[0].created < BACKUP_INTERVAL:
        return None
    if backups and _read_state(backup_dir(db_path)).get("fingerprint") == fingerprint(db_path):
        return None
    return create_backup(db_path, DAILY, now)


def prune(db_path: str | os.PathLike, now: dt.datetime) -> list[Path]:
    """Delete the backups rotation no longer keeps; returns what was deleted."""
    backups = list_backups(db_path)
    # Backups the rep asked for or that guard a risky step are kept 30 days; only the daily
    # ones rotate, so a restore or a manual backup never pushes a day's copy out.
    keep = {b.path for b in backups if b.reason != DAILY and now - b.created < KEEP_SAFETY}
    daily = [b for b in backups if b.reason == DAILY]
    keep.update(b.path for b in backups[:1])
    periods = (
        (lambda d: d.date(), KEEP_DAILY),
        (lambda d: d.isocalendar()[:2], KEEP_WEEKLY),
        (lambda d: (d.year, d.month), KEEP_MONTHLY),
    )
    for period_of, count in periods:
        seen = set()
        for backup in daily:  # newest first: the first one seen is the newest of its period
            period = period_of(backup.created)
            if period not in seen and len(seen) < count:
                seen.add(period)
                keep.add(backup.path)
    deleted = [b.path for b in backups if b.path not in keep]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_state(folder: Path) -> dict:
    try:
        return json.loads((folder / _STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(folder: Path, state: dict) -> None:
    tmp = folder / (_STATE + ".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(state, f)
    os.replace(tmp, folder / _STATE)
