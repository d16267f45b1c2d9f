"""The Trash: deleted leads wait here, restorable, until the rep empties it for good.

Moving to the Trash is ``bulk.delete_to_trash``; restoring is undoable too. Emptying reuses
``leads_purge`` (secure delete, FTS merge, WAL truncate) and cannot be undone.
"""

from dataclasses import dataclass

from app.db.connection import database
from app.db.models import utc_now
from app.services import leads_purge, undo
from app.services.undo import Operation, plural


@dataclass(frozen=True)
class TrashedLead:
    id: int
    name: str
    company: str
    deleted_at: str


def count() -> int:
    return database.execute_sql("SELECT count(*) FROM lead WHERE deleted_at IS NOT NULL").fetchone()[0]


def list_trash(limit: int = 10_000) -> list[TrashedLead]:
    """Leads in the Trash, most recently deleted first."""
    rows = database.execute_sql(
        "SELECT id, trim(first_name || ' ' || last_name), company_name, deleted_at FROM lead "
        "WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC LIMIT ?", (limit,))
    return [TrashedLead(*row) for row in rows]


def restore(lead_ids=None) -> Operation:
    """Bring these leads (default: every lead in the Trash) back to the list, undoably."""
    def change(ids):
        database.execute_sql(
            f"UPDATE lead SET deleted_at = NULL, updated_at = ? "
            f"WHERE id IN (SELECT id FROM {ids}) AND deleted_at IS NOT NULL", (utc_now(),))

    if lead_ids is None:
        lead_ids = [r[0] for r in database.execute_sql("SELECT id FROM lead WHERE deleted_at IS NOT NULL")]
    return undo.run(lambda n: f"Restore {plural(n)}", lead_ids, change,
                    lead_columns=("deleted_at",), tables=(), source="restored from Trash")


def empty() -> int:
    """Delete every lead in the Trash for good; returns how many. Not undoable."""
    return leads_purge.empty_trash()


def purge(lead_ids) -> int:
    """Delete these Trash leads for good; returns how many. Not undoable."""
    return leads_purge.purge_leads(lead_ids)
