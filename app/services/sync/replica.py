"""The local side of sync, on the app's SQLite ``database``: reading the outbox, applying results.

Everything applied from the server runs in one transaction with ``sync_state.applying`` set, so
the capture triggers do not echo it back into the outbox; the pull cursor is saved in the same
transaction as the page it covers.
"""

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.db.connection import database
from app.db.models import utc_now
from app.db.schema_v4 import SYNCED_LEAD_FIELDS

if TYPE_CHECKING:  # the server module (and psycopg) loads only when a team syncs
    from app.services.sync.server import PushResult


def _one(sql: str, *params):
    row = database.execute_sql(sql, params).fetchone()
    return row[0] if row else None


def state() -> dict:
    row = database.execute_sql("SELECT enabled, client_id, server, rep, cursor, last_synced_at FROM sync_state").fetchone()
    return dict(zip(("enabled", "client_id", "server", "rep", "cursor", "last_synced_at"), row))


def enable(server: str, rep: str) -> int:
    """Turn capture on and queue what the file already holds (its first push); returns rows queued."""
    with database.atomic():
        if _one("SELECT enabled FROM sync_state"):
            database.execute_sql("UPDATE sync_state SET server = ?, rep = ?", (server, rep))
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


def apply_page(changes: list[dict], client_id: str) -> int:
    """Apply one pulled page and save the cursor with it, in one transaction; returns how many came from others."""
    applied = 0
    with _applying():
        for c in changes:
            lead_id = _lead_id(c["lead"])
            source = f"changed by {c['rep']}" if c["client_id"] != client_id else None
            kind, value = c["kind"], c["value"]
            if kind == "lead_new":
                fields = {k: v for k, v in value.items() if k in SYNCED_LEAD_FIELDS or k == "owner"}
                if lead_id is None:
                    now = utc_now()
                    columns = ["uid", *fields, "created_at", "updated_at"]
                    database.execute_sql(f"INSERT INTO lead ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                         (c["lead"], *fields.values(), c["at"], now))
                else:
                    for name, v in fields.items():
                        _set_field(lead_id, name, v)
            elif lead_id is None:
                continue  # a lead deleted here for good, or never ours to see
            elif kind == "field":
                _set_field(lead_id, c["field"], value, source)
            elif kind in ("tag_add", "tag_remove", "member_add", "member_remove"):
                table, link, column = (("tag", "lead_tag", "tag_id") if kind.startswith("tag")
                                       else ("campaign", "membership", "campaign_id"))
                element = _element_id(table, c["ref"], value)
                if kind.endswith("add"):
                    extra = ", added_at" if table == "campaign" else ""
                    database.execute_sql(f"INSERT OR IGNORE INTO {link} (lead_id, {column}{extra}) VALUES (?, ?"
                                         f"{', ?' if extra else ''})", (lead_id, element, *([c["at"]] if extra else [])))
                else:
                    database.execute_sql(f"DELETE FROM {link} WHERE lead_id = ? AND {column} = ?", (lead_id, element))
            elif kind == "note":
                if not _one("SELECT 1 FROM note WHERE uid = ?", c["ref"]):
                    database.execute_sql("INSERT INTO note (lead_id, body, created_at, updated_at, uid) "
                                         "VALUES (?, ?, ?, ?, ?)", (lead_id, value["body"], value["created_at"],
                                                                    value["created_at"], c["ref"]))
            elif kind == "tombstone":
                database.execute_sql("DELETE FROM lead WHERE id = ?", (lead_id,))
            applied += c["client_id"] != client_id
        if changes:
            database.execute_sql("UPDATE sync_state SET cursor = ?", (changes[-1]["version"],))
    return applied


def mark_synced() -> None:
    with database.atomic():
        database.execute_sql("UPDATE sync_state SET last_synced_at = ?", (utc_now(),))
