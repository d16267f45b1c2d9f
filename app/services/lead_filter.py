"""LeadFilter: the one description of "which leads, in which order" shared by every screen.

A frozen dataclass, so a filter can be compared, cached, saved as a segment (JSON) and
remembered between sessions. ``app.db.search`` turns it into SQL.
"""

import dataclasses
import json
from dataclasses import dataclass

HEADCOUNT_RANGES = ("1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000", "10001+")
EMAIL_STATUSES = (
    "valid", "invalid", "catchall", "role", "role_account", "unknown", "pending",
    "disabled", "disposable", "inbox_full", "spamtrap",
)
NOT_VERIFIED = ""  # the email status of a lead nobody verified
# How far each verification result can be trusted: "safe" to send, "risky", "bad" (don't send),
# or "pending" (not known yet). Every screen that colours a status reads it from here.
EMAIL_STATUS_TONES = {
    "valid": "safe",
    "catchall": "risky", "unknown": "risky", "role": "risky", "role_account": "risky", "inbox_full": "risky",
    "pending": "pending",
    "invalid": "bad", "disabled": "bad", "disposable": "bad", "spamtrap": "bad",
}
SORT_ORDERS = {"newest": "Newest first", "oldest": "Oldest first", "name": "Name", "company": "Company"}
CUSTOM_OPS = {"contains": "contains", "empty": "is empty", "not_empty": "is not empty"}


@dataclass(frozen=True)
class CustomCriterion:
    """A condition on one custom field (an ``ai:*`` or other imported column)."""

    field: str
    op: str = "contains"  # one of CUSTOM_OPS
    value: str = ""

    def describe(self) -> str:
        if self.op == "contains":
            return f"{self.field} contains “{self.value}”"
        return f"{self.field} {CUSTOM_OPS.get(self.op, self.op)}"


@dataclass(frozen=True)
class LeadFilter:
    """Every criterion the lead list can be narrowed by. Empty values mean "any"."""

    text: str = ""
    campaign_ids: tuple[int, ...] = ()
    vip: bool | None = None
    job_title: str = ""
    location: str = ""
    headcounts: tuple[str, ...] = ()
    email_statuses: tuple[str, ...] = ()
    tag_ids: tuple[int, ...] = ()
    has_email: bool | None = None
    has_linkedin: bool | None = None
    custom: tuple[CustomCriterion, ...] = ()
    review_states: tuple[str, ...] = ()
    owner: str = ""  # the team rep who owns the lead
    sort: str = "newest"

    def replace(self, **changes) -> "LeadFilter":
        return dataclasses.replace(self, **changes)

    def structured(self) -> "LeadFilter":
        """The same filter without the free text (what the filter panel controls)."""
        return self.replace(text="")

    def is_empty(self) -> bool:
        return self.replace(sort="newest") == LeadFilter()

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "LeadFilter":
        """Parse a saved filter; unknown keys and wrong types fall back to the defaults."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        default = cls()
        values = {}
        for field in dataclasses.fields(cls):
            raw = data.get(field.name, getattr(default, field.name))
            try:
                values[field.name] = _coerce(field.name, raw)
            except (TypeError, ValueError):
                values[field.name] = getattr(default, field.name)
        if values["sort"] not in SORT_ORDERS:
            values["sort"] = default.sort
        return cls(**values)


def _coerce(name: str, raw):
    if name in ("text", "job_title", "location", "owner", "sort"):
        if not isinstance(raw, str):
            raise TypeError(name)
        return raw
    if name in ("vip", "has_email", "has_linkedin"):
        if raw is not None and not isinstance(raw, bool):
            raise TypeError(name)
        return raw
    if name in ("campaign_ids", "tag_ids"):
        return tuple(int(v) for v in raw)
    if name in ("headcounts", "email_statuses", "review_states"):
        return tuple(str(v) for v in raw)
    if name == "custom":
        return tuple(CustomCriterion(**c) for c in raw)
    raise ValueError(name)
