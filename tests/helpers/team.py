"""A team for the sync tests: a fresh team database on the throwaway cluster, reps, and replicas."""

import itertools
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.db.connection import close_database, database, open_database
from app.db.schema_v4 import SYNCED_LEAD_FIELDS
from app.db.server.schema import add_rep, connect_server, init_schema

ROOT = Path(__file__).resolve().parents[2]
_numbers = itertools.count(1)
_COLUMNS = ", ".join(SYNCED_LEAD_FIELDS)


def local_state(links: bool = False):
    """The open replica's synced lead fields and tags, by uid (what must equal the server's).

    ``links``: also its campaign memberships and notes.
    """
    rows = database.execute_sql(f"SELECT uid, {_COLUMNS} FROM lead ORDER BY uid").fetchall()
    tags = database.execute_sql("SELECT l.uid, lower(t.name) FROM lead_tag lt JOIN lead l ON l.id = lt.lead_id "
                                "JOIN tag t ON t.id = lt.tag_id").fetchall()
    state = [tuple(r) for r in rows], sorted(map(tuple, tags))
    if links:
        members = database.execute_sql("SELECT l.uid, lower(c.name) FROM membership m JOIN lead l ON l.id = m.lead_id "
                                       "JOIN campaign c ON c.id = m.campaign_id").fetchall()
        notes = database.execute_sql("SELECT l.uid, n.body FROM note n JOIN lead l ON l.id = n.lead_id").fetchall()
        state += sorted(map(tuple, members)), sorted(map(tuple, notes))
    return state


def server_state(db, links: bool = False):
    """The team server's synced lead fields and tags (``links``: memberships and notes too), by uid."""
    rows = db.execute_sql(f"SELECT uid::text, {_COLUMNS} FROM lead ORDER BY uid::text").fetchall()
    tags = db.execute_sql("SELECT lt.lead_uid::text, lower(t.name) FROM lead_tag lt JOIN tag t ON t.uid = lt.tag_uid"
                          ).fetchall()
    state = [tuple(r) for r in rows], sorted(map(tuple, tags))
    if links:
        members = db.execute_sql("SELECT m.lead_uid::text, lower(c.name) FROM membership m "
                                 "JOIN campaign c ON c.uid = m.campaign_uid").fetchall()
        notes = db.execute_sql("SELECT lead_uid::text, body FROM note").fetchall()
        state += sorted(map(tuple, members)), sorted(map(tuple, notes))
    return state


@dataclass
class Replica:
    """One rep's laptop: a LeadDesk SQLite file, synced as ``rep``."""

    team: "Team"
    rep: str
    path: Path

    @contextmanager
    def open(self):
        """The app's database, opened on this replica's file for the block."""
        open_database(self.path)
        try:
            yield database
        finally:
            close_database()

    def sync(self, drop_before: int | None = None):
        """Push and pull, as the rep; ``drop_before``: the server drops the connection just before
        the sync's statement number ``drop_before`` (an admin's ``pg_terminate_backend``), so the sync
        fails there as on a lost network (a sync with fewer statements is not disturbed)."""
        from app.services.sync import engine, replica

        with self.open():
            replica.enable(self.team.url, self.team.role(self.rep))
            server = self.team.connect(self.rep)
            if drop_before is not None:
                self.team.drop_before(server, drop_before)
            try:
                return engine.sync(server)
            finally:
                server.close()

    def kill_mid_sync(self, mode: str) -> None:
        """A sync in a child process, killed -9 where ``mode`` says (``sync_child.py``: "open" or
        "committed" mid-push, "snapshot" mid-way through a first sync's load)."""
        env = dict(os.environ, PYTHONPATH=str(ROOT), PGPASSWORD=self.team.passwords[self.rep])
        proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "helpers" / "sync_child.py"), mode,
                                 str(self.path), self.team.url, self.team.role(self.rep)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        try:
            line = proc.stdout.readline().strip()
            assert line == mode, proc.stderr.read()
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()


class Team:
    """A team database with reps (passwords kept here, as a test stands in for the keyring)."""

    def __init__(self, cluster, tmp_path: Path, reps=("ann", "bob", "cy"), managers=()):
        self.cluster, self.tmp_path = cluster, tmp_path
        number = next(_numbers)
        self.url = cluster.create_database(f"team{number}")
        self.passwords = {}
        admin = connect_server(self.url, password=cluster.password)
        try:
            init_schema(admin)
            for rep in (*reps, *managers):
                name = f"{rep}{number}"
                self.passwords[rep] = f"pw-{name}"
                add_rep(admin, name, self.passwords[rep], manager=rep in managers)
        finally:
            admin.close()
        self.number = number
        self.url = self.url.replace(f"{cluster.superuser}@", "")

    def role(self, rep: str) -> str:
        return f"{rep}{self.number}"

    def connect(self, rep: str):
        return connect_server(self.url, user=self.role(rep), password=self.passwords[rep])

    def admin(self):
        return connect_server(self.url, user=self.cluster.superuser, password=self.cluster.password)

    def drop_before(self, server, statement: int) -> None:
        """Make the team server terminate ``server``'s backend just before its ``statement``-th statement."""
        pid = server.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        count = itertools.count(1)
        execute = server.execute_sql

        def execute_or_drop(sql, params=None, *args, **kwargs):
            if next(count) == statement:
                with self.cluster.connect(f"team{self.number}", autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,))
            return execute(sql, params, *args, **kwargs)

        server.execute_sql = execute_or_drop

    def replica(self, rep: str, name: str | None = None) -> Replica:
        return Replica(self, rep, self.tmp_path / f"{name or rep}.db")


def memory_keyring():
    """A real keyring backend that keeps passwords in memory: install with keyring.set_keyring."""
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.passwords = {}

        def get_password(self, service, username):
            return self.passwords.get((service, username))

        def set_password(self, service, username, password):
            self.passwords[(service, username)] = password

        def delete_password(self, service, username):
            self.passwords.pop((service, username), None)

    return MemoryKeyring()
