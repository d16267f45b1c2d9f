"""What the filter panel offers (campaigns, tags, custom fields, owners) and saved segments."""

from dataclasses import dataclass

import peewee

from app.db.connection import database
from app.db.models import Campaign, CustomField, Segment, Tag
from app.services.lead_filter import LeadFilter

# The distinct owners, one index seek each (a DISTINCT would walk every owned lead's index entry).
_OWNERS = """
WITH RECURSIVE o(name) AS (
  SELECT min(owner) FROM lead WHERE owner != ''
  UNION ALL
  SELECT (SELECT min(owner) FROM lead WHERE owner > o.name AND owner != '') FROM o WHERE o.name IS NOT NULL
)
SELECT name FROM o
"""


@dataclass(frozen=True)
class Choice:
    """One pickable value: a campaign (detail = status) or a tag (detail = colour)."""

    id: int
    name: str
    detail: str


@dataclass(frozen=True)
class FilterChoices:
    """The values the filter panel lists, read once when it opens."""

    campaigns: tuple[Choice, ...]
    tags: tuple[Choice, ...]
    custom_fields: tuple[str, ...]
    owners: tuple[str, ...] = ()  # the team reps who own leads (none without a team)


def filter_choices() -> FilterChoices:
    campaigns = tuple(
        Choice(c.id, c.name, c.status)
        for c in Campaign.select().order_by(Campaign.status == "archived", Campaign.name)
    )
    tags = tuple(Choice(t.id, t.name, t.color) for t in Tag.select().order_by(Tag.name))
    fields = tuple(f.name for f in CustomField.select().order_by(CustomField.name))
    owners = tuple(row[0] for row in database.execute_sql(_OWNERS) if row[0] is not None)
    return FilterChoices(campaigns, tags, fields, owners)


def list_segments() -> list[tuple[str, LeadFilter]]:
    return [(s.name, LeadFilter.from_json(s.filter)) for s in Segment.select().order_by(Segment.name)]


def save_segment(name: str, flt: LeadFilter) -> None:
    """Save ``flt`` under ``name``, replacing a segment of the same name."""
    name = name.strip()
    if not name:
        raise ValueError("A segment needs a name.")
    with database.atomic():
        try:
            Segment.insert(name=name, filter=flt.to_json()).on_conflict(
                conflict_target=[Segment.name], update={Segment.filter: flt.to_json()}
            ).execute()
        except peewee.IntegrityError as exc:  # pragma: no cover - the upsert handles duplicates
            raise ValueError(str(exc)) from exc


def delete_segment(name: str) -> None:
    with database.atomic():
        Segment.delete().where(Segment.name == name).execute()
