"""Creating and upgrading the team server's schema, and the reps' login roles.

Migrations are keyed by the ``team_schema_version`` table: position i brings a server from version
i to i + 1. Reps are PostgreSQL login roles in the ``leaddesk_rep`` group (managers: also
``leaddesk_manager``). Since V2 the group may only execute the sync functions (``schema_v2``); V1
granted it the tables themselves and stays as written for the servers it set up. V3
(``schema_v3``) replaces the push (note moves, a refused purge's lead sent back) and lists the reps;
V4 (``schema_v4``) hands an empty replica the whole team base at one version.
"""

import os
import re

import peewee as pw
from psycopg.conninfo import conninfo_to_dict

from app.db.server.models import MODELS, TeamRep, TeamSchemaVersion, server_database
from app.db.server.schema_v2 import V2_SYNC_FUNCTIONS
from app.db.server.schema_v3 import V3_NOTE_MOVE
from app.db.server.schema_v4 import V4_SNAPSHOT

REP_ROLE = "leaddesk_rep"
MANAGER_ROLE = "leaddesk_manager"
_ROLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

# The server refuses a second live lead with the same id_lead, e-mail (any case) or LinkedIn URL.
_V1_SQL = [
    "CREATE UNIQUE INDEX lead_live_id_lead ON lead (id_lead) WHERE deleted_at IS NULL AND id_lead IS NOT NULL",
    "CREATE UNIQUE INDEX lead_live_email ON lead (lower(email)) WHERE deleted_at IS NULL AND email <> ''",
    "CREATE UNIQUE INDEX lead_live_linkedin ON lead (linkedin_norm) WHERE deleted_at IS NULL AND linkedin_norm <> ''",
    "CREATE UNIQUE INDEX campaign_name ON campaign (lower(name))",
    "CREATE UNIQUE INDEX tag_name ON tag (lower(name))",
    "CREATE INDEX lead_owner ON lead (owner)",
    "INSERT INTO sync_counter (id, version) VALUES (1, 0)",
    f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{REP_ROLE}') THEN "
    f"CREATE ROLE {REP_ROLE} NOLOGIN; END IF; IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{MANAGER_ROLE}') "
    f"THEN CREATE ROLE {MANAGER_ROLE} NOLOGIN IN ROLE {REP_ROLE}; END IF; END $$",
    "REVOKE ALL ON SCHEMA public FROM PUBLIC",
    f"GRANT USAGE ON SCHEMA public TO {REP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {REP_ROLE}",
    f"REVOKE INSERT, UPDATE, DELETE ON team_rep, team_schema_version FROM {REP_ROLE}",
    f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {REP_ROLE}",
]


def _v1(db: pw.Database) -> None:
    db.create_tables(MODELS)
    for sql in _V1_SQL:
        db.execute_sql(sql)


def _functions(statements: list[str]):
    def migrate(db: pw.Database) -> None:
        conn = db.connection()  # psycopg itself: without parameters it leaves format()'s % alone
        for sql in statements:
            conn.execute(sql)

    return migrate


_v2 = _functions(V2_SYNC_FUNCTIONS)
_v3_note_move = _functions(V3_NOTE_MOVE)
_v4_snapshot = _functions(V4_SNAPSHOT)

SERVER_MIGRATIONS = [_v1, _v2, _v3_note_move, _v4_snapshot]
SERVER_SCHEMA_VERSION = len(SERVER_MIGRATIONS)


def connect_server(url: str, user: str | None = None, password: str | None = None) -> pw.PostgresqlDatabase:
    """Open the team server (TLS when the server offers it) and bind the server models to it."""
    params = connect_params(url)
    if user:
        params["user"] = user
    if password is not None:
        params["password"] = password
    db = pw.PostgresqlDatabase(url, prefer_psycopg3=True, autoconnect=False, **params)
    db.connect()
    server_database.initialize(db)
    return db


def connect_params(url: str) -> dict:
    """The connection options: TLS when offered (``sslmode=prefer``) unless the URL or PGSSLMODE asks for
    a stricter (or no) TLS mode; an explicit keyword would override what the URL says."""
    params = {"connect_timeout": 10}
    if "sslmode" not in conninfo_to_dict(url) and "PGSSLMODE" not in os.environ:
        params["sslmode"] = "prefer"
    return params


def server_version(db: pw.Database) -> int:
    if not db.table_exists("team_schema_version"):
        return 0
    return TeamSchemaVersion.select(pw.fn.MAX(TeamSchemaVersion.version)).scalar() or 0


class TeamSchemaTooNewError(RuntimeError):
    """The team server was set up by a newer LeadDesk."""


def init_schema(db: pw.Database) -> tuple[int, int]:
    """Create or upgrade the team schema in one transaction; returns (version before, version after)."""
    with db.atomic():
        # One admin at a time: a second `team init` waits here instead of racing the first.
        db.execute_sql("SELECT pg_advisory_xact_lock(4151515)")
        before = server_version(db)
        if before > SERVER_SCHEMA_VERSION:
            raise TeamSchemaTooNewError(f"the team server has schema {before}; this LeadDesk knows up to "
                                        f"{SERVER_SCHEMA_VERSION}")
        for number, migration in enumerate(SERVER_MIGRATIONS[before:], start=before + 1):
            migration(db)
            TeamSchemaVersion.create(version=number)
    return before, SERVER_SCHEMA_VERSION


def add_rep(db: pw.Database, name: str, password: str, manager: bool = False) -> None:
    """Create the rep's login role (in the rep group; managers also in the manager group)."""
    if not _ROLE_NAME.match(name):
        raise ValueError(f"“{name}” cannot be a rep name: use lower-case letters, digits and _ (start with a letter)")
    groups = f"{REP_ROLE}, {MANAGER_ROLE}" if manager else REP_ROLE
    with db.atomic():
        # A role name cannot be a bound parameter; the regex above makes it a safe identifier.
        db.execute_sql(f'CREATE ROLE "{name}" LOGIN IN ROLE {groups}')
        # ALTER ROLE ... PASSWORD takes a literal only; psycopg quotes it.
        from psycopg import sql

        conn = db.connection()
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
        TeamRep.insert(name=name, manager=manager).execute()

