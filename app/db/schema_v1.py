"""Migration V1 as released: the SQL that created every LeadDesk database before any later
migration. Frozen text (a raw string, so the SQL's backslashes are literal), never generated from
live constants: changing those cannot silently change a released migration. Do not edit; append a
migration in ``schema.py`` instead.
"""

V1 = r"""
CREATE TABLE campaign (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
  targets TEXT NOT NULL DEFAULT '{}',
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
  custom TEXT NOT NULL DEFAULT '{}',
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

CREATE TRIGGER membership_flags_ai AFTER INSERT ON membership BEGIN
  UPDATE membership SET (live, processed, reviewed, valid_target) =
    (SELECT l.deleted_at IS NULL, l.deleted_at IS NULL AND l.email_verification_result NOT IN ('', 'pending'), l.deleted_at IS NULL AND l.opened_at IS NOT NULL, CASE WHEN l.deleted_at IS NULL AND l.email_verification_result = 'valid' AND l.email != '' THEN CASE WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = l.country_name COLLATE NOCASE WHEN 'headcounts' THEN v.value = l.company_headcount ELSE l.job_title LIKE '%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END FROM lead l, campaign c WHERE l.id = new.lead_id AND c.id = new.campaign_id UNION ALL SELECT 0, 0, 0, 0 LIMIT 1)
  WHERE campaign_id = new.campaign_id AND lead_id = new.lead_id;
END;
CREATE TRIGGER lead_membership_flags_au AFTER UPDATE OF email, email_verification_result, opened_at, deleted_at, country_name, company_headcount, job_title ON lead
WHEN new.email IS NOT old.email OR new.email_verification_result IS NOT old.email_verification_result OR new.opened_at IS NOT old.opened_at OR new.deleted_at IS NOT old.deleted_at OR new.country_name IS NOT old.country_name OR new.company_headcount IS NOT old.company_headcount OR new.job_title IS NOT old.job_title BEGIN
  UPDATE membership SET (live, processed, reviewed, valid_target) = (SELECT new.deleted_at IS NULL, new.deleted_at IS NULL AND new.email_verification_result NOT IN ('', 'pending'), new.deleted_at IS NULL AND new.opened_at IS NOT NULL, CASE WHEN new.deleted_at IS NULL AND new.email_verification_result = 'valid' AND new.email != '' THEN CASE WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = new.country_name COLLATE NOCASE WHEN 'headcounts' THEN v.value = new.company_headcount ELSE new.job_title LIKE '%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END FROM campaign c WHERE c.id = membership.campaign_id UNION ALL SELECT 0, 0, 0, 0 LIMIT 1) WHERE lead_id = new.id;
END;
CREATE TRIGGER lead_membership_flags_ai AFTER INSERT ON lead BEGIN
  UPDATE membership SET (live, processed, reviewed, valid_target) = (SELECT new.deleted_at IS NULL, new.deleted_at IS NULL AND new.email_verification_result NOT IN ('', 'pending'), new.deleted_at IS NULL AND new.opened_at IS NOT NULL, CASE WHEN new.deleted_at IS NULL AND new.email_verification_result = 'valid' AND new.email != '' THEN CASE WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = new.country_name COLLATE NOCASE WHEN 'headcounts' THEN v.value = new.company_headcount ELSE new.job_title LIKE '%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END FROM campaign c WHERE c.id = membership.campaign_id UNION ALL SELECT 0, 0, 0, 0 LIMIT 1) WHERE lead_id = new.id;
END;
CREATE TRIGGER campaign_membership_flags_au AFTER UPDATE OF targets ON campaign
WHEN new.targets IS NOT old.targets BEGIN
  UPDATE membership SET (live, processed, reviewed, valid_target) =
    (SELECT l.deleted_at IS NULL, l.deleted_at IS NULL AND l.email_verification_result NOT IN ('', 'pending'), l.deleted_at IS NULL AND l.opened_at IS NOT NULL, CASE WHEN l.deleted_at IS NULL AND l.email_verification_result = 'valid' AND l.email != '' THEN CASE WHEN json_valid(c.targets) THEN NOT EXISTS (SELECT 1 FROM json_each(c.targets) k WHERE k.key IN ('countries', 'headcounts', 'keywords') AND k.type = 'array' AND json_array_length(k.value) > 0 AND NOT EXISTS (SELECT 1 FROM json_each(k.value) v WHERE CASE k.key WHEN 'countries' THEN v.value = l.country_name COLLATE NOCASE WHEN 'headcounts' THEN v.value = l.company_headcount ELSE l.job_title LIKE '%' || replace(replace(replace(v.value, '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\' END)) ELSE 1 END ELSE 0 END FROM lead l, campaign c WHERE l.id = membership.lead_id AND c.id = new.id UNION ALL SELECT 0, 0, 0, 0 LIMIT 1)
  WHERE campaign_id = new.id;
END;

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
  first_name, last_name, job_title, email, company_name, location_name, content='lead', content_rowid='id', tokenize='trigram'
);

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
