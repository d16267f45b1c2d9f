"""Which leads a LeadFilter lists, in which order: ids, counts and first pages, by ``app.db.query_plan``'s plans.

The plans of the last filters are kept (a first page, its count and its ids are asked for in a row). Functions
here take a plain ``sqlite3.Connection`` so the GUI's background query thread can use its own read-only
connection; they never touch Qt.
"""

import array
import json
import sqlite3
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from app.db import counts, criteria, query_plan
from app.db.connection import interrupted, open_reader
from app.db.query_plan import QueryPlan, in_id_order

# A small result sorted by name is read whole and sorted in memory (~3 µs a lead, for its row) unless it
# likely holds this many leads: then a walk of the name index finds a first page sooner (at 1M, ~500 index
# entries per match at this density, ~150 ns each).
WALK_MIN = 2_000

# The last plans made, by connection, state of the database and filter: the list's thread asks for a first page
# (two plans), a count and the ids of one filter in a row. A plan holds only while the database is unchanged: it
# reads a campaign's or tag's members within the ids they spanned when it was made.
_PLANS_KEPT = 4
_plans: dict[tuple, QueryPlan] = {}
_plans_lock = threading.Lock()


def _plan(conn: sqlite3.Connection, flt, walk: bool = False) -> QueryPlan:
    flt = counts.without_whole_campaigns(conn, flt)
    by_id = in_id_order(flt)
    # Else the walk is the usual plan: text or row filters alone in id order are walked as they drive.
    walk = walk and (not by_id or bool(criteria.id_sets(flt)) and not criteria.fts_query(flt))
    if walk and not by_id:
        usual = _plan(conn, flt)
        if not usual.has_criteria or usual.small and usual.likely_size(conn) < WALK_MIN:
            return usual  # the name index itself, or a few rows sorted in memory: no second plan
    key = (id(conn), counts.state(conn), flt, query_plan.SMALL_SET, walk)
    with _plans_lock:
        plan = _plans.get(key)
    if plan is None:
        plan = QueryPlan(conn, flt, walk)
        with _plans_lock:
            _plans[key] = plan
            while len(_plans) > _PLANS_KEPT:
                del _plans[next(iter(_plans))]
    return plan


def forget_plans() -> None:
    """Drop the kept plans and the criteria sizes they were made with: the next filter is planned afresh."""
    with _plans_lock:
        _plans.clear()
    counts.forget_sizes()


def lead_ids(conn: sqlite3.Connection, flt, second: "SecondReader | None" = None) -> array.array:
    """The ids of the leads matching ``flt``, in display order (in id order, with ``second``: half read there)."""
    plan = _plan(conn, flt)
    halves = plan.halves(conn) if second is not None and in_id_order(flt) else None
    if halves is None:
        return _parse_ids(conn.execute(*_ids_json(plan)).fetchone()[0])
    lower, upper = _on_both(conn, second, *(_ids_json(half) for half in halves))
    ids = _parse_ids(upper if flt.sort == "newest" else lower)
    ids.extend(_parse_ids(lower if flt.sort == "newest" else upper))
    return ids


def _ids_json(plan: QueryPlan) -> tuple[str, list]:
    # One JSON text built inside SQLite is ~3x cheaper than a Python tuple per row at 1M ids; an
    # aggregate over an ordered subquery keeps that order.
    sql, params = plan.sql()
    return f"SELECT json_group_array(id) FROM ({sql})", params


# SQLite virtual-machine steps between two looks of the second reader's statement at whether it must stop.
_STEPS = 5000


class SecondReader:
    """A second read-only connection, with a thread of its own, so one big result is read on two cores.

    SQLite runs a statement on one core, and Python's sqlite3 lets go of the GIL while a statement steps: two
    connections read the two halves of the ids at once (``count_ids``, ``lead_ids``). At 1M, counting "s" in a
    tag on a third of the leads: 182 -> 97 ms with both cores free. The halves are two read transactions started
    a moment apart: a commit in that moment (from another process: the app's own edits make the list ask again)
    can leave a count between two states, which the list's ids, read next, correct.
    """

    def __init__(self, path):
        self.conn = open_reader(path)
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="second-reader")
        # Connection.interrupt misses a statement that has not started yet (its half may still be queued), so
        # the statement asks for itself, every _STEPS steps (~0.1 ms).
        self._stopped = threading.Event()
        self.conn.set_progress_handler(self._stopped.is_set, _STEPS)

    def value(self, sql: str, params: list) -> Future:
        """The first column of ``sql``'s first row, read on the second connection."""
        self._stopped.clear()
        return self._thread.submit(lambda: self.conn.execute(sql, params).fetchone()[0])

    def interrupt(self) -> None:
        """Stop the statement it reads now or is about to: it fails as interrupted."""
        self._stopped.set()

    def close(self) -> None:
        self._thread.shutdown()
        self.conn.close()


def _on_both(conn: sqlite3.Connection, second: SecondReader, lower: tuple[str, list], upper: tuple[str, list]):
    """The first value of ``lower`` (sql, params) read here and of ``upper`` on ``second`` meanwhile."""
    other = second.value(*upper)
    try:
        mine = conn.execute(*lower).fetchone()[0]
    except BaseException:
        second.interrupt()  # a newer query superseded this one: the other half is nobody's either
        raise
    finally:
        failed = other.exception()  # waits: the second connection is idle again before anything else asks
    if failed is not None:
        raise failed
    return mine, other.result()


def count_ids(conn: sqlite3.Connection, flt, second: SecondReader | None = None) -> int:
    """How many leads match ``flt`` (cheaper than ``len(lead_ids(...))``: no ids leave SQLite).

    Counted by the plan in id order: a small set sorted by name reads each lead's row for its name,
    which a count does not need (at 1M, "q": 29k matches counted in 2 ms, not 60). With ``second``, a big
    driving set's upper half is counted there meanwhile.
    """
    plan = _plan(conn, flt.replace(sort="newest"))
    halves = plan.halves(conn) if second is not None else None
    if halves is None:
        return conn.execute(*plan.count_sql()).fetchone()[0]
    return sum(_on_both(conn, second, *(half.count_sql() for half in halves)))


def is_small(conn: sqlite3.Connection, flt) -> bool:
    """True when the ids cost about what a count would: a small driving set (under SMALL_SET) in id order."""
    return _plan(conn, flt).small and in_id_order(flt)


def first_page(conn: sqlite3.Connection, flt, limit: int, budget_s: float) -> array.array | None:
    """The first ``limit`` ids in display order, or None if that takes longer than ``budget_s``.

    The driving set is walked in display order and the walk stops at ``limit`` matches, so a common
    term paints in milliseconds even when the whole result (built next) takes longer. A walk that
    finds few matches could cover the whole set instead, so it gives up after its budget. A
    campaign's range is walked first (``QueryPlan``'s ``walk``); if the row filters beside it are too
    rare for half the budget, the usual plan (their indexes drive) gets the other half. A result in id
    order bounded by a small set tested in memory gets no walk (None): it is read whole in one pass over
    the driving set, which a walk through sparse matches would make first for nothing (at 1M, "s" within
    a 1% tag with VIPs: 50 ms of walk before the same pass). In name order the walk tests that set in
    memory too, and stops at ``limit``; beside a big driving set it gets the whole budget, as the usual
    plan builds that whole set before its first row (at 1M, "sa" + "valid": 123k matches, ~30 ms of walk,
    which half the budget cut short on a busy machine: then 600 ms before the first row).
    """
    usual = _plan(conn, flt)
    if usual.bounded and in_id_order(flt):
        return None
    attempts = [_plan(conn, flt, walk=True).sql(), usual.sql()]
    if attempts[0] == attempts[1] or not (usual.small or in_id_order(flt)):
        attempts.pop()
    for sql, params in attempts:
        ids = _walk(conn, sql, params, limit, budget_s / len(attempts))
        if ids is not None:
            return ids
    return None


def _walk(conn: sqlite3.Connection, sql: str, params: list, limit: int, budget_s: float) -> array.array | None:
    deadline = time.perf_counter() + budget_s
    conn.set_progress_handler(lambda: time.perf_counter() > deadline, 2000)
    try:
        rows = conn.execute(f"{sql} LIMIT ?", [*params, limit])
        return array.array("q", (row[0] for row in rows))
    except sqlite3.OperationalError as exc:
        if interrupted(exc) and time.perf_counter() > deadline:
            return None  # over budget (a newer query's interrupt is re-raised)
        raise
    finally:
        conn.set_progress_handler(None, 0)


# Characters of JSON parsed per json.loads call: ~16k ids, a millisecond or two each, so the GUI thread gets
# the GIL back between slices instead of waiting ~70 ms for a million ids.
_SLICE = 1 << 17


def _parse_ids(text: str) -> array.array:
    ids = array.array("q")
    body, start = text[1:-1], 0
    while start < len(body):
        end = body.find(",", start + _SLICE)
        if end < 0:
            end = len(body)
        ids.fromlist(json.loads(f"[{body[start:end]}]"))
        start = end + 1
    return ids
