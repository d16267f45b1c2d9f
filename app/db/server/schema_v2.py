"""Team server migration V2 as written: reps reach the team base only through the sync functions.

``leaddesk_push`` and ``leaddesk_pull`` run as the schema owner (``SECURITY DEFINER``, with the
search path pinned so a rep cannot slip objects of its own in front of the owner's); the rep group
may execute them and nothing else: every table and sequence grant is revoked. The calling rep is
``session_user`` (inside the functions ``current_user`` is the owner), a manager is a member of the
manager group.

The push is what the Python push did before V2, in one call: one transaction (the caller's), the
single ``sync_counter`` row locked, gap-free versions, idempotent per (client id, mutation id),
per-field conflicts, duplicates merged by id_lead / e-mail (any case) / LinkedIn URL, tombstones
only from the lead's owner or a manager, and owner changes only from a manager. A mutation the
constraints refuse is rolled back alone (a sub-block) and reported with its reason.

Frozen text once released: the column list comes from ``SYNCED_LEAD_FIELDS``, itself frozen.
"""

from app.db.schema_v4 import SYNCED_LEAD_FIELDS

_SYNCED_ARRAY = "ARRAY[" + ", ".join(f"'{name}'" for name in SYNCED_LEAD_FIELDS) + "]"


def _set_field(lead: str) -> str:
    """One static statement that sets the synced field ``v_name`` to the JSON value ``v_new`` (its plan is
    cached, where a dynamic UPDATE per field would be planned for every mutation)."""
    value = "v_new #>> '{}'"
    sets = ", ".join(f"{name} = CASE WHEN v_name = '{name}' THEN ({value}){'::integer' if name == 'vip' else ''} "
                     f"ELSE {name} END" for name in SYNCED_LEAD_FIELDS)
    return f"UPDATE lead SET {sets} WHERE uid = {lead};"


def _stamp(kind: str, lead: str, field: str = "NULL", ref: str = "NULL", value: str = "NULL") -> str:
    """The next version for one accepted change; a field change also records who wrote it last."""
    sql = (f"v_version := v_version + 1;\n"
           f"v_changes := array_append(v_changes, ROW(v_version, {kind}, {lead}, {field}, {ref}, "
           f"coalesce({value}, 'null'::jsonb)::text, p_client, v_rep, m ->> 'at')::change);")
    if kind == "'field'":
        sql += (f"\nINSERT INTO field_stamp (lead_uid, field, version, client_id, rep, at) "
                f"VALUES ({lead}, {field}, v_version, p_client, v_rep, m ->> 'at') "
                "ON CONFLICT (lead_uid, field) DO UPDATE SET version = excluded.version, "
                "client_id = excluded.client_id, rep = excluded.rep, at = excluded.at;")
    return sql


# Two reps trashing one lead agree (in the Trash or not); otherwise values compare as text.
_NOTE_VALUE = "jsonb_build_object('body', m -> 'new' -> 'body', 'created_at', m -> 'new' -> 'created_at', 'rep', v_rep)"
_SAME = ("(CASE WHEN v_name = 'deleted_at' THEN ({a} = 'null') = ({b} = 'null') "
         "ELSE ({a} #>> '{{}}') IS NOT DISTINCT FROM ({b} #>> '{{}}') END)")

V2_SYNC_FUNCTIONS = [
    f"""
CREATE FUNCTION leaddesk_push(p_client text, p_cursor bigint, p_mutations jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
-- Every lookup below is by key: an index scan even while a table is still small (its cached plan
-- would otherwise scan the whole table for every mutation once the push has filled it).
SET enable_seqscan = off AS $fn$
DECLARE
  v_rep text := session_user;
  v_manager boolean := pg_has_role(session_user, 'leaddesk_manager', 'MEMBER');
  v_synced text[] := {_SYNCED_ARRAY};
  v_version bigint;
  v_first_version bigint;
  v_saved_version bigint;
  v_saved_map integer;
  v_saved_applied integer;
  v_saved_duplicates integer;
  v_fresh bigint[];
  m jsonb;
  v_kind text;
  v_lead uuid;
  v_name text;
  v_new jsonb;
  v_current jsonb;
  v_base jsonb;
  v_changes change[] := '{{}}';
  v_stamp field_stamp%ROWTYPE;
  v_target uuid;
  v_data jsonb;
  v_fill jsonb;
  v_owner text;
  v_table text;
  v_element uuid;
  v_count integer;
  v_others boolean;
  v_reason text;
  v_applied integer := 0;
  v_merged integer := 0;
  v_duplicates integer := 0;
  v_conflicts jsonb[] := '{{}}';
  v_rejected jsonb[] := '{{}}';
  v_map_from text[] := '{{}}';
  v_map_to text[] := '{{}}';
BEGIN
  SELECT version INTO v_version FROM sync_counter WHERE id = 1 FOR UPDATE;
  v_first_version := v_version;
  -- Idempotency: the mutations this client already pushed are skipped, the others recorded. Client
  -- ids are recorded under the rep's name: a rep who copies another's client id (pulls show them)
  -- cannot make that rep's next mutations look already applied.
  WITH fresh AS (
    INSERT INTO mutation (client_id, mutation_id)
    SELECT v_rep || '/' || p_client, (e ->> 'id')::bigint FROM jsonb_array_elements(p_mutations) e
    ON CONFLICT DO NOTHING RETURNING mutation_id)
  SELECT coalesce(array_agg(mutation_id), '{{}}') INTO v_fresh FROM fresh;

  FOR m IN SELECT e.value FROM jsonb_array_elements(p_mutations) WITH ORDINALITY e
           JOIN unnest(v_fresh) f(id) ON f.id = (e.value ->> 'id')::bigint ORDER BY e.ordinality
  LOOP
    v_kind := m ->> 'kind';
    v_lead := (m ->> 'lead')::uuid;
    v_lead := coalesce((SELECT target FROM uid_alias WHERE uid = v_lead AND kind = 'lead'), v_lead);
    v_reason := NULL;
    v_saved_version := v_version;
    v_saved_applied := v_applied;
    v_saved_duplicates := v_duplicates;
    v_saved_map := cardinality(v_map_from);
    BEGIN  -- a sub-block: a mutation the constraints refuse leaves the rest of the push
      IF v_kind = 'lead_new' THEN
        SELECT jsonb_object_agg(key, value) INTO v_data FROM jsonb_each(m -> 'new') WHERE key = ANY (v_synced);
        v_data := coalesce(v_data, '{{}}');
        v_target := NULL;
        -- A second live lead with the same id_lead, e-mail (any case) or LinkedIn URL is the same person.
        IF coalesce(v_data -> 'deleted_at', 'null') = 'null' THEN
          IF coalesce(v_data ->> 'id_lead', '') <> '' THEN
            SELECT uid INTO v_target FROM lead WHERE deleted_at IS NULL AND id_lead = v_data ->> 'id_lead';
          END IF;
          IF v_target IS NULL AND coalesce(v_data ->> 'email', '') <> '' THEN
            SELECT uid INTO v_target FROM lead
            WHERE deleted_at IS NULL AND email <> '' AND lower(email) = lower(v_data ->> 'email');
          END IF;
          IF v_target IS NULL AND coalesce(v_data ->> 'linkedin_norm', '') <> '' THEN
            SELECT uid INTO v_target FROM lead
            WHERE deleted_at IS NULL AND linkedin_norm <> '' AND linkedin_norm = v_data ->> 'linkedin_norm';
          END IF;
        END IF;
        IF v_target IS NOT NULL THEN
          INSERT INTO uid_alias (uid, target, kind) VALUES (v_lead, v_target, 'lead');
          -- The pushing rep's copy fills what the team's lead lacks; the team's values stay.
          SELECT jsonb_object_agg(d.key, d.value) INTO v_fill
          FROM jsonb_each(v_data) d, (SELECT to_jsonb(l) AS cur_row FROM lead l WHERE l.uid = v_target FOR UPDATE) cur
          WHERE d.key <> 'deleted_at' AND coalesce(cur.cur_row ->> d.key, '') = '' AND coalesce(d.value #>> '{{}}', '') <> '';
          FOR v_name, v_new IN SELECT key, value FROM jsonb_each(coalesce(v_fill, '{{}}')) LOOP
            {_set_field("v_target")}
            {_stamp("'field'", "v_target", field="v_name", value="v_new")}
          END LOOP;
          v_map_from := array_append(v_map_from, v_lead::text);
          v_map_to := array_append(v_map_to, v_target::text);
          v_duplicates := v_duplicates + 1;
        ELSE
          -- A manager's import may spread new leads across reps; a rep's new lead is the rep's own.
          v_data := v_data || jsonb_build_object('owner', CASE WHEN v_manager AND coalesce(m -> 'new' ->> 'owner', '') <> ''
                                                          THEN m -> 'new' ->> 'owner' ELSE v_rep END);
          INSERT INTO lead SELECT * FROM jsonb_populate_record(
            NULL::lead, v_data || jsonb_build_object('uid', v_lead, 'created_at', m -> 'at'));
          {_stamp("'lead_new'", "v_lead", value="v_data")}
          v_applied := v_applied + 1;
        END IF;

      ELSIF v_kind = 'field' AND m ->> 'field' = 'owner' THEN
        v_owner := m ->> 'new';
        IF NOT v_manager THEN
          v_reason := 'only a manager may reassign owners';
        ELSIF NOT EXISTS (SELECT FROM team_rep WHERE name = v_owner) THEN
          v_reason := format('%s is not a rep of this team', coalesce(v_owner, 'null'));
        ELSE
          PERFORM FROM lead WHERE uid = v_lead FOR UPDATE;
          IF NOT FOUND THEN
            v_reason := 'the lead was deleted for good';
          ELSE
            -- The last manager's choice stands: owners never conflict.
            UPDATE lead SET owner = v_owner WHERE uid = v_lead AND owner <> v_owner;
            GET DIAGNOSTICS v_count = ROW_COUNT;
            IF v_count > 0 THEN
              {_stamp("'field'", "v_lead", field="'owner'", value="m -> 'new'")}
              v_applied := v_applied + 1;
            END IF;
          END IF;
        END IF;

      ELSIF v_kind = 'field' THEN
        v_name := m ->> 'field';
        v_new := coalesce(m -> 'new', 'null');
        v_base := coalesce(m -> 'base', 'null');
        IF NOT v_name = ANY (v_synced) THEN
          v_reason := format('not a synced field: %s', v_name);
        ELSE
          SELECT to_jsonb(l) -> v_name INTO v_current FROM lead l WHERE l.uid = v_lead FOR UPDATE;
          IF NOT FOUND THEN
            v_reason := 'the lead was deleted for good';
          ELSIF NOT {_SAME.format(a="v_current", b="v_new")} THEN
            SELECT * INTO v_stamp FROM field_stamp WHERE lead_uid = v_lead AND field = v_name;
            IF {_SAME.format(a="v_current", b="v_base")} OR v_stamp.client_id IS NOT DISTINCT FROM p_client THEN
              {_set_field("v_lead")}
              -- Another rep changed this lead since my last pull: my change was merged beside theirs.
              v_others := EXISTS (SELECT FROM field_stamp WHERE lead_uid = v_lead AND version > p_cursor
                                  AND client_id <> p_client);
              {_stamp("'field'", "v_lead", field="v_name", value="v_new")}
              v_applied := v_applied + 1;
              v_merged := v_merged + v_others::integer;
            ELSE
              INSERT INTO conflict (lead_uid, field, mine, theirs, original, rep, theirs_rep, theirs_at, at)
              VALUES (v_lead, v_name, v_new::text, coalesce(v_current, 'null')::text,
                      coalesce(m -> 'base', 'null')::text, v_rep, v_stamp.rep, v_stamp.at, m ->> 'at');
              v_conflicts := array_append(v_conflicts, jsonb_build_object(
                'lead', v_lead, 'field', v_name, 'mine', v_new, 'theirs', v_current, 'original', m -> 'base',
                'theirs_rep', v_stamp.rep, 'theirs_at', v_stamp.at));
            END IF;
          END IF;
        END IF;

      ELSIF v_kind IN ('tag_add', 'tag_remove', 'member_add', 'member_remove') THEN
        -- The server's tag or campaign: by uid, else by name (then aliased), else created.
        v_table := CASE WHEN v_kind LIKE 'tag%' THEN 'tag' ELSE 'campaign' END;
        v_element := (m ->> 'ref')::uuid;
        v_element := coalesce((SELECT target FROM uid_alias WHERE uid = v_element AND kind = v_table), v_element);
        IF v_table = 'tag' THEN
          IF NOT EXISTS (SELECT FROM tag WHERE uid = v_element) THEN
            SELECT uid INTO v_target FROM tag WHERE lower(name) = lower(m -> 'new' ->> 'name');
            IF FOUND THEN
              INSERT INTO uid_alias (uid, target, kind) VALUES (v_element, v_target, 'tag');
              v_map_from := array_append(v_map_from, v_element::text);
              v_map_to := array_append(v_map_to, v_target::text);
              v_element := v_target;
            ELSE
              INSERT INTO tag (uid, name, color)
              VALUES (v_element, m -> 'new' ->> 'name', coalesce(m -> 'new' ->> 'color', '#5b8def'));
            END IF;
          END IF;
        ELSIF NOT EXISTS (SELECT FROM campaign WHERE uid = v_element) THEN
          SELECT uid INTO v_target FROM campaign WHERE lower(name) = lower(m -> 'new' ->> 'name');
          IF FOUND THEN
            INSERT INTO uid_alias (uid, target, kind) VALUES (v_element, v_target, 'campaign');
            v_map_from := array_append(v_map_from, v_element::text);
            v_map_to := array_append(v_map_to, v_target::text);
            v_element := v_target;
          ELSE
            INSERT INTO campaign (uid, name) VALUES (v_element, m -> 'new' ->> 'name');
          END IF;
        END IF;
        v_count := 0;
        IF EXISTS (SELECT FROM lead WHERE uid = v_lead) THEN
          IF v_kind = 'tag_add' THEN
            INSERT INTO lead_tag (lead_uid, tag_uid) VALUES (v_lead, v_element) ON CONFLICT DO NOTHING;
          ELSIF v_kind = 'tag_remove' THEN
            DELETE FROM lead_tag WHERE lead_uid = v_lead AND tag_uid = v_element;
          ELSIF v_kind = 'member_add' THEN
            INSERT INTO membership (lead_uid, campaign_uid) VALUES (v_lead, v_element) ON CONFLICT DO NOTHING;
          ELSE
            DELETE FROM membership WHERE lead_uid = v_lead AND campaign_uid = v_element;
          END IF;
          GET DIAGNOSTICS v_count = ROW_COUNT;
        END IF;
        IF v_count > 0 THEN
          {_stamp("v_kind", "v_lead", ref="v_element::text", value="m -> 'new'")}
          v_applied := v_applied + 1;
        END IF;

      ELSIF v_kind = 'note' THEN
        v_count := 0;
        IF EXISTS (SELECT FROM lead WHERE uid = v_lead) THEN
          INSERT INTO note (uid, lead_uid, body, created_at, rep)
          VALUES ((m ->> 'ref')::uuid, v_lead, m -> 'new' ->> 'body', m -> 'new' ->> 'created_at', v_rep)
          ON CONFLICT DO NOTHING;
          GET DIAGNOSTICS v_count = ROW_COUNT;
        END IF;
        IF v_count > 0 THEN
          {_stamp("'note'", "v_lead", ref="m ->> 'ref'", value=_NOTE_VALUE)}
          v_applied := v_applied + 1;
        END IF;

      ELSIF v_kind = 'purge' THEN
        SELECT owner INTO v_owner FROM lead WHERE uid = v_lead FOR UPDATE;
        IF FOUND THEN
          IF v_owner <> v_rep AND NOT v_manager THEN
            v_reason := format('only %s or a manager may delete this lead for good', v_owner);
          ELSE
            DELETE FROM lead WHERE uid = v_lead;
            INSERT INTO tombstone (lead_uid, rep, at) VALUES (v_lead, v_rep, m ->> 'at') ON CONFLICT DO NOTHING;
            {_stamp("'tombstone'", "v_lead")}
            v_applied := v_applied + 1;
          END IF;
        END IF;

      ELSE
        v_reason := format('unknown kind of change: %s', v_kind);
      END IF;
    EXCEPTION WHEN integrity_constraint_violation THEN
      -- Everything this mutation did is rolled back; the variables are not, so put them back too.
      v_version := v_saved_version;
      v_changes := v_changes[1:v_saved_version - v_first_version];
      v_applied := v_saved_applied;
      v_duplicates := v_saved_duplicates;
      v_map_from := v_map_from[1:v_saved_map];
      v_map_to := v_map_to[1:v_saved_map];
      v_reason := SQLERRM;
    END;
    IF v_reason IS NOT NULL THEN
      -- The client puts the server's value back, so nothing diverges; the rep sees why.
      v_rejected := array_append(v_rejected, jsonb_build_object(
        'id', m -> 'id', 'lead', v_lead, 'kind', v_kind, 'field', m -> 'field', 'reason', v_reason,
        'theirs', CASE WHEN v_kind = 'field' THEN (SELECT to_jsonb(l) -> (m ->> 'field') FROM lead l
                                                   WHERE l.uid = v_lead) END));
    END IF;
  END LOOP;
  INSERT INTO change SELECT (c).* FROM unnest(v_changes) c;
  UPDATE sync_counter SET version = v_version WHERE id = 1;
  RETURN jsonb_build_object(
    'applied', v_applied, 'skipped', jsonb_array_length(p_mutations) - cardinality(v_fresh), 'merged', v_merged,
    'duplicates', v_duplicates, 'conflicts', to_jsonb(v_conflicts), 'rejected', to_jsonb(v_rejected),
    'uid_map', jsonb_object(v_map_from, v_map_to), 'version', v_version);
END
$fn$""",
    # A page of the change log above the rep's cursor, in version order.
    """
CREATE FUNCTION leaddesk_pull(p_cursor bigint, p_limit integer)
RETURNS TABLE (version bigint, kind text, lead text, field text, ref text, value text, client_id text, rep text,
               at text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT c.version, c.kind, c.lead_uid::text, c.field, c.ref, c.value, c.client_id, c.rep, c.at
  FROM change c WHERE c.version > p_cursor ORDER BY c.version LIMIT p_limit
$$""",
    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, leaddesk_rep, leaddesk_manager",
    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, leaddesk_rep, leaddesk_manager",
    "REVOKE ALL ON FUNCTION leaddesk_push(text, bigint, jsonb), leaddesk_pull(bigint, integer) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leaddesk_push(text, bigint, jsonb), leaddesk_pull(bigint, integer) TO leaddesk_rep",
]
