"""Duplicate leads: find groups sharing an email, a LinkedIn profile or a name at a company, merge.

Finding is three GROUP BY queries; groups that share a lead are joined (a lead with the same
email as one lead and the same LinkedIn as another is one group of three). Merging keeps one lead
(the survivor), takes each differing field from the lead the rep chose, combines memberships,
tags, notes and custom fields onto it, and moves the others to the Trash — one undoable operation.
"""

from dataclasses import dataclass

from app.db.connection import database
from app.db.models import utc_now
from app.services import fields, undo
from app.services.history import field_label
from app.services.undo import LEAD_COLUMNS, Operation

# Queries returning comma-joined ids of live leads that share a key.
_GROUPINGS = {
    "same email": "SELECT group_concat(id) FROM lead WHERE deleted_at IS NULL AND email != '' "
                  "GROUP BY lower(email) HAVING count(*) > 1",
    "same LinkedIn": "SELECT group_concat(id) FROM lead WHERE deleted_at IS NULL AND linkedin_norm != '' "
                     "GROUP BY linkedin_norm HAVING count(*) > 1",
    # The three name columns are COLLATE NOCASE, so GROUP BY ignores case.
    "same name and company": "SELECT group_concat(id) FROM lead WHERE deleted_at IS NULL "
                             "AND first_name != '' AND last_name != '' AND company_name != '' "
                             "GROUP BY first_name, last_name, company_name HAVING count(*) > 1",
}
# Columns that travel with the one the rep picks (a status belongs to its email, a reason to
# its state, a normalised form to its value).
FOLLOWERS = {
    "email": ("email_verification_result",),
    "phone": ("phone_norm",),
    "linkedin": ("linkedin_norm",),
    "review_state": ("review_reason",),
}
# The keys (back to the web tool, across a team, of a re-import) and the team owner stay the
# survivor's; custom fields and VIP combine; the FOLLOWERS follow their field.
MERGE_FIELDS = fields.names(merge=True)


@dataclass(frozen=True)
class DuplicateGroup:
    """Leads that look like the same person; ``lead_ids`` oldest first."""

    lead_ids: tuple[int, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MergeField:
    """A field whose value differs inside a group: the options the merge dialog offers."""

    field: str
    label: str
    options: tuple[tuple[int, str], ...]  # (lead id, value), in group order
    default: int  # the lead whose value survives unless the rep picks another


def find_duplicate_groups() -> list[DuplicateGroup]:
    """Every group of live leads that share an email, a LinkedIn URL, or a name at a company."""
    parent: dict[int, int] = {}
    reasons: dict[int, set[str]] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    found = []
    for reason, sql in _GROUPINGS.items():
        for (joined,) in database.execute_sql(sql):
            ids = [int(i) for i in joined.split(",")]
            found.append((reason, ids))
            for other in ids[1:]:
                parent[root(other)] = root(ids[0])
    members: dict[int, set[int]] = {}
    for reason, ids in found:
        r = root(ids[0])
        members.setdefault(r, set()).update(ids)
        reasons.setdefault(r, set()).add(reason)
    groups = [
        DuplicateGroup(tuple(sorted(ids)), tuple(sorted(reasons[r])))
        for r, ids in members.items()
    ]
    return sorted(groups, key=lambda g: g.lead_ids[0])


def _rows(lead_ids) -> dict[int, dict]:
    ids = list(lead_ids)
    cursor = database.execute_sql(
        f"SELECT id, {', '.join(LEAD_COLUMNS)} FROM lead WHERE id IN ({','.join('?' * len(ids))})", ids)
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row)) for row in cursor}


def describe_lead(lead_id: int) -> str:
    """"Ann Smith, Acme" — how the merge dialog names a lead."""
    row = _rows([lead_id]).get(lead_id)
    if row is None:
        return "(deleted lead)"
    name = " ".join(p for p in (row["first_name"], row["last_name"]) if p) or row["email"] or f"Lead {lead_id}"
    return f"{name}, {row['company_name']}" if row["company_name"] else name


def merge_fields(lead_ids, survivor_id: int) -> list[MergeField]:
    """The fields whose values differ in the group; default: the survivor's value, or the first
    non-empty one if the survivor has none."""
    rows = _rows(lead_ids)
    order = [survivor_id] + [i for i in lead_ids if i != survivor_id and i in rows]
    fields = []
    for field in MERGE_FIELDS:
        values = [(i, rows[i][field]) for i in order]
        if len({v for _, v in values}) < 2:
            continue
        default = next((i for i, v in values if v), survivor_id)
        fields.append(MergeField(field, field_label(field), tuple(values), default))
    return fields


def merge(lead_ids, survivor_id: int, choices: dict[str, int] | None = None) -> Operation:
    """Merge the group into ``survivor_id``; ``choices`` maps a field to the lead whose value wins
    (fields not named keep merge_fields' default). The other leads go to the Trash."""
    lead_ids = list(dict.fromkeys(int(i) for i in lead_ids))
    if survivor_id not in lead_ids or len(lead_ids) < 2:
        raise ValueError("A merge needs the surviving lead and at least one other.")
    picked = {f.field: f.default for f in merge_fields(lead_ids, survivor_id)}
    picked.update({f: int(i) for f, i in (choices or {}).items() if f in MERGE_FIELDS})
    others = [i for i in lead_ids if i != survivor_id]
    marks = ",".join("?" * len(others))

    def change(_ids):
        now = utc_now()
        for field, source_id in picked.items():
            if source_id == survivor_id:
                continue
            columns = (field,) + FOLLOWERS.get(field, ())
            sets = ", ".join(f"{c} = (SELECT {c} FROM lead WHERE id = ?)" for c in columns)
            database.execute_sql(f"UPDATE lead SET {sets} WHERE id = ?", [source_id] * len(columns) + [survivor_id])
        # Custom fields combine; where two leads have the same key, the survivor's value wins.
        for other in others:
            database.execute_sql(
                "UPDATE lead SET custom = json_patch((SELECT custom FROM lead WHERE id = ?), custom) WHERE id = ?",
                (other, survivor_id))
        database.execute_sql(
            f"UPDATE lead SET vip = max(vip, (SELECT max(vip) FROM lead WHERE id IN ({marks}))), updated_at = ? "
            f"WHERE id = ?", others + [now, survivor_id])
        for table, key in (("membership", "campaign_id, lead_id, stage, added_at"), ("lead_tag", "tag_id, lead_id")):
            database.execute_sql(
                f"INSERT OR IGNORE INTO {table} ({key}) SELECT {key.replace('lead_id', '?')} FROM {table} "
                f"WHERE lead_id IN ({marks})", [survivor_id] + others)
        database.execute_sql(f"UPDATE note SET lead_id = ? WHERE lead_id IN ({marks})", [survivor_id] + others)
        database.execute_sql(f"UPDATE lead SET deleted_at = ?, updated_at = ? WHERE id IN ({marks})",
                             [now, now] + others)

    return undo.run(f"Merge {len(lead_ids)} leads", lead_ids, change,
                    tables=("membership", "lead_tag", "note"), source="merged")
