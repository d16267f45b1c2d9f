"""An empty replica's first sync: the team base loaded whole from the server's snapshot.

Replaying the change log from version 0 applies every lead, tag and membership the team ever
pushed one change at a time; a replica that has never synced and holds no lead instead loads the
server's snapshot (``server.snapshot``) in ONE local transaction, through the import's bulk load
(search index, membership flags and the list's indexes done once, set-based, at the end), and its
cursor becomes the snapshot's version: the pull goes on from there for what came later. A sync cut
off half-way leaves the replica as empty as it was, so the next one downloads it again.

The load runs with ``sync_state.applying`` set, like every pulled change: nothing loaded goes to the
outbox. What it gives equals a replay, in the same order (lead and note ids follow the log's
versions), except the History lines a replay writes for the team's past edits.
"""

from typing import TYPE_CHECKING

from app.db.connection import database
from app.db.models import utc_now
from app.db.schema_v4 import SYNCED_LEAD_FIELDS
from app.services.importing.bulkload import BULK_ROWS, BulkLoad, members_insert
from app.services.sync.replica import _applying, _element_id, _one

if TYPE_CHECKING:
    from app.services.sync.server import Snapshot

_LEAD_COLUMNS = ("id", "uid", *SYNCED_LEAD_FIELDS, "owner", "created_at")
# The links arrive by the lead's uid; they wait in temp tables with the lead's id instead, from the id the
# lead pages gave each uid (``load``). Joined on the uid index, the 2M links of 1M leads took ~8 s of random
# lookups. Table -> (columns, position of the lead's uid in a row).
_TEMP = {"snapshot_lead_tag": ("lead_id INTEGER, tag_uid TEXT", 0),
         "snapshot_membership": ("lead_id INTEGER, campaign_uid TEXT, added_at TEXT", 0),
         "snapshot_note": ("id INTEGER, lead_id INTEGER, body TEXT, created_at TEXT, uid TEXT", 1)}


def wanted() -> bool:
    """Whether the open replica is empty: never synced and no lead (not even in the Trash)."""
    return not _one("SELECT cursor FROM sync_state") and not _one("SELECT 1 FROM lead LIMIT 1")


def load(snapshot: "Snapshot") -> int:
    """Load ``snapshot`` into the empty replica and set the cursor to its version; returns rows loaded."""
    conn = database.connection()
    now = utc_now()
    loaded = 0
    with _applying():
        # An empty list: building its indexes once at the end is cheaper at any size.
        bulk = BulkLoad(conn, first_new_id=1, expected_rows=BULK_ROWS, rebuilt=None)
        marks = ", ".join("?" * len(_LEAD_COLUMNS))
        insert = f"INSERT INTO lead ({', '.join(_LEAD_COLUMNS)}, updated_at) VALUES ({marks}, '{now}')"
        lead_ids: dict[str, int] = {}
        for rows in snapshot.pages("snapshot_lead"):
            conn.executemany(insert, rows)
            lead_ids.update((row[1], row[0]) for row in rows)
            loaded += len(rows)
        for table, value in (("tag", lambda name, color: {"name": name, "color": color}),
                             ("campaign", lambda name: {"name": name})):
            for rows in snapshot.pages(f"snapshot_{table}"):
                for uid, *rest in rows:
                    _element_id(table, uid, value(*rest))
        loaded += _into_temp(conn, snapshot, "snapshot_lead_tag", lead_ids)
        # The lead indexes while the server works the memberships out (its longest step after the leads: a few
        # seconds of its change log).
        with snapshot.meanwhile("snapshot_membership"):
            bulk.indexes_back("lead")
        loaded += (_into_temp(conn, snapshot, "snapshot_membership", lead_ids)
                   + _into_temp(conn, snapshot, "snapshot_note", lead_ids))
        del lead_ids
        conn.execute("INSERT OR IGNORE INTO lead_tag (lead_id, tag_id) SELECT s.lead_id, t.id FROM temp.snapshot_lead_tag s "
                     "JOIN tag t ON t.uid = s.tag_uid")
        # The flags read each member's lead: in id order, page after page, not one random page per member.
        conn.execute("CREATE TEMP TABLE snapshot_member_ids AS SELECT s.lead_id, c.id AS campaign_id, s.added_at "
                     "FROM temp.snapshot_membership s JOIN campaign c ON c.uid = s.campaign_uid ORDER BY s.lead_id")
        conn.execute(members_insert("coalesce(s.added_at, ?)", "temp.snapshot_member_ids s JOIN lead l ON l.id = s.lead_id "
                                    "JOIN campaign c ON c.id = s.campaign_id"), (now,))
        conn.execute("DROP TABLE temp.snapshot_member_ids")
        conn.execute("INSERT INTO note (id, lead_id, body, created_at, updated_at, uid) SELECT s.id, s.lead_id, s.body, "
                     "s.created_at, s.created_at, s.uid FROM temp.snapshot_note s")
        for table in _TEMP:
            conn.execute(f"DROP TABLE temp.{table}")
        bulk.end()
        database.execute_sql("UPDATE sync_state SET cursor = ?", (snapshot.version,))
    return loaded


def _into_temp(conn, snapshot: "Snapshot", table: str, lead_ids: dict[str, int]) -> int:
    """One link cursor's rows into its temp table, each with its lead's id for its uid; returns how many came.

    A link to a lead the snapshot does not hold (none should) is left out, as a join would leave it.
    """
    columns, at = _TEMP[table]
    conn.execute(f"CREATE TEMP TABLE {table} ({columns})")
    marks = ", ".join("?" * len(columns.split(",")))
    count = 0
    for rows in snapshot.pages(table):
        conn.executemany(f"INSERT INTO temp.{table} VALUES ({marks})",
                         [(*row[:at], lead_ids[row[at]], *row[at + 1:]) for row in rows if row[at] in lead_ids])
        count += len(rows)
    return count
