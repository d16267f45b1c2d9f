"""A team for the sync tests: a fresh team database on the throwaway cluster, reps, and replicas."""

import itertools
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.db.connection import close_database, database, open_database
from app.db.schema_v4 import SYNCED_LEAD_FIELDS
from app.db.server.schema import add_rep, connect_server, init_schema

_numbers = itertools.count(1)
_COLUMNS = ", ".join(SYNCED_LEAD_FIELDS)


def local_state():
    """The open replica's synced lead fields and tags, by uid (what must equal the server's)."""
    rows = database.execute_sql(f"SELECT uid, {_COLUMNS} FROM lead ORDER BY uid").fetchall()
    tags = database.execute_sql("SELECT l.uid, lower(t.name) FROM lead_tag lt JOIN lead l ON l.id = lt.lead_id "
                                "JOIN tag t ON t.id = lt.tag_id").fetchall()
    return [tuple(r) for r in rows], sorted(map(tuple, tags))


def server_state(db):
    """The team server's synced lead fields and tags, by uid."""
    rows = db.execute_sql(f"SELECT uid::text, {_COLUMNS} FROM lead ORDER BY uid::text").fetchall()
    tags = db.execute_sql("SELECT lt.lead_uid::text, lower(t.name) FROM lead_tag lt JOIN tag t ON t.uid = lt.tag_uid"
                          ).fetchall()
    return [tuple(r) for r in rows], sorted(map(tuple, tags))


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

    def sync(self):
        from app.services.sync import engine, replica

        with self.open():
            replica.enable(self.team.url, self.team.role(self.rep))
            server = self.team.connect(self.rep)
            try:
                return engine.sync(server)
            finally:
                server.close()


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
