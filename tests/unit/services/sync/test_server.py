"""The server keeps the owner a manager's import gave a new lead; a rep's new leads are the rep's own."""

import pytest

from app.db.connection import database
from app.services.importing import import_file
from app.services.owners import spread_new_leads
from app.services.sync import replica
from tests.helpers.team import Team

pytestmark = pytest.mark.postgres


def _server_owners(team) -> list[str]:
    admin = team.admin()
    try:
        return [r[0] for r in admin.execute_sql("SELECT owner FROM lead ORDER BY email").fetchall()]
    finally:
        admin.close()


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
