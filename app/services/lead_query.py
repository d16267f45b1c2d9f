"""Read-side queries for the lead list: matching ids in display order and row text by id.

The list's background thread owns its own read-only connection (``open_query_connection``);
the GUI thread reads row pages through another one. Both see every committed edit (WAL).
"""

import array
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.db import counts, search
from app.db.connection import interrupted, open_reader
from app.services.lead_filter import LeadFilter

# A search first fetches this many ids (a screenful and then some) if it can within the budget, so
# the list repaints at once; its count and then the full result follow, and the rest is appended.
# The budget covers a campaign that holds the later half of a term's matches (at 1M: ~30 ms to walk
# past the others under load); a sparser walk gives up and the full query runs at once.
FIRST_PAGE = 200
FIRST_PAGE_BUDGET_S = 0.05
# The columns of a LeadRow; the list's page cache reads them for a screenful of ids at a time.
_ROW_COLUMNS = ("id", "first_name", "last_name", "job_title", "company_name", "email",
                "email_verification_result", "vip", "review_state")


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


def open_second_reader(db_path: Path) -> search.SecondReader:
    return search.SecondReader(db_path)


def answer(conn: sqlite3.Connection, flt: LeadFilter, first_page: Callable[[array.array], None],
           counted: Callable[[int], None], second: search.SecondReader | None = None) -> array.array:
    """The ids matching ``flt`` in display order, in the list's steps, so it settles before they are all read.

    A first page of FIRST_PAGE ids, if found within FIRST_PAGE_BUDGET_S: when that is the whole result,
    it is the answer. Else ``first_page(ids)`` is called, then ``counted(matches)`` when counting costs
    less than the ids (not for a small set in id order), and the whole result is read. With ``second``, a big
    result is counted and read on two cores.
    """
    first = search.first_page(conn, flt, FIRST_PAGE, FIRST_PAGE_BUDGET_S)
    if first is not None and len(first) < FIRST_PAGE:
        return first
    if first is not None:
        first_page(first)
        if not search.is_small(conn, flt):
            counted(search.count_ids(conn, flt, second))
    return search.lead_ids(conn, flt, second)


def warm_up(conn: sqlite3.Connection, flt: LeadFilter) -> None:
    """Work the list's next query would wait for, done while the rep reads the answer to ``flt``.

    After View Leads: whether the campaign holds every lead, which the first keystroke in it would
    otherwise count (its members and the live leads: ~40 ms at 1M). A failure only leaves it for later.
    """
    if len(flt.campaign_ids) == 1 and flt.replace(campaign_ids=()).is_empty():
        try:
            counts.holds_every_lead(conn, flt.campaign_ids[0])
        except sqlite3.Error:
            pass  # the next query that needs it counts it, and reports what fails then


def count_leads(conn: sqlite3.Connection) -> int:
    return counts.live_leads(conn)


def fetch_rows(conn: sqlite3.Connection, ids) -> dict[int, LeadRow]:
    """The list rows of ``ids``, keyed by id."""
    ids = list(ids)
    rows: dict[int, LeadRow] = {}
    # SQLite's default limit on host parameters is 32766; pages are far smaller.
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {', '.join(_ROW_COLUMNS)} FROM lead WHERE id IN ({marks})", chunk):
            rows[row[0]] = LeadRow(*row[:7], bool(row[7]), row[8])
    return rows


def is_interrupted(exc: Exception) -> bool:
    """True when a query stopped because a newer one superseded it (Connection.interrupt)."""
    return interrupted(exc)
