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
-- Campaign metrics: the membership->lead join reads this narrow covering index instead of the wide
-- rows, and "valid emails after filters" scans only the live leads with a valid email.
CREATE INDEX lead_metrics ON lead(id, deleted_at, email_verification_result, opened_at);
CREATE INDEX lead_valid ON lead(country_name, company_headcount, job_title)
  WHERE email_verification_result = 'valid' AND email != '' AND deleted_at IS NULL;

CREATE TABLE membership (
  campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
  stage TEXT NOT NULL DEFAULT 'discovered' CHECK (stage IN ('discovered', 'contacted')),
  added_at TEXT NOT NULL,
  PRIMARY KEY (campaign_id, lead_id)
) WITHOUT ROWID;
CREATE INDEX membership_lead ON membership(lead_id);

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
