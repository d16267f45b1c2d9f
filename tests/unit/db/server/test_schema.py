"""The team server's grants (what a rep's login role may do) and its connection options."""

import peewee as pw
import pytest

from app.db.server.schema import connect_params
from tests.helpers.team import Team


@pytest.fixture
def team(pg_cluster, tmp_path):
    return Team(pg_cluster, tmp_path, reps=("ann",), managers=("boss",))


def _refused(db, sql: str) -> bool:
    try:
        with db.atomic():
            db.execute_sql(sql)
    except pw.ProgrammingError as exc:  # psycopg's InsufficientPrivilege
        return "permission denied" in str(exc)
    return False


@pytest.mark.postgres
def test_a_rep_cannot_add_reps_or_change_the_schema_version(team):
    db = team.connect("ann")
    try:
        assert _refused(db, "INSERT INTO team_rep (name, manager) VALUES ('mallory', true)")
        assert _refused(db, "UPDATE team_schema_version SET version = 99")
    finally:
        db.close()


@pytest.mark.postgres
def test_a_rep_cannot_update_the_leads_table_directly(team):
    db = team.connect("ann")
    try:
        assert _refused(db, "UPDATE lead SET owner = 'ann'")
    finally:
        db.close()


def test_tls_is_preferred_by_default(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert connect_params("postgresql://ann@team.example.com/leads")["sslmode"] == "prefer"


def test_the_urls_tls_mode_wins(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert "sslmode" not in connect_params("postgresql://ann@team.example.com/leads?sslmode=verify-full")


def test_pgsslmode_wins(monkeypatch):
    monkeypatch.setenv("PGSSLMODE", "require")
    assert "sslmode" not in connect_params("postgresql://ann@team.example.com/leads")
