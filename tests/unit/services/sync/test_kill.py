"""A push cut off by kill -9 of the pushing process: the retry never applies twice, nothing is lost."""

import pytest

from app.db.connection import database
from app.db.models import Lead
from app.services import leads
from app.services.sync import replica
from tests.helpers.team import Team

pytestmark = pytest.mark.postgres


def _server(team, sql: str):
    admin = team.admin()
    try:
        return admin.execute_sql(sql).fetchall()
    finally:
        admin.close()


@pytest.mark.parametrize("mode", ["open", "committed"])
def test_a_push_killed_mid_way_is_retried_once(pg_cluster, tmp_path, mode):
    team = Team(pg_cluster, tmp_path, reps=("ann",))
    ann = team.replica("ann")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        lead_id = Lead.create(first_name="Ada", email="ada@example.com").id
        leads.update_field(lead_id, "job_title", "Countess")
        leads.add_note(lead_id, "first computer program")
        queued = replica.waiting()
    ann.kill_mid_sync(mode)
    with ann.open():
        assert replica.waiting() == queued, "nothing was acknowledged, so nothing left the outbox"
    applied = _server(team, "SELECT count(*) FROM change")[0][0]
    assert applied == (0 if mode == "open" else queued)
    report = ann.sync()
    assert (report.pushed, report.already_applied) == ((queued, 0) if mode == "open" else (0, queued))
    with ann.open():
        assert replica.waiting() == 0
        assert database.execute_sql("SELECT job_title FROM lead").fetchone()[0] == "Countess"
    versions = [v for (v,) in _server(team, "SELECT version FROM change ORDER BY version")]
    assert versions == list(range(1, queued + 1)), "each change once, gap-free"
    assert _server(team, "SELECT job_title FROM lead") == [("Countess",)]
    assert _server(team, "SELECT count(*) FROM note") == [(1,)]
