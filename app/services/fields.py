"""Every column of a lead, described once: what it is and which features use it.

The column lists of the import and its preview, the single-lead edits, the detail form's fields,
the merge of duplicates, the export, the History and the review states derive from ``FIELDS``; ``tests/unit/services/test_fields.py`` checks that every column of
the ``Lead`` model is described here, so a new column cannot be forgotten by one feature.

A field's flags:
- ``editable``: the rep can change it with ``leads.update_field`` (its ``kind`` picks the cleaning:
  ``text`` is trimmed, ``url`` is cleaned as a link; ``email``, ``phone`` and ``choice`` have their own rules);
- ``imported``: an import writes it (``import_text``: straight from a column's trimmed text);
- ``merge``: merging duplicates lets the rep choose which lead's value survives (keys and the
  team owner stay the survivor's; custom fields and VIP combine; derived columns follow their source);
- ``searchable``: in the full-text index;
- ``exported``: the export writes it (its text fields, and the flags and review a re-import restores);
- ``history``: a change gets a line in the lead's History (not the bookkeeping times);
- ``section``: the detail form's section that shows its editor ("" if it has none there);
- ``preview``: its place among the import preview's columns (0: not previewed).
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
    exported: bool = False
    history: bool = True
    section: str = ""
    preview: int = 0


def _text(name, label, section, *, import_text=True, searchable=False, kind="text", preview=0):
    return LeadField(name, label, kind, editable=True, imported=True, import_text=import_text, merge=True,
                     searchable=searchable, exported=True, section=section, preview=preview)


def _derived(name, label):
    return LeadField(name, label, "derived", imported=True)


def _own(name, label, kind, history=True):
    return LeadField(name, label, kind, history=history)


# In table order.
FIELDS = (
    LeadField("id_lead", "Lead id", "key", imported=True, exported=True, preview=13),
    _text("first_name", "First name", "Person", searchable=True, preview=1),
    _text("middle_name", "Middle name", "Person"),
    _text("last_name", "Last name", "Person", searchable=True, preview=2),
    _text("job_title", "Job title", "Person", searchable=True, preview=3),
    _text("email", "Email", "Contact", searchable=True, kind="email", preview=4),
    LeadField("email_verification_result", "Email status", "choice", editable=True, imported=True, exported=True,
              preview=5),
    _text("phone", "Phone", "Contact", kind="phone", preview=6),
    _derived("phone_norm", "Phone norm"),
    _text("linkedin", "LinkedIn", "Contact", kind="url", preview=7),
    _derived("linkedin_norm", "Linkedin norm"),
    _text("linkedin_2", "LinkedIn 2", "Contact", kind="url"),
    _text("facebook", "Facebook", "Contact", kind="url"),
    _text("facebook_2", "Facebook 2", "Contact", kind="url"),
    _text("twitter", "Twitter", "Contact", kind="url"),
    _text("website", "Website", "Contact", kind="url"),
    _text("country_name", "Country name", "Location", preview=12),
    _text("location_name", "Location name", "Location", searchable=True, preview=11),
    _text("timezone", "Timezone", "Location"),
    _text("company_name", "Company name", "Company", searchable=True, preview=8),
    _text("company_domain", "Company domain", "Company", preview=9),
    _text("company_headcount", "Company headcount", "Company", import_text=False, preview=10),
    _text("all_industries", "All industries", "Company"),
    _text("company_industries", "Company industries", "Company"),
    _text("posts", "Posts", "Contact", kind="url"),
    LeadField("custom", "Custom fields", "json", imported=True),
    LeadField("vip", "VIP", "bool", imported=True, exported=True, preview=14),
    LeadField("review_state", "Review state", "choice", editable=True, imported=True, merge=True, exported=True,
              preview=15),
    LeadField("review_reason", "Review reason", editable=True, imported=True, exported=True),
    _own("opened_at", "Opened at", "time", history=False),
    _own("created_at", "Created at", "time", history=False),
    _own("updated_at", "Updated at", "time", history=False),
    _own("deleted_at", "In Trash", "time"),
    LeadField("fingerprint", "Fingerprint", "key", imported=True),
    _own("uid", "Uid", "key"),
    LeadField("owner", "Owner"),
)
BY_NAME = {field.name: field for field in FIELDS}
# What a lead links to rather than holds, as the export's columns name them.
LINKED_LISTS = ("tags", "campaigns", "notes")


def names(*, kind: str | None = None, **flags: bool) -> tuple[str, ...]:
    """The names of the fields of ``kind`` (any kind if None) whose given flags all hold, in table order."""
    return tuple(f.name for f in FIELDS
                 if (kind is None or f.kind == kind) and all(getattr(f, flag) == on for flag, on in flags.items()))


def preview_names() -> tuple[str, ...]:
    """The import preview's columns, in their order."""
    return tuple(f.name for f in sorted((f for f in FIELDS if f.preview), key=lambda f: f.preview))


def section_names(section: str) -> tuple[str, ...]:
    """The fields the detail form's ``section`` shows, in table order."""
    return tuple(f.name for f in FIELDS if f.section == section)
