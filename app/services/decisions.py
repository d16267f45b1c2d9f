"""Export → "Review decisions": what this rep decided, keyed by ``id_lead``, for the web tool.

One row per lead changed since it was imported: reviewed (state not ``new``), or with a field,
tag or campaign changed here (history not from an import) whose value really differs from what
was there before the first local change. Columns: the decision (state, reason, VIP, in Trash),
the current tags and campaigns, then one column per changed field holding its new value; the
``changed_fields`` column lists which of those apply to the row.
"""

import csv
import json
from pathlib import Path

from app.db.connection import database
from app.services.exporting import neutralize, owner_only_file
from app.services.undo import LEAD_COLUMNS

FIXED_COLUMNS = ("id_lead", "review_state", "review_reason", "vip", "in_trash", "tags", "campaigns", "changed_fields")
# Fields that have a decision column of their own, or say nothing to the web tool.
_OWN_COLUMN = {"review_state", "review_reason", "vip", "deleted_at", "opened_at", "created_at", "updated_at",
               "phone_norm", "linkedin_norm", "tags", "campaigns", "note"}
_LINKS = ("tags", "campaigns")
# History written by importing (or undoing an import) is not a decision made here.
_LOCAL = "source NOT LIKE 'imported%' AND source != 'undo import'"


def _cell(value) -> str:
    # The file is for spreadsheets too: a cell such as "=1+1" must stay text there.
    return neutralize("" if value is None else str(value))


def _current(row: dict, field: str):
    if field in row:
        return row[field]
    return json.loads(row["custom"] or "{}").get(field)


def decisions() -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of the Review decisions export."""
    first_old: dict[int, dict[str, str | None]] = {}
    links_changed: set[int] = set()
    for lead_id, field, old in database.execute_sql(
        f"SELECT lead_id, field, old FROM lead_history WHERE {_LOCAL} ORDER BY id"
    ):
        if field in _LINKS:
            links_changed.add(lead_id)
        elif field not in _OWN_COLUMN:
            first_old.setdefault(lead_id, {}).setdefault(field, old)

    cursor = database.execute_sql(
        f"SELECT id, {', '.join(LEAD_COLUMNS)}, "
        f"(SELECT group_concat(name, '; ') FROM (SELECT t.name FROM lead_tag lt JOIN tag t ON t.id = lt.tag_id "
        f" WHERE lt.lead_id = lead.id ORDER BY t.name)) AS tags, "
        f"(SELECT group_concat(name, '; ') FROM (SELECT c.name FROM membership m JOIN campaign c ON c.id = m.campaign_id "
        f" WHERE m.lead_id = lead.id ORDER BY c.name)) AS campaigns "
        f"FROM lead WHERE review_state != 'new' OR deleted_at IS NOT NULL "
        f"OR id IN (SELECT lead_id FROM lead_history WHERE {_LOCAL}) ORDER BY id")
    names = [d[0] for d in cursor.description]
    rows, changed_columns = [], {}
    for values in cursor:
        row = dict(zip(names, values))
        olds = first_old.get(row["id"], {})
        changed = [f for f, old in olds.items() if str(_current(row, f) or "") != str(old or "")]
        if row["review_state"] == "new" and row["deleted_at"] is None and not changed \
                and row["id"] not in links_changed:
            continue  # every local change was undone or set back
        out = {
            "id_lead": row["id_lead"] or "", "review_state": row["review_state"],
            "review_reason": row["review_reason"], "vip": "1" if row["vip"] else "0",
            "in_trash": "1" if row["deleted_at"] else "0", "tags": row["tags"] or "",
            "campaigns": row["campaigns"] or "", "changed_fields": "; ".join(changed),
        }
        for field in changed:
            changed_columns[field] = None
            out[field] = _current(row, field)
        rows.append(out)
    order = {c: i for i, c in enumerate(LEAD_COLUMNS)}
    extra = sorted(changed_columns, key=lambda f: (order.get(f, len(order)), f))
    return list(FIXED_COLUMNS) + extra, rows


def export_review_decisions(path: str | Path) -> int:
    """Write the Review decisions CSV (UTF-8 with BOM, for Excel) to ``path``; returns the row count."""
    header, rows = decisions()
    with owner_only_file(path, "utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(row.get(c, "")) for c in header])
    return len(rows)
