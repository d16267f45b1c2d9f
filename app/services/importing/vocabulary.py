"""Recognising headers by their words (English, German, French, Spanish) and cells by their shape.

``formats.ALIASES`` holds whole column names; this module is the fallback for the names people
really write ("Lead Email", "Mobile Phone", "Nom de l'entreprise"): a header whose words include
one of a target's words is a *guess* for that target, kept only if the data below confirms it (an
e-mail column holds e-mails). A header with symbols or emoji ("☎ Contact") matches loosely too.
The same cell shapes score candidate rows when the reader looks for the header row.
"""

import re
import unicodedata

# Target -> the words that name it, accents and case removed. Tried in this order: a header with
# "LinkedIn" and "URL" is a LinkedIn column before it is anything else, and "Nom de l'entreprise"
# is a company before it is a last name.
WORDS = (
    ("linkedin", {"linkedin"}),
    ("email", {"email", "mail", "courriel", "correo", "emailadresse", "mailadresse"}),
    ("phone", {"phone", "mobile", "tel", "telefon", "telephone", "telefono", "handy", "portable", "movil",
               "mobil", "cell", "cellphone", "telefonnummer", "mobilnummer"}),
    ("company_name", {"company", "organisation", "organization", "account", "firma", "unternehmen",
                      "entreprise", "societe", "empresa", "employer"}),
    ("job_title", {"title", "position", "role", "job", "poste", "fonction", "cargo", "puesto", "headline"}),
    ("first_name", {"vorname", "prenom", "nombre", "firstname", "forename", "given"}),
    ("last_name", {"nachname", "nom", "apellido", "apellidos", "surname", "lastname", "familienname"}),
    ("city", {"city", "ville", "ort", "stadt", "ciudad", "town"}),
    ("location_name", {"location", "address", "adresse", "direccion"}),
)
_COMPANY = dict(WORDS)["company_name"]
# Two-word names: "first name", "family name"...
PAIRS = {("first", "name"): "first_name", ("given", "name"): "first_name", ("last", "name"): "last_name",
         ("family", "name"): "last_name"}
# Words that make a header about something else ("Email Status", "Company Domain", "Phone Type").
_OTHER = {"id", "status", "type", "date", "time", "owner", "domain", "website", "size", "count", "verified",
          "verification", "source", "industry", "employees", "opt", "score", "stage", "linkedin", "url"}
# The targets a column of text holds: not e-mails, URLs or numbers.
_TEXT_TARGETS = {"first_name", "last_name", "full_name", "middle_name", "company_name", "job_title", "city",
                 "state", "location_name"}

_DELIMITERS = set(",;|\t@")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^(https?://|www\.)|\.(com|org|net|io|de|fr|es)(/|$)", re.IGNORECASE)
_NUMBER = re.compile(r"^(?=.*\d)[+\-(]?[\d\s.,:/()\-+%$€]+$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}.*)?$|^\d{1,2} [A-Za-z]{3,9} \d{4}$")


def plain_words(header: str) -> list[str]:
    """``"☎ Téléphone (mobile)"`` -> ``["telephone", "mobile"]``: accents, symbols and emoji gone."""
    text = unicodedata.normalize("NFKD", header.replace("\ufeff", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch)[0] != "S")
    text = text.casefold().replace("e-mail", "email")
    return re.findall(r"[^\W_]+", text.encode("ascii", "ignore").decode())


def has_symbols(header: str) -> bool:
    """True if ``header`` holds a symbol or emoji (matched loosely: shown as a guess)."""
    return any(unicodedata.category(ch)[0] == "S" for ch in header)


def guess_target(header: str) -> str | None:
    """The target a header's words suggest, or None."""
    words = plain_words(header)
    for pair, target in PAIRS.items():
        if any(tuple(words[i:i + 2]) == pair for i in range(len(words) - 1)):
            return target
    found = set(words)
    for target, names in WORDS:
        if not names & found:
            continue
        others = found & _OTHER - names
        if target == "linkedin":  # "LinkedIn URL" is the person's; "Company LinkedIn URL" is not
            others = (others - {"url"}) | (found & _COMPANY)
        if not others:
            return target
    return None


def looks_like_data(cell: str) -> bool:
    """An e-mail, URL, number, phone number or date: a value, never a column name."""
    cell = cell.strip()
    return bool(cell) and bool(_EMAIL.match(cell) or _URL.search(cell) or _NUMBER.match(cell) or _DATE.match(cell))


def looks_like_header(cell: str) -> bool:
    """Short text with a letter that is not a value: the shape of a column name.

    A column name holds no delimiter: "Email,Email" is two names split on the wrong delimiter.
    """
    cell = cell.strip()
    return (0 < len(cell) <= 40 and len(cell.split()) <= 6 and any(ch.isalpha() for ch in cell)
            and not looks_like_data(cell) and not _DELIMITERS & set(cell))


def confirms(target: str, values) -> bool:
    """Whether the column's first non-empty ``values`` fit ``target`` (no values: nothing against it)."""
    values = [v.strip() for v in values if v.strip()]
    if not values:
        return True
    if target == "email":
        fit = sum(1 for v in values if "@" in v)
    elif target == "phone":
        fit = sum(1 for v in values if sum(ch.isdigit() for ch in v) >= 5 and sum(ch.isalpha() for ch in v) <= 3)
    elif target == "linkedin":
        fit = sum(1 for v in values if "linkedin" in v.lower() or "/in/" in v)
    elif target in _TEXT_TARGETS:
        fit = sum(1 for v in values if not looks_like_data(v) and any(ch.isalpha() for ch in v))
    else:
        return True
    return fit * 2 >= len(values)


def target_of_values(values) -> str | None:
    """"email" or "linkedin" when every non-empty value of a column is one (at least two values), else None.

    A header in a language the vocabulary does not know ("البريد الإلكتروني") still holds e-mails.
    """
    values = [v.strip() for v in values if v.strip()]
    if len(values) < 2:
        return None
    if all(_EMAIL.match(v) for v in values):
        return "email"
    if all("linkedin.com/in/" in v.lower() for v in values):
        return "linkedin"
    return None


def header_rank(cells, below, is_known=lambda cell: guess_target(cell) is not None) -> float:
    """How much a row looks like the header row: column-name shapes, unique, known names, data below it.

    Each known name adds to the rank but never decides it alone: a value in the row (an e-mail, a
    date, a number) costs more than a known name brings. A repeated cell adds its shape once (a data
    row repeats its values), but a known name each time: a file with its e-mail column three times
    still has a header of three known names.
    """
    seen = set()
    shape = known = 0
    for cell in cells:
        if not looks_like_header(cell):
            continue
        known += bool(is_known(cell))
        key = cell.strip().casefold()
        shape += key not in seen
        seen.add(key)
    values = sum(1 for cell in cells if looks_like_data(cell))
    rank = shape + known - 2 * values
    if below is not None and len(below) == len(cells):
        rank += 0.5 * sum(1 for cell in below if looks_like_data(cell)) + 0.5
    return rank
