"""Start-up checks of the database file: damaged files are moved aside and replaced by a backup.

Nothing here deletes a database: a damaged file (with its -wal/-shm) is renamed
``<name>.damaged-<UTC time>`` next to where it was, so it can still be inspected or rescued.
"""

import datetime as dt
import os
import sqlite3
from pathlib import Path

from app.db.backup import BackupInfo, copy_database, is_healthy, list_backups

_SIDE_FILES = ("-wal", "-shm")


def check(path: str | os.PathLike) -> str | None:
    """None when ``path`` passes ``PRAGMA quick_check``, else a short description of the damage.

    Opened read-only so a damaged file is not touched; a hot WAL left by a crash is still read.
    Errors that are not damage (permissions, a missing folder) are raised, not reported as damage.
    """
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        if _is_damage(exc):
            return str(exc)
        raise
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            return str(exc)
        raise
    finally:
        conn.close()
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _suspect_marker(path: str | os.PathLike) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".check-needed")


def mark_suspect(path: str | os.PathLike) -> None:
    """Remember that a check found damage (in the background), so the next start checks first."""
    os.close(os.open(_suspect_marker(path), os.O_CREAT | os.O_WRONLY, 0o600))


def is_suspect(path: str | os.PathLike) -> bool:
    return _suspect_marker(path).exists()


def clear_suspect(path: str | os.PathLike) -> None:
    _suspect_marker(path).unlink(missing_ok=True)


def _is_damage(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(exc)


def move_aside(path: str | os.PathLike, now: dt.datetime | None = None) -> Path:
    """Rename the database and its -wal/-shm out of the way; returns the new database name."""
    path = Path(path)
    now = now or dt.datetime.now(dt.timezone.utc)
    target = path.with_name(f"{path.name}.damaged-{now.strftime('%Y%m%dT%H%M%SZ')}")
    n = 1
    while target.exists():
        n += 1
        target = target.with_name(f"{path.name}.damaged-{now.strftime('%Y%m%dT%H%M%SZ')}-{n}")
    for suffix in _SIDE_FILES:  # the -wal belongs with its file; a stray one must not meet a new file
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, f"{target}{suffix}")
    os.replace(path, target)
    clear_suspect(path)
    return target


def newest_good_backup(db_path: str | os.PathLike) -> BackupInfo | None:
    """The newest backup that passes ``quick_check`` (older ones are tried when newer are damaged)."""
    for backup in list_backups(db_path):
        if is_healthy(backup.path):
            return backup
    return None


def restore_into_missing(backup: BackupInfo, db_path: str | os.PathLike) -> None:
    """Write ``backup`` to ``db_path``, which must not exist (moved aside or lost)."""
    db_path = Path(db_path)
    if db_path.exists():
        raise FileExistsError(db_path)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for suffix in _SIDE_FILES:  # a lost file's -wal must not meet the new file; keep it, renamed
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            os.replace(side, f"{db_path}.orphaned-{stamp}{suffix}")
    partial = db_path.with_name(db_path.name + ".restoring")
    partial.unlink(missing_ok=True)
    copy_database(backup.path, partial)
    os.replace(partial, db_path)
