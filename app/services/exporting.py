"""Exporting leads to CSV: MassProspecting columns first, then LeadDesk's own, then custom fields.

Two profiles: ``raw`` writes exact values (importing the file back reproduces the leads) and
``spreadsheet`` writes UTF-8 with a BOM and defuses every cell a spreadsheet would run as a
formula. Files are written to a temporary file beside the target and renamed over it, owner-only,
so a crash never leaves half a file; rows are streamed a page at a time.
"""

import csv
import json
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from app.db.connection import database
from app.db.search import lead_ids as filter_lead_ids
from app.services import fields
from app.services.importing.formats import MASSPROSPECTING_COLUMNS
from app.services.importing.normalize import NOTES_SEPARATOR
from app.services.lead_filter import LeadFilter
from app.services.validation import LIST_SEPARATOR

PROFILES = ("raw", "spreadsheet")
PROFILE_NAMES = {"raw": "Raw (exact values)", "spreadsheet": "For spreadsheets (Excel, LibreOffice)"}
# The exported text fields MassProspecting does not export: LeadDesk keeps them after its columns.
EXTRA_LEAD_COLUMNS = tuple(name for name in fields.names(exported=True, import_text=True)
                           if name not in MASSPROSPECTING_COLUMNS)
# Then LeadDesk's own: the lead's flags, the lists it links to, its review (and any other exported field).
_OWN = tuple(name for name in fields.names(exported=True)
             if name not in MASSPROSPECTING_COLUMNS and name not in EXTRA_LEAD_COLUMNS)
_FLAGS = tuple(name for name in _OWN if fields.BY_NAME[name].kind == "bool")
LEADDESK_COLUMNS = _FLAGS + fields.LINKED_LISTS + tuple(name for name in _OWN if name not in _FLAGS)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PAGE = 500
_STANDARD = set(MASSPROSPECTING_COLUMNS + EXTRA_LEAD_COLUMNS + LEADDESK_COLUMNS)


def standard_columns() -> tuple[str, ...]:
    return MASSPROSPECTING_COLUMNS + EXTRA_LEAD_COLUMNS + LEADDESK_COLUMNS


def custom_field_names() -> list[str]:
    """Every registered custom field (``ai:*`` first), in the order they were first seen."""
    names = [row[0] for row in database.connection().execute("SELECT name FROM custom_field ORDER BY id")]
    return sorted(names, key=lambda n: not n.startswith("ai:"))


def available_columns() -> list[str]:
    """Every column an export can have, in the default order."""
    return list(standard_columns()) + [n for n in custom_field_names() if n not in standard_columns()]


def neutralize(value: str) -> str:
    """A cell a spreadsheet would evaluate (``=1+1``, ``+33 6...``, ``@SUM``) gets a leading quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


@contextmanager
def owner_only_file(path, encoding: str):
    """A text file written aside (mode 0600) and renamed over ``path`` only once complete.

    A failed or cancelled export never leaves half a file under the real name, and the personal
    data in it is readable by its owner only.
    """
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def export_leads(path, lead_filter: LeadFilter | None = None, lead_ids=None, columns=None,
                 profile: str = "raw", progress: Callable[[int, int], None] | None = None) -> int:
    """Write the chosen leads to ``path``; returns how many were written.

    ``lead_ids`` (in that order) wins over ``lead_filter``; with neither, every live lead.
    ``columns``: names from ``available_columns()`` (default: all of them).
    """
    if profile not in PROFILES:
        raise ValueError(f"Unknown export profile “{profile}” (expected raw or spreadsheet).")
    conn = database.connection()
    known = available_columns()
    columns = list(columns) if columns else known
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise ValueError(f"Unknown column(s): {', '.join(unknown)}.")
    if lead_ids is None:
        lead_ids = filter_lead_ids(conn, lead_filter or LeadFilter(sort="oldest"))
    written = 0
    encoding = "utf-8-sig" if profile == "spreadsheet" else "utf-8"
    with owner_only_file(path, encoding) as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in _rows(conn, lead_ids, columns):
            if profile == "spreadsheet":
                row = [neutralize(v) for v in row]
            writer.writerow(row)
            written += 1
            if progress is not None and written % 5000 == 0:
                progress(written, len(lead_ids))
    return written


def _rows(conn, lead_ids, columns):
    """The export rows of ``lead_ids``, in order, one page of ids at a time."""
    lead_columns = MASSPROSPECTING_COLUMNS + EXTRA_LEAD_COLUMNS + _OWN + ("custom",)
    select = ", ".join(f"l.{c}" for c in lead_columns)
    sql = (
        f"SELECT l.id, {select},"
        " (SELECT group_concat(name, ?) FROM (SELECT t.name FROM lead_tag lt JOIN tag t ON t.id = lt.tag_id"
        "   WHERE lt.lead_id = l.id ORDER BY t.name)),"
        " (SELECT group_concat(name, ?) FROM (SELECT c.name FROM membership m JOIN campaign c ON c.id = m.campaign_id"
        "   WHERE m.lead_id = l.id ORDER BY c.name)),"
        " (SELECT group_concat(body, ?) FROM (SELECT body FROM note WHERE lead_id = l.id ORDER BY id))"
        " FROM lead l WHERE l.deleted_at IS NULL AND l.id IN ({marks})"
    )
    names = ("id",) + lead_columns + fields.LINKED_LISTS
    separators = (LIST_SEPARATOR + " ", LIST_SEPARATOR + " ", NOTES_SEPARATOR)
    ids = list(lead_ids) if not isinstance(lead_ids, list) else lead_ids
    for start in range(0, len(ids), _PAGE):
        page = ids[start:start + _PAGE]
        found = {}
        for row in conn.execute(sql.replace("{marks}", ",".join("?" * len(page))), (*separators, *page)):
            found[row[0]] = dict(zip(names, row))
        for lead_id in page:
            lead = found.get(lead_id)
            if lead is not None:
                yield [_cell(lead, c) for c in columns]


def _cell(lead: dict, column: str) -> str:
    if column in _STANDARD:
        value = lead[column]
        if column in _FLAGS:
            return "1" if value else ""
        return "" if value is None else str(value)
    custom = lead.get("_custom")
    if custom is None:
        try:
            custom = json.loads(lead["custom"] or "{}")
        except ValueError:
            custom = {}
        lead["_custom"] = custom if isinstance(custom, dict) else {}
        custom = lead["_custom"]
    value = custom.get(column)
    return "" if value is None else str(value)
