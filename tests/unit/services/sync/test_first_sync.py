"""An empty replica's first sync loads the team server's snapshot: what a replay gives, in one transaction."""


import sqlite3

import peewee as pw
import pytest

from app.db.connection import database
from app.db.models import Lead, Note
from app.db.schema import BRIEF_COLUMNS, BRIEF_TAGS
from app.db.search import lead_ids as filter_lead_ids
from app.services import bulk, campaigns, duplicates, leads, trash
from app.services.exporting import export_leads
from app.services.lead_filter import LeadFilter
from app.services.sync import engine, first, replica, server
from tests.helpers.team import Team, local_state, server_state

pytestmark = pytest.mark.postgres


def _team_work(team) -> None:
    """ann's base on the server: tags, campaigns with targets, notes, an edit, a merge, the Trash, a purge."""
    ann = team.replica("ann")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        ids = [Lead.create(first_name=f"Ada{i}", last_name="Lovelace", email=f"ada{i}@example.com",
                           email_verification_result="valid" if i % 2 else "", job_title="Engineer",
                           country_name="France", id_lead=f"L{i}").id for i in range(12)]
        hot = campaigns.create_campaign("Spring")
        campaigns.set_targets(hot.id, campaigns.CampaignTargets(countries=("France",)))
        bulk.assign_campaign(ids[:8], hot.id)
        bulk.assign_campaign(ids[4:], campaigns.create_campaign("Autumn").id)
        bulk.add_tag(ids[::2], "hot")
        bulk.add_tag(ids[1:3], "call")
        for lead_id in ids[:4]:
            leads.add_note(lead_id, f"note on {lead_id}")
    ann.sync()
    with ann.open():
        leads.update_field(ids[0], "job_title", "Countess")
        leads.add_note(ids[5], "later note")
        bulk.remove_tag(ids[:1], database.execute_sql("SELECT id FROM tag WHERE name = 'hot'").fetchone()[0])
        duplicates.merge(ids[2:4], ids[2])  # a note moves to the survivor
        bulk.delete_to_trash(ids[9:11])
        trash.purge(ids[10:11])
    ann.sync()


def _export(rep, tmp_path) -> str:
    path = tmp_path / f"{rep.rep}-{rep.path.stem}.csv"
    with rep.open():
        export_leads(path, profile="raw")
    return path.read_text(encoding="utf-8")


def _snapshot(rep) -> dict:
    """What the user sees besides the export: members' flags and facets, the Trash, the search, the outbox."""
    with rep.open():
        return {"state": local_state(links=True),
                "flags": database.execute_sql(
                    "SELECT l.uid, c.name, m.stage, m.live, m.processed, m.reviewed, m.valid_target, m.email_verification_result, "
                    "m.company_headcount FROM membership m "
                    "JOIN lead l ON l.id = m.lead_id JOIN campaign c ON c.id = m.campaign_id ORDER BY 1, 2").fetchall(),
                "order": [r[0] for r in database.execute_sql("SELECT uid FROM lead ORDER BY id")],
                "notes": [r[0] for r in database.execute_sql("SELECT uid FROM note ORDER BY id")],
                "trash": trash.count(),
                "briefs": [database.execute_sql(f"SELECT {BRIEF_COLUMNS} FROM {t} ORDER BY id").fetchall()
                           for t in ("lead", "lead_brief")],
                # Each brief's tags are its lead's (in lead_tag), and which leads have some.
                "brief tags": database.execute_sql(
                    f"SELECT l.uid, b.tags = {BRIEF_TAGS.format(lead='b.id')}, b.tags != '' FROM lead l"
                    " JOIN lead_brief b ON b.id = l.id ORDER BY l.uid").fetchall(),
                "found": len(filter_lead_ids(database.connection(), LeadFilter(text="ada1"))),
                "outbox": replica.waiting(),
                "cursor": replica.state()["cursor"]}


def test_a_snapshot_loaded_replica_equals_one_that_replayed_the_log(pg_cluster, tmp_path, monkeypatch):
    team = Team(pg_cluster, tmp_path)
    _team_work(team)
    bob = team.replica("bob")
    with bob.open():
        assert first.wanted()
    report = bob.sync()
    with team.admin() as admin:
        changes = admin.execute_sql("SELECT count(*) FROM change").fetchone()[0]
        expected = server_state(admin, links=True)
    assert report.pulled == 11 + 9 + 12 + 5 and report.pushed == 0  # leads, tags, memberships, notes
    monkeypatch.setattr(first, "wanted", lambda: False)
    replayed = team.replica("bob", name="bob-replayed")
    assert replayed.sync().pulled == changes
    assert _export(bob, tmp_path) == _export(replayed, tmp_path)
    loaded = _snapshot(bob)
    assert loaded == _snapshot(replayed)
    assert loaded["state"] == expected and loaded["trash"] == 2 and loaded["found"] == 2
    assert loaded["briefs"][0] == loaded["briefs"][1] and len(loaded["briefs"][0]) == 11  # each lead's
    assert all(same for _, same, _ in loaded["brief tags"]) and sum(tagged for *_, tagged in loaded["brief tags"]) > 1
    assert loaded["outbox"] == 0 and loaded["cursor"] == changes
    with team.admin() as admin:
        assert admin.execute_sql("SELECT count(*) FROM change").fetchone()[0] == changes, "nothing echoed back"


def _push_field(team, rep: str, mutation_id: int, uid: str, field: str, base, new) -> None:
    """One field change ``rep`` pushes from another laptop (its own client id)."""
    db = team.connect(rep)
    try:
        mutation = {"id": mutation_id, "kind": "field", "lead": uid, "field": field, "base": base, "new": new,
                    "at": "2026-01-01T00:00:00+00:00"}
        assert server.push(db, "ann-elsewhere", 0, [mutation]).applied == 1
    finally:
        db.close()


def test_changes_during_and_after_the_snapshot_are_pulled_once(pg_cluster, tmp_path, monkeypatch):
    team = Team(pg_cluster, tmp_path)
    _team_work(team)
    with team.admin() as admin:
        uid = admin.execute_sql("SELECT uid::text FROM lead WHERE id_lead = 'L5'").fetchone()[0]
    bob = team.replica("bob")
    with bob.open():
        replica.enable(team.url, team.role("bob"))
        db = team.connect("bob")
        load = first.load
        pushed = []

        def push_while_loading(snapshot):
            _push_field(team, "ann", 1, uid, "job_title", "Engineer", "Pilot")  # committed mid-snapshot
            pushed.append(uid)
            return load(snapshot)

        monkeypatch.setattr(first, "load", push_while_loading)
        try:
            engine.sync(db)
        finally:
            db.close()
        assert pushed
        assert Lead.get(Lead.uid == uid).job_title == "Pilot"
        history = database.execute_sql("SELECT source, old, new FROM lead_history WHERE field = 'job_title'").fetchall()
        assert history == [(f"changed by {team.role('ann')}", "Engineer", "Pilot")]
    _push_field(team, "ann", 2, uid, "job_title", "Pilot", "Astronaut")  # after it
    assert bob.sync().pulled == 1
    assert bob.sync().pulled == 0
    with bob.open():
        assert Lead.get(Lead.uid == uid).job_title == "Astronaut"
        assert database.execute_sql("SELECT count(*) FROM lead_history WHERE field = 'job_title'").fetchone()[0] == 2
    with team.admin() as admin:
        expected = server_state(admin, links=True)
        version = admin.execute_sql("SELECT version FROM sync_counter").fetchone()[0]
    with bob.open():
        assert local_state(links=True) == expected
        assert replica.state()["cursor"] == version


def _schema(rep) -> list:
    with rep.open():
        return database.execute_sql("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_a_first_sync_killed_mid_load_leaves_the_replica_empty_and_loads_next_time(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path)
    _team_work(team)
    bob = team.replica("bob")
    with bob.open():
        replica.enable(team.url, team.role("bob"))
    before = _schema(bob)
    bob.kill_mid_sync("snapshot")
    with bob.open():
        assert (Lead.select().count(), Note.select().count(), replica.waiting()) == (0, 0, 0)
        assert replica.state()["cursor"] == 0 and first.wanted()
    assert _schema(bob) == before, "the dropped triggers and indexes came back with the rollback"
    assert bob.sync().pulled == 37
    with team.admin() as admin:
        expected = server_state(admin, links=True)
    with bob.open():
        assert local_state(links=True) == expected
    assert _schema(bob) == before


def test_a_replica_with_its_own_leads_replays_the_log(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path)
    _team_work(team)
    cy = team.replica("cy")
    with cy.open():
        replica.enable(team.url, team.role("cy"))
        own = Lead.create(first_name="Grace", email="grace@example.com").id
        assert not first.wanted()
    report = cy.sync()
    assert report.pushed == 1
    with team.admin() as admin:
        expected = server_state(admin, links=True)
    with cy.open():
        assert local_state(links=True) == expected
        assert Lead.get_by_id(own).first_name == "Grace", "its own lead keeps its place"
        # A replay applies the team's edits one by one: each leaves its History line.
        assert database.execute_sql("SELECT count(*) FROM lead_history WHERE field = 'job_title' "
                                    "AND source LIKE 'changed by %'").fetchone()[0] == 1


def test_a_page_asked_for_ahead_comes_first_and_the_errors_stay_what_callers_catch(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path)
    _team_work(team)
    with team.admin() as admin:
        tags = admin.execute_sql("SELECT count(*) FROM lead_tag").fetchone()[0]
    db = team.connect("bob")
    try:
        with server.snapshot(db) as snapshot:
            with snapshot.meanwhile("snapshot_lead_tag"):
                pass  # the replica's own work goes here
            ahead = [row for page in snapshot.pages("snapshot_lead_tag", size=2) for row in page]
            leads = [row for page in snapshot.pages("snapshot_lead", size=2) for row in page]
            with pytest.raises(sqlite3.OperationalError), snapshot.meanwhile("snapshot_note"):
                raise sqlite3.OperationalError("disk full")  # the block's own error, as it was
        assert (len(ahead), len(leads), len({row[1] for row in leads})) == (tags, 11, 11)  # each row once, pipelined or not
        with pytest.raises(pw.ProgrammingError, match="no_such_cursor"):  # peewee's, not psycopg's
            with server.snapshot(db) as snapshot, snapshot.meanwhile("no_such_cursor"):
                pass
    finally:
        db.close()
