"""The server side through its functions: owners (a manager's right), tombstones, upgraded servers."""

import pytest

from app.db.connection import database
from app.db.models import Lead, LeadHistory
from app.db.server import schema
from app.db.server.models import TeamSchemaVersion
from app.services import leads, team
from app.services.importing import import_file
from app.services.owners import reassign_owner, spread_new_leads
from app.services.sync import replica, server
from tests.helpers.team import Team

pytestmark = pytest.mark.postgres


def _server_owners(team) -> list[str]:
    admin = team.admin()
    try:
        return [r[0] for r in admin.execute_sql("SELECT owner FROM lead ORDER BY email").fetchall()]
    finally:
        admin.close()


def _shared_lead(team, rep="ann", **fields) -> str:
    """A lead ``rep`` creates and syncs; returns its uid."""
    r = team.replica(rep)
    with r.open():
        replica.enable(team.url, team.role(rep))
        uid = Lead.get_by_id(Lead.create(**fields).id).uid
    r.sync()
    return uid


def _local_owner(r, uid) -> str:
    with r.open():
        return Lead.get(Lead.uid == uid).owner


@pytest.mark.parametrize("pusher", ["boss", "ann"])
def test_spread_owners_reach_the_server_only_from_a_manager(pg_cluster, tmp_path, pusher):
    team = Team(pg_cluster, tmp_path, reps=("ann", "bob"), managers=("boss",))
    csv = tmp_path / "fair.csv"
    csv.write_text("first_name,email\nA,a@example.com\nB,b@example.com\nC,c@example.com\n")
    rep = team.replica(pusher)
    with rep.open():
        replica.enable(team.url, team.role(pusher))
        report = import_file(csv)
        spread_new_leads(report.run_id, [team.role("ann"), team.role("bob")])
        assert database.execute_sql("SELECT count(*) FROM outbox").fetchone()[0] == 3
    rep.sync()
    if pusher == "boss":
        assert _server_owners(team) == [team.role("ann"), team.role("bob"), team.role("ann")]
    else:
        assert _server_owners(team) == [team.role("ann")] * 3


def test_a_manager_reassigns_an_owner_and_every_replica_follows(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann", "bob"), managers=("boss",))
    uid = _shared_lead(team, first_name="Ada", email="ada@example.com")
    boss, bob = team.replica("boss"), team.replica("bob")
    boss.sync()
    bob.sync()  # bob holds the lead already: the change reaches him with a History line (ann's first sync has none)
    with boss.open():
        assert reassign_owner([Lead.get(Lead.uid == uid).id], team.role("bob")) == 1
    report = boss.sync()
    assert (report.pushed, report.refused) == (1, 0)
    assert _server_owners(team) == [team.role("bob")]
    bob.sync()
    team.replica("ann").sync()
    assert _local_owner(bob, uid) == _local_owner(team.replica("ann"), uid) == team.role("bob")
    with bob.open():
        history = LeadHistory.get(LeadHistory.field == "owner")
        assert (history.source, history.old, history.new) == (f"changed by {team.role('boss')}", team.role("ann"),
                                                              team.role("bob"))


def test_a_reps_owner_change_is_refused_and_the_replica_goes_back(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann", "bob"))
    uid = _shared_lead(team, first_name="Ada", email="ada@example.com")
    ann = team.replica("ann")
    with ann.open():
        reassign_owner([Lead.get(Lead.uid == uid).id], team.role("bob"))
        mutations, _ = replica.outbox_batch(10)
        client = replica.state()
    db = team.connect("ann")
    try:
        result = server.push(db, client["client_id"], client["cursor"], mutations)
    finally:
        db.close()
    assert result.applied == 0
    [refused] = result.rejected
    assert (refused["field"], refused["theirs"], refused["reason"]) == (
        "owner", team.role("ann"), "only a manager may reassign owners")
    with ann.open():
        replica.apply_push(result, mutations, mutations[-1]["id"])
        assert Lead.get(Lead.uid == uid).owner == team.role("ann"), "back to the server's owner"
    assert ann.sync().refused == 0
    assert _server_owners(team) == [team.role("ann")]


def test_the_new_owner_must_be_a_rep_of_the_team(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann",), managers=("boss",))
    uid = _shared_lead(team, rep="boss", first_name="Ada")
    boss = team.replica("boss")
    with boss.open():
        reassign_owner([Lead.get(Lead.uid == uid).id], "mallory")
    assert boss.sync().refused == 1
    assert _local_owner(boss, uid) == team.role("boss")


def test_team_reassign_checks_the_manager_right_before_changing_anything(pg_cluster, tmp_path, ring):
    team_ = Team(pg_cluster, tmp_path, reps=("ann", "bob"), managers=("boss",))
    uid = _shared_lead(team_, first_name="Ada")
    for rep in ("ann", "boss"):
        with team_.replica(rep).open():
            team.configure(team_.url, team_.role(rep), team_.passwords[rep])
    with team_.replica("ann").open():
        with pytest.raises(team.TeamError, match="not a manager"):
            team.reassign([Lead.get(Lead.uid == uid).id], team_.role("bob"))
        assert Lead.get(Lead.uid == uid).owner == team_.role("ann")
        assert replica.waiting() == 0
    with team_.replica("boss").open():
        team.sync()
        changed, report = team.reassign([Lead.get(Lead.uid == uid).id], team_.role("bob"))
        assert (changed, report.pushed) == (1, 1)
    assert _server_owners(team_) == [team_.role("bob")]


def test_only_the_owner_or_a_manager_deletes_a_lead_for_good(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann", "bob"), managers=("boss",))
    uids = [_shared_lead(team, first_name=name) for name in ("Ada", "Grace")]
    bob, boss = team.replica("bob"), team.replica("boss")
    for r in (bob, boss):
        r.sync()
    with bob.open():
        Lead.delete().where(Lead.uid == uids[0]).execute()
    assert bob.sync().refused == 1
    with boss.open():
        Lead.delete().where(Lead.uid == uids[1]).execute()
    assert boss.sync().refused == 0
    admin = team.admin()
    try:
        assert [r[0] for r in admin.execute_sql("SELECT uid::text FROM lead")] == [uids[0]]
    finally:
        admin.close()


def _old_team(pg_cluster, tmp_path, monkeypatch, version: int = 1) -> Team:
    """A team whose server was set up at schema ``version`` (V1: reps with table grants), not yet upgraded."""
    def first_only(db):
        with db.atomic():
            for number, migration in enumerate(schema.SERVER_MIGRATIONS[:version], start=1):
                migration(db)
                TeamSchemaVersion.create(version=number)

    with monkeypatch.context() as patch:
        patch.setattr("tests.helpers.team.init_schema", first_only)
        return Team(pg_cluster, tmp_path, reps=("ann", "bob"))


def test_a_server_upgraded_from_v1_syncs_through_the_functions_only(pg_cluster, tmp_path, monkeypatch):
    team = _old_team(pg_cluster, tmp_path, monkeypatch)
    ann = team.replica("ann")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        uid = Lead.get_by_id(Lead.create(first_name="Ada", job_title="Engineer").id).uid
    with pytest.raises(server.TeamSchemaTooOldError, match="leaddesk team init"):
        ann.sync()
    admin = team.admin()
    try:
        assert schema.init_schema(admin) == (1, schema.SERVER_SCHEMA_VERSION)
    finally:
        admin.close()
    assert ann.sync().pushed == 1
    bob = team.replica("bob")
    bob.sync()
    with ann.open():
        leads.update_field(Lead.get(Lead.uid == uid).id, "job_title", "CTO")
    with bob.open():
        leads.update_field(Lead.get(Lead.uid == uid).id, "job_title", "VP")
    ann.sync()
    assert bob.sync().conflicts == 1
    with bob.open():
        assert Lead.get(Lead.uid == uid).job_title == "CTO"
    db = team.connect("bob")
    try:
        with pytest.raises(Exception, match="permission denied"):
            db.execute_sql("SELECT count(*) FROM lead")
    finally:
        db.close()


def test_a_server_without_note_moves_is_told_to_upgrade_before_anything_is_pushed(pg_cluster, tmp_path, monkeypatch):
    team = _old_team(pg_cluster, tmp_path, monkeypatch, version=2)
    ann = team.replica("ann")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        Lead.create(first_name="Ada")
    with pytest.raises(server.TeamSchemaTooOldError, match="leaddesk team init"):
        ann.sync()
    with ann.open():
        assert replica.waiting() == 1
    admin = team.admin()
    try:
        assert schema.init_schema(admin) == (2, schema.SERVER_SCHEMA_VERSION)
    finally:
        admin.close()
    assert ann.sync().pushed == 1
