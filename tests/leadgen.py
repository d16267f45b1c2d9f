"""Small helpers that put real leads into a test database (through Peewee, not mocks)."""

from app.db.models import Campaign, Lead, LeadTag, Membership, Tag


def add_lead(**fields) -> int:
    """Create a lead; returns its id. Fields use the lead column names."""
    return Lead.create(**fields).id


def add_campaign(name: str, status: str = "active") -> int:
    return Campaign.create(name=name, status=status).id


def add_membership(lead_id: int, campaign_id: int, stage: str = "discovered") -> None:
    Membership.create(lead=lead_id, campaign=campaign_id, stage=stage)


def add_tag(name: str, color: str = "#e5484d", lead_ids=()) -> int:
    tag_id = Tag.create(name=name, color=color).id
    for lead_id in lead_ids:
        LeadTag.create(tag=tag_id, lead=lead_id)
    return tag_id
