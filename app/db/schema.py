"""Schema migrations, keyed by ``PRAGMA user_version``.

Each migration is a frozen block of SQL (calibre's pattern): the models in ``models.py`` describe
the current shape, these describe how every older file gets there. Never edit a released
migration; append a new one.
"""

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


# Campaign metrics (app.services.campaigns) are sums over membership, never a join to 1M leads:
# each membership row carries its lead's facts as 0/1 flags. Triggers keep them exact whatever
# writes the rows (ORM, raw executemany, undo's INSERT OR REPLACE, imports, generators), so no
# write path has to know about them. "valid_target" = a valid email that also meets the
# campaign's target filters, read from the targets JSON as CampaignTargets.from_json reads it
# (unreadable JSON, a missing key or an empty list mean "any").
_FLAG_COLUMNS = "live, processed, reviewed, valid_target"


def _targets_match(lead: str, targets: str) -> str:
    # "No listed target the lead misses"; json_each parses the JSON once (3.40 has no JSON cache).
    like = r"'%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'"
    return (
        f"CASE WHEN json_valid({targets}) THEN NOT EXISTS (SELECT 1 FROM json_each({targets}) k"
        " WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array'"
        " AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key"
        f" WHEN 'countries' THEN v.value = {lead}.country_name COLLATE NOCASE"
        f" WHEN 'headcounts' THEN v.value = {lead}.company_headcount"
        f" ELSE {lead}.job_title LIKE {like} END)) ELSE 1 END"
    )


def _member_flags(lead: str, source: str) -> str:
    """A subquery giving the flags from lead row ``lead`` and campaign row ``c`` (joined by
    ``source``), zeros if either is missing: live = not in the Trash; processed = live and its
    email verification final (present, not pending); reviewed = live and opened; valid_target."""
    live = f"{lead}.deleted_at IS NULL"
    valid = f"{live} AND {lead}.email_verification_result = 'valid' AND {lead}.email != ''"
    return (
        f"(SELECT {live}, {live} AND {lead}.email_verification_result NOT IN ('', 'pending'),"
        f" {live} AND {lead}.opened_at IS NOT NULL,"
        f" CASE WHEN {valid} THEN {_targets_match(lead, 'c.targets')} ELSE 0 END"
        f" {source} UNION ALL SELECT 0, 0, 0, 0 LIMIT 1)"
    )


_FLAG_SOURCES = ("email", "email_verification_result", "opened_at", "deleted_at",
                 "country_name", "company_headcount", "job_title")
_FLAG_SOURCES_CHANGED = " OR ".join(f"new.{c} IS NOT old.{c}" for c in _FLAG_SOURCES)
_BY_LEAD = "FROM campaign c WHERE c.id = membership.campaign_id"

# The lead INSERT trigger covers a lead re-inserted under an id that still has memberships
# (a REPLACE with foreign keys off; with them on, the REPLACE drops the memberships).
MEMBERSHIP_TRIGGERS = f"""
CREATE TRIGGER membership_flags_ai AFTER INSERT ON membership BEGIN
  UPDATE membership SET ({_FLAG_COLUMNS}) =
    {_member_flags("l", "FROM lead l, campaign c WHERE l.id = new.lead_id AND c.id = new.campaign_id")}
  WHERE campaign_id = new.campaign_id AND lead_id = new.lead_id;
END;
CREATE TRIGGER lead_membership_flags_au AFTER UPDATE OF {", ".join(_FLAG_SOURCES)} ON lead
WHEN {_FLAG_SOURCES_CHANGED} BEGIN
  UPDATE membership SET ({_FLAG_COLUMNS}) = {_member_flags("new", _BY_LEAD)} WHERE lead_id = new.id;
END;
CREATE TRIGGER lead_membership_flags_ai AFTER INSERT ON lead BEGIN
  UPDATE membership SET ({_FLAG_COLUMNS}) = {_member_flags("new", _BY_LEAD)} WHERE lead_id = new.id;
END;
CREATE TRIGGER campaign_membership_flags_au AFTER UPDATE OF targets ON campaign
WHEN new.targets IS NOT old.targets BEGIN
  UPDATE membership SET ({_FLAG_COLUMNS}) =
    {_member_flags("l", "FROM lead l, campaign c WHERE l.id = membership.lead_id AND c.id = new.id")}
  WHERE campaign_id = new.id;
END;
"""

V1 = f"""
CREATE TABLE campaign (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
  targets TEXT NOT NULL DEFAULT '{{}}',
  created_at TEXT NOT NULL
);

CREATE TABLE lead (
  id INTEGER PRIMARY KEY,
  id_lead TEXT UNIQUE,
  first_name TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  middle_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  job_title TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  email_verification_result TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  phone_norm TEXT NOT NULL DEFAULT '',
  linkedin TEXT NOT NULL DEFAULT '',
  linkedin_norm TEXT NOT NULL DEFAULT '',
  linkedin_2 TEXT NOT NULL DEFAULT '',
  facebook TEXT NOT NULL DEFAULT '',
  facebook_2 TEXT NOT NULL DEFAULT '',
  twitter TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  country_name TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  location_name TEXT NOT NULL DEFAULT '',
  timezone TEXT NOT NULL DEFAULT '',
  company_name TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  company_domain TEXT NOT NULL DEFAULT '',
  company_headcount TEXT NOT NULL DEFAULT '',
  all_industries TEXT NOT NULL DEFAULT '',
  company_industries TEXT NOT NULL DEFAULT '',
  posts TEXT NOT NULL DEFAULT '',
  custom TEXT NOT NULL DEFAULT '{{}}',
  vip INTEGER NOT NULL DEFAULT 0,
  review_state TEXT NOT NULL DEFAULT 'new'
    CHECK (review_state IN ('new', 'approved', 'rejected', 'skipped')),
  review_reason TEXT NOT NULL DEFAULT '',
  opened_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX lead_email ON lead(email) WHERE email != '';
CREATE INDEX lead_linkedin_norm ON lead(linkedin_norm) WHERE linkedin_norm != '';
-- The list's filter indexes cover live leads only (every list query says deleted_at IS NULL), so
-- a filter or 1–2 letter name prefix is answered from the index without reading the wide rows.
CREATE INDEX lead_status ON lead(email_verification_result) WHERE deleted_at IS NULL;
CREATE INDEX lead_headcount ON lead(company_headcount) WHERE deleted_at IS NULL;
CREATE INDEX lead_country ON lead(country_name);
CREATE INDEX lead_vip ON lead(vip) WHERE vip = 1 AND deleted_at IS NULL;
CREATE INDEX lead_name ON lead(last_name, first_name) WHERE deleted_at IS NULL;
CREATE INDEX lead_first_name ON lead(first_name) WHERE deleted_at IS NULL;
CREATE INDEX lead_company ON lead(company_name) WHERE deleted_at IS NULL;
-- A narrow covering index of the columns some list filters read, so they skip the wide rows.
CREATE INDEX lead_metrics ON lead(id, deleted_at, email_verification_result, opened_at);

CREATE TABLE membership (
  campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
  stage TEXT NOT NULL DEFAULT 'discovered' CHECK (stage IN ('discovered', 'contacted')),
  added_at TEXT NOT NULL,
  -- The campaign metrics' per-member facts (0/1), kept exact by the MEMBERSHIP_TRIGGERS below.
  live INTEGER NOT NULL DEFAULT 0,
  processed INTEGER NOT NULL DEFAULT 0,
  reviewed INTEGER NOT NULL DEFAULT 0,
  valid_target INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, lead_id)
) WITHOUT ROWID;
CREATE INDEX membership_lead ON membership(lead_id);
{MEMBERSHIP_TRIGGERS}
CREATE TABLE tag (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  color TEXT NOT NULL DEFAULT '#5b8def'
);

CREATE TABLE lead_tag (
  tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
  PRIMARY KEY (tag_id, lead_id)
) WITHOUT ROWID;
CREATE INDEX lead_tag_lead ON lead_tag(lead_id);

CREATE TABLE note (
  id INTEGER PRIMARY KEY,
  lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX note_lead ON note(lead_id);

CREATE TABLE custom_field (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE segment (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  filter TEXT NOT NULL
);

-- One row per import; import_change keeps what an "Undo import" needs.
CREATE TABLE import_run (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  campaign_id INTEGER REFERENCES campaign(id) ON DELETE SET NULL,
  started_at TEXT NOT NULL,
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  undone_at TEXT
);

CREATE TABLE import_change (
  import_id INTEGER NOT NULL REFERENCES import_run(id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('created', 'updated')),
  before TEXT,
  PRIMARY KEY (import_id, lead_id)
) WITHOUT ROWID;

-- Per-lead history: what changed, from what to what, when, and by what (edit, import, merge).
CREATE TABLE lead_history (
  id INTEGER PRIMARY KEY,
  lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  source TEXT NOT NULL,
  field TEXT NOT NULL,
  old TEXT,
  new TEXT
);
CREATE INDEX lead_history_lead ON lead_history(lead_id, id);

-- Reasons a rep can pick when rejecting a lead (editable list; these are the defaults).
CREATE TABLE review_reason (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO review_reason (name, position) VALUES
  ('wrong person', 1), ('left company', 2), ('bad fit', 3), ('duplicate', 4), ('no contact data', 5);

CREATE VIRTUAL TABLE lead_fts USING fts5(
  {_FTS_COLS}, content='lead', content_rowid='id', tokenize='trigram'
);
{FTS_TRIGGERS}
"""

# Position i holds the SQL that brings a file from user_version i to i + 1.
MIGRATIONS: list[str] = [V1]

SCHEMA_VERSION = len(MIGRATIONS)
