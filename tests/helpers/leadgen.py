"""Small helpers that put real leads into a test database (no mocks) and read its whole state back."""

import itertools

from app.db.connection import database
from app.db.models import Campaign, Lead, LeadTag, Membership, Tag, utc_now


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


_lead_numbers = itertools.count(1)


def add_leads(n: int, **fields) -> list[int]:
    """Insert ``n`` leads in one go (plain SQL, fast); ``fields`` override the defaults."""
    now = utc_now()
    ids = []
    for i in range(n):
        values = {"id_lead": f"L{next(_lead_numbers)}", "first_name": f"Ann{i}", "last_name": f"Smith{i}",
                  "email": f"ann{i}@example.com", "company_name": "Acme", "created_at": now, "updated_at": now}
        values.update(fields)
        cursor = database.execute_sql(
            f"INSERT INTO lead ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})", list(values.values()))
        ids.append(cursor.lastrowid)
    return ids


# lead_history only grows (an undo is itself history); the FTS shadow tables are checked by
# FTS5's own integrity check instead of byte for byte.
_NOT_STATE = ("lead_history",)


def full_state() -> dict[str, list[tuple]]:
    """Every row of every real table, sorted: two equal states mean an exact restore."""
    tables = [r[0] for r in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'lead_fts%'")]
    database.execute_sql("INSERT INTO lead_fts(lead_fts) VALUES ('integrity-check')")
    return {t: sorted(database.execute_sql(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in tables if t not in _NOT_STATE}
