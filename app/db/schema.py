"""Schema migrations, keyed by ``PRAGMA user_version``.

Each migration is a frozen block of SQL (calibre's pattern): the models in ``models.py`` describe
the current shape, these describe how every older file gets there. Never edit a released
migration (V1 lives, frozen, in ``schema_v1.py``); append a new one.

The constants below describe the *current* full-text index; code that rebuilds it (imports, undo,
the benchmark generator) reads them. A migration that changes the index must spell out its own SQL.
"""

from app.db.schema_v1 import V1
from app.db.schema_v4 import V4_TEAM_SYNC

# The columns indexed for free-text search. Triggers keep lead_fts in step with lead.
FTS_COLUMNS = ("first_name", "last_name", "job_title", "email", "company_name", "location_name")

_FTS_COLS = ", ".join(FTS_COLUMNS)
_FTS_NEW = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
_FTS_OLD = ", ".join(f"old.{c}" for c in FTS_COLUMNS)

FTS_TRIGGERS = f"""
CREATE TRIGGER lead_fts_ai AFTER INSERT ON lead BEGIN
  INSERT INTO lead_fts(rowid, {_FTS_COLS}) VALUES (new.id, {_FTS_NEW});
END;
CREATE TRIGGER lead_fts_ad AFTER DELETE ON lead BEGIN
  INSERT INTO lead_fts(lead_fts, rowid, {_FTS_COLS}) VALUES ('delete', old.id, {_FTS_OLD});
END;
CREATE TRIGGER lead_fts_au AFTER UPDATE OF {_FTS_COLS} ON lead BEGIN
  INSERT INTO lead_fts(lead_fts, rowid, {_FTS_COLS}) VALUES ('delete', old.id, {_FTS_OLD});
  INSERT INTO lead_fts(rowid, {_FTS_COLS}) VALUES (new.id, {_FTS_NEW});
END;
"""

FTS_TRIGGER_NAMES = ("lead_fts_ai", "lead_fts_ad", "lead_fts_au")

# A membership's metric flags (live, processed, reviewed, valid_target) for lead ``l`` in campaign ``c``,
# then its facet copies (MEMBER_FACETS), as the membership triggers (V1, V7) compute them row by row; a
# bulk write (an import) inserts them with the row. A campaign without targets ('{}', as most are) is
# answered before its JSON is parsed for each valid member (1M members: ~0.3 s of ~2.8).
MEMBER_FLAGS = r"""l.deleted_at IS NULL, l.deleted_at IS NULL AND l.email_verification_result NOT IN ('', 'pending'),
 l.deleted_at IS NULL AND l.opened_at IS NOT NULL,
 CASE WHEN l.deleted_at IS NULL AND l.email_verification_result = 'valid' AND l.email != '' THEN
 CASE WHEN c.targets = '{}' THEN 1 WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k
 WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0
 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = l.country_name
 COLLATE NOCASE WHEN 'headcounts' THEN v.value = l.company_headcount ELSE l.job_title LIKE '%'
 || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END"""
MEMBER_FLAGS_TRIGGER = "membership_flags_ai"
MEMBER_FACETS = "l.email_verification_result, l.company_headcount"  # the membership columns of the same names

# Search matches the start of any word of the searched fields at every length, so a longer term can
# only narrow the list. unicode61 splits at every non-letter/digit (an e-mail splits at . @ - into
# words) and folds case and accents ("lea" finds "Léa"); the 1-3 letter prefix indexes make a short
# ``"term"*`` query one doclist read instead of a merge of every word it prefixes. The name-prefix
# index goes; the name and company orders carry deleted_at so a walk in that order reads no lead row
# (SQLite does not treat a partial index as covering its own WHERE column).
V3_WORD_SEARCH = r"""
DROP TRIGGER IF EXISTS lead_fts_ai;
DROP TRIGGER IF EXISTS lead_fts_ad;
DROP TRIGGER IF EXISTS lead_fts_au;
DROP TABLE IF EXISTS lead_fts;
CREATE VIRTUAL TABLE lead_fts USING fts5(
  first_name, last_name, job_title, email, company_name, location_name, content='lead', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
INSERT INTO lead_fts(lead_fts) VALUES ('rebuild');
DROP INDEX IF EXISTS lead_first_name;
DROP INDEX IF EXISTS lead_name;
DROP INDEX IF EXISTS lead_company;
CREATE INDEX lead_name ON lead(last_name, first_name, deleted_at);
CREATE INDEX lead_company ON lead(company_name, last_name, deleted_at);
CREATE TRIGGER lead_fts_ai AFTER INSERT ON lead BEGIN
  INSERT INTO lead_fts(rowid, first_name, last_name, job_title, email, company_name, location_name) VALUES (new.id, new.first_name, new.last_name, new.job_title, new.email, new.company_name, new.location_name);
END;
CREATE TRIGGER lead_fts_ad AFTER DELETE ON lead BEGIN
  INSERT INTO lead_fts(lead_fts, rowid, first_name, last_name, job_title, email, company_name, location_name) VALUES ('delete', old.id, old.first_name, old.last_name, old.job_title, old.email, old.company_name, old.location_name);
END;
CREATE TRIGGER lead_fts_au AFTER UPDATE OF first_name, last_name, job_title, email, company_name, location_name ON lead BEGIN
  INSERT INTO lead_fts(lead_fts, rowid, first_name, last_name, job_title, email, company_name, location_name) VALUES ('delete', old.id, old.first_name, old.last_name, old.job_title, old.email, old.company_name, old.location_name);
  INSERT INTO lead_fts(rowid, first_name, last_name, job_title, email, company_name, location_name) VALUES (new.id, new.first_name, new.last_name, new.job_title, new.email, new.company_name, new.location_name);
END;
"""

# Leads imported without id_lead, e-mail or LinkedIn URL carry a fingerprint of their row (see
# app.services.importing.matching), so importing the same file again finds them.
V2_FINGERPRINT = """
ALTER TABLE lead ADD COLUMN fingerprint TEXT;
CREATE INDEX lead_fingerprint ON lead(fingerprint) WHERE fingerprint IS NOT NULL;
"""

# The list's owner filter and the filter panel's list of owners read this index, not the table. Partial:
# a rep without a team has no owners, and the index then costs nothing.
V5_OWNER_INDEX = """
CREATE INDEX lead_owner ON lead(owner) WHERE owner != '';
"""

# Team sync, continued. A note a merge (or its undo) moves to another lead is queued as a note_move
# (its text goes along, unchanged: a replica that never had the note gets it whole). ``manager``:
# whether the joined rep was a manager at the last sync, so emptying the Trash offline can tell
# which leads the server would refuse to delete for good.
V6_NOTE_MOVE = """
ALTER TABLE sync_state ADD COLUMN manager INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER note_sync_au AFTER UPDATE OF lead_id ON note WHEN new.lead_id IS NOT old.lead_id AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'note_move', l.uid, new.uid, json_object('body', new.body, 'created_at', new.created_at), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
    FROM lead l WHERE l.id = new.lead_id;
END;
"""

# Campaign + e-mail status / company size (the campaign card's View Leads, then a structured filter) is
# answered from the membership rows alone: each carries copies of its lead's e-mail status and company
# size beside ``live``, kept exact by the flag triggers (recreated here to write them too, in the same
# UPDATE), and ``membership_facets`` is a covering range of a campaign's live members by facet. A
# membership moved to another lead (a merge the server made) takes that lead's facts. membership_lead
# carries ``live`` so a probe from the search's matches needs no membership row. Filled in one
# UPDATE ... FROM (not row by row: ~1.5M memberships at 1M leads).
V7_MEMBER_FACETS = r"""
ALTER TABLE membership ADD COLUMN email_verification_result TEXT NOT NULL DEFAULT '';
ALTER TABLE membership ADD COLUMN company_headcount TEXT NOT NULL DEFAULT '';
UPDATE membership SET (email_verification_result, company_headcount) = (l.email_verification_result, l.company_headcount)
  FROM lead l WHERE l.id = membership.lead_id AND (l.email_verification_result != '' OR l.company_headcount != '');
DROP INDEX membership_lead;
CREATE INDEX membership_lead ON membership(lead_id, live);
CREATE INDEX membership_facets ON membership(campaign_id, live, email_verification_result, company_headcount);
DROP TRIGGER membership_flags_ai;
DROP TRIGGER lead_membership_flags_au;
DROP TRIGGER lead_membership_flags_ai;
CREATE TRIGGER membership_flags_ai AFTER INSERT ON membership BEGIN
  UPDATE membership SET (live, processed, reviewed, valid_target, email_verification_result, company_headcount) =
    (SELECT l.deleted_at IS NULL, l.deleted_at IS NULL AND l.email_verification_result NOT IN ('', 'pending'), l.deleted_at IS NULL AND l.opened_at IS NOT NULL, CASE WHEN l.deleted_at IS NULL AND l.email_verification_result = 'valid' AND l.email != '' THEN CASE WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = l.country_name COLLATE NOCASE WHEN 'headcounts' THEN v.value = l.company_headcount ELSE l.job_title LIKE '%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END, l.email_verification_result, l.company_headcount FROM lead l, campaign c WHERE l.id = new.lead_id AND c.id = new.campaign_id UNION ALL SELECT 0, 0, 0, 0, '', '' LIMIT 1)
  WHERE campaign_id = new.campaign_id AND lead_id = new.lead_id;
END;
CREATE TRIGGER membership_lead_au AFTER UPDATE OF lead_id ON membership WHEN new.lead_id IS NOT old.lead_id BEGIN
  UPDATE membership SET (live, processed, reviewed, valid_target, email_verification_result, company_headcount) =
    (SELECT l.deleted_at IS NULL, l.deleted_at IS NULL AND l.email_verification_result NOT IN ('', 'pending'), l.deleted_at IS NULL AND l.opened_at IS NOT NULL, CASE WHEN l.deleted_at IS NULL AND l.email_verification_result = 'valid' AND l.email != '' THEN CASE WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = l.country_name COLLATE NOCASE WHEN 'headcounts' THEN v.value = l.company_headcount ELSE l.job_title LIKE '%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END, l.email_verification_result, l.company_headcount FROM lead l, campaign c WHERE l.id = new.lead_id AND c.id = new.campaign_id UNION ALL SELECT 0, 0, 0, 0, '', '' LIMIT 1)
  WHERE campaign_id = new.campaign_id AND lead_id = new.lead_id;
END;
CREATE TRIGGER lead_membership_flags_au AFTER UPDATE OF email, email_verification_result, opened_at, deleted_at, country_name, company_headcount, job_title ON lead
WHEN new.email IS NOT old.email OR new.email_verification_result IS NOT old.email_verification_result OR new.opened_at IS NOT old.opened_at OR new.deleted_at IS NOT old.deleted_at OR new.country_name IS NOT old.country_name OR new.company_headcount IS NOT old.company_headcount OR new.job_title IS NOT old.job_title BEGIN
  UPDATE membership SET (live, processed, reviewed, valid_target, email_verification_result, company_headcount) = (SELECT new.deleted_at IS NULL, new.deleted_at IS NULL AND new.email_verification_result NOT IN ('', 'pending'), new.deleted_at IS NULL AND new.opened_at IS NOT NULL, CASE WHEN new.deleted_at IS NULL AND new.email_verification_result = 'valid' AND new.email != '' THEN CASE WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = new.country_name COLLATE NOCASE WHEN 'headcounts' THEN v.value = new.company_headcount ELSE new.job_title LIKE '%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END, new.email_verification_result, new.company_headcount FROM campaign c WHERE c.id = membership.campaign_id UNION ALL SELECT 0, 0, 0, 0, '', '' LIMIT 1) WHERE lead_id = new.id;
END;
CREATE TRIGGER lead_membership_flags_ai AFTER INSERT ON lead BEGIN
  UPDATE membership SET (live, processed, reviewed, valid_target, email_verification_result, company_headcount) = (SELECT new.deleted_at IS NULL, new.deleted_at IS NULL AND new.email_verification_result NOT IN ('', 'pending'), new.deleted_at IS NULL AND new.opened_at IS NOT NULL, CASE WHEN new.deleted_at IS NULL AND new.email_verification_result = 'valid' AND new.email != '' THEN CASE WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = new.country_name COLLATE NOCASE WHEN 'headcounts' THEN v.value = new.company_headcount ELSE new.job_title LIKE '%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END, new.email_verification_result, new.company_headcount FROM campaign c WHERE c.id = membership.campaign_id UNION ALL SELECT 0, 0, 0, 0, '', '' LIMIT 1) WHERE lead_id = new.id;
END;
"""

# The Trash's leads, in the order the Trash shows them. Tiny (a partial index of trashed leads only), it
# lets a list query set the Trash aside as one small "NOT IN" set instead of reading every match's lead
# row to ask whether it is live: counting "s" over 1M leads 151 ms -> 20-45 ms. The review state filter
# gets the index the other filters have (live leads only): "approved" within a 1M-lead campaign read every
# member's lead row (~0.9 s at 1M).
V8_LIST_INDEXES = """
CREATE INDEX lead_trashed ON lead(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX lead_review ON lead(review_state) WHERE deleted_at IS NULL;
"""

# E-mail status and company size together (the campaign card's "valid e-mails at companies of 11-200"): one
# range of this index, where each alone reads ~400k lead rows to test the other (at 1M, 185 ms -> 12 ms).
# Partial on a known status, so SQLite takes it only when a query names that term too (criteria.row_conditions):
# for a size alone, lead_headcount gives its leads in id order, and this one would not. Beside a driving set
# (a word's matches), both are tested on lead_metrics, which gains the size, instead of each match's wide row
# (at 1M, "s" + "valid" + two sizes counted in 160 ms instead of 254 ms).
V9_FACET_INDEX = """
CREATE INDEX lead_facets ON lead(company_headcount, email_verification_result)
  WHERE deleted_at IS NULL AND email_verification_result != '';
DROP INDEX lead_metrics;
CREATE INDEX lead_metrics ON lead(id, deleted_at, email_verification_result, opened_at, company_headcount);
"""

# A brief of each lead: its Trash state, e-mail status and company size, kept exact by triggers (an import
# or a first sync drops the insert trigger and fills the brief once, see importing.bulkload). Beside a
# driving set (a word's matches, a big campaign's members) a list query tests those here. A lookup by
# rowid, in the ascending order a driving set gives, in this 20 MB table costs half as much as one in
# lead_metrics, an index whose entries start with the id, which it replaces: at 1M, "s" + "valid" counted
# in 85 ms instead of 154.
BRIEF_INSERT_TRIGGER = "lead_brief_ai"
BRIEF_COLUMNS = "id, deleted_at, email_verification_result, company_headcount"
V10_LEAD_BRIEF = f"""
CREATE TABLE lead_brief (
  id INTEGER PRIMARY KEY,
  deleted_at TEXT,
  email_verification_result TEXT NOT NULL,
  company_headcount TEXT NOT NULL
);
INSERT INTO lead_brief ({BRIEF_COLUMNS}) SELECT {BRIEF_COLUMNS} FROM lead;
CREATE TRIGGER {BRIEF_INSERT_TRIGGER} AFTER INSERT ON lead BEGIN
  INSERT INTO lead_brief ({BRIEF_COLUMNS}) VALUES (new.id, new.deleted_at, new.email_verification_result, new.company_headcount);
END;
CREATE TRIGGER lead_brief_au AFTER UPDATE OF deleted_at, email_verification_result, company_headcount ON lead BEGIN
  UPDATE lead_brief SET deleted_at = new.deleted_at, email_verification_result = new.email_verification_result,
    company_headcount = new.company_headcount WHERE id = new.id;
END;
CREATE TRIGGER lead_brief_ad AFTER DELETE ON lead BEGIN
  DELETE FROM lead_brief WHERE id = old.id;
END;
DROP INDEX lead_metrics;
"""

# Each lead's tags in its brief too: ",3,7," (its tag ids in ascending order, "" for none), written again from
# lead_tag by two triggers whenever the lead gains or loses a tag (an import or a first sync writes its new leads'
# once at the end, see importing.bulkload). Beside a common word's matches, a big tag is then tested on each
# match's brief instead of looked up in lead_tag: at 1M, "s" in a tag on a third of the leads counted in
# 100-118 ms instead of 164 ms (on one core). The triggers read a lead's tags through lead_tag_lead: a bulk
# load that drops that index must drop them too (else each tag written scans lead_tag).
BRIEF_TAGS = "coalesce((SELECT ',' || group_concat(t.tag_id, ',') || ',' FROM lead_tag t WHERE t.lead_id = {lead}), '')"
V11_BRIEF_TAGS = f"""
ALTER TABLE lead_brief ADD COLUMN tags TEXT NOT NULL DEFAULT '';
UPDATE lead_brief SET tags = {BRIEF_TAGS.format(lead="lead_brief.id")} WHERE id IN (SELECT lead_id FROM lead_tag);
CREATE TRIGGER lead_tag_brief_ai AFTER INSERT ON lead_tag BEGIN
  UPDATE lead_brief SET tags = {BRIEF_TAGS.format(lead="new.lead_id")} WHERE id = new.lead_id;
END;
CREATE TRIGGER lead_tag_brief_ad AFTER DELETE ON lead_tag BEGIN
  UPDATE lead_brief SET tags = {BRIEF_TAGS.format(lead="old.lead_id")} WHERE id = old.lead_id;
END;
"""

# Position i holds the SQL that brings a file from user_version i to i + 1.
MIGRATIONS: list[str] = [V1, V2_FINGERPRINT, V3_WORD_SEARCH, V4_TEAM_SYNC, V5_OWNER_INDEX, V6_NOTE_MOVE,
                         V7_MEMBER_FACETS, V8_LIST_INDEXES, V9_FACET_INDEX, V10_LEAD_BRIEF, V11_BRIEF_TAGS]

SCHEMA_VERSION = len(MIGRATIONS)
