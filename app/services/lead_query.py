"""Read-side queries for the lead list: matching ids in display order and row text by id.

The list's background thread owns its own read-only connection (``open_query_connection``);
the GUI thread reads row pages through another one. Both see every committed edit (WAL).
"""

import array
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.db import search
from app.db.connection import open_reader
from app.services.lead_filter import LeadFilter


@dataclass(frozen=True)
class LeadRow:
    """What one line of the lead list shows."""

    id: int
    first_name: str
    last_name: str
    job_title: str
    company_name: str
    email: str
    email_status: str
    vip: bool
    review_state: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def open_query_connection(db_path: Path) -> sqlite3.Connection:
    return open_reader(db_path)


def matching_ids(conn: sqlite3.Connection, flt: LeadFilter) -> array.array:
    return search.lead_ids(conn, flt)


def first_ids(conn: sqlite3.Connection, flt: LeadFilter, limit: int, budget_s: float) -> array.array | None:
    """The first ``limit`` matching ids in display order, or None if not found within ``budget_s``."""
    return search.first_page(conn, flt, limit, budget_s)


def count_matching(conn: sqlite3.Connection, flt: LeadFilter) -> int | None:
    """The number of matches when the result may be long, else None (its ids cost about as much)."""
    return None if search.is_small(conn, flt) else search.count_ids(conn, flt)


def count_leads(conn: sqlite3.Connection) -> int:
    return search.count_live_leads(conn)


def fetch_rows(conn: sqlite3.Connection, ids) -> dict[int, LeadRow]:
    rows = search.fetch_rows(conn, ids)
    return {lead_id: LeadRow(*row[:7], bool(row[7]), row[8]) for lead_id, row in rows.items()}


def is_interrupted(exc: Exception) -> bool:
    """True when a query stopped because a newer one superseded it (Connection.interrupt)."""
    return isinstance(exc, sqlite3.OperationalError) and "interrupt" in str(exc)
