"""The local side of sync, on the app's SQLite ``database``: reading the outbox, applying results.

Everything applied from the server runs in one transaction with ``sync_state.applying`` set, so
the capture triggers do not echo it back into the outbox; the pull cursor is saved in the same
transaction as the page it covers.
"""

import itertools
import json
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.db.connection import database
from app.db.models import utc_now
from app.db.schema import FTS_COLUMNS
from app.db.schema_v4 import SYNCED_LEAD_FIELDS

_FTS = ", ".join(FTS_COLUMNS)
_FTS_MARKS = ", ".join("?" * len(FTS_COLUMNS))

if TYPE_CHECKING:  # the server module (and psycopg) loads only when a team syncs
    from app.services.sync.server import PushResult


def _one(sql: str, *params):
    row = database.execute_sql(sql, params).fetchone()
    return row[0] if row else None


def state() -> dict:
    keys = ("enabled", "client_id", "server", "rep", "cursor", "last_synced_at", "manager")
    row = database.execute_sql(f"SELECT {', '.join(keys)} FROM sync_state").fetchone()
    return dict(zip(keys, row))


def note_manager(manager: bool) -> None:
    """Remember whether the joined rep is a manager (the server said so at this sync)."""
    with database.atomic():
        database.execute_sql("UPDATE sync_state SET manager = ?", (int(manager),))


def enable(server: str, rep: str) -> int:
    """Turn capture on and queue what the file already holds (its first push); returns rows queued."""
    with database.atomic():
        if _one("SELECT enabled FROM sync_state"):
            # Another rep or server: whether this one is a manager is known at its first sync.
            database.execute_sql("UPDATE sync_state SET manager = manager AND server IS ? AND rep IS ?, server = ?, rep = ?",
                                 (server, rep, server, rep))
            return 0
        now = utc_now()
        lead_json = "json_object(" + ", ".join(f"'{f}', {f}" for f in SYNCED_LEAD_FIELDS) + ")"
        database.execute_sql(f"INSERT INTO outbox (kind, lead_uid, new, at) SELECT 'lead_new', uid, {lead_json}, ? "
                             "FROM lead ORDER BY id", (now,))
        database.execute_sql(
            "INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'tag_add', l.uid, t.uid, "
            "json_object('name', t.name, 'color', t.color), ? FROM lead_tag lt JOIN lead l ON l.id = lt.lead_id "
            "JOIN tag t ON t.id = lt.tag_id", (now,))
        database.execute_sql(
            "INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'member_add', l.uid, c.uid, "
            "json_object('name', c.name), ? FROM membership m JOIN lead l ON l.id = m.lead_id "
            "JOIN campaign c ON c.id = m.campaign_id", (now,))
        database.execute_sql(
            "INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'note', l.uid, n.uid, "
            "json_object('body', n.body, 'created_at', n.created_at), ? FROM note n JOIN lead l ON l.id = n.lead_id",
            (now,))
        database.execute_sql("UPDATE sync_state SET enabled = 1, server = ?, rep = ?", (server, rep))
        return _one("SELECT count(*) FROM outbox")


def disable() -> int:
    """Turn capture off and forget the team (server, rep, cursor); every lead stays as it is.

    The changes still queued are dropped (they stay in the leads here, they are only not sent);
    returns how many. A later join queues the whole file again and pulls the team from the start.
    """
    with database.atomic():
        dropped = waiting()
        database.execute_sql("DELETE FROM outbox")
        database.execute_sql("UPDATE sync_state SET enabled = 0, applying = 0, server = NULL, rep = NULL, cursor = 0, "
                             "last_synced_at = NULL, manager = 0")
    return dropped


def waiting() -> int:
    return _one("SELECT count(*) FROM outbox")


def outbox_batch(limit: int) -> tuple[list[dict], int]:
    """The oldest ``limit`` outbox rows as mutations, and the last row id they cover.

    Changes to one field of one lead are sent as one (the first base, the last value) under the
    last row's id, so a rep who edits a field twice offline gets one conflict at most, not two.
    """
    rows = database.execute_sql("SELECT id, kind, lead_uid, field, ref, old, new, at FROM outbox ORDER BY id LIMIT ?",
                                (limit,)).fetchall()
    mutations: list[dict] = []
    fields: dict[tuple, dict] = {}
    for id_, kind, lead, field, ref, old, new, at in rows:
        if kind == "field":
            earlier = fields.pop((lead, field), None)
            base = earlier["base"] if earlier else old
            if earlier:
                mutations.remove(earlier)
            m = {"id": id_, "kind": kind, "lead": lead, "field": field, "base": base, "new": new, "at": at}
            fields[(lead, field)] = m
        else:
            m = {"id": id_, "kind": kind, "lead": lead, "ref": ref, "new": json.loads(new) if new else None, "at": at}
        mutations.append(m)
    return mutations, (rows[-1][0] if rows else 0)


@contextmanager
def _applying():
    with database.atomic():
        database.execute_sql("UPDATE sync_state SET applying = 1")
        yield
        database.execute_sql("UPDATE sync_state SET applying = 0")


def _lead_id(uid: str) -> int | None:
    return _one("SELECT id FROM lead WHERE uid = ?", uid)


def _set_field(lead_id: int, name: str, value, source: str | None = None) -> None:
    old = _one(f"SELECT {name} FROM lead WHERE id = ?", lead_id)
    if old == value:
        return
    now = utc_now()
    database.execute_sql(f"UPDATE lead SET {name} = ?, updated_at = ? WHERE id = ?", (value, now, lead_id))
    if source:
        database.execute_sql("INSERT INTO lead_history (lead_id, at, source, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
                             (lead_id, now, source, name, old, value))


def _merge_local(source_id: int, target_id: int) -> None:
    # The server merged our copy into a lead we already hold: its links follow, the copy goes.
    for table in ("membership", "lead_tag"):
        database.execute_sql(f"UPDATE OR IGNORE {table} SET lead_id = ? WHERE lead_id = ?", (target_id, source_id))
    database.execute_sql("UPDATE note SET lead_id = ? WHERE lead_id = ?", (target_id, source_id))
    database.execute_sql("DELETE FROM lead WHERE id = ?", (source_id,))


def _bring_back(whole: dict) -> None:
    """A purge the server refused: the lead it holds comes back here, with its tags, campaigns and notes."""
    values = {name: whole[name] for name in SYNCED_LEAD_FIELDS + ("owner", "created_at") if name in whole}
    if values.get("id_lead") and _one("SELECT 1 FROM lead WHERE id_lead = ?", values["id_lead"]):
        values["id_lead"] = None  # taken here since (id_lead is unique in the file): the lead still comes back
    columns = ("uid", *values, "updated_at")
    lead_id = database.execute_sql(f"INSERT INTO lead ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                   (whole["uid"], *values.values(), utc_now())).lastrowid
    for tag in whole["tags"]:
        database.execute_sql("INSERT OR IGNORE INTO lead_tag (lead_id, tag_id) VALUES (?, ?)",
                             (lead_id, _element_id("tag", tag["uid"], tag)))
    for campaign in whole["campaigns"]:
        database.execute_sql("INSERT OR IGNORE INTO membership (lead_id, campaign_id, added_at) VALUES (?, ?, ?)",
                             (lead_id, _element_id("campaign", campaign["uid"], campaign), utc_now()))
    for note in whole["notes"]:
        database.execute_sql("INSERT OR IGNORE INTO note (lead_id, body, created_at, updated_at, uid) VALUES (?, ?, ?, ?, ?)",
                             (lead_id, note["body"], note["created_at"], note["created_at"], note["uid"]))
    database.execute_sql("INSERT INTO lead_history (lead_id, at, source, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
                         (lead_id, utc_now(), "refused by the team server", "deleted_at", None, whole["deleted_at"]))


def apply_push(result: "PushResult", mutations: list[dict], last_id: int) -> None:
    """Record what the server did with a push: uid mappings, conflicts, refusals; drop the sent rows."""
    with _applying():
        for source, target in result.uid_map.items():
            source_id, target_id = _lead_id(source), _lead_id(target)
            if source_id is not None:
                if target_id is not None:
                    _merge_local(source_id, target_id)
                else:
                    database.execute_sql("UPDATE lead SET uid = ? WHERE id = ?", (target, source_id))
            else:
                for table in ("tag", "campaign"):
                    if not _one(f"SELECT 1 FROM {table} WHERE uid = ?", target):
                        database.execute_sql(f"UPDATE {table} SET uid = ? WHERE uid = ?", (target, source))
            database.execute_sql("UPDATE outbox SET lead_uid = ? WHERE lead_uid = ?", (target, source))
            database.execute_sql("UPDATE outbox SET ref = ? WHERE ref = ?", (target, source))
        now = utc_now()
        for c in result.conflicts:
            lead_id = _lead_id(c["lead"])
            if lead_id is not None:
                _set_field(lead_id, c["field"], c["theirs"], f"changed by {c['theirs_rep'] or 'the team'}")
            database.execute_sql(
                "INSERT INTO sync_conflict (lead_uid, field, mine, theirs, original, theirs_rep, theirs_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (c["lead"], c["field"], c["mine"], c["theirs"], c["original"], c["theirs_rep"], c["theirs_at"], now))
        for r in result.rejected:
            lead_id = _lead_id(r["lead"])
            if r["kind"] == "field" and lead_id is not None and r["theirs"] is not None:
                _set_field(lead_id, r["field"], r["theirs"], "refused by the team server")
            elif r["kind"] == "purge" and lead_id is None and r["theirs"]:
                _bring_back(r["theirs"])
        database.execute_sql("DELETE FROM outbox WHERE id <= ?", (last_id,))


def _element_id(table: str, uid: str, value: dict) -> int:
    """The local tag or campaign for a pulled uid: by uid, else by name (it takes the uid), else new."""
    found = _one(f"SELECT id FROM {table} WHERE uid = ?", uid)
    if found:
        return found
    found = _one(f"SELECT id FROM {table} WHERE name = ?", value["name"])  # both tables: UNIQUE NOCASE
    if found:
        database.execute_sql(f"UPDATE {table} SET uid = ? WHERE id = ?", (uid, found))
        return found
    if table == "tag":
        cursor = database.execute_sql("INSERT INTO tag (name, color, uid) VALUES (?, ?, ?)",
                                      (value["name"], value.get("color", "#5b8def"), uid))
    else:
        cursor = database.execute_sql("INSERT INTO campaign (name, created_at, uid) VALUES (?, ?, ?)",
                                      (value["name"], utc_now(), uid))
    return cursor.lastrowid


# The columns a pulled change may write: the synced fields, and the owner the server keeps.
_WRITABLE = frozenset(SYNCED_LEAD_FIELDS) | {"owner"}
_CHUNK = 5000  # ids per IN (...) lookup
# Many new leads in a page skip the lead's INSERT triggers, put back in the same transaction: the
# search index is filled for all of them at once; the capture trigger writes nothing while applying
# (and a pulled lead has its uid); a lead with a new id has no membership flags to compute yet.
# Many leads' searchable text changed in a page: their index entries are replaced the same way.
_BULK = 200
_INSERT_TRIGGERS = ("lead_fts_ai", "lead_sync_ai", "lead_membership_flags_ai")


def _lead_ids(conn, uids) -> dict[str, int]:
    found: dict[str, int] = {}
    uids = list(uids)
    for start in range(0, len(uids), _CHUNK):
        chunk = uids[start:start + _CHUNK]
        found.update(conn.execute(f"SELECT uid, id FROM lead WHERE uid IN ({','.join('?' * len(chunk))})", chunk))
    return found


class _Page:
    """One pulled page being applied: runs of changes of one kind are written with ``executemany``.

    A run keeps the page's order where it matters (the same lead field changed twice: the last
    wins, each change in history), and the uid -> id map follows new and deleted leads.
    """

    def __init__(self, conn, changes: list[dict], client_id: str):
        self.conn, self.client_id, self.now = conn, client_id, utc_now()
        self.ids = _lead_ids(conn, {c["lead"] for c in changes})
        self.applied = 0

    def _source(self, c: dict) -> str | None:
        return f"changed by {c['rep']}" if c["client_id"] != self.client_id else None

    def _count(self, c: dict) -> None:
        self.applied += c["client_id"] != self.client_id

    def lead_new(self, run: list[dict]) -> None:
        fresh: dict[str, dict] = {}
        known = []
        for c in run:
            self._count(c)
            if c["lead"] in self.ids or c["lead"] in fresh:
                known.extend({**c, "kind": "field", "field": name, "value": v, "client_id": self.client_id}
                             for name, v in c["value"].items() if name in _WRITABLE)
            else:
                fresh[c["lead"]] = c
        if fresh:
            self._insert(list(fresh.values()))
        if known:
            self.field(known, count=False)

    def _insert(self, run: list[dict]) -> None:
        conn = self.conn
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM lead").fetchone()[0]
        triggers = []
        if len(run) >= _BULK:
            triggers = conn.execute(f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                                    f"({', '.join('?' * len(_INSERT_TRIGGERS))})", _INSERT_TRIGGERS).fetchall()
            for name in _INSERT_TRIGGERS:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        shapes: dict[tuple, list] = {}
        for number, c in enumerate(run):
            names = tuple(name for name in c["value"] if name in _WRITABLE)
            shapes.setdefault(names, []).append((first + number, c["lead"], *(c["value"][n] for n in names), c["at"],
                                                 self.now))
            self.ids[c["lead"]] = first + number
        for names, rows in shapes.items():
            columns = ("id", "uid", *names, "created_at", "updated_at")
            conn.executemany(f"INSERT INTO lead ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
        if triggers:
            conn.execute(f"INSERT INTO lead_fts (rowid, {_FTS}) SELECT id, {_FTS} FROM lead WHERE id >= ?", (first,))
            for (sql,) in triggers:
                conn.execute(sql)

    def field(self, run: list[dict], count: bool = True) -> None:
        by_field: dict[str, dict[int, object]] = {}
        for c in run:
            lead_id = self.ids.get(c["lead"])
            if lead_id is not None and c["field"] in _WRITABLE:
                by_field.setdefault(c["field"], {})[lead_id] = None
        current = {}
        for name, leads in by_field.items():
            ids = list(leads)
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                current.update(((lead_id, name), value) for lead_id, value in self.conn.execute(
                    f"SELECT id, {name} FROM lead WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        changed: dict[str, dict[int, object]] = {}
        history = []
        for c in run:
            key = (self.ids.get(c["lead"]), c["field"])
            if key not in current:
                continue  # a lead deleted here for good, or never ours to see; a field this version lacks
            if count:
                self._count(c)
            old, new = current[key], c["value"]
            if old == new:
                continue
            current[key] = new
            changed.setdefault(key[1], {})[key[0]] = new
            source = self._source(c)
            if source:
                history.append((key[0], self.now, source, key[1], old, new))
        reindexed = sorted({lead_id for name, values in changed.items() if name in FTS_COLUMNS for lead_id in values})
        with self._search_index_by_hand(reindexed):
            for name, values in changed.items():
                self.conn.executemany(f"UPDATE lead SET {name} = ?, updated_at = ? WHERE id = ?",
                                      [(value, self.now, lead_id) for lead_id, value in values.items()])
        self.conn.executemany("INSERT INTO lead_history (lead_id, at, source, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
                              history)

    @contextmanager
    def _search_index_by_hand(self, lead_ids: list[int]):
        """Many leads' searchable text changing: their index entries are replaced in two statements
        around the block (the update trigger, row by row, costs about three times more)."""
        if len(lead_ids) < _BULK:
            yield
            return
        conn = self.conn
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'lead_fts_au'").fetchone()
        old = []
        for start in range(0, len(lead_ids), _CHUNK):
            chunk = lead_ids[start:start + _CHUNK]
            old += conn.execute(f"SELECT id, {_FTS} FROM lead WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        if trigger:
            conn.execute("DROP TRIGGER lead_fts_au")
        yield
        conn.executemany(f"INSERT INTO lead_fts (lead_fts, rowid, {_FTS}) VALUES ('delete', ?, {_FTS_MARKS})", old)
        for start in range(0, len(lead_ids), _CHUNK):
            chunk = lead_ids[start:start + _CHUNK]
            conn.execute(f"INSERT INTO lead_fts (rowid, {_FTS}) SELECT id, {_FTS} FROM lead "
                         f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        if trigger:
            conn.execute(trigger[0])

    def _set(self, run: list[dict]) -> None:
        kind = run[0]["kind"]
        table, link, column = (("tag", "lead_tag", "tag_id") if kind.startswith("tag")
                               else ("campaign", "membership", "campaign_id"))
        elements: dict[str, int] = {}
        rows = []
        for c in run:
            lead_id = self.ids.get(c["lead"])
            if lead_id is None:
                continue
            self._count(c)
            if c["ref"] not in elements:
                elements[c["ref"]] = _element_id(table, c["ref"], c["value"])
            rows.append((lead_id, elements[c["ref"]], *([c["at"]] if table == "campaign" and kind.endswith("add") else [])))
        if kind.endswith("add"):
            extra = ", added_at" if table == "campaign" else ""
            self.conn.executemany(f"INSERT OR IGNORE INTO {link} (lead_id, {column}{extra}) VALUES (?, ?"
                                  f"{', ?' if extra else ''})", rows)
        else:
            self.conn.executemany(f"DELETE FROM {link} WHERE lead_id = ? AND {column} = ?", rows)

    tag_add = tag_remove = member_add = member_remove = _set

    def note(self, run: list[dict]) -> None:
        for c in run:
            lead_id = self.ids.get(c["lead"])
            if lead_id is None:
                continue
            self._count(c)
            value = c["value"]
            self.conn.execute("INSERT INTO note (lead_id, body, created_at, updated_at, uid) SELECT ?, ?, ?, ?, ? "
                              "WHERE NOT EXISTS (SELECT 1 FROM note WHERE uid = ?)",
                              (lead_id, value["body"], value["created_at"], value["created_at"], c["ref"], c["ref"]))

    def note_move(self, run: list[dict]) -> None:
        """A note another lead now holds (a merge moved it); one this file never had comes whole."""
        for c in run:
            lead_id = self.ids.get(c["lead"])
            if lead_id is None:
                continue
            self._count(c)
            value = c["value"]
            if not self.conn.execute("UPDATE note SET lead_id = ? WHERE uid = ?", (lead_id, c["ref"])).rowcount:
                self.conn.execute("INSERT INTO note (lead_id, body, created_at, updated_at, uid) VALUES (?, ?, ?, ?, ?)",
                                  (lead_id, value["body"], value["created_at"], value["created_at"], c["ref"]))

    def tombstone(self, run: list[dict]) -> None:
        for c in run:
            lead_id = self.ids.pop(c["lead"], None)
            if lead_id is not None:
                self._count(c)
                self.conn.execute("DELETE FROM lead WHERE id = ?", (lead_id,))


def apply_page(changes: list[dict], client_id: str) -> int:
    """Apply one pulled page and save the cursor with it, in one transaction; returns how many came from others."""
    with _applying():
        page = _Page(database.connection(), changes, client_id)
        for kind, run in itertools.groupby(changes, key=lambda c: c["kind"]):
            apply = getattr(page, kind, None)
            if apply is not None:  # a kind this version does not know is skipped, as the server sends it
                apply(list(run))
        if changes:
            database.execute_sql("UPDATE sync_state SET cursor = ?", (changes[-1]["version"],))
    return page.applied


def mark_synced() -> None:
    with database.atomic():
        database.execute_sql("UPDATE sync_state SET last_synced_at = ?", (utc_now(),))
