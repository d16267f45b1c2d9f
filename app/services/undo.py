"""Undoable operations: exact before/after snapshots of the rows an operation touches, in SQL.

``run()`` puts the ids of the leads an operation will touch in a table, copies their rows (the
lead columns it changes, their memberships, tags and notes, and the tag list if asked) into
snapshot tables, runs the operation, and snapshots the same rows again, all in one transaction. Undo restores the
"before" snapshot and redo the "after" one with set-based UPDATE ... FROM / INSERT ... SELECT, so
undoing a bulk action on 100,000 leads costs a few statements, never a Python loop per lead.

Snapshots live in the undo store (``app/db/connection.py``, ``UNDO_SCHEMA``), a file attached to
every connection that applies or restores an operation, so one applied on a worker thread can be
undone from the GUI thread. It is emptied when the database is (re)opened, which is also when an
undo stack stops making sense; ``discard()`` drops an operation's tables earlier.

Slow work reports ``progress(leads, fraction)`` after each step and stops when ``cancelled()``
turns true, even inside a statement (SQLite's progress handler); the transaction is then rolled
back whole and ``CancelledError`` raised: nothing was changed.

History: every restore writes ``lead_history`` rows (source "undo", or the operation's own source
on redo) for each field, tag and campaign it changes, computed by comparing rows in SQL.
"""

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.db.connection import UNDO_SCHEMA, attach_undo_store, cancellable, database
from app.db.criteria import compile_filter
from app.db.models import Lead, utc_now
from app.db.schema import FTS_COLUMNS
from app.services import fields
from app.services.lead_filter import LeadFilter

# Every lead column but the key, in table order.
LEAD_COLUMNS: tuple[str, ...] = tuple(
    f.column_name for f in Lead._meta.sorted_fields if f.column_name != "id"
)
# Child tables keyed by lead_id that an operation may change.
LINK_TABLES = ("membership", "lead_tag", "note")
# Small name lists an operation may add to (a new tag, a new custom column): snapshotted whole.
REGISTRY_TABLES = {"tag": ("name", "color"), "custom_field": ("name",)}
ALL_TABLES = LINK_TABLES + tuple(REGISTRY_TABLES)
# Columns whose change is not worth a history line of its own.
_QUIET_COLUMNS = frozenset(fields.names(history=False))
# What identifies a row of each child table (a note keeps its id; links are pairs).
_LINK_KEYS = {"membership": "campaign_id, lead_id", "lead_tag": "tag_id, lead_id", "note": "id"}
# A restored row's parents may have gone for good meanwhile (Empty Trash, a deleted tag or
# campaign); such rows are skipped rather than failing the whole undo.
_PARENTS = {
    "membership": "lead_id IN (SELECT id FROM main.lead) AND campaign_id IN (SELECT id FROM main.campaign)",
    "lead_tag": "lead_id IN (SELECT id FROM main.lead) AND tag_id IN (SELECT id FROM main.tag)",
    "note": "lead_id IN (SELECT id FROM main.lead)",
}

# Which column names the lead in each kind of snapshot table (by the end of its name).
_LEAD_KEYS = {"_ids": "id", "_lead": "id", "_membership": "lead_id", "_lead_tag": "lead_id", "_note": "lead_id"}

_next_id = itertools.count(1)
_live: set[int] = set()
_CANCELLED = "Cancelled: nothing was changed."


class CancelledError(Exception):
    """The rep cancelled; the transaction was rolled back and nothing changed."""


class _Steps:
    """Progress and cooperative cancel between the ``total`` steps of one transaction (see the module doc);
    ``connection.cancellable`` around the transaction stops a long statement."""

    def __init__(self, progress: Callable[[int, float], None] | None, cancelled: Callable[[], bool] | None,
                 total: int):
        self._progress, self._cancelled, self._total, self._done = progress, cancelled, total, 0
        self.leads = 0

    def step(self) -> None:
        """One step done: raise CancelledError if the rep asked to stop, else report the fraction."""
        if self._cancelled is not None and self._cancelled():
            raise CancelledError(_CANCELLED)
        self._done += 1
        if self._progress is not None:
            self._progress(self.leads, min(self._done / self._total, 1.0))


@dataclass(frozen=True)
class Operation:
    """One applied, undoable change; its snapshots live in undo-store tables named after ``id``."""

    id: int
    name: str  # what the Edit menu shows after "Undo ", e.g. "Approve 12,000 leads"
    count: int  # leads in scope
    lead_columns: tuple[str, ...]
    tables: tuple[str, ...]
    source: str  # the history source of the change itself ("edited here", "bulk: …", "merged")
    tags_changed: bool = False  # the tag list itself changed (a tag was created)

    @property
    def trash_changed(self) -> bool:
        """Leads entered or left the Trash: lists must re-query, not just repaint."""
        return "deleted_at" in self.lead_columns

    def lead_ids(self, limit: int = 1000) -> list[int]:
        """Ids in scope (at most ``limit``, for repainting; bulk screens just re-query)."""
        attach_undo_store()
        return [r[0] for r in _sql(f"SELECT id FROM {_t(self.id, 'ids')} LIMIT ?", (limit,))]


def plural(count: int, noun: str = "lead") -> str:
    """"1 lead", "12,000 leads": how operation names count leads."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _t(op_id: int, part: str) -> str:
    return f"{UNDO_SCHEMA}.undo_{op_id}_{part}"


def _sql(sql: str, params=()):
    return database.execute_sql(sql, params)


def fill_ids(table: str, target) -> int:
    """Fill ``table`` (id INTEGER PRIMARY KEY) with a list of lead ids or a filter's live leads."""
    _sql(f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY)")
    if isinstance(target, LeadFilter):
        where, params = compile_filter(target)
        _sql(f"INSERT OR IGNORE INTO {table} SELECT l.id FROM lead l WHERE {where}", params)
    else:
        database.connection().executemany(
            f"INSERT OR IGNORE INTO {table} VALUES (?)", ((int(i),) for i in target)
        )
    return _sql(f"SELECT count(*) FROM {table}").fetchone()[0]


def count_target(target) -> int:
    """How many live leads ``target`` (a list of ids or a LeadFilter) means: the count dialogs show."""
    if isinstance(target, LeadFilter):
        where, params = compile_filter(target)
        return _sql(f"SELECT count(*) FROM lead l WHERE {where}", params).fetchone()[0]
    ids = list(dict.fromkeys(int(i) for i in target))
    total = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        total += _sql(
            f"SELECT count(*) FROM lead WHERE deleted_at IS NULL AND id IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchone()[0]
    return total


def run(
    name: str | Callable[[int], str],
    target,
    change: Callable[[str], object],
    *,
    lead_columns: Iterable[str] = LEAD_COLUMNS,
    tables: Iterable[str] = ALL_TABLES,
    source: str | None = None,
    progress: Callable[[int, float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Operation:
    """Apply ``change`` to the leads in ``target`` (ids or a LeadFilter) as one undoable operation.

    ``change`` receives the name of a table holding the ids in scope, for set-based SQL.
    ``lead_columns``/``tables`` say what it may modify (smaller means cheaper snapshots). With a
    ``source``, history rows for the change are written here; without one, ``change`` writes its
    own (as ``app.services.leads`` does, "edited here"). ``name`` may be a function of the count.
    ``progress``/``cancelled``: see the module docstring.
    """
    columns = tuple(c for c in LEAD_COLUMNS if c in set(lead_columns) | {"updated_at"})
    tables = tuple(t for t in ALL_TABLES if t in set(tables))
    op_id = next(_next_id)
    ids = _t(op_id, "ids")
    attach_undo_store()
    with cancellable(cancelled, CancelledError(_CANCELLED)), database.atomic():
        steps = _Steps(progress, cancelled, 5)
        steps.leads = count = fill_ids(ids, target)
        steps.step()
        _snapshot(op_id, "before", columns, tables)
        steps.step()
        change(ids)
        steps.step()
        _snapshot(op_id, "after", columns, tables)
        steps.step()
        tags_changed = "tag" in tables and _differs(_t(op_id, "before_tag"), _t(op_id, "after_tag"))
        op = Operation(op_id, name(count) if callable(name) else name, count, columns, tables,
                       source or "edited here", tags_changed)
        if source:
            _write_history(op, "before", "after", source, restoring=False)
        steps.step()
    _live.add(op_id)
    return op


def _differs(a: str, b: str) -> bool:
    return bool(_sql(f"SELECT EXISTS (SELECT * FROM {a} EXCEPT SELECT * FROM {b}) "
                     f"OR EXISTS (SELECT * FROM {b} EXCEPT SELECT * FROM {a})").fetchone()[0])


def edit(name: str, lead_id: int, edit_fn: Callable, *args) -> Operation | None:
    """Run a single-lead edit (an ``app.services.leads`` function, which writes its own "edited
    here" history) as an undoable operation; None when it changed nothing (``edit_fn`` False)."""
    results = []
    op = run(name, [lead_id], lambda _ids: results.append(edit_fn(*args)))
    if results[0] is False:
        discard(op)
        return None
    return op


def _snapshot(op_id: int, state: str, columns: tuple[str, ...], tables: tuple[str, ...]) -> None:
    ids = _t(op_id, "ids")
    _sql(
        f"CREATE TABLE {_t(op_id, state + '_lead')} AS "
        f"SELECT id, {', '.join(columns)} FROM main.lead WHERE id IN (SELECT id FROM {ids})"
    )
    for table in tables:
        where = "" if table in REGISTRY_TABLES else f" WHERE lead_id IN (SELECT id FROM {ids})"
        _sql(f"CREATE TABLE {_t(op_id, f'{state}_{table}')} AS SELECT * FROM main.{table}{where}")


class UndoExpiredError(RuntimeError):
    """The operation's snapshots are gone (the database was closed or replaced since)."""


def _require_snapshots(op: Operation) -> None:
    attach_undo_store()
    found = _sql(f"SELECT count(*) FROM {UNDO_SCHEMA}.sqlite_master WHERE type = 'table' AND name = ?",
                 (f"undo_{op.id}_ids",)).fetchone()[0]
    if op.id not in _live or not found:
        raise UndoExpiredError("This change can no longer be undone: the database was reopened since.")


def undo(op: Operation, progress: Callable[[int, float], None] | None = None,
         cancelled: Callable[[], bool] | None = None) -> None:
    """Put back, as they were before ``op`` ran, exactly the values and links it changed."""
    _restore(op, "before", "after", "undo", progress, cancelled)


def redo(op: Operation, progress: Callable[[int, float], None] | None = None,
         cancelled: Callable[[], bool] | None = None) -> None:
    """Apply ``op`` again, exactly as it first left the values and links it changed."""
    _restore(op, "after", "before", op.source, progress, cancelled)


def _restore(op: Operation, target: str, other: str, source: str, progress, cancelled) -> None:
    # Only what differs between the two snapshots is written back: a field or a tag the
    # operation did not change keeps whatever happened to it since (an import, another edit).
    _require_snapshots(op)
    to, fro = _t(op.id, target), _t(op.id, other)
    with cancellable(cancelled, CancelledError(_CANCELLED)), database.atomic():
        steps = _Steps(progress, cancelled, 2)
        steps.leads = op.count
        _write_history(op, other, target, source, restoring=True)
        steps.step()
        for table, columns in REGISTRY_TABLES.items():
            if table not in op.tables:
                continue
            # REPLACE would delete-then-insert (cascading to lead_tag), hence DELETE/INSERT/UPDATE.
            _sql(f"DELETE FROM main.{table} WHERE id IN (SELECT id FROM {fro}_{table} EXCEPT SELECT id FROM {to}_{table})")
            _sql(f"INSERT INTO main.{table} SELECT * FROM {to}_{table} WHERE id NOT IN (SELECT id FROM main.{table})")
            sets = ", ".join(f"{c} = t.{c}" for c in columns)
            _sql(f"UPDATE main.{table} SET {sets} FROM (SELECT * FROM {to}_{table} EXCEPT SELECT * FROM {fro}_{table}) t "
                 f"WHERE main.{table}.id = t.id")
        for table in LINK_TABLES:
            if table not in op.tables:
                continue
            key = _LINK_KEYS[table]
            _sql(f"DELETE FROM main.{table} WHERE ({key}) IN "
                 f"(SELECT {key} FROM {fro}_{table} EXCEPT SELECT {key} FROM {to}_{table})")
            rows, where = f"(SELECT * FROM {to}_{table} EXCEPT SELECT * FROM {fro}_{table})", _PARENTS[table]
            if table == "note":
                # A note a merge moved goes back in place: an UPDATE, which sync sends as a move
                # (REPLACE would delete it and insert it again).
                _sql(f"UPDATE main.note SET lead_id = t.lead_id, body = t.body, created_at = t.created_at, "
                     f"updated_at = t.updated_at, uid = t.uid FROM {rows} t WHERE main.note.id = t.id "
                     "AND t.lead_id IN (SELECT id FROM main.lead)")
                where += " AND id NOT IN (SELECT id FROM main.note)"
            _sql(f"INSERT OR REPLACE INTO main.{table} SELECT * FROM {rows} WHERE {where}")
        _restore_lead_columns(op, f"{to}_lead", f"{fro}_lead")
        steps.step()


def _restore_lead_columns(op: Operation, to: str, fro: str) -> None:
    # Full-text columns get a statement of their own, so the FTS triggers fire only for leads
    # whose searchable text the operation really changed.
    fts = [c for c in op.lead_columns if c in FTS_COLUMNS]
    plain = [c for c in op.lead_columns if c not in FTS_COLUMNS]
    for group in (plain, fts):
        if not group:
            continue
        sets = ", ".join(f"{c} = CASE WHEN t.{c} IS NOT o.{c} THEN t.{c} ELSE main.lead.{c} END" for c in group)
        changed = " OR ".join(f"t.{c} IS NOT o.{c}" for c in group)
        _sql(f"UPDATE main.lead SET {sets} FROM {to} t JOIN {fro} o ON o.id = t.id "
             f"WHERE main.lead.id = t.id AND ({changed})")


def _write_history(op: Operation, old: str, new: str, source: str, *, restoring: bool) -> None:
    """History rows for what changed between the ``old`` and ``new`` snapshots.

    When restoring, a field's "old" value is the live one (it may have moved on since).
    """
    o, n = _t(op.id, old), _t(op.id, new)
    now = utc_now()
    for c in op.lead_columns:
        if c in _QUIET_COLUMNS:
            continue
        was = f"l.{c}" if restoring else f"o.{c}"
        _sql(
            f"INSERT INTO lead_history (lead_id, at, source, field, old, new) "
            f"SELECT n.id, ?, ?, ?, {was}, n.{c} FROM {n}_lead n JOIN {o}_lead o ON o.id = n.id "
            f"JOIN main.lead l ON l.id = n.id WHERE o.{c} IS NOT n.{c} AND {was} IS NOT n.{c}",
            (now, source, c),
        )
    # Field names as app.services.leads writes them for single-lead edits.
    for table, field in (("lead_tag", "tags"), ("membership", "campaigns"), ("note", "note")):
        if table not in op.tables:
            continue
        columns = _LINK_KEYS[table] if table != "note" else "id, lead_id"
        if table == "note":
            # A note whose text changed: one line with both texts.
            _sql(
                f"INSERT INTO lead_history (lead_id, at, source, field, old, new) "
                f"SELECT n.lead_id, ?, ?, ?, o.body, n.body FROM {n}_note n JOIN {o}_note o ON o.id = n.id "
                f"WHERE n.body IS NOT o.body AND n.lead_id IN (SELECT id FROM main.lead)",
                (now, source, field),
            )
        # Links only in the new snapshot were added; links only in the old one were removed.
        for side, other, added in ((n, o, True), (o, n, False)):
            if table == "note":
                name = f"(SELECT body FROM {side}_note WHERE id = x.id)"
            elif table == "membership":
                name = "(SELECT name FROM main.campaign WHERE id = x.campaign_id)"
            else:
                name = "(SELECT name FROM main.tag WHERE id = x.tag_id)"
                if "tag" in op.tables:  # the tag may exist only in a snapshot (made by the operation)
                    name = f"COALESCE({name}, (SELECT name FROM {side}_tag WHERE id = x.tag_id))"
            old_new = f"NULL, {name}" if added else f"{name}, NULL"
            _sql(
                f"INSERT INTO lead_history (lead_id, at, source, field, old, new) "
                f"SELECT x.lead_id, ?, ?, ?, {old_new} FROM "
                f"(SELECT {columns} FROM {side}_{table} EXCEPT SELECT {columns} FROM {other}_{table}) x "
                f"WHERE x.lead_id IN (SELECT id FROM main.lead)",
                (now, source, field),
            )


def forget_leads(ids_table: str) -> None:
    """Take the leads in ``ids_table`` out of every snapshot: they were deleted for good, and no
    copy of them may stay behind. Runs inside the purging transaction (the store attached before)."""
    for (name,) in _sql(f"SELECT name FROM {UNDO_SCHEMA}.sqlite_master WHERE type = 'table' AND name LIKE 'undo%'"):
        key = next((key for suffix, key in _LEAD_KEYS.items() if name.endswith(suffix)), None)
        if key is not None:  # the tag list and custom-field names hold no lead
            _sql(f"DELETE FROM {UNDO_SCHEMA}.{name} WHERE {key} IN (SELECT id FROM {ids_table})")


def discard(op: Operation) -> None:
    """Forget ``op``'s snapshots (it fell off the undo stack)."""
    if op.id not in _live or database.is_closed():
        _live.discard(op.id)
        return
    _live.discard(op.id)
    attach_undo_store()
    prefix = f"undo_{op.id}_"
    names = [r[0] for r in _sql(f"SELECT name FROM {UNDO_SCHEMA}.sqlite_master WHERE type = 'table'")
             if r[0].startswith(prefix)]
    for name in names:
        _sql(f"DROP TABLE IF EXISTS {UNDO_SCHEMA}.{name}")
