"""The team server's grants (what a rep's login role may do) and its connection options."""

import subprocess
import sys

import peewee as pw
import pytest

from app.db.models import Lead
from app.db.server.models import MODELS
from app.db.server.schema import connect_params, connect_server
from app.services.sync import replica, server
from tests.helpers.team import Team

TABLES = [model._meta.table_name for model in MODELS]


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


@pytest.mark.postgres
@pytest.mark.parametrize("rep", ["ann", "boss"])
def test_a_rep_or_manager_can_neither_read_nor_write_any_table(team, rep):
    db = team.connect(rep)
    try:
        for table in TABLES:
            assert _refused(db, f"SELECT * FROM {table} LIMIT 1"), table
            assert _refused(db, f"INSERT INTO {table} DEFAULT VALUES"), table
            assert _refused(db, f"UPDATE {table} SET {_column(db, table)} = NULL"), table
            assert _refused(db, f"DELETE FROM {table}"), table
            assert _refused(db, f"TRUNCATE {table}"), table
        assert _refused(db, "SELECT nextval('conflict_id_seq')")
    finally:
        db.close()


def _column(db, table: str) -> str:
    # The catalogue stays readable to everyone; the table's rows do not.
    return db.execute_sql("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum = 1",
                          (table,)).fetchone()[0]


@pytest.mark.postgres
def test_a_rep_pushes_and_pulls_through_the_functions(team):
    db = team.connect("ann")
    mutation = {"id": 1, "kind": "note", "lead": "00000000-0000-4000-8000-000000000001", "ref": None,
                "new": {"body": "x", "created_at": "2026-01-01"}, "at": "2026-01-01"}
    try:
        result = server.push(db, "client-a", 0, [mutation])
        assert (result.applied, result.skipped) == (0, 0), "a note on a lead the server lacks is dropped"
        assert server.pull(db, 0, 10) == []
    finally:
        db.close()


@pytest.mark.postgres
def test_a_rep_reads_the_snapshot_through_its_cursors_but_still_no_table(team, tmp_path):
    ann = team.replica("ann")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        Lead.create(first_name="Ada", email="ada@example.com")
    ann.sync()
    db = team.connect("ann")
    try:
        with server.snapshot(db) as snapshot:
            leads = [row for page in snapshot.pages("snapshot_lead") for row in page]
            assert snapshot.version == 1 and [row[0] for row in leads] == [1]
            for table in TABLES:  # in the very transaction that reads the snapshot
                with pytest.raises(pw.ProgrammingError, match="permission denied"):
                    with db.atomic():
                        db.execute_sql(f"SELECT * FROM {table} LIMIT 1")
        with pytest.raises(pw.ProgrammingError, match="REPEATABLE READ"):  # no snapshot a push could split
            with db.atomic():
                db.execute_sql("SELECT leaddesk_snapshot()")
    finally:
        db.close()


@pytest.mark.postgres
def test_the_sync_functions_run_as_the_owner_with_a_pinned_search_path_for_reps_only(team):
    outsider = f"outsider{team.number}"  # a login of the cluster, not in the rep group
    admin = team.admin()
    try:
        rows = admin.execute_sql(
            "SELECT p.proname, p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE'), "
            "has_function_privilege('leaddesk_rep', p.oid, 'EXECUTE') FROM pg_proc p "
            "WHERE p.proname LIKE 'leaddesk%%' ORDER BY p.proname").fetchall()
        admin.execute_sql(f"CREATE ROLE {outsider} LOGIN PASSWORD 'pw-{outsider}'")
        admin.execute_sql(f"GRANT USAGE ON SCHEMA public TO {outsider}")  # so it is EXECUTE that it lacks
    finally:
        admin.close()
    assert {"leaddesk_pull", "leaddesk_push", "leaddesk_reps", "leaddesk_snapshot"} <= {r[0] for r in rows}
    for _name, definer, config, public, reps in rows:
        assert definer and reps and not public
        assert "search_path=public, pg_temp" in config
    db = connect_server(team.url, user=outsider, password=f"pw-{outsider}")
    try:
        assert _refused(db, "SELECT * FROM leaddesk_pull(0, 10)")
        assert _refused(db, "SELECT leaddesk_snapshot()")
    finally:
        db.close()
        admin = team.admin()
        admin.execute_sql(f"DROP OWNED BY {outsider}")
        admin.execute_sql(f"DROP ROLE {outsider}")
        admin.close()


def test_tls_is_preferred_by_default(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert connect_params("postgresql://ann@team.example.com/leads")["sslmode"] == "prefer"


def test_the_urls_tls_mode_wins(monkeypatch):
    monkeypatch.delenv("PGSSLMODE", raising=False)
    assert "sslmode" not in connect_params("postgresql://ann@team.example.com/leads?sslmode=verify-full")


def test_pgsslmode_wins(monkeypatch):
    monkeypatch.setenv("PGSSLMODE", "require")
    assert "sslmode" not in connect_params("postgresql://ann@team.example.com/leads")


@pytest.mark.postgres
def test_a_rep_cannot_spoil_another_reps_retries_with_its_client_id(team):
    note = {"id": 1, "kind": "note", "lead": "00000000-0000-4000-8000-000000000001", "ref": None,
            "new": {"body": "x", "created_at": "2026-01-01"}, "at": "2026-01-01"}
    for rep in ("boss", "ann"):  # boss pushes first, with the client id ann's changes show in every pull
        db = team.connect(rep)
        try:
            assert server.push(db, "ann-laptop", 0, [note]).skipped == 0, rep
        finally:
            db.close()


def test_peewee_has_psycopg_3_once_the_team_code_is_imported():
    """The app imports peewee with psycopg hidden (start-up is faster without it); importing the team code
    gives peewee psycopg 3 as its own import would have. In a fresh interpreter, as the app starts."""
    code = ("import sys, app.db.connection, peewee; assert 'psycopg' not in sys.modules and peewee.psycopg is None;"
            " import app.db.server, psycopg.types.json; from psycopg.pq import TransactionStatus;"
            " db = peewee.PostgresqlDatabase('leaddesk', prefer_psycopg3=True); db._adapter.check_driver();"
            " assert isinstance(db._adapter, peewee.Psycopg3Adapter), db._adapter;"
            " assert db._adapter.json_type is psycopg.types.json.Json and db._adapter.jsonb_type is psycopg.types.json.Jsonb;"
            " assert db._adapter.txn_inerror is TransactionStatus.INERROR")
    subprocess.run([sys.executable, "-c", code], check=True)
