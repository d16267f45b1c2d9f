"""Reading one lead in full and editing it: the single choke point for changing a lead's data.

Every edit is one small IMMEDIATE transaction that touches only that lead's rows (no full-table
work), stamps ``updated_at`` / ``opened_at`` and writes a ``lead_history`` row, so an undo stack
or a history view can later wrap these functions without knowing how they work.
"""

import json
from dataclasses import dataclass

from app.db.connection import database
from app.db.models import Campaign, CustomField, LeadTag, Membership, Note, Tag, utc_now
from app.services import fields
from app.services.campaigns import require_active
from app.services.lead_filter import EMAIL_STATUSES, NOT_VERIFIED
from app.services.tags import TagInfo
from app.services.validation import (
    ValidationError,
    clean_email,
    clean_phone,
    clean_url,
    normalize_linkedin,
    normalize_phone,
)

EDIT_SOURCE = "edited here"

# Columns the rep can edit with update_field (derived columns such as phone_norm follow along).
TEXT_FIELDS = fields.names(kind="text", editable=True)
URL_FIELDS = fields.names(kind="url", editable=True)
EDITABLE_FIELDS = frozenset(fields.names(editable=True))


def apply_edit(name: str, lead_id: int, edit_fn, *args) -> bool:
    """Run one of the edits below directly; True if it changed something.

    The signature is ``UndoStack.edit``'s: the detail panel calls whichever runner it was given,
    so the same call becomes undoable once the undo stack is plugged in.
    """
    return bool(edit_fn(*args))


class LeadNotFoundError(LookupError):
    """The lead does not exist or is in the Trash."""


@dataclass(frozen=True)
class NoteInfo:
    id: int
    body: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class MembershipInfo:
    campaign_id: int
    name: str
    status: str
    stage: str
    added_at: str


@dataclass(frozen=True)
class CampaignChoice:
    """One line of the campaign picker: a campaign and whether this lead belongs to it."""

    id: int
    name: str
    status: str
    is_member: bool
    stage: str  # "" when not a member

    @property
    def accepts_leads(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class LeadDetail:
    """Everything the detail panel shows about one lead."""

    id: int
    id_lead: str | None
    first_name: str
    middle_name: str
    last_name: str
    job_title: str
    email: str
    email_verification_result: str
    phone: str
    phone_norm: str
    linkedin: str
    linkedin_norm: str
    linkedin_2: str
    facebook: str
    facebook_2: str
    twitter: str
    website: str
    country_name: str
    location_name: str
    timezone: str
    company_name: str
    company_domain: str
    company_headcount: str
    all_industries: str
    company_industries: str
    posts: str
    vip: bool
    review_state: str
    review_reason: str
    opened_at: str | None
    created_at: str
    updated_at: str
    custom: dict[str, str]
    tags: tuple[TagInfo, ...]
    notes: tuple[NoteInfo, ...]
    memberships: tuple[MembershipInfo, ...]

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)

    def ai_fields(self) -> dict[str, str]:
        return {k: v for k, v in self.custom.items() if k.startswith("ai:")}

    def other_custom_fields(self) -> dict[str, str]:
        return {k: v for k, v in self.custom.items() if not k.startswith("ai:")}


_SCALAR_FIELDS = tuple(
    f for f in LeadDetail.__dataclass_fields__ if f not in ("custom", "tags", "notes", "memberships")
)


def _parse_custom(text: str) -> dict[str, str]:
    # Import order is kept (JSON objects keep their order); ai:* columns come first.
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    items = [(str(k), "" if v is None else str(v)) for k, v in data.items()]
    return dict(sorted(items, key=lambda kv: not kv[0].startswith("ai:")))


# The form is refilled on every selection (budget: 16 ms at 1M leads), so its reads are fixed
# plain-SQL strings: building the same Peewee query each time costs more than running it.
_LEAD_SQL = "SELECT * FROM lead WHERE id = ? AND deleted_at IS NULL"
_TAGS_SQL = (
    "SELECT t.id, t.name, t.color FROM lead_tag lt JOIN tag t ON t.id = lt.tag_id"
    " WHERE lt.lead_id = ? ORDER BY t.name"
)
_NOTES_SQL = (
    "SELECT id, body, created_at, updated_at FROM note WHERE lead_id = ?"
    " ORDER BY created_at DESC, id DESC"
)
_MEMBERSHIPS_SQL = (
    "SELECT c.id, c.name, c.status, m.stage, m.added_at FROM membership m"
    " JOIN campaign c ON c.id = m.campaign_id WHERE m.lead_id = ? ORDER BY c.name"
)
_CHOICES_SQL = (
    "SELECT c.id, c.name, c.status, m.stage FROM campaign c"
    " LEFT JOIN membership m ON m.campaign_id = c.id AND m.lead_id = ?"
)


def _rows(sql: str, *params) -> list[tuple]:
    return database.execute_sql(sql, params).fetchall()


def get_lead(lead_id: int) -> LeadDetail | None:
    """The lead with its tags, notes and memberships, or None if it is gone or in the Trash."""
    cursor = database.execute_sql(_LEAD_SQL, (lead_id,))
    values = cursor.fetchone()
    if values is None:
        return None
    row = dict(zip((d[0] for d in cursor.description), values))
    scalars = {f: row[f] for f in _SCALAR_FIELDS}
    scalars["vip"] = bool(scalars["vip"])
    return LeadDetail(
        **scalars,
        custom=_parse_custom(row["custom"]),
        tags=tuple(TagInfo(*r) for r in _rows(_TAGS_SQL, lead_id)),
        notes=tuple(NoteInfo(*r) for r in _rows(_NOTES_SQL, lead_id)),
        memberships=tuple(MembershipInfo(*r) for r in _rows(_MEMBERSHIPS_SQL, lead_id)),
    )


def _record(lead_id: int, field: str, old, new, now: str) -> None:
    database.execute_sql(
        "INSERT INTO lead_history (lead_id, at, source, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
        (lead_id, now, EDIT_SOURCE, field, None if old is None else str(old), None if new is None else str(new)),
    )


def _touch(lead_id: int, now: str, **columns) -> None:
    """Write ``columns`` and mark the lead as changed (and opened, if it never was)."""
    # Column names come from this module (EDITABLE_FIELDS and their derived columns), never input.
    assignments = "".join(f"{name} = ?, " for name in columns)
    database.execute_sql(
        f"UPDATE lead SET {assignments}updated_at = ?, opened_at = COALESCE(opened_at, ?) WHERE id = ?",
        (*columns.values(), now, now, lead_id),
    )


def _current(lead_id: int, *columns: str) -> dict:
    sql = f"SELECT {', '.join(columns)} FROM lead WHERE id = ? AND deleted_at IS NULL"
    row = database.execute_sql(sql, (lead_id,)).fetchone()
    if row is None:
        raise LeadNotFoundError("This lead no longer exists (it may have been deleted).")
    return dict(zip(columns, row))


def clean_value(field: str, value: str) -> dict[str, str]:
    """Validate ``value`` for ``field``; return every column to write (derived ones included).

    Raises ValidationError with a plain message when the value cannot be saved.
    """
    if field not in EDITABLE_FIELDS:
        raise ValueError(f"{field} is not an editable lead field")
    value = (value or "").strip()
    if field == "email":
        return {"email": clean_email(value)}
    if field == "phone":
        phone = clean_phone(value)
        return {"phone": phone, "phone_norm": normalize_phone(phone)}
    if field in URL_FIELDS:
        url = clean_url(value)
        if field == "linkedin":
            return {"linkedin": url, "linkedin_norm": normalize_linkedin(url)}
        return {field: url}
    if field == "email_verification_result" and value not in EMAIL_STATUSES + (NOT_VERIFIED,):
        raise ValidationError("Unknown email status.")
    if field == "review_state" and value not in fields.REVIEW_STATES:
        raise ValidationError("Unknown review state.")
    return {field: value}


def update_field(lead_id: int, field: str, value: str) -> bool:
    """Validate and save one field; True if the stored value changed.

    A new email address has not been verified, so changing the email clears its status.
    """
    columns = clean_value(field, value)
    with database.atomic():
        old = _current(lead_id, field, "email_verification_result")
        if old[field] == columns[field]:
            return False
        now = utc_now()
        _record(lead_id, field, old[field], columns[field], now)
        if field == "email" and old["email_verification_result"] != NOT_VERIFIED:
            columns["email_verification_result"] = NOT_VERIFIED
            _record(lead_id, "email_verification_result", old["email_verification_result"], NOT_VERIFIED, now)
        _touch(lead_id, now, **columns)
    return True


def update_custom(lead_id: int, name: str, value: str) -> bool:
    """Set a custom field (an ``ai:*`` snippet or any other imported column); True if it changed."""
    name = name.strip()
    if not name:
        raise ValidationError("A custom field needs a name.")
    value = (value or "").strip()
    with database.atomic():
        custom = json.loads(_current(lead_id, "custom")["custom"] or "{}")
        old = custom.get(name)
        if old == value:
            return False
        # Kept even when emptied, so the column still exists on export.
        custom[name] = value
        now = utc_now()
        CustomField.insert(name=name).on_conflict_ignore().execute()
        _record(lead_id, name, old, value, now)
        _touch(lead_id, now, custom=json.dumps(custom, ensure_ascii=False))
    return True


def mark_opened(lead_id: int) -> bool:
    """Remember that the rep has looked at this lead; True the first time only."""
    with database.atomic():
        cursor = database.execute_sql(
            "UPDATE lead SET opened_at = ? WHERE id = ? AND opened_at IS NULL AND deleted_at IS NULL",
            (utc_now(), lead_id),
        )
    return cursor.rowcount > 0


def set_vip(lead_id: int, vip: bool) -> bool:
    with database.atomic():
        old = bool(_current(lead_id, "vip")["vip"])
        if old == bool(vip):
            return False
        now = utc_now()
        _record(lead_id, "vip", int(old), int(bool(vip)), now)
        _touch(lead_id, now, vip=int(bool(vip)))
    return True


# --- notes ---------------------------------------------------------------------------------------

def _clean_note(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("A note can't be empty.")
    return body


def add_note(lead_id: int, body: str) -> NoteInfo:
    body = _clean_note(body)
    with database.atomic():
        _current(lead_id, "id")
        now = utc_now()
        note_id = Note.insert(lead=lead_id, body=body, created_at=now, updated_at=now).execute()
        _record(lead_id, "note", None, body, now)
        _touch(lead_id, now)
    return NoteInfo(note_id, body, now, now)


def _note_lead(note_id: int) -> tuple[int, str]:
    note = Note.select(Note.lead, Note.body).where(Note.id == note_id).dicts().first()
    if note is None:
        raise LookupError("This note no longer exists.")
    return note["lead"], note["body"]


def edit_note(note_id: int, body: str) -> bool:
    body = _clean_note(body)
    with database.atomic():
        lead_id, old = _note_lead(note_id)
        if old == body:
            return False
        now = utc_now()
        Note.update(body=body, updated_at=now).where(Note.id == note_id).execute()
        _record(lead_id, "note", old, body, now)
        _touch(lead_id, now)
    return True


def delete_note(note_id: int) -> bool:
    with database.atomic():
        try:
            lead_id, old = _note_lead(note_id)
        except LookupError:
            return False
        now = utc_now()
        Note.delete().where(Note.id == note_id).execute()
        _record(lead_id, "note", old, None, now)
        _touch(lead_id, now)
    return True


# --- tags on a lead ------------------------------------------------------------------------------

def add_tag(lead_id: int, tag_id: int) -> bool:
    with database.atomic():
        _current(lead_id, "id")
        tag = Tag.get_or_none(Tag.id == tag_id)
        if tag is None:
            raise LookupError("This tag no longer exists.")
        if LeadTag.select().where((LeadTag.tag == tag_id) & (LeadTag.lead == lead_id)).exists():
            return False
        LeadTag.insert(tag=tag_id, lead=lead_id).execute()
        now = utc_now()
        _record(lead_id, "tags", None, tag.name, now)
        _touch(lead_id, now)
    return True


def remove_tag(lead_id: int, tag_id: int) -> bool:
    with database.atomic():
        tag = Tag.get_or_none(Tag.id == tag_id)
        if tag is None or not LeadTag.delete().where((LeadTag.tag == tag_id) & (LeadTag.lead == lead_id)).execute():
            return False
        now = utc_now()
        _record(lead_id, "tags", tag.name, None, now)
        _touch(lead_id, now)
    return True


# --- campaign memberships ------------------------------------------------------------------------

_STATUS_ORDER = {"active": 0, "paused": 1, "archived": 2}


def campaign_choices(lead_id: int) -> list[CampaignChoice]:
    """Every campaign, active first then paused then archived, marking those the lead is in."""
    choices = [
        CampaignChoice(cid, name, status, stage is not None, stage or "")
        for cid, name, status, stage in _rows(_CHOICES_SQL, lead_id)
    ]
    return sorted(choices, key=lambda c: (_STATUS_ORDER.get(c.status, 3), c.name.casefold()))


def set_membership(lead_id: int, campaign_id: int, member: bool) -> bool:
    """Add the lead to a campaign (active ones only; raises CampaignInactiveError) or remove it.

    Returns True if membership changed. New memberships start at stage ``discovered``.
    """
    with database.atomic():
        _current(lead_id, "id")
        campaign = Campaign.get_or_none(Campaign.id == campaign_id)
        if campaign is None:
            raise LookupError("This campaign no longer exists.")
        exists = Membership.select().where(
            (Membership.lead == lead_id) & (Membership.campaign == campaign_id)
        ).exists()
        if exists == member:
            return False
        now = utc_now()
        if member:
            require_active([campaign_id])
            Membership.insert(campaign=campaign_id, lead=lead_id, stage="discovered", added_at=now).execute()
            _record(lead_id, "campaigns", None, campaign.name, now)
        else:
            Membership.delete().where((Membership.lead == lead_id) & (Membership.campaign == campaign_id)).execute()
            _record(lead_id, "campaigns", campaign.name, None, now)
        _touch(lead_id, now)
    return True
