"""What an import does around its batches: row-by-row work set aside, then done set-based.

Per-row triggers cost more than the rows they follow, so for the run (inside its one transaction, so a
failure puts them back with everything else) the import drops:

- the full-text triggers: new leads are indexed with one ``INSERT ... SELECT`` at the end (updated ones
  get explicit 'delete' + insert entries per batch, see ``store``);
- ``lead_brief_ai``: new leads' briefs (``schema.V10_LEAD_BRIEF``) are written with one ``INSERT ... SELECT``
  at the end, then the tags of those that have some (``V11_BRIEF_TAGS``);
- ``lead_membership_flags_ai``: a lead the import creates has no membership when it is inserted;
- the membership flags trigger: memberships are inserted with their flags and facets computed (``MEMBER_FLAGS``,
  ``MEMBER_FACETS``), a batch's new leads' all at once (``created``);
- ``lead_sync_ai`` when no team captures changes: it only gives a new lead its uid, which the import writes.

With a team, ``lead_sync_ai`` stays, so each new lead is queued in the outbox in order with the field
changes and memberships that follow it. Everything dropped is put back, as it was, before commit.
An empty replica's first sync (``app.services.sync.first``) loads the team base the same way.
"""

import sqlite3

from app.db.schema import (
    BRIEF_COLUMNS,
    BRIEF_INSERT_TRIGGER,
    BRIEF_TAGS,
    FTS_COLUMNS,
    FTS_TRIGGER_NAMES,
    MEMBER_FACETS,
    MEMBER_FLAGS,
    MEMBER_FLAGS_TRIGGER,
)

# A big file into a small database: the indexes ordered by a name get their new leads' keys in random
# order, and sorting them once at the end (CREATE INDEX) beats a million random B-tree inserts (1M leads:
# lead_name kept 3.3 s, built 2.0 s). Every other index is kept: its new keys come in id order (ids, uids),
# take a few values each appended in id order (e-mail status, size, country, review state)
# or seldom occur (VIP, owner, fingerprint, the Trash), so rows land on a few pages and keeping it costs
# less than a build's pass over the table (e-mail status kept 0.4 s, built 1.1 s). Matching looks up
# by e-mail and LinkedIn URL as the run goes, so those are kept at any cost.
BULK_ROWS = 20_000
_REBUILT_INDEXES = ("lead_name", "lead_company")
_MEMBERSHIP_FACETS = "membership_facets"
_LEAD_FLAGS_TRIGGER = "lead_membership_flags_ai"
_UID_TRIGGER = "lead_sync_ai"
_SORT_THREADS = 2

# FTS5's defaults, and the in-memory size of postings a bulk fill gathers before writing a segment
# (64 MB: fewer, bigger segments, 17% less CPU than 16 MB for 200k leads).
_FTS_AUTOMERGE = 4
_FTS_HASH = 1024 * 1024
_FTS_BULK_HASH = 64 * 1024 * 1024
_FTS = ", ".join(FTS_COLUMNS)


def members_insert(added_at: str, sources: str) -> str:
    """The INSERT of memberships with their flags and facets, one per row of ``sources`` (campaign ``c``, lead ``l``).

    ``added_at``: its SQL expression; ``sources``: what follows FROM, conditions included.
    """
    return ("INSERT OR IGNORE INTO membership (campaign_id, lead_id, stage, added_at, live, processed, reviewed,"
            f" valid_target, {MEMBER_FACETS.replace('l.', '')}) SELECT c.id, l.id, 'discovered', {added_at},"
            f" {MEMBER_FLAGS}, {MEMBER_FACETS} FROM {sources}")


def members_sql(lead_condition: str) -> str:
    """Insert the memberships of campaign ``?`` for the leads ``l`` matching ``lead_condition``.

    Parameters: added_at, campaign id, then those of ``lead_condition``.
    """
    return members_insert("?", f"campaign c, lead l WHERE c.id = ? AND {lead_condition}")


class BulkLoad:
    """The triggers (and, for a big file, indexes) set aside for one import run, and its end."""

    def __init__(self, conn: sqlite3.Connection, first_new_id: int, expected_rows: int,
                 rebuilt: tuple[str, ...] | None = _REBUILT_INDEXES):
        """``rebuilt``: the indexes built again at the end (None: every lead index and ``membership_facets``,
        as a first sync, which inserts in the server's order, wants)."""
        self.conn = conn
        self.first_new_id = first_new_id
        self.capture = bool(conn.execute("SELECT enabled AND NOT applying FROM sync_state").fetchone()[0])
        names = (*FTS_TRIGGER_NAMES, BRIEF_INSERT_TRIGGER, _LEAD_FLAGS_TRIGGER, MEMBER_FLAGS_TRIGGER,
                 *(() if self.capture else (_UID_TRIGGER,)))
        self._triggers = conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({','.join('?' * len(names))})",
            names,
        ).fetchall()
        for name, _ in self._triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        self._indexes = []
        if expected_rows >= BULK_ROWS and expected_rows >= first_new_id:
            which = (f"(tbl_name = 'lead' OR name = '{_MEMBERSHIP_FACETS}')" if rebuilt is None
                     else f"name IN ({','.join('?' * len(rebuilt))})")
            self._indexes = conn.execute(
                f"SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND {which}",
                rebuilt or (),
            ).fetchall()
            for name, _, _ in self._indexes:
                conn.execute(f'DROP INDEX "{name}"')

    def created(self, run_id: int, campaign_id: int | None, now: str, first: int, end: int) -> None:
        """The set-based writes for a batch's new leads, ids ``first`` to ``end`` - 1: undo entries, campaign.

        Per batch, not once at the end: the writer has time to spare while the reader parses the next one.
        """
        conn = self.conn
        conn.execute("INSERT INTO import_change (import_id, lead_id, kind) SELECT ?, id, 'created' FROM lead"
                     " WHERE id >= ? AND id < ?", (run_id, first, end))
        if campaign_id:
            conn.execute(members_sql("l.id >= ? AND l.id < ?"), (now, campaign_id, first, end))

    def end(self) -> None:
        """The new leads (ids from ``first_new_id`` on) into the search and the brief in one pass each, then the
        triggers and indexes back."""
        conn, first = self.conn, self.first_new_id
        # The bulk fill writes its postings in a few big segments and leaves merging them into the
        # older segments to FTS5's usual incremental merges (the automerge of later writes): merging
        # at once rewrote the whole index, ~3 s per 100k new leads into 1M. Both settings are
        # put back before commit, as they were.
        saved = dict(conn.execute("SELECT k, v FROM lead_fts_config WHERE k IN ('automerge', 'hashsize')"))
        self._fts_config(automerge=0, hashsize=_FTS_BULK_HASH)
        conn.execute(f"INSERT INTO lead_fts (rowid, {_FTS}) SELECT id, {_FTS} FROM lead WHERE id >= ?", (first,))
        self._fts_config(automerge=saved.get("automerge", _FTS_AUTOMERGE), hashsize=saved.get("hashsize", _FTS_HASH))
        conn.execute(f"INSERT INTO lead_brief ({BRIEF_COLUMNS}) SELECT {BRIEF_COLUMNS} FROM lead WHERE id >= ?", (first,))
        # Their tags' triggers found no brief to write: the new leads' tags are written here.
        conn.execute(f"UPDATE lead_brief SET tags = {BRIEF_TAGS.format(lead='lead_brief.id')}"
                     " WHERE id IN (SELECT lead_id FROM lead_tag WHERE lead_id >= ?)", (first,))
        for _, sql in self._triggers:
            conn.execute(sql)
        self.indexes_back()

    def indexes_back(self, table: str | None = None) -> None:
        """The dropped indexes (of ``table`` only, if given) built again, once: ``end`` builds those still missing."""
        conn = self.conn
        # The file is read by now, so the reader's core is free: CREATE INDEX sorts on two threads.
        threads = conn.execute("PRAGMA threads").fetchone()[0]
        conn.execute(f"PRAGMA threads = {max(threads, _SORT_THREADS)}")
        try:
            for _, sql, _ in [i for i in self._indexes if table in (None, i[2])]:
                conn.execute(sql)
            self._indexes = [i for i in self._indexes if table not in (None, i[2])]
        finally:
            conn.execute(f"PRAGMA threads = {threads}")

    def _fts_config(self, **values) -> None:
        for key, value in values.items():
            self.conn.execute("INSERT INTO lead_fts (lead_fts, rank) VALUES (?, ?)", (key, value))
