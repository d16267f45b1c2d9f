"""The team server's side of the protocol: push and pull, on a Peewee ``PostgresqlDatabase``.

A push is one transaction. It locks the single ``sync_counter`` row ``FOR UPDATE``, so pushes are
serialized and every accepted change gets the next version with no gaps (a rolled-back push
returns its numbers). A mutation already recorded for (client id, mutation id) is skipped, so a
retry after a dropped connection never applies twice. Per field: a pushed change whose base is no
longer the server's value, last written by another client, is a conflict; the server keeps its
value and returns mine / theirs / original.
"""

import json
from dataclasses import dataclass, field

import peewee as pw

from app.db.schema_v4 import SYNCED_LEAD_FIELDS
from app.db.server.schema import MANAGER_ROLE

# A second live lead with one of these is the same person: the pushed copy is merged into it.
_IDENTITY = (("id_lead", "id_lead = %s"), ("email", "lower(email) = lower(%s)"), ("linkedin_norm", "linkedin_norm = %s"))
_SETS = {"tag": ("tag", "lead_tag", "tag_uid"), "member": ("campaign", "membership", "campaign_uid")}


@dataclass
class PushResult:
    """What the server did with a push; ``uid_map`` maps the client's uids to the server's."""

    applied: int = 0
    skipped: int = 0  # already applied by an earlier attempt
    merged: int = 0  # field changes merged beside another rep's change to the same lead
    duplicates: int = 0  # pushed new leads merged into an existing lead
    conflicts: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    uid_map: dict[str, str] = field(default_factory=dict)
    version: int = 0


def _same(name: str, a, b) -> bool:
    if name == "deleted_at":  # in the Trash or not: two reps trashing one lead agree
        return (a is None) == (b is None)
    return (None if a is None else str(a)) == (None if b is None else str(b))


class _Push:
    def __init__(self, db: pw.PostgresqlDatabase, client_id: str, cursor: int):
        self.db, self.client_id, self.cursor = db, client_id, cursor
        self.rep = self._one("SELECT current_user")
        self.manager = bool(self._one("SELECT pg_has_role(current_user, %s, 'MEMBER')", MANAGER_ROLE))
        self.result = PushResult()

    def _one(self, sql: str, *params):
        row = self.db.execute_sql(sql, params).fetchone()
        return row[0] if row else None

    def _stamp(self, kind: str, lead: str, at: str, field=None, ref=None, value=None) -> None:
        self.version += 1
        self.db.execute_sql(
            "INSERT INTO change (version, kind, lead_uid, field, ref, value, client_id, rep, at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (self.version, kind, lead, field, ref, json.dumps(value), self.client_id, self.rep, at))
        if kind == "field":
            self.db.execute_sql(
                "INSERT INTO field_stamp (lead_uid, field, version, client_id, rep, at) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (lead_uid, field) DO UPDATE SET version = excluded.version, "
                "client_id = excluded.client_id, rep = excluded.rep, at = excluded.at",
                (lead, field, self.version, self.client_id, self.rep, at))

    def _resolve(self, uid: str, kind: str = "lead") -> str:
        target = self._one("SELECT target::text FROM uid_alias WHERE uid = %s AND kind = %s", uid, kind)
        return target or uid

    def run(self, mutations: list[dict]) -> PushResult:
        with self.db.atomic():
            self.version = self._one("SELECT version FROM sync_counter WHERE id = 1 FOR UPDATE")
            for m in mutations:
                new = self._one("INSERT INTO mutation (client_id, mutation_id) VALUES (%s, %s) ON CONFLICT DO NOTHING "
                                "RETURNING 1", self.client_id, m["id"])
                if new is None:
                    self.result.skipped += 1
                    continue
                m = {**m, "lead": self._resolve(m["lead"])}
                try:
                    with self.db.atomic():  # a savepoint: one refused mutation leaves the rest of the push
                        getattr(self, "_" + m["kind"].split("_")[0])(m)
                except pw.IntegrityError as exc:
                    self._refuse(m, str(exc).splitlines()[0])
            self.db.execute_sql("UPDATE sync_counter SET version = %s WHERE id = 1", (self.version,))
        self.result.version = self.version
        return self.result

    def _refuse(self, m: dict, reason: str) -> None:
        # The client puts the server's value back, so nothing diverges; the rep sees why.
        theirs = None
        if m["kind"] == "field":
            theirs = self._one(f"SELECT {m['field']} FROM lead WHERE uid = %s", m["lead"])
        self.result.rejected.append({"id": m["id"], "lead": m["lead"], "kind": m["kind"], "field": m.get("field"),
                                     "theirs": theirs, "reason": reason})

    def _lead(self, m: dict) -> None:
        data = {k: v for k, v in m["new"].items() if k in SYNCED_LEAD_FIELDS}
        match = None
        if data.get("deleted_at") is None:
            for name, where in _IDENTITY:
                if data.get(name):
                    match = self._one(f"SELECT uid::text FROM lead WHERE deleted_at IS NULL AND {where}", data[name])
                    if match:
                        break
        if match:
            self._merge_duplicate(m, data, match)
            return
        # A manager's import may spread new leads across reps; a rep's new lead is the rep's own.
        data["owner"] = (self.manager and m["new"].get("owner")) or self.rep
        columns = ", ".join(data)
        self.db.execute_sql(f"INSERT INTO lead (uid, {columns}, created_at) VALUES (%s, {', '.join(['%s'] * len(data))}, "
                            "%s)", (m["lead"], *data.values(), m["at"]))
        self._stamp("lead_new", m["lead"], m["at"], value=data)
        self.result.applied += 1

    def _merge_duplicate(self, m: dict, data: dict, target: str) -> None:
        self.db.execute_sql("INSERT INTO uid_alias (uid, target, kind) VALUES (%s, %s, 'lead')", (m["lead"], target))
        self.result.uid_map[m["lead"]] = target
        self.result.duplicates += 1
        columns = [c for c in data if c != "deleted_at"]
        current = dict(zip(columns, self.db.execute_sql(
            f"SELECT {', '.join(columns)} FROM lead WHERE uid = %s FOR UPDATE", (target,)).fetchone()))
        for name in columns:
            # The pushing rep's copy fills what the team's lead lacks; the team's values stay.
            if current[name] in ("", None) and data[name] not in ("", None):
                self.db.execute_sql(f"UPDATE lead SET {name} = %s WHERE uid = %s", (data[name], target))
                self._stamp("field", target, m["at"], field=name, value=data[name])

    def _field(self, m: dict) -> None:
        name = m["field"]
        if name not in SYNCED_LEAD_FIELDS:
            raise ValueError(f"not a synced field: {name}")
        row = self.db.execute_sql(f"SELECT {name} FROM lead WHERE uid = %s FOR UPDATE", (m["lead"],)).fetchone()
        if row is None:
            self._refuse(m, "the lead was deleted for good")
            return
        current = row[0]
        if _same(name, current, m["new"]):
            return
        stamp = self.db.execute_sql("SELECT client_id, rep, at, version FROM field_stamp WHERE lead_uid = %s AND "
                                    "field = %s", (m["lead"], name)).fetchone()
        if _same(name, current, m["base"]) or (stamp and stamp[0] == self.client_id):
            self.db.execute_sql(f"UPDATE lead SET {name} = %s WHERE uid = %s", (m["new"], m["lead"]))
            others = self._one("SELECT count(*) FROM field_stamp WHERE lead_uid = %s AND version > %s AND client_id <> %s",
                               m["lead"], self.cursor, self.client_id)
            self._stamp("field", m["lead"], m["at"], field=name, value=m["new"])
            self.result.applied += 1
            self.result.merged += bool(others)
            return
        theirs_rep, theirs_at = (stamp[1], stamp[2]) if stamp else (None, None)
        conflict = {"lead": m["lead"], "field": name, "mine": m["new"], "theirs": current, "original": m["base"],
                    "theirs_rep": theirs_rep, "theirs_at": theirs_at}
        self.db.execute_sql(
            "INSERT INTO conflict (lead_uid, field, mine, theirs, original, rep, theirs_rep, theirs_at, at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (m["lead"], name, json.dumps(m["new"]), json.dumps(current), json.dumps(m["base"]), self.rep, theirs_rep,
             theirs_at, m["at"]))
        self.result.conflicts.append(conflict)

    def _element(self, kind: str, uid: str, value: dict) -> str:
        """The server's uid of a tag or campaign: by uid, else by name (then aliased), else created."""
        table = _SETS[kind][0]
        uid = self._resolve(uid, table)
        if self._one(f"SELECT 1 FROM {table} WHERE uid = %s", uid):
            return uid
        existing = self._one(f"SELECT uid::text FROM {table} WHERE lower(name) = lower(%s)", value["name"])
        if existing:
            self.db.execute_sql("INSERT INTO uid_alias (uid, target, kind) VALUES (%s, %s, %s)", (uid, existing, table))
            self.result.uid_map[uid] = existing
            return existing
        if kind == "tag":
            self.db.execute_sql("INSERT INTO tag (uid, name, color) VALUES (%s, %s, %s)",
                                (uid, value["name"], value.get("color", "#5b8def")))
        else:
            self.db.execute_sql("INSERT INTO campaign (uid, name) VALUES (%s, %s)", (uid, value["name"]))
        return uid

    def _set_change(self, m: dict) -> None:
        kind, action = m["kind"].split("_")
        _, link, column = _SETS[kind]
        ref = self._element(kind, m["ref"], m["new"])
        if not self._one("SELECT 1 FROM lead WHERE uid = %s", m["lead"]):
            return
        if action == "add":
            sql = f"INSERT INTO {link} (lead_uid, {column}) VALUES (%s, %s) ON CONFLICT DO NOTHING RETURNING 1"
        else:
            sql = f"DELETE FROM {link} WHERE lead_uid = %s AND {column} = %s RETURNING 1"
        if self._one(sql, m["lead"], ref):
            self._stamp(m["kind"], m["lead"], m["at"], ref=ref, value=m["new"])
            self.result.applied += 1

    _tag = _member = _set_change

    def _note(self, m: dict) -> None:
        if not self._one("SELECT 1 FROM lead WHERE uid = %s", m["lead"]):
            return
        value = {"body": m["new"]["body"], "created_at": m["new"]["created_at"], "rep": self.rep}
        if self._one("INSERT INTO note (uid, lead_uid, body, created_at, rep) VALUES (%s, %s, %s, %s, %s) "
                     "ON CONFLICT DO NOTHING RETURNING 1", m["ref"], m["lead"], value["body"], value["created_at"],
                     self.rep):
            self._stamp("note", m["lead"], m["at"], ref=m["ref"], value=value)
            self.result.applied += 1

    def _purge(self, m: dict) -> None:
        owner = self._one("SELECT owner FROM lead WHERE uid = %s FOR UPDATE", m["lead"])
        if owner is None:
            return
        if owner != self.rep and not self.manager:
            self._refuse(m, f"only {owner} or a manager may delete this lead for good")
            return
        self.db.execute_sql("DELETE FROM lead WHERE uid = %s", (m["lead"],))
        self.db.execute_sql("INSERT INTO tombstone (lead_uid, rep, at) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            (m["lead"], self.rep, m["at"]))
        self._stamp("tombstone", m["lead"], m["at"])
        self.result.applied += 1


def push(db: pw.PostgresqlDatabase, client_id: str, cursor: int, mutations: list[dict]) -> PushResult:
    """Apply ``mutations`` (dicts: id, kind, lead, field, ref, base, new, at) in one transaction."""
    return _Push(db, client_id, cursor).run(mutations)


def pull(db: pw.PostgresqlDatabase, cursor: int, limit: int) -> list[dict]:
    """The next page of changes above ``cursor``, in version order."""
    rows = db.execute_sql(
        "SELECT version, kind, lead_uid::text, field, ref, value, client_id, rep, at FROM change "
        "WHERE version > %s ORDER BY version LIMIT %s", (cursor, limit)).fetchall()
    keys = ("version", "kind", "lead", "field", "ref", "value", "client_id", "rep", "at")
    return [{**dict(zip(keys, row)), "value": json.loads(row[5]) if row[5] is not None else None} for row in rows]
