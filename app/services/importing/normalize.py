"""Turning a file row into a lead record: trimmed, normalised, nothing lost.

A record is a dict holding only the non-empty values: lead columns (``email``, ``linkedin_norm``...),
``custom`` (dict), and the extras ``_tags``, ``_campaigns``, ``_notes`` (lists). Whenever a value is
translated (an Apollo email status, a head count turned into a range, a second phone number), the
value as written is also kept in ``custom`` under its column name.
"""

import operator
import re

from app.services import fields
from app.services.importing.formats import (
    CUSTOM,
    IGNORE,
    SOURCE_ID_PREFIXES,
    TEXT_FIELDS,
    Plan,
    custom_names,
)
from app.services.importing.matching import with_fingerprint
from app.services.lead_filter import EMAIL_STATUSES, HEADCOUNT_RANGES
from app.services.validation import LIST_SEPARATOR, is_valid_email, normalize_linkedin, normalize_phone

NOTES_SEPARATOR = "\n---\n"

# Statuses other tools use, in MassProspecting's vocabulary.
EMAIL_STATUS_MAP = {
    "verified": "valid", "deliverable": "valid", "ok": "valid",
    "bounced": "invalid", "undeliverable": "invalid", "bad": "invalid",
    "guessed": "unknown", "unverified": "unknown", "risky": "unknown", "extrapolated": "unknown",
    "unavailable": "", "pending manual fulfillment": "pending",
    "catch all": "catchall", "catch-all": "catchall", "catch_all": "catchall", "accept all": "catchall",
    "role account": "role_account", "inbox full": "inbox_full",
}
_TRUE = {"1", "true", "yes", "y", "x", "vip", "★", "✓", "✔"}
_FALSE = {"0", "false", "no", "n", "-"}
_HEADCOUNT_BOUNDS = [(int(r.split("-")[0].rstrip("+")), r) for r in HEADCOUNT_RANGES]
_EMAIL_STATUSES = frozenset(EMAIL_STATUSES)
_LIST_CACHE_SIZE = 4096
_NUMBER = re.compile(r"\d[\d,. ]*")


def headcount_range(text: str) -> str:
    """``"340"`` -> ``"201-500"``; ``"11-50 employees"`` -> ``"11-50"``; unreadable text kept as is."""
    if text in HEADCOUNT_RANGES:
        return text
    numbers = _NUMBER.findall(text)
    if not numbers:
        return text
    try:
        low = int(re.sub(r"[,. ]", "", numbers[0]))
    except ValueError:
        return text
    if low <= 0:
        return text
    result = HEADCOUNT_RANGES[0]
    for bound, name in _HEADCOUNT_BOUNDS:
        if low >= bound:
            result = name
    return result


def email_status(text: str) -> str:
    value = text.strip().lower()
    if value in EMAIL_STATUSES:
        return value
    return EMAIL_STATUS_MAP.get(value, "unknown")


def split_full_name(text: str) -> tuple[str, str]:
    """``"Jane Doe"`` -> ("Jane", "Doe"); ``"Doe, Jane"`` -> ("Jane", "Doe"); one word is a first name."""
    if "," in text:
        last, _, first = text.partition(",")
        return first.strip(), last.strip()
    parts = text.split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])


def _split_list(text: str) -> list[str]:
    return [item for item in map(str.strip, text.split(LIST_SEPARATOR)) if item]


class Converter:
    """Builds records from the cells of one file layout (the per-column work is planned once)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.custom_names = custom_names(plan.header)
        self.simple: list[tuple[int, str]] = []
        self.custom: list[tuple[int, str]] = []
        self.special: list[tuple[int, str]] = []
        self.kept: set[str] = set()  # custom names that received a value as written beside a translation
        for index, target in enumerate(plan.mapping):
            if target == IGNORE:
                continue
            if target == CUSTOM:
                self.custom.append((index, self.custom_names[index]))
            elif target in TEXT_FIELDS:
                self.simple.append((index, target))
            else:
                self.special.append((index, target))
        # convert() runs once per row: the cells each part reads are picked in one C call (the plan
        # gives each field one column at most, so the fields are taken in one dict comprehension).
        self._simple_fields = tuple(field for _, field in self.simple)
        self._simple_cells = _picker([index for index, _ in self.simple])
        self._custom_fields = tuple(name for _, name in self.custom)
        self._custom_cells = _picker([index for index, _ in self.custom])
        self._special_cells = _picker([index for index, _ in self.special])
        self._lists: dict[str, tuple[str, ...]] = {}
        # Columns without a header are registered ("column N") only once one of their cells holds a value.
        self._unnamed = {name for index, name in self.custom if not plan.header[index].strip()}

    def registered_custom_fields(self) -> list[str]:
        """Custom field names to register: every named custom column, and those translated values use."""
        names = [name for index, name in self.custom if self.plan.header[index].strip()]
        return names + sorted(self.kept - set(names))

    def convert(self, cells: list[str]) -> dict:
        custom: dict = {}
        record = {f: v for f, v in zip(self._simple_fields, map(str.strip, self._simple_cells(cells))) if v}
        if self.custom:
            for name, value in zip(self._custom_fields, map(str.strip, self._custom_cells(cells))):
                if value:
                    custom[name] = value
        if self.special:
            self._specials(cells, record, custom)
        if "email" in record:
            email = record["email"].lower()
            record["email"] = email
            if not is_valid_email(email):
                record["email_verification_result"] = "invalid"  # kept, but marked
        if "phone" in record:
            norm = normalize_phone(record["phone"])
            if norm:
                record["phone_norm"] = norm
        if "linkedin" in record:
            norm = normalize_linkedin(record["linkedin"])
            if "/" in norm:  # a profile has a path: "x@example.com" read as a URL is just "example.com"
                record["linkedin_norm"] = norm
        if custom:
            record["custom"] = custom
            if self._unnamed:
                self.kept.update(self._unnamed & custom.keys())
        return with_fingerprint(record)

    def _split_list(self, text: str) -> list[str]:
        # A file repeats the same few tag/campaign lists over and over: each is split once.
        items = self._lists.get(text)
        if items is None:
            items = tuple(_split_list(text))
            if len(self._lists) < _LIST_CACHE_SIZE:
                self._lists[text] = items
        return list(items)

    def _specials(self, cells, record: dict, custom: dict) -> None:
        names = self.custom_names
        before = len(custom)
        place = {}
        for (index, target), value in zip(self.special, map(str.strip, self._special_cells(cells))):
            if not value:
                continue
            # The targets of a MassProspecting file first: this runs for each of its rows.
            if target == "id_lead":
                record.setdefault("id_lead", value)
            elif target == "email_status":
                lowered = value.lower()
                status = lowered if lowered in _EMAIL_STATUSES else EMAIL_STATUS_MAP.get(lowered, "unknown")
                if status != lowered:
                    custom[names[index]] = value
                if status:
                    record.setdefault("email_verification_result", status)
            elif target == "country":
                place.setdefault("country", value)
                record.setdefault("country_name", value)
            elif target == "headcount":
                size = headcount_range(value)
                if size != value:
                    custom[names[index]] = value
                record.setdefault("company_headcount", size)
            elif target == "tags":
                record["_tags"] = self._split_list(value)
            elif target == "campaigns":
                record["_campaigns"] = self._split_list(value)
            elif target == "full_name":
                first, last = split_full_name(value)
                if first:
                    record.setdefault("first_name", first)
                if last:
                    record.setdefault("last_name", last)
            elif target in ("city", "state"):
                place.setdefault(target, value)
            elif target in ("apollo_id", "hubspot_id"):
                record.setdefault("id_lead", SOURCE_ID_PREFIXES[target] + value)
            elif target == "vip":
                flag = value.lower()
                if flag in _TRUE:
                    record["vip"] = 1
                elif flag in _FALSE:
                    record["vip"] = 0
                else:
                    custom[names[index]] = value
            elif target == "review_state":
                if value.lower() in fields.REVIEW_STATES:
                    record["review_state"] = value.lower()
                else:
                    custom[names[index]] = value
            elif target == "review_reason":
                record["review_reason"] = value
            elif target == "notes":
                record["_notes"] = [n.strip() for n in value.split(NOTES_SEPARATOR) if n.strip()]
        if len(custom) != before:
            self.kept.update(custom)
        if place:
            _set_location(place, record)


def _picker(indexes: list[int]):
    """A function returning the cells at ``indexes`` as a tuple (itemgetter returns a bare cell for one)."""
    if len(indexes) == 1:
        index = indexes[0]
        return lambda cells: (cells[index],)
    if not indexes:
        return lambda cells: ()
    return operator.itemgetter(*indexes)


def _set_location(place: dict, record: dict) -> None:
    # A lone country is not a location: only a city or state makes "city, state, country".
    if ("city" in place or "state" in place) and "location_name" not in record:
        record["location_name"] = ", ".join(place[key] for key in ("city", "state", "country") if key in place)
