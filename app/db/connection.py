"""Opening the lead database: file permissions, pragmas, migrations, reader connections.

There is one writer connection per process (the Peewee ``database`` below, used from the GUI
thread and the command line) and any number of read-only connections for background queries.
"""

import os
import sqlite3
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import peewee

from app.db.schema import MIGRATIONS, SCHEMA_VERSION

# Every acknowledged edit must survive a power cut (synchronous=FULL); WAL lets background
# readers run while the GUI writes; secure_delete overwrites deleted content.
PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "secure_delete": 1,
    "busy_timeout": 5000,
    # The GUI's connection writes one lead at a time; a small cache keeps a long session's memory
    # flat (the OS caches the file anyway). An import raises it for its run.
    "cache_size": -8000,
    "temp_store": "memory",
}

# lock_type IMMEDIATE: a deferred read-then-write transaction fails at once with "database is
# locked" instead of waiting for the busy timeout.
database = peewee.SqliteDatabase(None, lock_type="IMMEDIATE")


# Undo snapshots (app/services/undo.py) live in a file of their own, attached as ``undo`` to each
# connection that applies or restores an operation: a bulk action applied on a worker thread's
# connection is undone from the GUI thread's, and TEMP tables are private to one connection. It
# holds nothing to keep (the undo history ends with the session): emptied at every open and at quit.
UNDO_SCHEMA = "undo"


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer LeadDesk; it is left untouched."""


def _create_owner_only(path: Path) -> None:
    # SQLite creates files 0644; create it 0600 first so the -wal/-shm files follow suit.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def open_database(path: str | os.PathLike) -> peewee.SqliteDatabase:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    An existing file with pending migrations is backed up first (``backup.BEFORE_MIGRATION``).
    """
    path = Path(path)
    if database.is_closed() is False:
        database.close()
    if path.exists():
        if _older_schema(path):
            from app.db import (
                backup,  # late: backup imports app.paths, not needed on the hot path
            )

            backup.create_backup(path, backup.BEFORE_MIGRATION)
    else:
        _create_owner_only(path)
    remove_undo_store(path)
    database.init(str(path), pragmas=PRAGMAS, timeout=5)
    database.connect()
    check_settings(database.connection())
    migrate(database.connection())
    return database


def upgrade_pending(path: str | os.PathLike) -> bool:
    """Whether opening ``path`` would migrate it: an existing LeadDesk file of an older schema.

    False for a missing or empty file, and for a newer LeadDesk's (``open_database`` refuses that one).
    """
    path = Path(path)
    try:
        return path.exists() and _older_schema(path)
    except (SchemaTooNewError, sqlite3.DatabaseError):
        return False


def _older_schema(path: Path) -> bool:
    """An existing file with tables and pending migrations; raises SchemaTooNewError for a newer one."""
    return _schema_version(path) < SCHEMA_VERSION and _has_tables(path)


def close_database() -> None:
    if not database.is_closed():
        database.close()


def undo_store_path(path: str | os.PathLike | None = None) -> Path:
    """The undo snapshot file of the database at ``path`` (default: the open one)."""
    return Path(f"{path if path is not None else database.database}-undo")


def remove_undo_store(path: str | os.PathLike | None = None) -> None:
    """Delete the undo snapshot file (a previous session's, or this one's at quit)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{undo_store_path(path)}{suffix}").unlink(missing_ok=True)


def attach_undo_store() -> None:
    """Attach the undo snapshot file to the calling thread's connection, unless it already is.

    Call outside a transaction (SQLite cannot attach inside one).
    """
    conn = database.connection()
    if any(row[1] == UNDO_SCHEMA for row in conn.execute("PRAGMA database_list")):
        return
    store = undo_store_path()
    if not store.exists():
        _create_owner_only(store)
    conn.execute(f"ATTACH DATABASE ? AS {UNDO_SCHEMA}", (str(store),))
    # No fsync (a crash ends the undo history anyway); WAL, so the GUI reads it while a worker
    # writes; secure_delete, so a lead deleted for good leaves no trace in old snapshots either.
    for pragma in ("journal_mode = wal", "synchronous = off", "secure_delete = 1"):
        conn.execute(f"PRAGMA {UNDO_SCHEMA}.{pragma}")


def check_settings(conn: sqlite3.Connection) -> None:
    """Refuse to run without the durability settings (WAL fails on some network drives)."""
    pragma = lambda name: conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    problems = []
    if pragma("journal_mode") != "wal":
        problems.append("write-ahead logging is unavailable on this drive")
    if pragma("synchronous") != 2 or pragma("foreign_keys") != 1 or pragma("secure_delete") != 1:
        problems.append("SQLite refused the safety settings")
    if problems:
        raise RuntimeError("LeadDesk cannot use this database safely: " + "; ".join(problems) + ".")


def _schema_version(path: Path) -> int:
    """The file's schema version; raises SchemaTooNewError for a newer LeadDesk's file.

    Read through a read-only connection before any pragma runs: even journal_mode=wal rewrites
    the file header, and a newer LeadDesk's file must be left untouched.
    """
    refuse_newer_header(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    _refuse_newer(version)
    return version


def refuse_newer_header(path: str | os.PathLike) -> None:
    """Raise SchemaTooNewError if the file header says a newer LeadDesk wrote it.

    Reads the header bytes only (user_version is at offset 60): even a read-only SQLite
    connection adds -wal/-shm files next to a WAL database, and this file must stay untouched.
    """
    with open(path, "rb") as f:
        header = f.read(100)
    if len(header) == 100 and header.startswith(b"SQLite format 3\0"):
        _refuse_newer(int.from_bytes(header[60:64], "big"))


def _refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"This database was written by a newer version of LeadDesk "
            f"(schema {version}, this version understands up to {SCHEMA_VERSION})."
        )


def _has_tables(path: Path) -> bool:
    # An empty file (just created, or the 0600 placeholder) has nothing worth backing up.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    finally:
        conn.close()


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the pending migrations in one transaction."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for sql in MIGRATIONS[version:]:
            for statement in _split_sql(sql):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _split_sql(script: str) -> list[str]:
    # executescript() would commit our transaction, so run statements one by one; a trigger
    # body holds semicolons, hence sqlite3.complete_statement.
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def open_reader(path: str | os.PathLike) -> sqlite3.Connection:
    """A read-only connection for a background thread (WAL lets it read while the GUI writes)."""
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA busy_timeout = 5000")
    # Several readers live at once (list queries, row pages, campaign metrics); a small page cache
    # each keeps memory down (the OS caches the file anyway): 147 -> 114 MB at 100k, no slowdown.
    conn.execute("PRAGMA cache_size = -4000")
    conn.execute("PRAGMA temp_store = memory")
    return conn


# SQLite virtual-machine steps between two looks at ``cancelled()`` inside a statement.
CANCEL_CHECK_STEPS = 20_000


@contextmanager
def cancellable(cancelled: Callable[[], bool] | None, error: Exception):
    """While inside, ``cancelled()`` can stop a long statement of this thread's connection too.

    One statement can run for seconds (an import's search-index fill at 1M leads, a bulk change), so
    SQLite asks ``cancelled()`` every CANCEL_CHECK_STEPS steps and stops the statement when it says
    yes. Enter it outside the transaction: once that has rolled back, SQLite's "interrupted" (through
    sqlite3 or Peewee's wrapper of it) leaves as ``error``. A COMMIT or a ROLLBACK, a few steps, is
    never stopped.
    """
    if cancelled is None:
        yield
        return
    conn = database.connection()
    conn.set_progress_handler(cancelled, CANCEL_CHECK_STEPS)
    try:
        yield
    except Exception as exc:
        if cancelled() and interrupted(exc):
            raise error from None  # a cancel, not a failure: the rep is told so, not that saving failed
        raise
    finally:
        conn.set_progress_handler(None, 0)


def interrupted(exc: BaseException) -> bool:
    """True when SQLite stopped a statement (``Connection.interrupt`` or a progress handler that said stop), seen
    through what followed too: an interrupted write rolls the whole transaction back at once, so the ROLLBACK
    after it fails with "no transaction is active"."""
    return any(str(item) == "interrupted" for item in error_chain(exc))


def error_chain(exc: BaseException):
    """``exc`` and what led to it, as a traceback shows them (``raise ... from None`` ends the chain): a
    SQLite error reaches callers wrapped by Peewee, or behind the error of the ROLLBACK that followed it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)


def optimize_search_index() -> None:
    """Merge the FTS5 index into one segment, dropping deleted leads' tokens for good.

    SQLite 3.40's FTS5 records a deletion as a marker in a newer segment; the old segment keeps
    the text until a merge rewrites it (secure-delete for FTS5 only arrived in 3.42). Call inside
    the deleting transaction. Cost grows with the whole index: measured ~3 s at 100,000 leads and
    ~48 s at a million (a loaded 2-core VM). Incremental 'merge' steps were tried and were ~25x
    slower in total, with multi-second stalls for concurrent writers, so it is one 'optimize'.
    """
    database.execute_sql("INSERT INTO lead_fts(lead_fts) VALUES ('optimize')")


def checkpoint_truncate() -> bool:
    """Copy the WAL into the file and empty it, so deleted rows' old page images are gone.

    Returns False when a reader kept part of the WAL in use; the next checkpoint finishes the job.
    """
    busy, _, _ = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0
