"""Campaigns: listing, lifecycle, target filters and the rule that only active ones take leads."""

from dataclasses import dataclass

from app.db.models import Campaign


class CampaignInactiveError(ValueError):
    """A paused or archived campaign was asked to receive new leads."""


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    name: str
    status: str
    created_at: str

    @property
    def accepts_leads(self) -> bool:
        return self.status == "active"


def list_campaigns() -> list[CampaignInfo]:
    return [
        CampaignInfo(c.id, c.name, c.status, c.created_at)
        for c in Campaign.select().order_by(Campaign.name)
    ]


def require_active(campaign_ids) -> None:
    """Raise CampaignInactiveError unless every campaign in ``campaign_ids`` is active."""
    ids = list(campaign_ids)
    if not ids:
        return
    inactive = [c for c in Campaign.select().where(Campaign.id.in_(ids)) if c.status != "active"]
    if inactive:
        names = ", ".join(f"“{c.name}” ({c.status})" for c in inactive)
        raise CampaignInactiveError(f"Only active campaigns can receive new leads: {names}.")
