"""New leads' rows, built where the file is read: a batch's records split into INSERT rows and rows to match.

Most rows of a big file are leads the database does not hold yet. A row is *fresh* when none of its match keys
(``matching.MATCH_KEYS``) appeared in an earlier row of the file, none is held by a lead in the database as it
was before the import (its committed state, read through a read-only connection), and it brings no tags, notes
or campaigns of its own. Such a row cannot match anything: the keys a lead gains during the import come from
earlier rows. So its INSERT row is built here (on the reader's core, see ``pipeline``) and the writer only runs
``executemany``. Every other row goes through the writer's full matching (``store``).
"""

import json
import os
import sqlite3
import time
from pathlib import Path

from app.services import fields
from app.services.importing.matching import MATCH_KEYS

# The lead columns an import writes, in INSERT order (id, created_at, updated_at come around them).
LEAD_COLUMNS = fields.names(imported=True)
DEFAULTS = {column: "" for column in LEAD_COLUMNS}
DEFAULTS.update(id_lead=None, vip=0, review_state="new", fingerprint=None)
to_json = json.JSONEncoder(ensure_ascii=False).encode
_json_text = json.encoder.encode_basestring  # a str as a JSON string, non-ASCII kept (as to_json)
# New leads are inserted with their custom JSON last.
_PLAIN_COLUMNS = tuple(c for c in LEAD_COLUMNS if c != "custom")
_PLAIN_DEFAULTS = tuple(DEFAULTS[c] for c in _PLAIN_COLUMNS)
_ROW_COLUMNS = _PLAIN_COLUMNS + ("custom", "created_at", "updated_at", "uid")
# A fresh row's id is the table's next rowid (max + 1), as the writer's own new leads get.
INSERT_FRESH = f"INSERT INTO lead ({', '.join(_ROW_COLUMNS)}) VALUES ({', '.join('?' * len(_ROW_COLUMNS))})"
INSERT_LEAD = f"INSERT INTO lead (id, {', '.join(_ROW_COLUMNS)}) VALUES ({', '.join('?' * (len(_ROW_COLUMNS) + 1))})"
MATCH_COLUMNS = tuple(column for column, _ in MATCH_KEYS)
# The conditions of the partial indexes the lookups use (IN (...) alone does not imply them).
PARTIAL = {"email": "AND email != ''", "linkedin_norm": "AND linkedin_norm != ''"}
# A UUID's variant digit (8, 9, a or b) from any hex digit.
_VARIANT = dict(zip("0123456789abcdef", "89ab" * 4))
_PROBE_CHUNK = 5000


def lead_row(record: dict, now: str, uid: str | None = None) -> tuple:
    """The INSERT row (without id) of a new lead with the values of ``record``; missing columns take their defaults."""
    # One C-level map over the columns: this runs once per new lead.
    custom = record.get("custom")
    return (*map(record.get, _PLAIN_COLUMNS, _PLAIN_DEFAULTS), _custom_json(custom) if custom else "{}", now, now,
            uid or new_uids(1)[0])


def new_uids(count: int) -> list[str]:
    """``count`` new uids: time-ordered version-7 UUIDs (RFC 9562) in lower-case hex.

    They start with the time in milliseconds, so a batch's uids go to the end of the uid index
    together, not to 100k random pages of a 1M-entry index (the sync triggers' own uids, for leads
    made one at a time, stay random version-4 ones: both are unique, only the order differs).
    """
    stamp = f"{time.time_ns() // 1_000_000:012x}"
    text = os.urandom(16 * count).hex()
    return [f"{stamp[:8]}-{stamp[8:]}-7{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"
            for h in (text[i:i + 32] for i in range(0, 32 * count, 32))]


def _custom_json(custom: dict) -> str:
    """``to_json(custom)``, twice as fast when every value is text (as in a new lead's record)."""
    try:
        return "{" + ", ".join([_json_text(k) + ": " + _json_text(v) for k, v in custom.items()]) + "}"
    except TypeError:
        return to_json(custom)


class Splitter:
    """Splits each batch into fresh rows (INSERT tuples) and the records to match, in file order."""

    def __init__(self, now: str, database_path: str | None = None):
        self.now = now
        self._seen: set[int] = set()  # hashes of every key of the earlier rows (a collision only costs a match)
        self._probe = None
        if database_path:
            self._probe = sqlite3.connect(f"{Path(database_path).resolve().as_uri()}?mode=ro", uri=True)

    def split(self, records: list[dict]) -> tuple[list[tuple], list[dict]]:
        seen = self._seen
        candidates = []
        for record in records:
            keys = list(map(hash, filter(None, map(record.get, MATCH_COLUMNS))))
            candidates.append(seen.isdisjoint(keys)
                              and not ("_tags" in record or "_notes" in record or "_campaigns" in record))
            seen.update(keys)
        if self._probe is not None:
            known = self._known([r for r, fresh in zip(records, candidates) if fresh])
            candidates = [fresh and not any(record.get(c) in known for c in MATCH_COLUMNS)
                          for record, fresh in zip(records, candidates)]
        now = self.now
        new = [record for record, fresh in zip(records, candidates) if fresh]
        rows = [lead_row(record, now, uid) for record, uid in zip(new, new_uids(len(new)))]
        return rows, [record for record, fresh in zip(records, candidates) if not fresh]

    def _known(self, records: list[dict]) -> set:
        """The keys of ``records`` that a lead of the database holds (in its committed state)."""
        known = set()
        for column in MATCH_COLUMNS:
            values = list({r[column] for r in records if column in r})
            for start in range(0, len(values), _PROBE_CHUNK):
                chunk = values[start:start + _PROBE_CHUNK]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT {column} FROM lead WHERE {column} IN ({marks}) {PARTIAL.get(column, '')}"
                known.update(key for (key,) in self._probe.execute(sql, chunk))
        return known

    def close(self) -> None:
        if self._probe is not None:
            self._probe.close()
