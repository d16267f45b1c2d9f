"""Opening and closing the lead database for the app (the UI never imports app.db directly)."""

from dataclasses import dataclass
from pathlib import Path

from app.db import connection
from app.db.connection import close_database, database, open_database, remove_undo_store
from app.db.counts import live_leads
from app.db.search import lead_ids
from app.services.lead_filter import LeadFilter


def open(path: Path) -> None:  # noqa: A001 - reads as storage.open(path)
    open_database(path)


def upgrade_pending(path: Path) -> bool:
    """Whether opening ``path`` first migrates it to this version's schema (one long step on a big file)."""
    return connection.upgrade_pending(path)


def close() -> None:
    """Close the calling thread's connection (Peewee keeps one per thread; a worker closes its own)."""
    close_database()


def close_at_quit() -> None:
    """Close the database when the app quits; the undo snapshots go with the session."""
    close_database()
    if database.database:
        remove_undo_store()


@dataclass(frozen=True)
class DatabaseStats:
    """What Help → About shows about the open database."""

    path: Path
    size_bytes: int  # the file plus its -wal journal: what the database takes on disk
    lead_count: int  # live leads (not in Trash)


def database_stats() -> DatabaseStats:
    path = Path(database.database)
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return DatabaseStats(path, size, live_leads(database.connection()))


def search_count(text: str) -> int:
    """How many live leads the list's free-text search finds for ``text``."""
    return len(lead_ids(database.connection(), LeadFilter(text=text)))


def fts5_available() -> bool:
    """Whether this SQLite build has FTS5 (the search index needs it; a bundle must carry it)."""
    options = {row[0] for row in database.connection().execute("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options
