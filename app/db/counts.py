"""Counts that hold until the database changes, kept per connection: the live leads, whether a campaign
holds every one of them (a filter is planned without such campaigns), and the capped counts by which a search
plan sizes its criteria.

A connection's state is ``PRAGMA data_version`` (it changes when another connection commits) with
``total_changes`` (the connection's own writes): the list's query thread only reads, so an edit, an
import or a sync anywhere shows up there. An entry keeps its connection, so a closed connection's id
is never taken for a new one's.
"""

import sqlite3
import threading

from app.db import criteria

_KEPT = 4
_SAMPLES = 16
_CAPPED_KEPT = 256
_lock = threading.Lock()
_entries: dict[int, "_Entry"] = {}


class _Entry:
    __slots__ = ("conn", "state", "live", "whole", "capped")

    def __init__(self, conn: sqlite3.Connection, state: tuple[int, int]):
        self.conn = conn
        self.state = state
        self.live: int | None = None
        self.whole: dict[int, bool] = {}
        self.capped: dict[tuple, int] = {}


def state(conn: sqlite3.Connection) -> tuple[int, int]:
    """The database as ``conn`` sees it: equal while nothing changed it (see the module docstring)."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


def _entry(conn: sqlite3.Connection) -> _Entry:
    state_now = state(conn)
    with _lock:
        entry = _entries.get(id(conn))
        if entry is None or entry.conn is not conn or entry.state != state_now:
            entry = _entries[id(conn)] = _Entry(conn, state_now)
            while len(_entries) > _KEPT:
                del _entries[next(iter(_entries))]
    return entry


def live_leads(conn: sqlite3.Connection) -> int:
    """How many leads are not in the Trash."""
    return _live(_entry(conn))


def _live(entry: _Entry) -> int:
    if entry.live is None:
        entry.live = entry.conn.execute("SELECT count(*) FROM lead WHERE deleted_at IS NULL").fetchone()[0]
    return entry.live


def capped(conn: sqlite3.Connection, sql: str, params: list, cap: int) -> int:
    """How many rows ``sql`` gives, counted up to ``cap``.

    A search sizes each criterion this way for each plan it makes (a first page and its count are two,
    and each keystroke a new filter), so a campaign's or a term's size is counted once, not per plan.
    """
    entry = _entry(conn)
    key = (sql, tuple(params), cap)
    with _lock:
        size = entry.capped.get(key)
    if size is None:
        size = conn.execute(f"SELECT count(*) FROM ({sql} LIMIT {cap})", params).fetchone()[0]
        with _lock:
            entry.capped[key] = size
            while len(entry.capped) > _CAPPED_KEPT:
                del entry.capped[next(iter(entry.capped))]
    return size


def forget_sizes() -> None:
    """Drop every connection's capped counts (which campaigns hold every lead is kept): the next plans count
    their criteria afresh, as a benchmark timing each filter's first plan wants."""
    with _lock:
        for entry in _entries.values():
            entry.capped.clear()


def holds_every_lead(conn: sqlite3.Connection, campaign_id: int) -> bool:
    """True when every live lead is a member of the campaign: its live members are as many as the live leads.

    A few live leads spread over the ids are looked up first, so most campaigns are ruled out at once
    (counting a 1M-lead campaign's members takes ~30 ms).
    """
    entry = _entry(conn)
    if campaign_id not in entry.whole:
        entry.whole[campaign_id] = _holds_samples(conn, campaign_id) and conn.execute(
            "SELECT count(*) FROM membership WHERE campaign_id = ? AND live = 1", (campaign_id,)
        ).fetchone()[0] == _live(entry)
    return entry.whole[campaign_id]


def _holds_samples(conn: sqlite3.Connection, campaign_id: int) -> bool:
    """True when the campaign holds the first live lead from each of _SAMPLES points spread over the ids."""
    low, high = id_range(conn)
    if not high:
        return True
    for n in range(_SAMPLES):
        row = conn.execute("SELECT id FROM lead WHERE id >= ? AND deleted_at IS NULL ORDER BY id LIMIT 1",
                           (low + (high - low) * n // _SAMPLES,)).fetchone()
        if row is not None and not conn.execute(
                "SELECT 1 FROM membership WHERE campaign_id = ? AND lead_id = ? AND live = 1", (campaign_id, row[0])
        ).fetchone():
            return False
    return True


def id_range(conn: sqlite3.Connection) -> tuple[int, int]:
    """The lowest and highest lead id, (0, 0) when there is no lead: one b-tree step each (min and max in one
    SELECT would scan the table)."""
    return conn.execute("SELECT coalesce((SELECT min(id) FROM lead), 0), coalesce((SELECT max(id) FROM lead), 0)"
                        ).fetchone()


def without_whole_campaigns(conn: sqlite3.Connection, flt):
    """``flt`` without its campaigns if one holds every live lead and other criteria narrow the list.

    Such a campaign (a rep who imported everything into one) adds nothing beside them, and probing it
    costs each of their matches a membership lookup: at 1M, "s" in it settles in 74 ms instead of 192.
    Alone, a campaign keeps its own range (View Leads); beside sizes and "not verified" only, its members'
    copies answer (at 1M: 9 ms, against 170 ms from the lead rows: lead_facets has no empty status).
    """
    if (not flt.campaign_ids or flt.replace(campaign_ids=()).is_empty()
            or (criteria.only_facets(flt) and flt.headcounts and flt.email_statuses
                and not criteria.in_facet_index(flt))):
        return flt
    if any(holds_every_lead(conn, campaign_id) for campaign_id in flt.campaign_ids):
        return flt.replace(campaign_ids=())
    return flt
