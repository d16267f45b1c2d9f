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
