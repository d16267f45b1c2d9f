"""Team server migration V3 as written: note moves, a refused purge's lead sent back, the team's reps.

``leaddesk_push`` is V2's (``schema_v2``), replaced with two additions:

- a ``note_move`` mutation (a rep's merge, or its undo, moved a note to another lead): the note
  keeps its uid and text and now belongs to that lead; a note the server lost with its old lead
  is added again. The change log gets a ``note_move`` so other replicas move it too.
- a refused ``purge`` (the rep is neither the lead's owner nor a manager) comes back with the whole
  lead (fields, owner, tags, campaigns, notes), so the rep's file gets back the lead it erased.

``leaddesk_reps()`` lists the team's reps and whether each is a manager (reps hold no right on the
table itself): the window's "Assign owner…" offers them, and a sync notes whether the joined rep
is a manager. A LeadDesk that knows V3 calls it first, so a V2 server is told to upgrade.

Frozen text once released, like V2 (whose text this is built from).
"""

from app.db.server.schema_v2 import V2_SYNC_FUNCTIONS, _stamp

_MOVED_NOTE = ("(SELECT jsonb_build_object('body', n.body, 'created_at', n.created_at, 'rep', n.rep) FROM note n "
               "WHERE n.uid = (m ->> 'ref')::uuid)")
_NOTE_MOVE = f"""
      ELSIF v_kind = 'note_move' THEN
        -- The same note on another lead: its text never changes; one lost with its old lead comes back.
        v_count := 0;
        IF EXISTS (SELECT FROM lead WHERE uid = v_lead) THEN
          INSERT INTO note AS n (uid, lead_uid, body, created_at, rep)
          VALUES ((m ->> 'ref')::uuid, v_lead, m -> 'new' ->> 'body', m -> 'new' ->> 'created_at', v_rep)
          ON CONFLICT (uid) DO UPDATE SET lead_uid = excluded.lead_uid WHERE n.lead_uid <> excluded.lead_uid;
          GET DIAGNOSTICS v_count = ROW_COUNT;
        END IF;
        IF v_count > 0 THEN
          {_stamp("'note_move'", "v_lead", ref="m ->> 'ref'", value=_MOVED_NOTE)}
          v_applied := v_applied + 1;
        END IF;
"""

# The lead as the server holds it, with its links: what a rep whose purge was refused gets back.
_WHOLE_LEAD = """(SELECT to_jsonb(l) || jsonb_build_object(
          'tags', (SELECT coalesce(jsonb_agg(jsonb_build_object('uid', t.uid, 'name', t.name, 'color', t.color)), '[]')
                   FROM lead_tag lt JOIN tag t ON t.uid = lt.tag_uid WHERE lt.lead_uid = l.uid),
          'campaigns', (SELECT coalesce(jsonb_agg(jsonb_build_object('uid', c.uid, 'name', c.name)), '[]')
                        FROM membership ms JOIN campaign c ON c.uid = ms.campaign_uid WHERE ms.lead_uid = l.uid),
          'notes', (SELECT coalesce(jsonb_agg(jsonb_build_object('uid', n.uid, 'body', n.body, 'created_at', n.created_at)),
                                    '[]') FROM note n WHERE n.lead_uid = l.uid))
        FROM lead l WHERE l.uid = v_lead)"""


def _push() -> str:
    """V2's push function with the note move and the refused purge's lead (see the module doc)."""
    text = V2_SYNC_FUNCTIONS[0]
    edits = (("CREATE FUNCTION leaddesk_push", "CREATE OR REPLACE FUNCTION leaddesk_push"),
             ("\n      ELSIF v_kind = 'purge' THEN", _NOTE_MOVE.rstrip("\n") + "\n\n      ELSIF v_kind = 'purge' THEN"),
             ("WHERE l.uid = v_lead) END));", f"WHERE l.uid = v_lead)\n        WHEN v_kind = 'purge' THEN {_WHOLE_LEAD} END));"))
    for old, new in edits:
        assert text.count(old) == 1, old  # V2 is frozen: each edit has exactly one place
        text = text.replace(old, new)
    return text


V3_NOTE_MOVE = [
    _push(),
    # Whether a rep is a manager is what the push itself checks: membership of the manager group.
    """
CREATE FUNCTION leaddesk_reps() RETURNS TABLE (name text, manager boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.name, pg_has_role(p.oid, 'leaddesk_manager', 'MEMBER') FROM team_rep r
  JOIN pg_roles p ON p.rolname = r.name ORDER BY r.name
$$""",
    "REVOKE ALL ON FUNCTION leaddesk_reps() FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leaddesk_reps() TO leaddesk_rep",
]
