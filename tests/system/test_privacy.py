"""Privacy: owner-only files, no network, and leads deleted for good leave no trace."""

import ast
import os
import socket
import stat
from pathlib import Path

import pytest

from app.db.connection import close_database, database
from app.db.models import ImportChange, ImportRun, Lead, LeadHistory, Note, utc_now

APP = Path(__file__).resolve().parents[2] / "app"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def desktop_umask():
    # The usual desktop umask, under which new files are world-readable unless created 0600.
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_database_and_its_wal_and_shm_are_owner_only(desktop_umask, db, db_path):
    with database.atomic():
        Lead.create(first_name="Ada")
    for suffix in ("", "-wal", "-shm"):
        assert _mode(f"{db_path}{suffix}") == 0o600, suffix


def test_everything_in_the_data_folder_is_owner_only(desktop_umask):
    from app.paths import data_dir, default_database_path
    from app.services import backups

    backups.check_and_open(default_database_path())  # database, marker, daily backup and its state
    try:
        with database.atomic():
            Lead.create(first_name="Ada")
        backups.create_backup()
        backups.check_and_back_up()
        paths = [data_dir(), *data_dir().rglob("*")]
        assert any(p.parent.name == "backups" and p.suffix == ".db" for p in paths)
        wrong = [f"{p.relative_to(data_dir())}: {oct(_mode(p))}" for p in paths
                 if _mode(p) != (0o700 if p.is_dir() else 0o600)]
        assert wrong == []
    finally:
        close_database()


def test_log_files_are_owner_only(desktop_umask):
    from app import logs

    path = logs.setup_logging()
    try:
        logs.log.warning("privacy test")
        assert _mode(path.parent) == 0o700
        assert _mode(path) == 0o600
    finally:
        for handler in list(logs.log.handlers):
            logs.log.removeHandler(handler)
            handler.close()


def test_exported_files_are_owner_only(desktop_umask, db, tmp_path):
    from app.services import exporting

    with database.atomic():
        Lead.create(first_name="Ada", email="ada@example.com")
    target = tmp_path / "leads.csv"
    assert exporting.export_leads(target) == 1
    assert _mode(target) == 0o600


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_suite_blocks_network_connections():
    # pytest-socket guards the whole suite: any code path that tried the network would fail here.
    from pytest_socket import SocketBlockedError

    with pytest.raises(SocketBlockedError):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.connect(("127.0.0.1", 9))


NETWORK_MODULES = ("socket", "ssl", "urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib",
                   "telnetlib", "xmlrpc", "websocket", "PySide6.QtNetwork", "PySide6.QtWebEngineCore")
# URL parsing makes no connection; QLocalServer/QLocalSocket are a local pipe (single instance).
ALLOWED = ("urllib.parse", "PySide6.QtNetwork.QLocalServer", "PySide6.QtNetwork.QLocalSocket")


def _is(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_app_never_imports_a_network_module():
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{a.name}" for a in node.names]
            offenders += [f"{path.relative_to(APP)}: {n}" for n in names
                          if _is(n, NETWORK_MODULES) and not _is(n, ALLOWED)]
    assert offenders == []


def test_starting_the_window_loads_no_team_server_code():
    """The team server's client code and its driver load when a team syncs: never for a rep without a team,
    never at start-up (importing psycopg alone took 130-420 ms)."""
    import subprocess
    import sys

    code = ("import sys, app.ui.shell.main_window, app.services.importing;"
            " print(sorted(m for m in sys.modules if m.startswith(('app.db.server', 'psycopg'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout
    assert out.strip() == "[]"


# A canary whose words (and their index fragments) appear nowhere else in the test data.
CANARY = "Zqjxkvw Quzzbine"
CANARY_EMAIL = "zqjxkvw.quzzbine@canary.example"


def _index_fragments(text: str) -> set[bytes]:
    # The FTS index stores lower-case words, each prefix-compressed against the word before it: no
    # other word starts with the canary's first three letters, so each word's tail after them is stored.
    return {word[3:].encode() for word in text.lower().split()}


def _file_bytes(db_path) -> bytes:
    return b"".join(Path(f"{db_path}{s}").read_bytes() for s in ("", "-wal") if Path(f"{db_path}{s}").exists())


def _seed(n: int = 300) -> int:
    now = utc_now()
    with database.atomic():
        Lead.insert_many(
            [{"first_name": f"Person{i}", "last_name": "Smith", "email": f"p{i}@example.com",
              "company_name": "Acme", "created_at": now, "updated_at": now} for i in range(n)]
        ).execute()
        canary = Lead.create(first_name=CANARY.split()[0], last_name=CANARY.split()[1], email=CANARY_EMAIL,
                             job_title=f"Head of {CANARY}", company_name="Acme")
        Note.create(lead=canary, body=f"Met {CANARY} at the fair")
        LeadHistory.create(lead=canary, source="edited here", field="job_title", old=CANARY, new="x")
        run = ImportRun.create(file_name="leads.csv", format="massprospecting")
        ImportChange.create(import_run=run, lead_id=canary.id, kind="updated", before=f'{{"job_title": "{CANARY}"}}')
    return canary.id


def test_lead_deleted_for_good_leaves_no_trace_in_file_wal_or_search_index(db, db_path):
    from app.services.trash import empty as empty_trash
    from app.services.trash import purge as purge_leads

    canary_id = _seed()
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    needles = {CANARY.encode(), CANARY_EMAIL.encode(), *_index_fragments(CANARY)}
    before = _file_bytes(db_path)
    assert all(n in before for n in (CANARY.encode(), CANARY_EMAIL.encode())), "the canary was stored"
    assert _index_fragments(CANARY) <= {n for n in needles if n in before}, "the search index holds its words"

    assert purge_leads([canary_id]) == 0, "a live lead is never purged"
    with database.atomic():
        Lead.update(deleted_at=utc_now()).where(Lead.id == canary_id).execute()
    assert empty_trash() == 1

    assert Lead.select().count() == 300
    remaining = _file_bytes(db_path)
    assert [n for n in needles if n in remaining] == []
    assert database.execute_sql("SELECT count(*) FROM lead_fts WHERE lead_fts MATCH 'zqjxkvw'").fetchone()[0] == 0
    # The survivors are still searchable after the index merge.
    assert database.execute_sql("SELECT count(*) FROM lead_fts WHERE lead_fts MATCH 'person1*'").fetchone()[0] == 111
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    close_database()
    assert [n for n in needles if n in _file_bytes(db_path)] == []


def test_purge_takes_children_and_import_records_with_it(db):
    from app.services.trash import purge as purge_leads

    canary_id = _seed(3)
    with database.atomic():
        Lead.update(deleted_at=utc_now()).where(Lead.id == canary_id).execute()
    assert purge_leads([canary_id]) == 1
    for model in (Note, LeadHistory):
        assert model.select().where(model.lead == canary_id).count() == 0
    assert ImportChange.select().where(ImportChange.lead_id == canary_id).count() == 0
    assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []



def test_review_decisions_export_is_owner_only(db, tmp_path):
    import stat

    from app.services import decisions, leads
    from tests.helpers.leadgen import add_lead

    lead_id = add_lead(id_lead="x1", first_name="Ann")
    leads.update_field(lead_id, "last_name", "Lee")
    out = tmp_path / "decisions.csv"
    assert decisions.export_review_decisions(out) == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_lead_deleted_for_good_leaves_no_trace_in_the_undo_snapshots(db, db_path):
    from app.db.connection import undo_store_path
    from app.services import leads, undo
    from app.services.trash import empty as empty_trash

    canary_id = _seed(20)
    undo.edit("Edit job title", canary_id, leads.update_field, canary_id, "job_title", "Buyer")  # snapshots it all
    with database.atomic():
        Lead.update(deleted_at=utc_now()).where(Lead.id == canary_id).execute()
    store = undo_store_path(db_path)
    assert CANARY.encode() in _file_bytes(store), "the snapshot held the canary"
    assert empty_trash() == 1
    assert [n for n in (CANARY.encode(), CANARY_EMAIL.encode()) if n in _file_bytes(store)] == []
