"""The Trash: deleted leads wait here, restorable, until the rep empties it for good.

Moving to the Trash is ``bulk.delete_to_trash``; restoring is undoable too. Emptying (or purging
some) erases leads for good and cannot be undone: only leads already in the Trash are purged, so a
slip cannot erase live work; in a team, only those the rep owns (any, for a manager: the server
refuses anyone else's purge). Their memberships, tags, notes and history go with them (ON
DELETE CASCADE); import undo records (``import_change``, which keeps overwritten values and has
no foreign key) are deleted explicitly. ``secure_delete`` zeroes the freed space, the FTS index is
merged so no token of the lead survives in an old segment, and a TRUNCATE checkpoint empties the
WAL of the old page images. The merge rewrites the whole search index (~3 s per 100,000 leads), so
callers run it off the GUI thread. Backups made before the purge still hold the leads until
rotation removes them.
"""

import json
from dataclasses import dataclass

from app.db.connection import attach_undo_store, checkpoint_truncate, database, optimize_search_index
from app.db.models import utc_now
from app.services import undo
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


def restore(lead_ids=None, **watch) -> Operation:
    """Bring these leads (default: every lead in the Trash) back to the list, undoably.

    ``progress``/``cancelled`` keywords go on to ``undo.run``."""
    def change(ids):
        database.execute_sql(
            f"UPDATE lead SET deleted_at = NULL, updated_at = ? "
            f"WHERE id IN (SELECT id FROM {ids}) AND deleted_at IS NOT NULL", (utc_now(),))

    if lead_ids is None:
        lead_ids = [r[0] for r in database.execute_sql("SELECT id FROM lead WHERE deleted_at IS NOT NULL")]
    return undo.run(lambda n: f"Restore {plural(n)}", lead_ids, change,
                    lead_columns=("deleted_at",), tables=(), source="restored from Trash", **watch)


# In a team only a lead's owner or a manager may delete it for good (the server refuses anyone else):
# the other reps' leads stay in the Trash. A lead not yet synced has no owner: it is the rep's own.
_NOT_MINE = ("owner NOT IN ('', (SELECT coalesce(rep, '') FROM sync_state)) "
             "AND (SELECT enabled AND NOT manager FROM sync_state)")


def kept_for_others() -> dict[str, int]:
    """The Trash leads this rep may not delete for good, counted by owner (empty without a team)."""
    rows = database.execute_sql(f"SELECT owner, count(*) FROM lead WHERE deleted_at IS NOT NULL AND {_NOT_MINE} "
                                "GROUP BY owner ORDER BY owner")
    return dict(rows.fetchall())


def kept_message(kept: dict[str, int]) -> str:
    """"2 leads stay in the Trash: only bob or a manager may delete them for good." ('' if none)."""
    if not kept:
        return ""
    owners = sorted(kept)
    names = owners[0] if len(owners) == 1 else ", ".join(owners[:-1]) + " and " + owners[-1]
    count = sum(kept.values())
    stay, them = ("stays", "it") if count == 1 else ("stay", "them")
    return f"{plural(count)} {stay} in the Trash: only {names} or a manager may delete {them} for good."


def empty() -> int:
    """Delete every lead in the Trash for good (in a team: those this rep may); returns how many. Not undoable."""
    return _purge(f"SELECT id FROM lead WHERE deleted_at IS NOT NULL AND NOT ({_NOT_MINE})", ())


def purge(lead_ids) -> int:
    """Delete these Trash leads for good (in a team: those this rep may); returns how many. Not undoable."""
    ids = json.dumps([int(i) for i in lead_ids])
    return _purge(f"SELECT id FROM lead WHERE deleted_at IS NOT NULL AND NOT ({_NOT_MINE}) "
                  "AND id IN (SELECT value FROM json_each(?))", (ids,))


def _purge(select_ids: str, params: tuple) -> int:
    attach_undo_store()  # the leads' undo snapshots go too
    with database.atomic():
        database.execute_sql("CREATE TEMP TABLE IF NOT EXISTS purge_ids (id INTEGER PRIMARY KEY)")
        database.execute_sql("DELETE FROM temp.purge_ids")
        count = database.execute_sql(f"INSERT INTO temp.purge_ids {select_ids}", params).rowcount
        if count:
            database.execute_sql("DELETE FROM import_change WHERE lead_id IN (SELECT id FROM temp.purge_ids)")
            database.execute_sql("DELETE FROM lead WHERE id IN (SELECT id FROM temp.purge_ids)")
            undo.forget_leads("temp.purge_ids")
            optimize_search_index()
        database.execute_sql("DELETE FROM temp.purge_ids")
    if count:
        checkpoint_truncate()
    return count
