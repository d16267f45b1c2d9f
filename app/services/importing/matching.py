"""How an imported row finds the lead it already is: the match keys, in order, and the row fingerprint.

A row is matched by ``id_lead``, then e-mail, then normalised LinkedIn URL. A row with none of them
gets a ``fingerprint`` instead, set when its lead is created and never changed afterwards:

- person rule, when the row has a first or last name plus a company or a phone:
  BLAKE2b-128 of ``"p"`` + casefolded first name, last name, company + the phone's digits;
- whole-row rule otherwise: BLAKE2b-128 of ``"r"`` + every stored value except the campaigns.

Values are joined with U+001F (the unit separator), so ``("ab", "c")`` and ``("a", "bc")`` differ.
"""

import hashlib

# (record key, the rule's name in the import summary), in matching order.
MATCH_KEYS = (("id_lead", "id_lead"), ("email", "e-mail"), ("linkedin_norm", "LinkedIn"),
              ("fingerprint", "fingerprint"))
_SEPARATOR = "\x1f"
# Recomputed from another value, or not the row's own data.
_NOT_HASHED = {"phone_norm", "linkedin_norm", "fingerprint", "_campaigns"}


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def fingerprint(record: dict) -> str | None:
    """The record's fingerprint, or None when it has a real key (id_lead, e-mail or LinkedIn URL)."""
    if "id_lead" in record or "email" in record or "linkedin_norm" in record:
        return None
    name = (record.get("first_name", "").casefold(), record.get("last_name", "").casefold())
    company = record.get("company_name", "").casefold()
    phone = "".join(ch for ch in record.get("phone", "") if ch.isdigit())
    if any(name) and (company or phone):
        return _digest("p" + _SEPARATOR.join((*name, company, phone)))
    parts = []
    for key in sorted(record):
        if key in _NOT_HASHED:
            continue
        value = record[key]
        if isinstance(value, dict):
            parts += [f"{key}.{k}={v}" for k, v in sorted(value.items())]
        elif isinstance(value, list):
            parts.append(f"{key}={_SEPARATOR.join(map(str, value))}")
        else:
            parts.append(f"{key}={value}")
    return _digest("r" + _SEPARATOR.join(parts)) if parts else None


def with_fingerprint(record: dict) -> dict:
    """``record`` with its fingerprint added when it needs one (the one place imports set it)."""
    value = fingerprint(record)
    if value:
        record["fingerprint"] = value
    return record
