"""Team server migration V4 as written: the whole team base at one point, for a replica's first sync.

``leaddesk_snapshot()`` runs as the schema owner, like the other sync functions, and must be
called in a REPEATABLE READ transaction: every cursor it opens then reads the same snapshot, and
the version it returns (``sync_counter``'s) is the change-log version that snapshot holds (a
push writes its rows, its changes and the counter in one transaction). The rows are read from
the cursors it opens, named in ``SNAPSHOT_CURSORS``, page by page with ``FETCH``: a million leads
never travel in one message. A cursor's rights are checked when it is opened, inside the
function, so a rep fetches from it without any right on the tables.

What a replay of the log would give an empty replica, and in its order: each lead and note comes
with the version of its first change (a replica's ids follow the log), each membership with the
time of the last change that added it; tags and campaigns are the ones some lead uses.

Frozen text once released.
"""

from app.db.schema_v4 import SYNCED_LEAD_FIELDS

SNAPSHOT_CURSORS = ("snapshot_lead", "snapshot_tag", "snapshot_campaign", "snapshot_lead_tag",
                    "snapshot_membership", "snapshot_note")
_LEAD_COLUMNS = ", ".join(f"l.{name}" for name in SYNCED_LEAD_FIELDS)

V4_SNAPSHOT = [
    f"""
CREATE FUNCTION leaddesk_snapshot() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
DECLARE
  v_version bigint;
  c_lead refcursor := 'snapshot_lead';
  c_tag refcursor := 'snapshot_tag';
  c_campaign refcursor := 'snapshot_campaign';
  c_lead_tag refcursor := 'snapshot_lead_tag';
  c_membership refcursor := 'snapshot_membership';
  c_note refcursor := 'snapshot_note';
BEGIN
  IF current_setting('transaction_isolation') NOT IN ('repeatable read', 'serializable') THEN
    RAISE EXCEPTION 'leaddesk_snapshot() reads one snapshot: call it in a REPEATABLE READ transaction';
  END IF;
  SELECT version INTO v_version FROM sync_counter WHERE id = 1;
  -- A lead the log never created (none should be) still gets an id above every version.
  OPEN c_lead FOR
    SELECT coalesce(f.version, v_version + row_number() OVER ()), l.uid::text, {_LEAD_COLUMNS}, l.owner, l.created_at
    FROM lead l LEFT JOIN (SELECT lead_uid, min(version) AS version FROM change WHERE kind = 'lead_new'
                           GROUP BY lead_uid) f ON f.lead_uid = l.uid;
  OPEN c_tag FOR SELECT t.uid::text, t.name, t.color FROM tag t
    WHERE EXISTS (SELECT FROM lead_tag lt WHERE lt.tag_uid = t.uid);
  OPEN c_campaign FOR SELECT c.uid::text, c.name FROM campaign c
    WHERE EXISTS (SELECT FROM membership m WHERE m.campaign_uid = c.uid);
  OPEN c_lead_tag FOR SELECT lead_uid::text, tag_uid::text FROM lead_tag;
  OPEN c_membership FOR
    SELECT m.lead_uid::text, m.campaign_uid::text, a.at FROM membership m
    LEFT JOIN (SELECT lead_uid, ref, max(at) AS at FROM change WHERE kind = 'member_add' GROUP BY lead_uid, ref) a
      ON a.lead_uid = m.lead_uid AND a.ref = m.campaign_uid::text;
  OPEN c_note FOR
    SELECT coalesce(f.version, v_version + row_number() OVER ()), n.lead_uid::text, n.body, n.created_at, n.uid::text
    FROM note n LEFT JOIN (SELECT ref, min(version) AS version FROM change WHERE kind IN ('note', 'note_move')
                           GROUP BY ref) f ON f.ref = n.uid::text;
  RETURN v_version;
END
$fn$""",
    "REVOKE ALL ON FUNCTION leaddesk_snapshot() FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leaddesk_snapshot() TO leaddesk_rep",
]
