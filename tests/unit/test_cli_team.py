"""`leaddesk team init|add-rep|login` and `leaddesk sync` against the throwaway cluster."""

import io

import pytest

from app.db.connection import close_database, database, open_database
from app.db.models import Lead
from app.db.server.schema import SERVER_SCHEMA_VERSION
from app.main import main
from app.services import team as team_service

pytestmark = pytest.mark.postgres


def test_admin_sets_up_reps_join_and_sync(pg_cluster, tmp_path, capsys, monkeypatch, ring):
    admin_url = pg_cluster.create_database("clitest")
    monkeypatch.setenv("PGPASSWORD", pg_cluster.password)  # the admin's password, as libpq reads it
    assert main(["team", "init", "--server", admin_url]) == 0
    assert f"created: version {SERVER_SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["team", "init", "--server", admin_url]) == 0
    assert "up to date" in capsys.readouterr().out
    passwords = {}
    for rep in ("dana", "eli"):
        assert main(["team", "add-rep", rep, "--server", admin_url]) == 0
        passwords[rep] = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
    monkeypatch.delenv("PGPASSWORD")

    server = admin_url.replace(f"{pg_cluster.superuser}@", "")
    dbs = {rep: tmp_path / f"{rep}.db" for rep in passwords}
    open_database(dbs["dana"])
    Lead.create(id_lead="x1", first_name="Ada", email="ada@example.com")
    close_database()
    for rep in passwords:
        monkeypatch.setattr("sys.stdin", io.StringIO(passwords[rep] + "\n"))
        assert main(["team", "login", "--server", server, "--rep", rep, "--db", str(dbs[rep])]) == 0
    assert "1 changes to push" in capsys.readouterr().out

    assert main(["sync", "--server", server, "--rep", "dana", "--db", str(dbs["dana"])]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:5] == ["pushed: 1", "pulled: 0", "merged: 0", "conflicts: 0", "duplicates merged: 0"]
    assert main(["sync", "--server", server, "--rep", "eli", "--db", str(dbs["eli"])]) == 0
    assert "pulled: 1" in capsys.readouterr().out
    open_database(dbs["eli"])
    try:
        assert [lead.first_name for lead in Lead.select()] == ["Ada"]
        stored = database.execute_sql("SELECT group_concat(quote(server) || quote(rep)) FROM sync_state").fetchone()[0]
        assert passwords["eli"] not in stored
        assert team_service.status().waiting == 0
    finally:
        close_database()
    assert all(p not in str(dbs[r].read_bytes()) for r, p in passwords.items()), "no password in the file"


def test_sync_without_a_saved_password_says_how_to_log_in(pg_cluster, tmp_path, capsys, ring):
    assert main(["sync", "--server", "postgresql:///nowhere", "--rep", "zoe", "--db", str(tmp_path / "z.db")]) == 1
    assert "leaddesk team login" in capsys.readouterr().err


def test_a_manager_reassigns_a_campaigns_leads_a_rep_may_not(pg_cluster, tmp_path, capsys, ring):
    from app.db.models import Campaign, Membership
    from tests.helpers.team import Team

    team = Team(pg_cluster, tmp_path, reps=("ann", "bob"), managers=("boss",))
    paths = {rep: tmp_path / f"{rep}.db" for rep in ("ann", "boss")}
    open_database(paths["boss"])
    try:
        team_service.configure(team.url, team.role("boss"), team.passwords["boss"])
        fair = Campaign.create(name="Fair")
        for name in ("Ada", "Grace"):
            Membership.create(campaign=fair, lead=Lead.create(first_name=name))
        Lead.create(first_name="Linus")
        team_service.sync()
    finally:
        close_database()
    args = ["team", "reassign", "--server", team.url, "--owner", team.role("bob"), "--campaign", "Fair"]
    assert main([*args, "--rep", team.role("boss"), "--db", str(paths["boss"])]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [f"reassigned to {team.role('bob')}: 2", "pushed: 2"]
    with team.admin() as admin:
        owners = admin.execute_sql("SELECT first_name, owner FROM lead ORDER BY first_name").fetchall()
    assert owners == [("Ada", team.role("bob")), ("Grace", team.role("bob")), ("Linus", team.role("boss"))]

    open_database(paths["ann"])
    try:
        team_service.configure(team.url, team.role("ann"), team.passwords["ann"])
    finally:
        close_database()
    assert main(["team", "reassign", "--server", team.url, "--rep", team.role("ann"), "--owner", team.role("ann"),
                 "--all", "--db", str(paths["ann"])]) == 1
    assert "only a manager may reassign owners" in capsys.readouterr().err
