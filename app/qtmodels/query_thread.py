"""The lead list's background query thread: only the latest request matters.

It runs on its own read-only connection, interrupts a superseded query, answers a filter seen a
moment ago from memory, and sends a long result in three steps (first page, count, ids) so the
list settles long before a million ids are built.
"""

import array
import functools
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from app import memory
from app.services import lead_query
from app.services.lead_filter import LeadFilter

# Recent query results the worker keeps (an id array is 8 MB at 1M leads). Clearing the search box
# returns to a filter just seen; answering it from memory skips a ~0.2 s query at 1M.
RESULT_CACHE = 3


class QueryThread(QThread):
    """Runs lead-list queries on its own read-only connection; only the latest request matters.

    A second reader connection, on a thread of its own, counts and reads half of a big result meanwhile
    (``lead_query.answer``), so both cores work on it.

    A newer request interrupts the running query (sqlite3's Connection.interrupt is safe to call
    from another thread), so a fast typist never waits for results nobody will see. The last few
    results are kept until ``forget()`` says the data changed.

    A long result (a driving set over query_plan.SMALL_SET) is counted before its ids are read: a count
    leaves no ids to build and hand over (at 1M: ~0.3 s against ~1.2 s), so the list shows its
    first page and its count while the ids follow.

    Signals:
        first_page_ready(int, object): generation, the first lead_query.FIRST_PAGE ids (more follow).
        count_ready(int, int, int): generation, matching leads, total live leads (after first_page_ready).
        result_ready(int, object, int): generation, array of ids, total live leads.
        query_failed(int, str): generation, message.
    """

    first_page_ready = Signal(int, object)
    count_ready = Signal(int, int, int)
    result_ready = Signal(int, object, int)
    query_failed = Signal(int, str)

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._db_path = db_path
        self._cond = threading.Condition()
        self._pending: tuple[int, LeadFilter] | None = None
        self._busy = False
        self._stopping = False
        self._conn = None
        self._second = None  # a second reader: a big result is counted and read on two cores
        self._results: dict[LeadFilter, tuple[array.array, int]] = {}
        self._total: int | None = None  # live leads; a count(*) costs ~0.1 s at 1M, so kept too
        # Bumped by forget(): a result computed before that is not kept, unless only edits happened
        # meanwhile (_lead_epoch, bumped when leads come or go, is unchanged) and it survives edits.
        self._epoch = 0
        self._lead_epoch = 0

    def submit(self, generation: int, flt: LeadFilter) -> None:
        with self._cond:
            self._pending = (generation, flt)
            self._interrupt()
            self._cond.notify()

    def _interrupt(self) -> None:
        """Stop the running query, on both its connections (called with ``_cond`` held)."""
        if self._busy and self._conn is not None:
            self._conn.interrupt()
            self._second.interrupt()

    def forget(self, edits_only: bool = False) -> None:
        """Drop the kept results: leads changed, so any of them may be wrong now.

        An edit (``edits_only``) cannot add or remove a lead, so the unfiltered lists in id order
        and the total stay right; opening a lead marks it opened, and that must not cost the next
        clear of the search box.
        """
        with self._cond:
            if edits_only:
                self._results = {f: r for f, r in self._results.items() if _survives_edits(f)}
            else:
                self._results.clear()
                self._total = None
                self._lead_epoch += 1
            self._epoch += 1

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._interrupt()
            self._cond.notify()
        self.wait()

    def run(self) -> None:
        self._second = lead_query.open_second_reader(self._db_path)
        self._conn = lead_query.open_query_connection(self._db_path)
        try:
            while True:
                with self._cond:
                    while self._pending is None and not self._stopping:
                        self._cond.wait()
                    if self._stopping:
                        return
                    generation, flt = self._pending
                    self._pending = None
                    kept = self._results.pop(flt, None)
                    if kept is not None:
                        self._results[flt] = kept  # most recently used goes last
                        self.result_ready.emit(generation, *kept)
                        continue
                    self._busy = True
                    epoch, lead_epoch, total = self._epoch, self._lead_epoch, self._total
                try:
                    ids, total = self._answer(generation, flt, total)
                    if flt.is_empty():
                        total = len(ids)  # the unfiltered list is every live lead
                    elif total is None:
                        total = lead_query.count_leads(self._conn)
                    with self._cond:
                        if lead_epoch == self._lead_epoch:
                            # A lead opened while a million ids were read must not cost the total.
                            self._total = total
                        if epoch == self._epoch or (lead_epoch == self._lead_epoch and _survives_edits(flt)):
                            self._results[flt] = (ids, total)
                            # Evict the oldest, but keep the unfiltered list, the one without the text
                            # (clearing the box comes back to it after any number of keystrokes) and the
                            # campaign's own list (View Leads; clearing the filters beside it comes back).
                            keep = (flt, flt.structured(), LeadFilter(sort=flt.sort),
                                    LeadFilter(campaign_ids=flt.campaign_ids, sort=flt.sort))
                            evictable = [f for f in self._results if f not in keep]
                            while len(self._results) > RESULT_CACHE and evictable:
                                del self._results[evictable.pop(0)]
                except Exception as exc:  # noqa: BLE001 - reported to the GUI, never lost
                    if not lead_query.is_interrupted(exc):
                        self.query_failed.emit(generation, str(exc))
                    continue
                finally:
                    with self._cond:
                        self._busy = False
                self.result_ready.emit(generation, ids, total)
                lead_query.warm_up(self._conn, flt)
                # A query over a million leads frees megabytes of buffers (JSON text, sorter, parsed
                # ints) into a heap that otherwise keeps them: hand them back while the GUI applies.
                memory.release_free_memory()
        finally:
            self._conn.close()
            self._second.close()

    def _answer(self, generation: int, flt: LeadFilter, total: int | None) -> tuple[array.array, int | None]:
        """``lead_query.answer``, its first page and count signalled; the ids and the total live leads.

        The total is counted beside the matches, the first time a count is reported without it.
        """
        known = [total]

        def counted(matching: int) -> None:
            if known[0] is None:
                known[0] = matching if flt.is_empty() else lead_query.count_leads(self._conn)
            self.count_ready.emit(generation, matching, known[0])

        ids = lead_query.answer(self._conn, flt, functools.partial(self.first_page_ready.emit, generation), counted,
                                self._second)
        return ids, known[0]


def _survives_edits(flt: LeadFilter) -> bool:
    """True for the unfiltered list in id order: an edit cannot add, remove or move a lead in it."""
    return flt.is_empty() and flt.sort in ("newest", "oldest")
