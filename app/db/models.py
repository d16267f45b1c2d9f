"""Peewee models: the current shape of the schema created by ``schema.MIGRATIONS``."""

import datetime as dt

import peewee as pw

from app.db.connection import database


def utc_now() -> str:
    """Timestamps are stored as ISO-8601 UTC text (sortable, readable in any SQLite tool)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


CAMPAIGN_STATUSES = ("active", "paused", "archived")
MEMBERSHIP_STAGES = ("discovered", "contacted")


class Campaign(BaseModel):
    name = pw.TextField(unique=True)
    status = pw.TextField(default="active")
    targets = pw.TextField(default="{}")  # JSON: countries, headcounts, keywords
    created_at = pw.TextField(default=utc_now)
    uid = pw.TextField(null=True, unique=True)  # filled by a trigger when left NULL; the id that syncs


class Lead(BaseModel):
    id_lead = pw.TextField(null=True, unique=True)
    first_name = pw.TextField(default="")
    middle_name = pw.TextField(default="")
    last_name = pw.TextField(default="")
    job_title = pw.TextField(default="")
    email = pw.TextField(default="")
    email_verification_result = pw.TextField(default="")
    phone = pw.TextField(default="")
    phone_norm = pw.TextField(default="")
    linkedin = pw.TextField(default="")
    linkedin_norm = pw.TextField(default="")
    linkedin_2 = pw.TextField(default="")
    facebook = pw.TextField(default="")
    facebook_2 = pw.TextField(default="")
    twitter = pw.TextField(default="")
    website = pw.TextField(default="")
    country_name = pw.TextField(default="")
    location_name = pw.TextField(default="")
    timezone = pw.TextField(default="")
    company_name = pw.TextField(default="")
    company_domain = pw.TextField(default="")
    company_headcount = pw.TextField(default="")
    all_industries = pw.TextField(default="")
    company_industries = pw.TextField(default="")
    posts = pw.TextField(default="")
    custom = pw.TextField(default="{}")  # JSON object: imported columns without a field of their own
    vip = pw.BooleanField(default=False)
    review_state = pw.TextField(default="new")
    review_reason = pw.TextField(default="")
    opened_at = pw.TextField(null=True)  # first time the rep opened or changed the lead
    created_at = pw.TextField(default=utc_now)
    updated_at = pw.TextField(default=utc_now)
    deleted_at = pw.TextField(null=True)  # set while the lead is in the Trash
    fingerprint = pw.TextField(null=True)  # set once by an import for a lead without id_lead, e-mail or LinkedIn
    uid = pw.TextField(null=True, unique=True)  # filled by a trigger when left NULL; the id that syncs
    owner = pw.TextField(default="")  # the team rep who owns the lead (empty without a team)


class Membership(BaseModel):
    campaign = pw.ForeignKeyField(Campaign, on_delete="CASCADE", column_name="campaign_id")
    lead = pw.ForeignKeyField(Lead, on_delete="CASCADE", column_name="lead_id")
    stage = pw.TextField(default="discovered")
    added_at = pw.TextField(default=utc_now)
    # The lead's facts for the campaign metrics, written by triggers only (see the membership triggers in schema_v1).
    live = pw.IntegerField(default=0)
    processed = pw.IntegerField(default=0)
    reviewed = pw.IntegerField(default=0)
    valid_target = pw.IntegerField(default=0)
    # Copies of the lead's e-mail status and company size (V7 triggers): a campaign's list filters by them
    # without reading a lead row.
    email_verification_result = pw.TextField(default="")
    company_headcount = pw.TextField(default="")

    class Meta:
        primary_key = pw.CompositeKey("campaign", "lead")


class Tag(BaseModel):
    name = pw.TextField(unique=True)
    color = pw.TextField(default="#5b8def")
    uid = pw.TextField(null=True, unique=True)  # filled by a trigger when left NULL; the id that syncs


class LeadTag(BaseModel):
    tag = pw.ForeignKeyField(Tag, on_delete="CASCADE", column_name="tag_id")
    lead = pw.ForeignKeyField(Lead, on_delete="CASCADE", column_name="lead_id")

    class Meta:
        primary_key = pw.CompositeKey("tag", "lead")


class Note(BaseModel):
    lead = pw.ForeignKeyField(Lead, on_delete="CASCADE", column_name="lead_id")
    body = pw.TextField()
    created_at = pw.TextField(default=utc_now)
    updated_at = pw.TextField(default=utc_now)
    uid = pw.TextField(null=True, unique=True)  # filled by a trigger when left NULL; the id that syncs


class CustomField(BaseModel):
    name = pw.TextField(unique=True)


class Segment(BaseModel):
    name = pw.TextField(unique=True)
    filter = pw.TextField()  # JSON of a LeadFilter
    uid = pw.TextField(null=True, unique=True)  # filled by a trigger when left NULL; the id that syncs


class ImportRun(BaseModel):
    file_name = pw.TextField()
    format = pw.TextField()
    campaign = pw.ForeignKeyField(Campaign, null=True, on_delete="SET NULL", column_name="campaign_id")
    started_at = pw.TextField(default=utc_now)
    created = pw.IntegerField(default=0)
    updated = pw.IntegerField(default=0)
    unchanged = pw.IntegerField(default=0)
    rejected = pw.IntegerField(default=0)
    undone_at = pw.TextField(null=True)


class ImportChange(BaseModel):
    import_run = pw.ForeignKeyField(ImportRun, on_delete="CASCADE", column_name="import_id")
    lead_id = pw.IntegerField()
    kind = pw.TextField()  # 'created' or 'updated'
    before = pw.TextField(null=True)  # JSON of the fields an update overwrote

    class Meta:
        primary_key = pw.CompositeKey("import_run", "lead_id")


class LeadHistory(BaseModel):
    lead = pw.ForeignKeyField(Lead, on_delete="CASCADE", column_name="lead_id")
    at = pw.TextField(default=utc_now)
    source = pw.TextField()  # "edited here", "imported from <file>", "merged"...
    field = pw.TextField()
    old = pw.TextField(null=True)
    new = pw.TextField(null=True)


class ReviewReason(BaseModel):
    name = pw.TextField(unique=True)
    position = pw.IntegerField(default=0)  # order in the reason picker
    uid = pw.TextField(null=True, unique=True)  # filled by a trigger when left NULL; the id that syncs


class SyncState(BaseModel):
    """The one row of team-sync state; ``enabled`` is 0 until a team is configured."""

    enabled = pw.BooleanField(default=False)
    applying = pw.BooleanField(default=False)  # set while pulled changes are applied (not captured)
    client_id = pw.TextField()
    server = pw.TextField(null=True)
    rep = pw.TextField(null=True)
    cursor = pw.IntegerField(default=0)  # the server version this replica has applied up to
    last_synced_at = pw.TextField(null=True)
    manager = pw.BooleanField(default=False)  # the joined rep was a manager at the last sync


class Outbox(BaseModel):
    """A local change waiting for the server, written by the capture triggers; id is its mutation id."""

    kind = pw.TextField()
    lead_uid = pw.TextField()
    field = pw.TextField(null=True)
    ref = pw.TextField(null=True)  # tag, campaign or note uid
    old = pw.BareField(null=True)
    new = pw.BareField(null=True)
    at = pw.TextField()


class SyncConflict(BaseModel):
    """One field two reps changed: the server kept theirs; mine and the original are kept for review."""

    lead_uid = pw.TextField()
    field = pw.TextField()
    mine = pw.BareField(null=True)
    theirs = pw.BareField(null=True)
    original = pw.BareField(null=True)
    theirs_rep = pw.TextField(null=True)
    theirs_at = pw.TextField(null=True)
    created_at = pw.TextField(default=utc_now)
    resolved_at = pw.TextField(null=True)
    resolution = pw.TextField(null=True)  # 'mine' or 'theirs'
