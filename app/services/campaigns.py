"""Campaigns: listing, lifecycle, target filters, metrics and the rule that only active ones take leads.

Metrics come from one SQL aggregate over the memberships, whose per-lead flags triggers keep
exact (see app.db.schema_v1, its membership triggers), never from Python loops over leads.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass

import peewee

from app.db.connection import database, open_reader
from app.db.models import CAMPAIGN_STATUSES, Campaign, Membership
from app.services.lead_filter import HEADCOUNT_RANGES
from app.services.validation import LIST_SEPARATOR

NAME_MAX_LENGTH = 80


class CampaignError(ValueError):
    """A campaign action was refused; the message says why in plain words."""


class CampaignInactiveError(CampaignError):
    """A paused or archived campaign was asked to receive new leads."""


@dataclass(frozen=True)
class CampaignTargets:
    """A campaign's own target filters; empty tuples mean "any"."""

    countries: tuple[str, ...] = ()
    headcounts: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.countries or self.headcounts or self.keywords)

    def normalized(self) -> "CampaignTargets":
        """Trimmed, without blanks or case-insensitive repeats; unknown headcount ranges refused."""
        unknown = [h for h in self.headcounts if h.strip() and h.strip() not in HEADCOUNT_RANGES]
        if unknown:
            raise CampaignError(
                f"Unknown company headcount range: {', '.join(unknown)}. "
                f"Use one of {', '.join(HEADCOUNT_RANGES)}."
            )
        headcounts = _unique(self.headcounts)
        return CampaignTargets(
            countries=_unique(self.countries),
            # Keep the canonical small-to-large order whatever order they were picked in.
            headcounts=tuple(h for h in HEADCOUNT_RANGES if h in headcounts),
            keywords=_unique(self.keywords),
        )

    def to_json(self) -> str:
        return json.dumps(
            {"countries": list(self.countries), "headcounts": list(self.headcounts), "keywords": list(self.keywords)}
        )

    @classmethod
    def from_json(cls, text: str) -> "CampaignTargets":
        """Parse stored targets; anything unreadable counts as "no targets" rather than failing."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()

        def strings(key):
            values = data.get(key) or []
            return tuple(str(v) for v in values) if isinstance(values, list) else ()

        return cls(strings("countries"), tuple(h for h in strings("headcounts") if h in HEADCOUNT_RANGES),
                   strings("keywords"))

    def describe(self) -> str:
        """One line for a card, e.g. "Spain, France · 51-200 · founder, CTO"."""
        parts = [", ".join(p) for p in (self.countries, self.headcounts, self.keywords) if p]
        return " · ".join(parts)


@dataclass(frozen=True)
class CampaignInfo:
    """A campaign as the rest of the app sees it."""

    id: int
    name: str
    status: str
    created_at: str
    targets: CampaignTargets = CampaignTargets()

    @property
    def accepts_leads(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class CampaignMetrics:
    """A campaign and its live numbers (deleted leads never count)."""

    id: int
    name: str
    status: str
    created_at: str
    targets: CampaignTargets
    discovered: int  # live leads in the campaign
    processed: int  # of those, email verification final (present and not pending)
    valid_emails: int  # valid email that also matches the campaign's targets
    reviewed: int  # of those, opened or changed by the rep

    @property
    def processed_percent(self) -> int:
        return round(100 * self.processed / self.discovered) if self.discovered else 0


def _unique(values) -> tuple[str, ...]:
    seen, result = set(), []
    for value in values:
        value = " ".join(str(value).split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return tuple(result)


def _info(c: Campaign) -> CampaignInfo:
    return CampaignInfo(c.id, c.name, c.status, c.created_at, CampaignTargets.from_json(c.targets))


def _get(campaign_id: int) -> Campaign:
    try:
        return Campaign.get_by_id(campaign_id)
    except Campaign.DoesNotExist:
        raise CampaignError("That campaign no longer exists.") from None


def _clean_name(name: str, exclude_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CampaignError("Give the campaign a name.")
    if LIST_SEPARATOR in name:  # it separates a lead's campaigns in exported files
        raise CampaignError(f"A campaign name can't contain “{LIST_SEPARATOR}”.")
    if len(name) > NAME_MAX_LENGTH:
        raise CampaignError(f"Keep the name under {NAME_MAX_LENGTH} characters.")
    # The column is COLLATE NOCASE, so this finds "Spain Q3" when asked about "spain q3".
    clash = Campaign.select().where(Campaign.name == name)
    if exclude_id is not None:
        clash = clash.where(Campaign.id != exclude_id)
    if clash.exists():
        raise CampaignError(f"A campaign named “{name}” already exists. Choose another name.")
    return name


def list_campaigns(include_archived: bool = True) -> list[CampaignInfo]:
    """The campaigns by name (cheap: no lead is read)."""
    query = Campaign.select().order_by(Campaign.name)
    if not include_archived:
        query = query.where(Campaign.status != "archived")
    return [_info(c) for c in query]


def get_campaign(campaign_id: int) -> CampaignInfo:
    return _info(_get(campaign_id))


def create_campaign(name: str) -> CampaignInfo:
    """Create an active campaign; names are unique regardless of case."""
    with database.atomic():
        name = _clean_name(name)
        try:
            return _info(Campaign.create(name=name))
        except peewee.IntegrityError:
            raise CampaignError(f"A campaign named “{name}” already exists. Choose another name.") from None


def rename_campaign(campaign_id: int, name: str) -> CampaignInfo:
    with database.atomic():
        campaign = _get(campaign_id)
        campaign.name = _clean_name(name, exclude_id=campaign_id)
        campaign.save()
        return _info(campaign)


def set_status(campaign_id: int, status: str) -> CampaignInfo:
    """Pause/resume ('paused'/'active') or archive/unarchive ('archived'/'active')."""
    if status not in CAMPAIGN_STATUSES:
        raise CampaignError(f"Unknown campaign status “{status}”.")
    with database.atomic():
        campaign = _get(campaign_id)
        campaign.status = status
        campaign.save()
        return _info(campaign)


def membership_count(campaign_id: int) -> int:
    """How many leads (Trash included) belong to the campaign: what deleting it would unlink."""
    return Membership.select().where(Membership.campaign == campaign_id).count()


def delete_campaign(campaign_id: int) -> int:
    """Delete the campaign and its memberships (FK cascade); the leads stay. Returns memberships removed."""
    with database.atomic():
        _get(campaign_id)
        removed = membership_count(campaign_id)
        Campaign.delete_by_id(campaign_id)
    return removed


def get_targets(campaign_id: int) -> CampaignTargets:
    return CampaignTargets.from_json(_get(campaign_id).targets)


def set_targets(campaign_id: int, targets: CampaignTargets) -> CampaignTargets:
    targets = targets.normalized()
    with database.atomic():
        updated = Campaign.update(targets=targets.to_json()).where(Campaign.id == campaign_id).execute()
    if not updated:
        raise CampaignError("That campaign no longer exists.")
    return targets


def known_countries() -> list[str]:
    """Countries present among the leads, for the target dialog's suggestions."""
    # Reads the lead_country index only; a few thousand distinct values at most.
    cursor = database.execute_sql(
        "SELECT DISTINCT country_name FROM lead WHERE country_name != '' ORDER BY country_name"
    )
    return [row[0] for row in cursor]


def campaign_metrics(include_archived: bool = False) -> list[CampaignMetrics]:
    """Every campaign (archived ones only if asked) with its live numbers, by name.

    One grouped pass over the memberships: each row carries its lead's facts as 0/1 flags that
    triggers keep exact (the membership triggers of schema_v1), so no lead row is read - about 0.3 s at
    1.6M memberships. Reads through a read-only connection of its own, so any thread may call it.
    """
    where = "" if include_archived else "WHERE c.status != 'archived'"
    with _reader(database.database) as conn:
        rows = conn.execute(
            f"""SELECT c.id, c.name, c.status, c.created_at, c.targets,
                       total(m.live), total(m.processed), total(m.valid_target), total(m.reviewed)
                FROM campaign c LEFT JOIN membership m ON m.campaign_id = c.id
                {where} GROUP BY c.id ORDER BY c.name"""
        ).fetchall()
    return [
        CampaignMetrics(
            row[0], row[1], row[2], row[3], CampaignTargets.from_json(row[4]),
            discovered=int(row[5]), processed=int(row[6]), valid_emails=int(row[7]), reviewed=int(row[8]),
        )
        for row in rows
    ]


@contextmanager
def _reader(path):
    conn = open_reader(path)
    try:
        yield conn
    finally:
        conn.close()


def require_active(campaign_ids) -> None:
    """Raise CampaignInactiveError unless every campaign in ``campaign_ids`` is active."""
    ids = list(campaign_ids)
    if not ids:
        return
    found = {c.id: c for c in Campaign.select().where(Campaign.id.in_(ids))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise CampaignInactiveError("A chosen campaign no longer exists; pick another one.")
    inactive = [c for c in found.values() if c.status != "active"]
    if inactive:
        names = ", ".join(f"“{c.name}” ({c.status})" for c in inactive)
        raise CampaignInactiveError(f"Only active campaigns can receive new leads: {names}.")
