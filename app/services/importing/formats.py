"""Recognising lead files from their headers and mapping their columns to lead fields.

A mapping is one *target* per column: a lead field (``email``, ``job_title``...), a composite
the normaliser assembles (``full_name``, ``city``/``state``/``country``, ``headcount``,
``email_status``, a tool's own id), one of the LeadDesk extras (``vip``, ``tags``, ``campaigns``,
``notes``, ``review_state``, ``review_reason``), ``CUSTOM`` (kept in the lead's custom fields under
the column's name) or ``IGNORE``.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from app.services import fields
from app.services.importing.vocabulary import confirms, guess_target, has_symbols, target_of_values

CUSTOM = "custom"
IGNORE = "ignore"

# Lead columns an import can fill directly (trimmed text).
TEXT_FIELDS = fields.names(import_text=True)

# The columns of a MassProspecting export, in its order; LeadDesk exports start with them too.
MASSPROSPECTING_COLUMNS = (
    "id_lead", "first_name", "last_name", "job_title", "email", "email_verification_result", "phone",
    "linkedin", "country_name", "location_name", "company_name", "company_domain", "company_headcount",
    "all_industries", "company_industries", "posts",
)
# In a MassProspecting (or LeadDesk) file only these exact names are fields: every other column,
# whatever it is called, is custom data and goes back to custom on re-import.
_EXACT = {name: name for name in MASSPROSPECTING_COLUMNS + (
    "middle_name", "linkedin_2", "facebook", "facebook_2", "twitter", "website", "timezone",
    "vip", "tags", "campaigns", "notes", "review_state", "review_reason")}
_EXACT.update(email_verification_result="email_status", country_name="country", company_headcount="headcount")

# Every target a column can have, with the label the import dialog shows.
TARGETS = {
    "id_lead": "Lead id (id_lead)",
    "apollo_id": "Apollo contact id",
    "hubspot_id": "HubSpot record id",
    "first_name": "First name",
    "middle_name": "Middle name",
    "last_name": "Last name",
    "full_name": "Full name (split into first/last)",
    "job_title": "Job title / headline",
    "email": "Email",
    "email_status": "Email status",
    "phone": "Phone",
    "linkedin": "LinkedIn URL",
    "linkedin_2": "Second LinkedIn URL",
    "facebook": "Facebook URL",
    "facebook_2": "Second Facebook URL",
    "twitter": "Twitter URL",
    "website": "Website",
    "city": "City (part of location)",
    "state": "State / region (part of location)",
    "country": "Country",
    "location_name": "Location (city, state, country)",
    "timezone": "Time zone",
    "company_name": "Company",
    "company_domain": "Company domain",
    "headcount": "Company headcount",
    "all_industries": "Industry",
    "company_industries": "Refined industry",
    "posts": "Matching post",
    "vip": "VIP",
    "tags": "Tags",
    "campaigns": "Campaigns",
    "notes": "Notes",
    "review_state": "Review state",
    "review_reason": "Review reason",
    CUSTOM: "Keep as custom field",
    IGNORE: "Ignore",
}

# A tool's own id is stored in id_lead with a prefix, so ids from two tools never collide.
SOURCE_ID_PREFIXES = {"apollo_id": "apollo:", "hubspot_id": "hubspot:"}

FORMATS = {
    "massprospecting": "MassProspecting export",
    "apollo": "Apollo people export",
    "hubspot": "HubSpot contacts export",
    "linkedin": "LinkedIn connections",
    "generic": "Other CSV",
}


def normalize_header(name: str) -> str:
    """``"E-mail Address"`` -> ``"e mail address"``, ``"Prénom"`` -> ``"prenom"``: the form aliases are looked up in."""
    # Accents go (NFKD splits "é" into "e" + a combining mark) so "Téléphone" matches "telephone".
    plain = unicodedata.normalize("NFKD", name.replace("\ufeff", "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


def _aliases(**targets: str) -> dict[str, str]:
    table = {}
    for target, names in targets.items():
        for name in names.split("|"):
            table[normalize_header(name)] = target
    return table


# Column names seen in the wild, for any file. Format-specific names are in _FORMAT_ALIASES.
ALIASES = _aliases(
    id_lead="id_lead|lead id",
    first_name="first_name|first name|firstname|first|given name|forename|vorname|prénom|nombre|nome",
    middle_name="middle_name|middle name",
    last_name="last_name|last name|lastname|last|surname|family name|nachname|familienname|nom|nom de famille"
              "|apellido|apellidos|cognome|sobrenome",
    full_name="full name|name|contact name|contact|person|person name",
    job_title="job_title|job title|title|position|headline|role|job|occupation|funktion|berufsbezeichnung"
              "|poste|fonction|titre|cargo|puesto|ruolo",
    email="email|e-mail|email address|e-mail address|mail|work email|business email|email 1|e-mail-adresse"
          "|adresse e-mail|adresse email|courriel|correo|correo electrónico",
    email_status="email_verification_result|email status|email verification|verification status",
    phone="phone|phone number|telephone|tel|first phone|work direct phone|mobile phone|mobile"
          "|corporate phone|work phone|phone 1|telefon|handy|mobil|téléphone|portable|teléfono|telefono|móvil"
          "|cellulare",
    linkedin="linkedin|linkedin url|person linkedin url|linkedin profile|linkedin profile url|profile url"
             "|linkedin_url",
    linkedin_2="linkedin_2",
    facebook="facebook|facebook url",
    facebook_2="facebook_2",
    twitter="twitter|twitter url|x url",
    website="website|website url|web site|url website",
    city="city|town|stadt|ort|ville|ciudad|città|cidade",
    state="state|state region|region|province|county",
    country="country_name|country|country region|nation|land|pays|país|paese",
    location_name="location_name|location|address|location name",
    timezone="timezone|time zone",
    company_name="company_name|company|company name|organization|organisation|account name|employer"
                 "|account|business name|firma|unternehmen|société|entreprise|empresa|azienda",
    company_domain="company_domain|company domain|domain|company website domain",
    headcount="company_headcount|employees|number of employees|employee count|headcount|company size"
              "|company headcount|size",
    all_industries="all_industries|industry|industries|sector",
    company_industries="company_industries|refined industry|sub industry",
    posts="posts|post|post url",
    vip="vip",
    tags="tags|tag|labels",
    campaigns="campaigns|campaign",
    notes="notes|note|comments",
    review_state="review_state|review state",
    review_reason="review_reason|review reason",
)

_FORMAT_ALIASES = {
    "apollo": _aliases(apollo_id="apollo contact id", website="website"),
    "hubspot": _aliases(hubspot_id="record id"),
    "linkedin": _aliases(linkedin="url", custom="connected on"),
}

# (format, columns that must all be present, at least one of these too), tried in order.
_SIGNATURES = (
    ("massprospecting", {"id lead"}, {"first name", "email", "email verification result", "job title"}),
    ("apollo", {"apollo contact id"}, set()),
    ("apollo", {"person linkedin url", "email status"}, {"employees", "seniority", "company name for emails"}),
    ("hubspot", {"record id"}, {"lifecycle stage", "lead status", "contact owner", "create date", "email"}),
    ("linkedin", {"url", "connected on"}, {"first name", "position"}),
)


def is_known_name(cell: str) -> bool:
    """A column name we know, or whose words suggest a field (scores a row as a header)."""
    return normalize_header(cell) in ALIASES or guess_target(cell) is not None


def detect_format(header) -> str:
    names = {normalize_header(h) for h in header}
    for name, required, any_of in _SIGNATURES:
        if required <= names and (not any_of or any_of & names):
            return name
    return "generic"


def default_mapping(header, format_name: str, sample=()) -> tuple[tuple[str, ...], frozenset[int]]:
    """One target per column, and the columns whose target is a guess.

    A column whose name we know is its field. Failing that (or when the name holds symbols, as
    "☎ Contact"), a field its words suggest is a guess, kept only if the cells of ``sample`` (the
    first rows) fit it. With no e-mail (or LinkedIn) column so named, the first unnamed column whose
    sample cells all are e-mails (LinkedIn URLs) is guessed to be one. Everything else, and every
    ``ai:*`` column, stays custom.
    """
    extra = _FORMAT_ALIASES.get(format_name, {})
    targets, guessed = [], set()
    for index, name in enumerate(header):
        key = normalize_header(name)
        if name.strip().startswith("ai:"):
            targets.append(CUSTOM)
            continue
        if format_name == "massprospecting":
            targets.append(_EXACT.get(name.strip(), CUSTOM))
            continue
        known = extra.get(key) or ALIASES.get(key)
        if known and not has_symbols(name):
            targets.append(known)
            continue
        guess = known or guess_target(name)
        if guess and confirms(guess, [row[index] for row in sample if index < len(row)]):
            targets.append(guess)
            guessed.add(index)
        else:
            targets.append(CUSTOM)
    if format_name != "massprospecting":
        _guess_by_values(header, sample, targets, guessed)
    return tuple(targets), frozenset(guessed)


def _guess_by_values(header, sample, targets: list[str], guessed: set[int]) -> None:
    for target in ("email", "linkedin"):
        if target in targets:
            continue
        for index, name in enumerate(header):
            if targets[index] != CUSTOM or name.strip().startswith("ai:"):
                continue
            if target_of_values(row[index] for row in sample if index < len(row)) == target:
                targets[index] = target
                guessed.add(index)
                break


def header_key(header) -> str:
    """A stable key for a header layout: the next file from the same tool reuses its mapping."""
    text = "\x1f".join(normalize_header(h) for h in header)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# The lead fields each target fills. Two columns whose targets share a field cannot both have it:
# the first keeps it and the others are kept as custom fields, so no cell is dropped.
_FILLS = {
    "full_name": {"first_name", "last_name"},
    "apollo_id": {"id_lead"},
    "hubspot_id": {"id_lead"},
    "country": {"country_name"},
    "email_status": {"email_verification_result"},
    "headcount": {"company_headcount"},
    # A location column holds the whole place, so a city or state column beside it stays custom.
    "location_name": {"location_name", "city", "state"},
}


# A file without any of these is no lead list: importing it takes the rep's consent.
LEAD_TARGETS = frozenset({"first_name", "last_name", "full_name", "email", "linkedin", "company_name"})


def resolve_conflicts(mapping) -> tuple[str, ...]:
    """``mapping`` with every column whose field an earlier column already fills turned into CUSTOM."""
    taken: set[str] = set()
    resolved = []
    for target in mapping:
        if target in (CUSTOM, IGNORE):
            resolved.append(target)
            continue
        fills = _FILLS.get(target, {target})
        if fills & taken:
            resolved.append(CUSTOM)
        else:
            taken |= fills
            resolved.append(target)
    return tuple(resolved)


def custom_names(header) -> list[str]:
    """The custom-field name of each column: its header, made unique (" (2)"...), or "column N" if blank."""
    names, seen = [], set()
    for index, name in enumerate(header):
        base = name.strip() or f"column {index + 1}"
        candidate, n = base, 2
        while candidate in seen:
            candidate, n = f"{base} ({n})", n + 1
        seen.add(candidate)
        names.append(candidate)
    return names


@dataclass(frozen=True)
class Plan:
    """What an import will do with a file's columns.

    Conflicting targets are resolved on creation (see ``resolve_conflicts``); ``guessed`` holds the
    columns whose target was only guessed from the header's words.
    """

    format: str
    header: tuple[str, ...]
    mapping: tuple[str, ...]
    guessed: frozenset[int] = frozenset()

    def __post_init__(self):
        object.__setattr__(self, "mapping", resolve_conflicts(self.mapping))

    def with_target(self, column: int, target: str) -> "Plan":
        if target not in TARGETS:
            raise ValueError(f"Unknown column target: {target}")
        mapping = list(self.mapping)
        mapping[column] = target
        return Plan(self.format, self.header, tuple(mapping), self.guessed - {column})

    def has_lead_columns(self) -> bool:
        """Whether some column holds a name, e-mail, LinkedIn URL or company (what makes a row a lead)."""
        return bool(LEAD_TARGETS & set(self.mapping))

    def destinations(self) -> tuple[str, ...]:
        """Where each column's cells are stored, in words (the import dialog's "Stored as" column)."""
        names = custom_names(self.header)
        shown = []
        for index, target in enumerate(self.mapping):
            if target == IGNORE:
                shown.append("not imported")
            elif target == CUSTOM:
                shown.append(f"custom field “{names[index]}”")
            else:
                shown.append(TARGETS[target] + (" (guess)" if index in self.guessed else ""))
        return tuple(shown)


def make_plan(header, format_name: str | None = None, mapping=None, sample=()) -> Plan:
    """The plan for ``header``: the given ``mapping``, or the one detected (``sample``: the first rows)."""
    header = tuple(header)
    guessed: frozenset[int] = frozenset()
    format_name = format_name or detect_format(header)
    if format_name not in FORMATS:
        raise ValueError(f"Unknown format “{format_name}” (expected one of: {', '.join(FORMATS)}).")
    if mapping is None:
        mapping, guessed = default_mapping(header, format_name, sample)
    mapping = tuple(mapping)
    if len(mapping) != len(header):
        raise ValueError("The column mapping does not match the file's columns.")
    for target in mapping:
        if target not in TARGETS:
            raise ValueError(f"Unknown column target: {target}")
    return Plan(format_name, header, mapping, guessed)
