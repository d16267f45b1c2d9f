"""Sync against a real PostgreSQL team server: merges, conflicts, sets, idempotency, duplicates."""

import pytest

from app.db.connection import database
from app.db.models import Lead, LeadTag, Membership, Note, SyncConflict, Tag
from app.services import leads
from app.services.sync import engine, replica, server
from tests.helpers.team import Team

pytestmark = pytest.mark.postgres


@pytest.fixture
def team(pg_cluster, tmp_path):
    return Team(pg_cluster, tmp_path)


def _lead(uid):
    return Lead.get(Lead.uid == uid)


def _shared_lead(team, **fields):
    """A lead ann creates and everyone pulls; returns its uid."""
    ann = team.replica("ann")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        uid = Lead.get_by_id(Lead.create(**fields).id).uid
    ann.sync()
    for rep in ("bob", "cy"):
        team.replica(rep).sync()
    return uid


def test_edits_to_different_fields_merge_silently(team):
    uid = _shared_lead(team, id_lead="x1", first_name="Ada", last_name="King")
    ann, bob = team.replica("ann"), team.replica("bob")
    with ann.open():
        leads.update_field(_lead(uid).id, "job_title", "CTO")
    with bob.open():
        leads.update_field(_lead(uid).id, "last_name", "Lovelace")
    assert ann.sync().pushed == 1
    report = bob.sync()
    assert (report.pushed, report.conflicts, report.merged) == (1, 0, 1)
    ann.sync()
    for r in (ann, bob):
        with r.open():
            lead = _lead(uid)
            assert (lead.job_title, lead.last_name) == ("CTO", "Lovelace")
            assert SyncConflict.select().count() == 0


def test_the_same_field_changed_twice_is_one_conflict_with_mine_theirs_original(team):
    uid = _shared_lead(team, id_lead="x1", first_name="Ada", job_title="Engineer")
    ann, bob = team.replica("ann"), team.replica("bob")
    with ann.open():
        leads.update_field(_lead(uid).id, "job_title", "CTO")
    with bob.open():
        leads.update_field(_lead(uid).id, "job_title", "VP")
        leads.update_field(_lead(uid).id, "job_title", "VP Engineering")  # twice offline: still one conflict
    ann.sync()
    assert bob.sync().conflicts == 1
    with bob.open():
        [c] = SyncConflict.select()
        assert (c.field, c.mine, c.theirs, c.original, c.theirs_rep) == (
            "job_title", "VP Engineering", "CTO", "Engineer", team.role("ann"))
        assert _lead(uid).job_title == "CTO", "the first to reach the server stays"
        history = database.execute_sql("SELECT source, new FROM lead_history WHERE field = 'job_title' ORDER BY id")
        assert ("changed by " + team.role("ann"), "CTO") in history.fetchall()
    with team.admin() as admin:
        assert admin.execute_sql("SELECT count(*) FROM conflict").fetchone()[0] == 1


def test_tags_and_memberships_are_sets_and_never_conflict(team):
    uid = _shared_lead(team, id_lead="x1", first_name="Ada")
    ann, bob = team.replica("ann"), team.replica("bob")
    with ann.open():
        lead_id = _lead(uid).id
        hot = Tag.create(name="hot")
        LeadTag.create(tag=hot, lead=lead_id)
        leads.add_note(lead_id, "Met at the fair")
    with bob.open():
        lead_id = _lead(uid).id
        LeadTag.create(tag=Tag.create(name="Hot"), lead=lead_id)  # the same tag, made on another laptop
        LeadTag.create(tag=Tag.create(name="cold"), lead=lead_id)
        from app.db.models import Campaign
        Membership.create(campaign=Campaign.create(name="Q1"), lead=lead_id)
    ann.sync()
    assert bob.sync().conflicts == 0
    with bob.open():
        LeadTag.delete().where(LeadTag.tag == Tag.get(Tag.name == "cold")).execute()
    bob.sync()
    ann.sync()
    for r in (ann, bob):
        with r.open():
            lead_id = _lead(uid).id
            tags = {t.tag.name.lower() for t in LeadTag.select().where(LeadTag.lead == lead_id)}
            assert tags == {"hot"}
            assert [m.campaign.name for m in Membership.select().where(Membership.lead == lead_id)] == ["Q1"]
            assert [n.body for n in Note.select()] == ["Met at the fair"]
            assert SyncConflict.select().count() == 0


def test_a_retried_push_applies_once(team):
    uid = _shared_lead(team, id_lead="x1", first_name="Ada")
    ann = team.replica("ann")
    with ann.open():
        leads.update_field(_lead(uid).id, "job_title", "CTO")
        Note.create(lead=_lead(uid).id, body="call back")
        mutations, _ = replica.outbox_batch(100)
        client = replica.state()
    db = team.connect("ann")
    try:
        first = server.push(db, client["client_id"], client["cursor"], mutations)
        # The connection dropped before the client heard back: it sends the same mutations again.
        again = server.push(db, client["client_id"], client["cursor"], mutations)
        assert (first.applied, again.applied, again.skipped) == (2, 0, 2)
    finally:
        db.close()
    with team.admin() as admin:
        assert admin.execute_sql("SELECT count(*) FROM note").fetchone()[0] == 1
        versions = [v for (v,) in admin.execute_sql("SELECT version FROM change ORDER BY version")]
        assert versions == list(range(1, len(versions) + 1)), "gap-free"
    assert ann.sync().already_applied == 2


def test_the_same_person_added_by_two_reps_is_merged(team):
    ann, bob = team.replica("ann"), team.replica("bob")
    for r, fields in ((ann, {"email": "Ada@Example.com", "first_name": "Ada"}),
                      (bob, {"email": "ada@example.com", "job_title": "CTO"})):
        with r.open():
            replica.enable(team.url, team.role(r.rep))
            lead = Lead.create(**fields)
            LeadTag.create(tag=Tag.create(name=r.rep), lead=lead)
    ann.sync()
    report = bob.sync()
    assert report.duplicates_merged == 1
    ann.sync()
    for r in (ann, bob):
        with r.open():
            [lead] = Lead.select()
            assert (lead.first_name, lead.job_title, lead.owner) == ("Ada", "CTO", team.role("ann"))
            assert {t.tag.name for t in LeadTag.select()} == {"ann", "bob"}


def test_trash_syncs_and_emptying_it_is_for_the_owner(team):
    uid = _shared_lead(team, id_lead="x1", first_name="Ada")
    ann, bob = team.replica("ann"), team.replica("bob")
    with bob.open():
        Lead.update(deleted_at="2026-01-01T00:00:00+00:00").where(Lead.uid == uid).execute()
    bob.sync()
    ann.sync()
    with ann.open():
        assert _lead(uid).deleted_at is not None
        Lead.delete().where(Lead.uid == uid).execute()
    assert ann.sync().pushed == 1
    bob.sync()
    with bob.open():
        assert Lead.select().count() == 0


def test_no_team_configured_means_nothing_queued(db):
    Lead.create(first_name="Ada")
    assert replica.waiting() == 0 and replica.state()["enabled"] == 0
    assert engine.SyncReport().lines()[0] == "pushed: 0"


def test_a_big_pulled_page_is_searchable_and_leaves_every_trigger_in_place(team):
    ann, bob = team.replica("ann"), team.replica("bob")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        with database.atomic():
            for i in range(300):
                Lead.create(first_name=f"Zoë{i}", last_name="Quist", email=f"z{i}@example.com")
    ann.sync()
    with bob.open():
        triggers = set(database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    assert bob.sync().pulled == 300
    with bob.open():
        assert set(database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")) == triggers
        assert database.execute_sql("SELECT count(*) FROM lead_fts WHERE lead_fts MATCH 'quist'").fetchone()[0] == 300
        Lead.create(first_name="Local")
        assert database.execute_sql("SELECT kind FROM outbox").fetchall() == [("lead_new",)]
    with ann.open():
        with database.atomic():
            for lead in Lead.select():
                leads.update_field(lead.id, "last_name", "Umbra")
    ann.sync()
    assert bob.sync().pulled == 300
    with bob.open():
        assert set(database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")) == triggers
        match = "SELECT count(*) FROM lead_fts WHERE lead_fts MATCH ?"
        assert [database.execute_sql(match, (word,)).fetchone()[0] for word in ("umbra", "quist")] == [300, 0]
        database.execute_sql("INSERT INTO lead_fts (lead_fts, rank) VALUES ('integrity-check', 1)")
