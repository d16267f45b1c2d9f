"""Migration V4 (team sync): uids beside ids, and change capture into the outbox by triggers."""

import sqlite3
import uuid

from app.db.connection import close_database, database, open_database
from app.db.models import Campaign, Lead, LeadTag, Membership, Note, Outbox, SyncState, Tag
from app.db.schema import MIGRATIONS
from app.db.schema_v4 import V4_TEAM_SYNC


def _older_database(path) -> None:
    # A file made by the LeadDesk before V4: every earlier migration, and some rows.
    conn = sqlite3.connect(path)
    for sql in MIGRATIONS[: MIGRATIONS.index(V4_TEAM_SYNC)]:
        conn.executescript(sql)
    conn.execute("INSERT INTO lead (first_name, created_at, updated_at) VALUES ('Ada', 'x', 'x'), ('Bo', 'x', 'x')")
    conn.execute("INSERT INTO tag (name) VALUES ('hot')")
    conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(V4_TEAM_SYNC)}")
    conn.commit()
    conn.close()


def _enable():
    SyncState.update(enabled=True).execute()


def test_existing_rows_get_distinct_uuids(db_path):
    _older_database(db_path)
    open_database(db_path)
    try:
        uids = [lead.uid for lead in Lead.select()] + [t.uid for t in Tag.select()]
        assert len(set(uids)) == 3
        assert all(str(uuid.UUID(u)) == u and uuid.UUID(u).version == 4 for u in uids)
        assert SyncState.get().enabled is False and SyncState.get().client_id
        assert Outbox.select().count() == 0
    finally:
        close_database()


def test_new_rows_get_a_uid_from_the_trigger(db):
    lead = Lead.create(first_name="Ada")
    database.execute_sql("INSERT INTO note (lead_id, body, created_at, updated_at) VALUES (?, 'hi', 'x', 'x')", (lead.id,))
    assert Lead.get_by_id(lead.id).uid
    assert Note.get().uid and Campaign.create(name="Q1").uid is None  # the row in Python; the file has it
    assert Campaign.get().uid


def test_nothing_is_captured_without_a_team(db):
    lead = Lead.create(first_name="Ada")
    Lead.update(last_name="Lovelace").where(Lead.id == lead.id).execute()
    assert Outbox.select().count() == 0


def test_every_write_is_captured_once_a_team_is_configured(db):
    _enable()
    lead = Lead.create(first_name="Ada")
    uid = Lead.get_by_id(lead.id).uid
    Lead.update(last_name="Lovelace", vip=True).where(Lead.id == lead.id).execute()
    Lead.update(last_name="Lovelace").where(Lead.id == lead.id).execute()  # no change: nothing captured
    tag, campaign = Tag.create(name="hot"), Campaign.create(name="Q1")
    LeadTag.create(tag=tag, lead=lead)
    LeadTag.delete().execute()
    Membership.create(campaign=campaign, lead=lead)
    Note.create(lead=lead, body="Met at the fair")
    rows = [(o.kind, o.lead_uid, o.field, o.old, o.new) for o in Outbox.select().order_by(Outbox.id)]
    assert [r[0] for r in rows] == ["lead_new", "field", "field", "tag_add", "tag_remove", "member_add", "note"]
    assert {r[1] for r in rows} == {uid}
    assert set(rows[1:3]) == {("field", uid, "last_name", "", "Lovelace"), ("field", uid, "vip", 0, 1)}


def test_changes_applied_from_a_pull_are_not_captured(db):
    _enable()
    with database.atomic():
        SyncState.update(applying=True).execute()
        Lead.create(first_name="Ada", uid=str(uuid.uuid4()))
        SyncState.update(applying=False).execute()
    assert Outbox.select().count() == 0


def test_an_import_is_captured_in_its_own_transaction(db, tmp_path):
    from app.services.importing import import_file
    from tests.helpers.import_samples import write_sample

    _enable()
    report = import_file(write_sample(tmp_path, "apollo_export.csv"), campaign="Spring")
    kinds = [o.kind for o in Outbox.select()]
    assert report.created > 0
    assert kinds.count("lead_new") == report.created == kinds.count("member_add")
    assert Lead.select().where(Lead.uid.is_null()).count() == 0
