"""The fast write path of an import: batches of records into SQLite with raw ``executemany``.

Everything happens inside the caller's one IMMEDIATE transaction, so a cancel or a crash leaves the database as it
was. Each batch is matched against the database (which by then also holds the earlier batches of the same file, so
duplicates within the file are found the same way) by ``id_lead``, then email, then normalised LinkedIn URL, then
fingerprint (see ``matching``), using the unique/partial indexes (ids only; a matched lead's row is then read once).
New leads get explicit ids (max + 1...) and uids, so no row is read back; what every new lead gets alike is written
set-based (``bulkload``): its "created" undo entry and the import's campaign per batch, its search entry at the end.
Leads indexed before the run whose searchable text changes get explicit FTS 'delete' + insert entries per batch.
"""

import json
import sqlite3

from app.db.schema import FTS_COLUMNS
from app.services.importing.bulkload import BulkLoad, members_sql
from app.services.importing.fresh import (
    DEFAULTS,
    INSERT_FRESH,
    INSERT_LEAD,
    LEAD_COLUMNS,
    MATCH_COLUMNS,
    PARTIAL,
    lead_row,
    to_json,
)
from app.services.importing.matching import MATCH_KEYS

POLICIES = ("skip", "fill", "overwrite")
# Columns recomputed from another one: they change with it, never on their own.
_DERIVED = {"phone": "phone_norm", "linkedin": "linkedin_norm"}
_DERIVED_COLUMNS = set(_DERIVED.values())
_NOT_MERGED = _DERIVED_COLUMNS | {"fingerprint"}  # a fingerprint is set when the lead is created, never after
_FTS = ", ".join(FTS_COLUMNS)
_FTS_MARKS = ", ".join("?" * len(FTS_COLUMNS))

_SELECT_LEAD = f"SELECT id, {', '.join(LEAD_COLUMNS)}, deleted_at IS NOT NULL FROM lead"


def _is_empty(column: str, value) -> bool:
    return value in (None, "") or (column == "vip" and not value) or (column == "review_state" and value == "new")


class _Slot:
    """One lead touched by the current batch: its values now, and (for existing ones) before."""

    __slots__ = ("id", "new", "cur", "orig", "campaigns", "tags", "notes", "added")

    def __init__(self, lead_id: int, new: bool, cur: dict, orig: dict | None = None, campaign_id=None):
        self.id = lead_id
        self.new = new
        self.cur = cur
        self.orig = orig
        # A new lead joins the import's campaign too, but that membership is written for every
        # new lead of the batch at once (BulkLoad.created), so it is not in ``added``.
        self.campaigns: set[int] = {campaign_id} if new and campaign_id else set()
        self.tags: set[int] = set()
        self.notes: set[str] = set()
        self.added = {"campaigns": [], "tags": [], "notes": []}


class Store:
    """Writes batches of records for one import run (see the module docstring)."""

    def __init__(self, conn: sqlite3.Connection, run_id: int, source: str, policy: str,
                 campaign_id: int | None, now: str, expected_rows: int = 0):
        if policy not in POLICIES:
            raise ValueError(f"Unknown duplicate policy “{policy}” (expected skip, fill or overwrite).")
        self.conn = conn
        self.run_id = run_id
        self.source = source
        self.policy = policy
        self.campaign_id = campaign_id
        self.now = now
        self.first_new_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM lead").fetchone()[0]
        self.next_id = self.first_new_id
        self.next_note_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM note").fetchone()[0]
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}
        self.matched = {rule: 0 for _, rule in MATCH_KEYS}  # rows matched to a lead, by the rule that matched
        self.warnings: list[str] = []
        self._campaigns: dict[str, int | None] = {}
        self._tags: dict[str, int] = {}
        # The same names as written in the file -> id (active campaigns only): a lookup per row.
        self._campaign_ids: dict[str, int] = {}
        self._tag_ids: dict[str, int] = {}
        self._inactive: dict[str, list] = {}  # lower-cased name -> [name, leads refused]
        # Leads this run updated: what they were before it first touched them (for Undo import).
        self._before: dict[int, dict] = {}
        self._bulk = BulkLoad(conn, self.first_new_id, expected_rows)

    # --- lookups -----------------------------------------------------------------------------

    def _lookup(self, column: str, values: set, extra: str = "") -> dict:
        """Key -> id of the lead holding it (only ids: a matched lead's row is read once, by _rows)."""
        found: dict = {}
        values = list(values)
        for start in range(0, len(values), 5000):
            chunk = values[start:start + 5000]
            marks = ",".join("?" * len(chunk))
            # Leads in the Trash come first so a live lead with the same key wins.
            rows = self.conn.execute(
                f"SELECT id, {column} FROM lead WHERE {column} IN ({marks}) {extra}"
                " ORDER BY deleted_at IS NULL, id DESC", chunk
            )
            for lead_id, key in rows:
                found[key] = lead_id
        return found

    def _rows(self, ids) -> dict:
        rows: dict = {}
        ids = list(ids)
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            for row in self.conn.execute(f"{_SELECT_LEAD} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                rows[row[0]] = row
        return rows

    def _links(self, sql: str, ids) -> dict[int, set]:
        links: dict[int, set] = {}
        ids = list(ids)
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            for lead_id, value in self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk):
                links.setdefault(lead_id, set()).add(value)
        return links

    def _campaign_id(self, name: str) -> int | None:
        key = name.lower()
        if key not in self._campaigns:
            row = self.conn.execute("SELECT id, status FROM campaign WHERE name = ?", (name,)).fetchone()
            if row is None:
                cursor = self.conn.execute(
                    "INSERT INTO campaign (name, status, targets, created_at) VALUES (?, 'active', '{}', ?)",
                    (name, self.now),
                )
                self._campaigns[key] = cursor.lastrowid
            elif row[1] != "active":
                self._campaigns[key] = None
                self._inactive[key] = [name, 0]
            else:
                self._campaigns[key] = row[0]
        campaign_id = self._campaigns[key]
        if campaign_id is None:
            self._inactive[key][1] += 1
        else:
            self._campaign_ids[name] = campaign_id
        return campaign_id

    def _tag_id(self, name: str) -> int:
        key = name.lower()
        if key not in self._tags:
            row = self.conn.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()
            self._tags[key] = row[0] if row else self.conn.execute(
                "INSERT INTO tag (name) VALUES (?)", (name,)
            ).lastrowid
        self._tag_ids[name] = self._tags[key]
        return self._tags[key]

    # --- one batch ---------------------------------------------------------------------------

    def write_batch(self, fresh: list[tuple], records: list[dict]) -> None:
        """Insert the ``fresh`` rows of a batch (``fresh.Splitter``), then match, merge and store its other ``records``."""
        first = self.next_id
        if fresh:
            self.conn.executemany(INSERT_FRESH, fresh)
            self.next_id += len(fresh)
            self.counts["created"] += len(fresh)
        if records:
            self._match_and_write(records)
        if self.next_id > first:
            self._bulk.created(self.run_id, self.campaign_id, self.now, first, self.next_id)

    def _match_and_write(self, records: list[dict]) -> None:
        """Match, merge and store ``records`` (one per file row, in file order)."""
        wanted = [{r[c] for r in records if c in r} for c in MATCH_COLUMNS]
        db = tuple(self._lookup(c, values, PARTIAL.get(c, "")) if values else {}
                   for c, values in zip(MATCH_COLUMNS, wanted))
        matched_ids = {lead_id for table in db for lead_id in table.values()}
        rows = memberships = tags = notes = {}
        if matched_ids:
            rows = self._rows(matched_ids)
            memberships = self._links("SELECT lead_id, campaign_id FROM membership WHERE lead_id IN ({marks})",
                                      matched_ids)
            if any("_tags" in r for r in records):
                tags = self._links("SELECT lead_id, tag_id FROM lead_tag WHERE lead_id IN ({marks})", matched_ids)
            if any("_notes" in r for r in records):
                notes = self._links("SELECT lead_id, body FROM note WHERE lead_id IN ({marks})", matched_ids)

        local = tuple({} for _ in MATCH_KEYS)  # the same keys -> slot, for leads this batch already touched
        slots: dict[int, _Slot] = {}  # the existing leads this batch touches, by id
        new_slots: list[_Slot] = []
        counts = self.counts
        for record in records:
            get = record.get
            keys = tuple(map(get, MATCH_COLUMNS))
            slot = None
            for key, mine, theirs, (_, rule) in zip(keys, local, db, MATCH_KEYS):
                if key is None:
                    continue
                slot = mine.get(key)
                if slot is None and key in theirs:
                    lead_id = theirs[key]
                    slot = slots.get(lead_id)
                    if slot is None:
                        slot = self._existing_slot(rows[lead_id], memberships, tags, notes)
                        slots[slot.id] = slot
                if slot is not None:
                    self.matched[rule] += 1
                    break
            if slot is None:
                # A new lead: the record itself becomes its values (missing columns take their
                # defaults when written); none of its keys is in ``local`` yet.
                record.setdefault("custom", {})
                slot = _Slot(self.next_id, True, record, campaign_id=self.campaign_id)
                self.next_id += 1
                new_slots.append(slot)
                if "_campaigns" in record or "_tags" in record or "_notes" in record:
                    self._add_links(slot, record)
                counts["created"] += 1
                for key, mine in zip(keys, local):
                    if key is not None:
                        mine[key] = slot
                continue
            changed = self.policy != "skip" and self._merge(slot.cur, record)
            changed = self._add_links(slot, record) or changed
            counts["updated" if changed else "unchanged"] += 1
            cur = slot.cur
            for key, mine in zip(map(cur.get, MATCH_COLUMNS), local):
                if key:
                    mine.setdefault(key, slot)
        self._write(new_slots, list(slots.values()), any("_notes" in r for r in records))

    def _existing_slot(self, row, memberships, tags, notes) -> _Slot:
        orig = dict(zip(LEAD_COLUMNS, row[1:]))
        try:
            orig["custom"] = json.loads(orig["custom"] or "{}")
        except ValueError:
            orig["custom"] = {}
        if not isinstance(orig["custom"], dict):
            orig["custom"] = {}
        cur = dict(orig, custom=dict(orig["custom"]))
        slot = _Slot(row[0], False, cur, orig)
        slot.campaigns = set(memberships.get(row[0], ()))
        if row[0] >= self.first_new_id and self.campaign_id:
            slot.campaigns.add(self.campaign_id)  # created by an earlier batch: joins it in finish()
        slot.tags = set(tags.get(row[0], ()))
        slot.notes = set(notes.get(row[0], ()))
        return slot

    def _merge(self, cur: dict, record: dict) -> bool:
        """Apply the duplicate policy (fill or overwrite) to ``cur``; True if anything changed.

        Empty cells never erase a value, and a lead's id_lead, once set, is never replaced.
        """
        fill = self.policy == "fill"
        changed = False
        for key, value in record.items():
            if key[0] == "_" or key in _NOT_MERGED:
                continue
            if key == "custom":
                mine = cur["custom"]
                for name, text in value.items():
                    old = mine.get(name, "")
                    if old != text and not (fill and old not in ("", None)):
                        mine[name] = text
                        changed = True
                continue
            old = cur.get(key, DEFAULTS[key])
            if old == value or (key == "id_lead" and old) or (fill and not _is_empty(key, old)):
                continue
            cur[key] = value
            changed = True
            if key in _DERIVED:
                cur[_DERIVED[key]] = record.get(_DERIVED[key], "")
        return changed

    def _add_links(self, slot: _Slot, record: dict) -> bool:
        """Add the campaign memberships (and, unless skipping, tags and notes) the row brings."""
        added = False
        campaigns = slot.campaigns
        if self.campaign_id and self.campaign_id not in campaigns:
            campaigns.add(self.campaign_id)
            slot.added["campaigns"].append(self.campaign_id)
            added = True
        for name in record.get("_campaigns", ()):
            campaign_id = self._campaign_ids.get(name) or self._campaign_id(name)
            if campaign_id and campaign_id not in campaigns:
                campaigns.add(campaign_id)
                slot.added["campaigns"].append(campaign_id)
                added = True
        if (self.policy == "skip" and not slot.new) or not ("_tags" in record or "_notes" in record):
            return added
        for name in record.get("_tags", ()):
            tag_id = self._tag_ids.get(name) or self._tag_id(name)
            if tag_id not in slot.tags:
                slot.tags.add(tag_id)
                slot.added["tags"].append(tag_id)
                added = True
        for body in record.get("_notes", ()):
            if body not in slot.notes:
                slot.notes.add(body)
                slot.added["notes"].append(body)
                added = True
        return added

    def _write(self, new_slots: list[_Slot], old_slots: list[_Slot], notes: bool) -> None:
        conn, now = self.conn, self.now
        if new_slots:
            conn.executemany(INSERT_LEAD, [(s.id, *lead_row(s.cur, now)) for s in new_slots])
        history = []
        by_columns: dict[tuple, list] = {}
        reindex = []  # leads indexed before this run whose searchable text changes
        for slot in old_slots:
            changed = [c for c in LEAD_COLUMNS if slot.cur[c] != slot.orig[c]]
            if slot.id < self.first_new_id and any(c in FTS_COLUMNS for c in changed):
                reindex.append(slot)
            if changed:
                values = [to_json(slot.cur[c]) if c == "custom" else slot.cur[c] for c in changed]
                by_columns.setdefault(tuple(changed), []).append((*values, now, slot.id))
                history += _history(slot, changed, self.source, now)
            if slot.id < self.first_new_id and (changed or any(slot.added.values())):
                self._remember_before(slot, changed)
        for columns, rows in by_columns.items():
            assignments = ", ".join(f"{c} = ?" for c in columns)
            conn.executemany(f"UPDATE lead SET {assignments}, updated_at = ? WHERE id = ?", rows)
        if reindex:
            conn.executemany(
                f"INSERT INTO lead_fts (lead_fts, rowid, {_FTS}) VALUES ('delete', ?, {_FTS_MARKS})",
                [(s.id, *(s.orig[c] for c in FTS_COLUMNS)) for s in reindex],
            )
            conn.executemany(
                f"INSERT INTO lead_fts (rowid, {_FTS}) VALUES (?, {_FTS_MARKS})",
                [(s.id, *(s.cur[c] for c in FTS_COLUMNS)) for s in reindex],
            )
        if history:
            conn.executemany(
                "INSERT INTO lead_history (lead_id, at, source, field, old, new) VALUES (?, ?, ?, ?, ?, ?)", history
            )
        slots = new_slots + old_slots
        conn.executemany(members_sql("l.id = ?"), [(now, c, s.id) for s in slots for c in s.added["campaigns"]])
        conn.executemany(
            "INSERT OR IGNORE INTO lead_tag (tag_id, lead_id) VALUES (?, ?)",
            [(t, s.id) for s in slots for t in s.added["tags"]],
        )
        note_rows = []
        for slot in slots if notes else ():
            note_ids = []
            for body in slot.added["notes"]:
                note_rows.append((self.next_note_id, slot.id, body, now, now))
                note_ids.append(self.next_note_id)
                self.next_note_id += 1
            slot.added["notes"] = note_ids
        if note_rows:
            conn.executemany(
                "INSERT INTO note (id, lead_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", note_rows
            )
        for slot in old_slots:
            if slot.id in self._before:
                for kind, values in slot.added.items():
                    self._before[slot.id][kind] += values

    def _remember_before(self, slot: _Slot, changed: list[str]) -> None:
        before = self._before.setdefault(slot.id, {"fields": {}, "campaigns": [], "tags": [], "notes": []})
        for column in changed:
            value = slot.orig[column]
            before["fields"].setdefault(column, to_json(value) if column == "custom" else value)

    # --- end of the run ----------------------------------------------------------------------

    def finish(self, custom_fields) -> None:
        """Record what Undo needs, register custom fields, then the search and what was set aside (``BulkLoad.end``)."""
        conn = self.conn
        conn.executemany(
            "INSERT INTO import_change (import_id, lead_id, kind, before) VALUES (?, ?, 'updated', ?)",
            [(self.run_id, lead_id, json.dumps(before, ensure_ascii=False))
             for lead_id, before in self._before.items()],
        )
        conn.executemany("INSERT OR IGNORE INTO custom_field (name) VALUES (?)", [(n,) for n in custom_fields])
        self._bulk.end()
        for name, count in self._inactive.values():
            self.warnings.append(
                f"Campaign “{name}” is not active: {count} lead(s) were not added to it."
            )


def _history(slot: _Slot, changed: list[str], source: str, now: str) -> list[tuple]:
    rows = []
    for column in changed:
        if column in _DERIVED_COLUMNS:
            continue
        if column == "custom":
            old, new = slot.orig["custom"], slot.cur["custom"]
            rows += [(slot.id, now, source, name, old.get(name), new[name])
                     for name in new if new[name] != old.get(name)]
        else:
            old, new = slot.orig[column], slot.cur[column]
            rows.append((slot.id, now, source, column, None if old is None else str(old), str(new)))
    return rows
