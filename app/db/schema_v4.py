"""Migration V4 as written: team sync (a uid beside each local id, owner, outbox, sync state, conflicts).

Frozen text, like V1: never edit it once released; append a migration in ``schema.py`` instead.
Change capture is done by triggers, so every write path (edits, bulk, import, merge, undo, trash)
records its changes in the outbox in its own transaction. They are gated by ``sync_state``: with no
team configured they cost one lookup and write nothing.
"""

# The lead columns that sync, field by field (opened_at, created_at, updated_at stay local).
SYNCED_LEAD_FIELDS = tuple("""
id_lead first_name middle_name last_name job_title email email_verification_result phone phone_norm
linkedin linkedin_norm linkedin_2 facebook facebook_2 twitter website country_name location_name
timezone company_name company_domain company_headcount all_industries company_industries posts
custom vip review_state review_reason deleted_at
""".split())

V4_TEAM_SYNC = r"""
-- Team sync: a uid beside each local id (only uids cross the wire), owner, the outbox that change
-- capture writes in the same transaction as the change, the sync state and the conflicts to review.
ALTER TABLE lead ADD COLUMN uid TEXT;
UPDATE lead SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX lead_uid ON lead(uid);
ALTER TABLE campaign ADD COLUMN uid TEXT;
UPDATE campaign SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX campaign_uid ON campaign(uid);
ALTER TABLE tag ADD COLUMN uid TEXT;
UPDATE tag SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX tag_uid ON tag(uid);
ALTER TABLE note ADD COLUMN uid TEXT;
UPDATE note SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX note_uid ON note(uid);
ALTER TABLE segment ADD COLUMN uid TEXT;
UPDATE segment SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX segment_uid ON segment(uid);
ALTER TABLE review_reason ADD COLUMN uid TEXT;
UPDATE review_reason SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)));
CREATE UNIQUE INDEX review_reason_uid ON review_reason(uid);
ALTER TABLE lead ADD COLUMN owner TEXT NOT NULL DEFAULT '';

-- One row. enabled: a team is configured (else every capture trigger is skipped at the cost of one
-- lookup); applying: set inside the transaction that applies pulled changes, so they are not echoed.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  enabled INTEGER NOT NULL DEFAULT 0,
  applying INTEGER NOT NULL DEFAULT 0,
  client_id TEXT NOT NULL,
  server TEXT,
  rep TEXT,
  cursor INTEGER NOT NULL DEFAULT 0,
  last_synced_at TEXT
);
INSERT INTO sync_state (id, client_id) VALUES (1, lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))));

-- Local changes waiting for the server; id is the mutation id (AUTOINCREMENT: never reused).
-- kind: lead_new (new = the lead as JSON), field (old = base, new), tag_add/tag_remove (ref = tag uid),
-- member_add/member_remove (ref = campaign uid), note (ref = note uid), purge (deleted for good).
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  lead_uid TEXT NOT NULL,
  field TEXT,
  ref TEXT,
  old,
  new,
  at TEXT NOT NULL
);

CREATE TABLE sync_conflict (
  id INTEGER PRIMARY KEY,
  lead_uid TEXT NOT NULL,
  field TEXT NOT NULL,
  mine,
  theirs,
  original,
  theirs_rep TEXT,
  theirs_at TEXT,
  created_at TEXT NOT NULL,
  resolved_at TEXT,
  resolution TEXT
);
CREATE INDEX sync_conflict_open ON sync_conflict(lead_uid) WHERE resolved_at IS NULL;

CREATE TRIGGER lead_sync_ai AFTER INSERT ON lead BEGIN
  UPDATE lead SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
  INSERT INTO outbox (kind, lead_uid, new, at) SELECT 'lead_new', uid, json_object('id_lead', new.id_lead, 'first_name', new.first_name, 'middle_name', new.middle_name, 'last_name', new.last_name, 'job_title', new.job_title, 'email', new.email, 'email_verification_result', new.email_verification_result, 'phone', new.phone, 'phone_norm', new.phone_norm, 'linkedin', new.linkedin, 'linkedin_norm', new.linkedin_norm, 'linkedin_2', new.linkedin_2, 'facebook', new.facebook, 'facebook_2', new.facebook_2, 'twitter', new.twitter, 'website', new.website, 'country_name', new.country_name, 'location_name', new.location_name, 'timezone', new.timezone, 'company_name', new.company_name, 'company_domain', new.company_domain, 'company_headcount', new.company_headcount, 'all_industries', new.all_industries, 'company_industries', new.company_industries, 'posts', new.posts, 'custom', new.custom, 'vip', new.vip, 'review_state', new.review_state, 'review_reason', new.review_reason, 'deleted_at', new.deleted_at), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now') FROM lead WHERE id = new.id AND (SELECT enabled AND NOT applying FROM sync_state);
END;
CREATE TRIGGER lead_sync_ad AFTER DELETE ON lead WHEN (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, at) VALUES ('purge', old.uid, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_id_lead AFTER UPDATE OF id_lead ON lead WHEN new.id_lead IS NOT old.id_lead AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'id_lead', old.id_lead, new.id_lead, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_first_name AFTER UPDATE OF first_name ON lead WHEN new.first_name IS NOT old.first_name AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'first_name', old.first_name, new.first_name, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_middle_name AFTER UPDATE OF middle_name ON lead WHEN new.middle_name IS NOT old.middle_name AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'middle_name', old.middle_name, new.middle_name, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_last_name AFTER UPDATE OF last_name ON lead WHEN new.last_name IS NOT old.last_name AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'last_name', old.last_name, new.last_name, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_job_title AFTER UPDATE OF job_title ON lead WHEN new.job_title IS NOT old.job_title AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'job_title', old.job_title, new.job_title, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_email AFTER UPDATE OF email ON lead WHEN new.email IS NOT old.email AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'email', old.email, new.email, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_email_verification_result AFTER UPDATE OF email_verification_result ON lead WHEN new.email_verification_result IS NOT old.email_verification_result AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'email_verification_result', old.email_verification_result, new.email_verification_result, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_phone AFTER UPDATE OF phone ON lead WHEN new.phone IS NOT old.phone AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'phone', old.phone, new.phone, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_phone_norm AFTER UPDATE OF phone_norm ON lead WHEN new.phone_norm IS NOT old.phone_norm AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'phone_norm', old.phone_norm, new.phone_norm, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_linkedin AFTER UPDATE OF linkedin ON lead WHEN new.linkedin IS NOT old.linkedin AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'linkedin', old.linkedin, new.linkedin, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_linkedin_norm AFTER UPDATE OF linkedin_norm ON lead WHEN new.linkedin_norm IS NOT old.linkedin_norm AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'linkedin_norm', old.linkedin_norm, new.linkedin_norm, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_linkedin_2 AFTER UPDATE OF linkedin_2 ON lead WHEN new.linkedin_2 IS NOT old.linkedin_2 AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'linkedin_2', old.linkedin_2, new.linkedin_2, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_facebook AFTER UPDATE OF facebook ON lead WHEN new.facebook IS NOT old.facebook AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'facebook', old.facebook, new.facebook, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_facebook_2 AFTER UPDATE OF facebook_2 ON lead WHEN new.facebook_2 IS NOT old.facebook_2 AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'facebook_2', old.facebook_2, new.facebook_2, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_twitter AFTER UPDATE OF twitter ON lead WHEN new.twitter IS NOT old.twitter AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'twitter', old.twitter, new.twitter, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_website AFTER UPDATE OF website ON lead WHEN new.website IS NOT old.website AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'website', old.website, new.website, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_country_name AFTER UPDATE OF country_name ON lead WHEN new.country_name IS NOT old.country_name AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'country_name', old.country_name, new.country_name, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_location_name AFTER UPDATE OF location_name ON lead WHEN new.location_name IS NOT old.location_name AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'location_name', old.location_name, new.location_name, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_timezone AFTER UPDATE OF timezone ON lead WHEN new.timezone IS NOT old.timezone AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'timezone', old.timezone, new.timezone, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_company_name AFTER UPDATE OF company_name ON lead WHEN new.company_name IS NOT old.company_name AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'company_name', old.company_name, new.company_name, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_company_domain AFTER UPDATE OF company_domain ON lead WHEN new.company_domain IS NOT old.company_domain AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'company_domain', old.company_domain, new.company_domain, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_company_headcount AFTER UPDATE OF company_headcount ON lead WHEN new.company_headcount IS NOT old.company_headcount AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'company_headcount', old.company_headcount, new.company_headcount, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_all_industries AFTER UPDATE OF all_industries ON lead WHEN new.all_industries IS NOT old.all_industries AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'all_industries', old.all_industries, new.all_industries, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_company_industries AFTER UPDATE OF company_industries ON lead WHEN new.company_industries IS NOT old.company_industries AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'company_industries', old.company_industries, new.company_industries, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_posts AFTER UPDATE OF posts ON lead WHEN new.posts IS NOT old.posts AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'posts', old.posts, new.posts, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_custom AFTER UPDATE OF custom ON lead WHEN new.custom IS NOT old.custom AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'custom', old.custom, new.custom, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_vip AFTER UPDATE OF vip ON lead WHEN new.vip IS NOT old.vip AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'vip', old.vip, new.vip, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_review_state AFTER UPDATE OF review_state ON lead WHEN new.review_state IS NOT old.review_state AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'review_state', old.review_state, new.review_state, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_review_reason AFTER UPDATE OF review_reason ON lead WHEN new.review_reason IS NOT old.review_reason AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'review_reason', old.review_reason, new.review_reason, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER lead_sync_deleted_at AFTER UPDATE OF deleted_at ON lead WHEN new.deleted_at IS NOT old.deleted_at AND (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, field, old, new, at) VALUES ('field', new.uid, 'deleted_at', old.deleted_at, new.deleted_at, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'));
END;
CREATE TRIGGER campaign_uid_ai AFTER INSERT ON campaign WHEN new.uid IS NULL BEGIN
  UPDATE campaign SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = new.id;
END;
CREATE TRIGGER tag_uid_ai AFTER INSERT ON tag WHEN new.uid IS NULL BEGIN
  UPDATE tag SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = new.id;
END;
CREATE TRIGGER segment_uid_ai AFTER INSERT ON segment WHEN new.uid IS NULL BEGIN
  UPDATE segment SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = new.id;
END;
CREATE TRIGGER review_reason_uid_ai AFTER INSERT ON review_reason WHEN new.uid IS NULL BEGIN
  UPDATE review_reason SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = new.id;
END;
CREATE TRIGGER note_sync_ai AFTER INSERT ON note BEGIN
  UPDATE note SET uid = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE id = new.id AND new.uid IS NULL;
  INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'note', l.uid, n.uid, json_object('body', n.body, 'created_at', n.created_at), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
    FROM note n JOIN lead l ON l.id = n.lead_id WHERE n.id = new.id AND (SELECT enabled AND NOT applying FROM sync_state);
END;
CREATE TRIGGER membership_sync_ai AFTER INSERT ON membership WHEN (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'member_add', l.uid, r.uid, json_object('name', r.name), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
    FROM lead l, campaign r WHERE l.id = new.lead_id AND r.id = new.campaign_id;
END;
CREATE TRIGGER membership_sync_ad AFTER DELETE ON membership WHEN (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'member_remove', l.uid, r.uid, json_object('name', r.name), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
    FROM lead l, campaign r WHERE l.id = old.lead_id AND r.id = old.campaign_id;
END;
CREATE TRIGGER lead_tag_sync_ai AFTER INSERT ON lead_tag WHEN (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'tag_add', l.uid, r.uid, json_object('name', r.name, 'color', r.color), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
    FROM lead l, tag r WHERE l.id = new.lead_id AND r.id = new.tag_id;
END;
CREATE TRIGGER lead_tag_sync_ad AFTER DELETE ON lead_tag WHEN (SELECT enabled AND NOT applying FROM sync_state) BEGIN
  INSERT INTO outbox (kind, lead_uid, ref, new, at) SELECT 'tag_remove', l.uid, r.uid, json_object('name', r.name, 'color', r.color), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
    FROM lead l, tag r WHERE l.id = old.lead_id AND r.id = old.tag_id;
END;
"""
