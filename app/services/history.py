"""A lead's history: which field changed from what to what, when, and by what (edit, import, merge).

Rows are written where changes happen (``app.services.leads`` for single edits, ``undo`` for bulk
actions, merges and undo/redo, the importer for imports); this module only reads them.
"""

from dataclasses import dataclass

from app.db.connection import database
from app.services import fields


@dataclass(frozen=True)
class HistoryEntry:
    """One change to one field of a lead."""

    at: str  # ISO-8601 UTC
    source: str  # "edited here", "imported from <file>", "merged", "bulk: …", "undo"
    field: str
    old: str | None
    new: str | None

    @property
    def label(self) -> str:
        return field_label(self.field)

    def describe(self) -> str:
        """"Job title: Sales → Head of Sales" in plain words."""
        old, new = _shown(self.field, self.old), _shown(self.field, self.new)
        if self.old is None or self.old == "":
            return f"{self.label}: added {new}" if self.field in ("tags", "campaigns", "note") else f"{self.label}: {new}"
        if self.new is None or self.new == "":
            return f"{self.label}: removed {old}" if self.field in ("tags", "campaigns", "note") else f"{self.label}: cleared (was {old})"
        return f"{self.label}: {old} → {new}"


def field_label(field: str) -> str:
    if field in fields.BY_NAME:
        return fields.BY_NAME[field].label
    if ":" in field:  # a custom column such as "ai:10-word use-case" keeps its own name
        return field
    return field.replace("_", " ").capitalize()


def _shown(field: str, value: str | None) -> str:
    if field == "vip":
        return "yes" if value in ("1", "True", "true") else "no"
    if field == "deleted_at":
        return "yes" if value else "no"
    return f"“{value}”"


def lead_history(lead_id: int, limit: int = 1000) -> list[HistoryEntry]:
    """The lead's changes, newest first."""
    rows = database.execute_sql(
        "SELECT at, source, field, old, new FROM lead_history WHERE lead_id = ? ORDER BY id DESC LIMIT ?",
        (lead_id, limit),
    )
    return [HistoryEntry(*row) for row in rows]
