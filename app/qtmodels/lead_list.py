"""The lead list: an id-array source model and its filter proxy (the queries run on query_thread).

Scale is the design constraint (docs/ARCHITECTURE.md): at 1,000,000 leads a row-by-row proxy filter takes
seconds. So the source model holds only the ids of the matching leads, in display order, rebuilt
from SQL on a worker thread; row text is read lazily, a page at a time. ``LeadFilterProxy`` is the
one filter API the UI talks to: every change goes down to SQL as a LeadFilter instead of testing
rows in Python.
"""

import array
import bisect
import enum
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from app.qtmodels.events import Changes, DataEvents
from app.qtmodels.query_thread import QueryThread
from app.services import lead_query
from app.services.lead_filter import LeadFilter

# Rows read around a cache miss; a screenful is ~20 rows, so one read serves several scrolls.
PAGE_BEFORE = 50
PAGE_AFTER = 150
CACHE_LIMIT = 5000
# The proxy maps every row a model reset or insert brings, on the GUI thread: ~80 ms for a million
# rows (up to twice that on a busy machine), a visible stall. A long result is therefore shown in
# slices of this many rows, one per event-loop turn (~5 ms each), the first at once: the screenful
# is there immediately and the scroll bar grows to its full length within a few frames.
SLICE_ROWS = 50_000


class LeadRole(enum.IntEnum):
    """Data roles of the lead list (Qt.DisplayRole gives the full name)."""

    Id = Qt.ItemDataRole.UserRole + 1
    Row = enum.auto()  # the whole lead_query.LeadRow
    Headline = enum.auto()
    EmailStatus = enum.auto()
    Vip = enum.auto()
    ReviewState = enum.auto()


class LeadListModel(QAbstractListModel):
    """Source model: the ids of the leads matching the current filter, rows read lazily.

    Signals:
        count_known(int, int): matching count, total live leads — as soon as the latest filter's count
            is known and its first rows are in the model (the other rows follow, a slice at a time).
        results_applied(int, int): matching count, total live leads — once every row of a new
            result is in the model.
        query_failed(str): a query could not run (message for the status bar).
    """

    count_known = Signal(int, int)
    results_applied = Signal(int, int)
    query_failed = Signal(str)

    def __init__(self, db_path: Path, events: DataEvents, parent: QObject | None = None):
        super().__init__(parent)
        self._ids = array.array("q")
        self._rows = 0  # rows of _ids in the model so far (the rest arrive slice by slice)
        self._ids_generation = 0  # the query _ids answer
        self._total = 0
        self._cache: dict[int, lead_query.LeadRow] = {}
        self._reader = lead_query.open_query_connection(db_path)
        self._filter = LeadFilter()
        self._generation = 0
        self._applied_generation = 0
        self._first_page_generation = -1
        self._counted_generation = -1  # the query count_known was last emitted for
        self._counted = 0  # the matches it said
        self._ids_sort = "newest"
        self._slice_timer = QTimer(self, singleShot=True, interval=0)
        self._slice_timer.timeout.connect(self._on_slice_timer_timeout)
        self._thread = QueryThread(db_path, self)
        self._thread.first_page_ready.connect(self._on_thread_first_page_ready)
        self._thread.count_ready.connect(self._on_thread_count_ready)
        self._thread.result_ready.connect(self._on_thread_result_ready)
        self._thread.query_failed.connect(self._on_thread_query_failed)
        self._thread.start()
        events.changed.connect(self._on_events_changed)

    # -- queries ---------------------------------------------------------------------------
    def set_filter(self, flt: LeadFilter) -> None:
        """Ask for the leads matching ``flt``; the model resets when the result arrives."""
        self._filter = flt
        self._query()

    def lead_filter(self) -> LeadFilter:
        return self._filter

    @Slot()
    def refresh(self) -> None:
        """Re-run the current filter (after leads were added or removed)."""
        self._thread.forget()
        self._query()

    def _query(self) -> None:
        self._generation += 1
        self._thread.submit(self._generation, self._filter)

    def is_settled(self) -> bool:
        """True when the rows shown answer the latest filter (no query in flight)."""
        return self._applied_generation == self._generation

    def shutdown(self) -> None:
        """Stop the query thread and close the connections (the window calls this on close)."""
        if self._thread.isRunning():
            self._thread.stop()
        self._reader.close()

    @Slot(int, object)
    def _on_thread_first_page_ready(self, generation: int, ids: array.array) -> None:
        # Shown at once; the full result extends it. results_applied waits for the full result.
        if generation != self._generation:
            return
        self._slice_timer.stop()
        self.beginResetModel()
        self._ids = ids
        self._rows = len(ids)
        self._ids_sort = self._filter.sort
        self._first_page_generation = generation
        self.endResetModel()

    @Slot(int, int, int)
    def _on_thread_count_ready(self, generation: int, matching: int, total: int) -> None:
        if generation == self._generation and self._first_page_generation == generation:
            self._report_count(generation, matching, total)

    def _report_count(self, generation: int, matching: int, total: int) -> None:
        self._total = total
        self._counted_generation = generation
        self._counted = matching
        self.count_known.emit(matching, total)

    @Slot(int, object, int)
    def _on_thread_result_ready(self, generation: int, ids: array.array, total: int) -> None:
        if generation != self._generation:
            return  # a newer query is on its way; nobody wants this one
        self._total = total
        self._ids_generation = generation
        shown = self._rows
        if self._first_page_generation == generation and ids[:shown] == self._ids[:shown]:
            self._ids = ids  # the first page is on screen: the rest is appended (keeps scroll and selection)
        else:
            self.beginResetModel()
            self._ids = ids
            self._rows = min(len(ids), SLICE_ROWS)
            self._ids_sort = self._filter.sort  # the order row_of may rely on
            self._cache.clear()
            self.endResetModel()
        if self._counted_generation != generation or self._counted != len(ids):
            # Counted apart from the ids, on another read transaction (or two): a commit in between would leave
            # a count the list does not show.
            self._report_count(generation, len(ids), total)
        self._append_slice()

    @Slot()
    def _on_slice_timer_timeout(self) -> None:
        self._append_slice()

    def _append_slice(self) -> None:
        """Append the next slice of the current result; report it applied after the last one."""
        if self._rows < len(self._ids):
            end = min(len(self._ids), self._rows + SLICE_ROWS)
            self.beginInsertRows(QModelIndex(), self._rows, end - 1)
            self._rows = end
            self.endInsertRows()
        if self._rows < len(self._ids):
            self._slice_timer.start()
            return
        # The query these rows answer: a newer one may have been asked for while they were sliced in.
        self._applied_generation = self._ids_generation
        self.results_applied.emit(self._rows, self._total)

    @Slot(int, str)
    def _on_thread_query_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._applied_generation = generation
            self.query_failed.emit(message)

    @Slot(object, object)
    def _on_events_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.lead_ids:
            self._repaint(changes.lead_ids)
        if changes.leads_added_or_removed:
            self.refresh()

    def _repaint(self, lead_ids: tuple[int, ...]) -> None:
        # Keep rows where they are (re-sorting under the rep's cursor is disorienting); refresh text.
        self._thread.forget(edits_only=True)  # but an edit can change which leads filters match
        if not self._rows:
            return
        if len(lead_ids) > 50:
            self._cache.clear()
            self.dataChanged.emit(self.index(0), self.index(self._rows - 1))
            return
        for lead_id in lead_ids:
            self._cache.pop(lead_id, None)
            row = self.row_of(lead_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row), self.index(row))

    # -- lookups ----------------------------------------------------------------------------
    def lead_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, lead_id: int) -> int:
        # The window looks up the selected lead after every query; a linear miss costs ~30 ms on
        # the GUI thread at 1M ids, a binary search of an id-ordered list nothing.
        if self._ids_sort in ("newest", "oldest"):
            descending = self._ids_sort == "newest"
            row = bisect.bisect_left(self._ids, -lead_id if descending else lead_id, hi=self._rows,
                                     key=(lambda i: -i) if descending else None)
            return row if row < self._rows and self._ids[row] == lead_id else -1
        try:
            return self._ids.index(lead_id, 0, self._rows)
        except ValueError:
            return -1

    def lead_row(self, row: int) -> lead_query.LeadRow | None:
        lead_id = self._ids[row]
        cached = self._cache.get(lead_id)
        if cached is None:
            self._load_page(row)
            cached = self._cache.get(lead_id)
        return cached

    def _load_page(self, row: int) -> None:
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        first = max(0, row - PAGE_BEFORE)
        wanted = [i for i in self._ids[first:row + PAGE_AFTER] if i not in self._cache]
        self._cache.update(lead_query.fetch_rows(self._reader, wanted))

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._rows:
            return None
        if role == LeadRole.Id:
            return self._ids[index.row()]
        if role not in _ROW_ROLES:
            return None
        row = self.lead_row(index.row())
        if row is None:  # deleted since the query ran; the next refresh drops it
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.full_name or row.email or "(no name)"
        if role == Qt.ItemDataRole.ToolTipRole:
            return " · ".join(p for p in (row.full_name, row.job_title, row.company_name) if p)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [row.full_name, row.job_title, "VIP" if row.vip else "", row.email_status]
            return ", ".join(p for p in parts if p)
        return {
            LeadRole.Row: row,
            LeadRole.Headline: row.job_title,
            LeadRole.EmailStatus: row.email_status,
            LeadRole.Vip: row.vip,
            LeadRole.ReviewState: row.review_state,
        }[role]

    def roleNames(self) -> dict[int, bytes]:
        names = super().roleNames()
        names.update({role.value: role.name.encode() for role in LeadRole})
        return names


_ROW_ROLES = {
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
    LeadRole.Row,
    LeadRole.Headline,
    LeadRole.EmailStatus,
    LeadRole.Vip,
    LeadRole.ReviewState,
}


class LeadFilterProxy(QSortFilterProxyModel):
    """The lead list's filter interface: ``set_filter``/``change`` push the criteria down to SQL.

    It never filters or sorts rows in Python (that collapses past a few thousand rows); the
    source model re-queries and resets, and this proxy passes the result through.

    Signals:
        filter_changed(object): the new LeadFilter, as soon as a setter changes it.
    """

    filter_changed = Signal(object)

    def __init__(self, source: LeadListModel, parent: QObject | None = None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.setDynamicSortFilter(False)
        self._source = source

    def source(self) -> LeadListModel:
        return self._source

    def lead_filter(self) -> LeadFilter:
        return self._source.lead_filter()

    def set_filter(self, flt: LeadFilter) -> None:
        if flt == self._source.lead_filter():
            return
        self._source.set_filter(flt)
        self.filter_changed.emit(flt)

    def change(self, **fields) -> None:
        """Change some criteria of the current filter (``change(vip=True, campaign_ids=(3,))``)."""
        self.set_filter(self.lead_filter().replace(**fields))

    def set_text(self, text: str) -> None:
        """The search box's slot."""
        self.change(text=text)

    def set_sort(self, sort: str) -> None:
        self.change(sort=sort)

    def lead_id(self, proxy_row: int) -> int:
        return self._source.lead_id(self.mapToSource(self.index(proxy_row, 0)).row())

    def row_of(self, lead_id: int) -> int:
        source_row = self._source.row_of(lead_id)
        if source_row < 0:
            return -1
        return self.mapFromSource(self._source.index(source_row)).row()
