"""Every column of a lead, described once: what it is and which features use it.

The column lists of the import, the single-lead edits, the merge of duplicates and the review
states derive from ``FIELDS``; ``tests/unit/services/test_fields.py`` checks that every column of
the ``Lead`` model is described here, so a new column cannot be forgotten by one feature.

A field's flags:
- ``editable``: the rep can change it with ``leads.update_field`` (its ``kind`` picks the cleaning:
  ``text`` is trimmed, ``url`` is cleaned as a link; ``email``, ``phone`` and ``choice`` have their own rules);
- ``imported``: an import writes it (``import_text``: straight from a column's trimmed text);
- ``merge``: merging duplicates lets the rep choose which lead's value survives (keys and the
  team owner stay the survivor's; custom fields and VIP combine; derived columns follow their source);
- ``searchable``: in the full-text index.
"""

from dataclasses import dataclass

REVIEW_STATES = ("new", "approved", "rejected", "skipped")


@dataclass(frozen=True)
class LeadField:
    """One column of the lead table."""

    name: str
    label: str  # as the History tab and the merge dialog name it
    kind: str = "text"
    editable: bool = False
    imported: bool = False
    import_text: bool = False
    merge: bool = False
    searchable: bool = False


def _text(name, label, *, editable=True, import_text=True, searchable=False, kind="text"):
    return LeadField(name, label, kind, editable=editable, imported=True, import_text=import_text, merge=True,
                     searchable=searchable)


def _derived(name, label):
    return LeadField(name, label, "derived", imported=True)


def _own(name, label, kind):
    return LeadField(name, label, kind)


# In table order.
FIELDS = (
    LeadField("id_lead", "Lead id", "key", imported=True),
    _text("first_name", "First name", searchable=True),
    _text("middle_name", "Middle name"),
    _text("last_name", "Last name", searchable=True),
    _text("job_title", "Job title", searchable=True),
    _text("email", "Email", searchable=True, kind="email"),
    LeadField("email_verification_result", "Email status", "choice", editable=True, imported=True),
    _text("phone", "Phone", kind="phone"),
    _derived("phone_norm", "Phone norm"),
    _text("linkedin", "LinkedIn", kind="url"),
    _derived("linkedin_norm", "Linkedin norm"),
    _text("linkedin_2", "LinkedIn 2", kind="url"),
    _text("facebook", "Facebook", kind="url"),
    _text("facebook_2", "Facebook 2", kind="url"),
    _text("twitter", "Twitter", kind="url"),
    _text("website", "Website", kind="url"),
    _text("country_name", "Country name"),
    _text("location_name", "Location name", searchable=True),
    _text("timezone", "Timezone"),
    _text("company_name", "Company name", searchable=True),
    _text("company_domain", "Company domain"),
    _text("company_headcount", "Company headcount", import_text=False),
    _text("all_industries", "All industries"),
    _text("company_industries", "Company industries"),
    _text("posts", "Posts", kind="url"),
    LeadField("custom", "Custom fields", "json", imported=True),
    LeadField("vip", "VIP", "bool", imported=True),
    LeadField("review_state", "Review state", "choice", editable=True, imported=True, merge=True),
    LeadField("review_reason", "Review reason", editable=True, imported=True),
    _own("opened_at", "Opened at", "time"),
    _own("created_at", "Created at", "time"),
    _own("updated_at", "Updated at", "time"),
    _own("deleted_at", "In Trash", "time"),
    LeadField("fingerprint", "Fingerprint", "key", imported=True),
    _own("uid", "Uid", "key"),
    LeadField("owner", "Owner"),
)
BY_NAME = {field.name: field for field in FIELDS}


def names(*, kind: str | None = None, **flags: bool) -> tuple[str, ...]:
    """The names of the fields of ``kind`` (any kind if None) whose given flags all hold, in table order."""
    return tuple(f.name for f in FIELDS
                 if (kind is None or f.kind == kind) and all(getattr(f, flag) == on for flag, on in flags.items()))
