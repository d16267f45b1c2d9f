"""Deleting leads for good (emptying the Trash): no trace left in the database file or its WAL.

Only leads already in the Trash are purged, so a slip cannot erase live work. Their memberships,
tags, notes and history go with them (ON DELETE CASCADE); import undo records (``import_change``,
which keeps overwritten values and has no foreign key) are deleted explicitly. ``secure_delete``
zeroes the freed space, the FTS index is merged so no token of the lead survives in an old
segment, and a TRUNCATE checkpoint empties the WAL of the old page images.

The index merge rewrites the whole search index (~3 s per 100,000 leads), so callers with big
databases should show a busy indicator. Backups made before the purge still hold the leads until
rotation removes them.
"""

import json
from collections.abc import Iterable

from app.db.connection import checkpoint_truncate, database, optimize_search_index


def purge_leads(lead_ids: Iterable[int]) -> int:
    """Erase these leads if they are in the Trash; returns how many were erased."""
    ids = json.dumps([int(i) for i in lead_ids])
    return _purge("SELECT id FROM lead WHERE deleted_at IS NOT NULL AND id IN (SELECT value FROM json_each(?))", (ids,))


def empty_trash() -> int:
    """Erase every lead in the Trash; returns how many were erased."""
    return _purge("SELECT id FROM lead WHERE deleted_at IS NOT NULL", ())


def _purge(select_ids: str, params: tuple) -> int:
    with database.atomic():
        database.execute_sql("CREATE TEMP TABLE IF NOT EXISTS purge_ids (id INTEGER PRIMARY KEY)")
        database.execute_sql("DELETE FROM temp.purge_ids")
        count = database.execute_sql(f"INSERT INTO temp.purge_ids {select_ids}", params).rowcount
        if count:
            database.execute_sql("DELETE FROM import_change WHERE lead_id IN (SELECT id FROM temp.purge_ids)")
            database.execute_sql("DELETE FROM lead WHERE id IN (SELECT id FROM temp.purge_ids)")
            optimize_search_index()
        database.execute_sql("DELETE FROM temp.purge_ids")
    if count:
        checkpoint_truncate()
    return count
