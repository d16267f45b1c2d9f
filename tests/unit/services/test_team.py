"""The team facade the window will use: status, conflicts and their resolution, the no-team path."""

import pytest

from app.db.models import Lead
from app.services import leads, team
from tests.helpers.team import Team


def test_without_a_team_sync_refuses_before_any_connection(db, monkeypatch):
    import app.db.server.schema as server_schema

    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(server_schema, "connect_server", no_connection)
    Lead.create(first_name="Ada")
    assert team.status() == team.TeamStatus(False, None, None, 0, 0, None)
    with pytest.raises(team.TeamError, match="no team is configured"):
        team.sync()
    assert team.conflicts() == []


@pytest.mark.postgres
def test_a_conflict_is_listed_and_resolved_as_mine(pg_cluster, tmp_path, ring):
    crew = Team(pg_cluster, tmp_path, reps=("ann", "bob"))
    ann, bob = crew.replica("ann"), crew.replica("bob")
    for r in (ann, bob):
        with r.open():
            assert team.configure(crew.url, crew.role(r.rep), crew.passwords[r.rep]) == 0
    with ann.open():
        lead_id = Lead.create(id_lead="x1", first_name="Ada", job_title="Engineer").id
        assert team.status().waiting == 1
        team.sync()
        assert team.status().waiting == 0 and team.status().last_synced_at
    with bob.open():
        team.sync()
        bob_lead = Lead.get(Lead.id_lead == "x1").id
        leads.update_field(bob_lead, "job_title", "VP")
    with ann.open():
        leads.update_field(lead_id, "job_title", "CTO")
        team.sync()
    with bob.open():
        assert team.sync().conflicts == 1
        assert team.status().conflicts == 1
        [c] = team.conflicts()
        assert (c.lead_name, c.field, c.mine, c.theirs, c.original) == ("Ada", "job_title", "VP", "CTO", "Engineer")
        assert c.theirs_rep == crew.role("ann") and c.theirs_at
        team.resolve(c.id, "mine")
        assert team.conflicts() == [] and team.status().waiting == 1
        assert team.sync().pushed == 1
    with ann.open():
        team.sync()
        assert Lead.get_by_id(lead_id).job_title == "VP"


def test_leaving_keeps_every_lead_forgets_the_team_and_opens_no_socket(db, ring, monkeypatch):
    import app.db.server.schema as server_schema

    team.configure("postgresql://team.example.com/leads", "ann", "s3cret")
    lead_id = Lead.create(first_name="Ada").id
    leads.update_field(lead_id, "job_title", "Countess")
    assert team.status().waiting == 2
    assert ring.passwords == {(team.KEYRING_SERVICE, "ann@postgresql://team.example.com/leads"): "s3cret"}

    assert team.leave() == 2, "the unsynced changes dropped"
    assert team.status() == team.TeamStatus(False, None, None, 0, 0, None)
    assert ring.passwords == {}
    assert Lead.get_by_id(lead_id).job_title == "Countess", "the change itself stays in the lead"
    monkeypatch.setattr(server_schema, "connect_server", lambda *a, **k: pytest.fail("a connection was attempted"))
    leads.update_field(lead_id, "job_title", "Mathematician")
    assert team.status().waiting == 0, "nothing is captured any more"
    with pytest.raises(team.TeamError, match="no team is configured"):
        team.sync()
    with pytest.raises(team.TeamError, match="no team is configured"):
        team.leave()


def test_a_keyring_that_refuses_to_forget_leaves_the_team_as_it_was(db, ring, monkeypatch):
    from keyring.errors import KeyringError

    team.configure("postgresql://team.example.com/leads", "ann", "s3cret")
    Lead.create(first_name="Ada")

    def locked(*args):
        raise KeyringError("the keyring is locked")

    monkeypatch.setattr(ring, "delete_password", locked)
    with pytest.raises(team.TeamError, match="keyring would not forget the password: the keyring is locked"):
        team.leave()
    status = team.status()
    assert (status.configured, status.rep, status.waiting) == (True, "ann", 1)


@pytest.mark.postgres
def test_after_leaving_and_joining_again_the_file_converges_with_the_team(pg_cluster, tmp_path, ring):
    crew = Team(pg_cluster, tmp_path, reps=("ann", "bob"))
    ann, bob = crew.replica("ann"), crew.replica("bob")
    with ann.open():
        team.configure(crew.url, crew.role("ann"), crew.passwords["ann"])
        lead_id = Lead.create(id_lead="x1", first_name="Ada").id
        team.sync()
        team.leave()
        leads.update_field(lead_id, "job_title", "offline, not in a team")
    with bob.open():
        team.configure(crew.url, crew.role("bob"), crew.passwords["bob"])
        team.sync()
        leads.update_field(Lead.get(Lead.id_lead == "x1").id, "last_name", "Lovelace")
        team.sync()
    with ann.open():
        team.configure(crew.url, crew.role("ann"), crew.passwords["ann"])
        team.sync()
        lead = Lead.get_by_id(lead_id)
        assert (lead.last_name, Lead.select().count()) == ("Lovelace", 1)
