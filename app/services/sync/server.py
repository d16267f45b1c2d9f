"""The team server's side of the protocol: push and pull, each one call of a server function.

Reps hold no rights on the team base's tables: ``leaddesk_push`` and ``leaddesk_pull`` (team schema
V2, ``app.db.server.schema_v2``; replaced in V3, ``schema_v3``) run as the schema owner and do the work there. A push is one
transaction: it locks the single ``sync_counter`` row, so pushes are serialized and every accepted
change gets the next version with no gaps; a mutation already recorded for (client id, mutation id)
is skipped, so a retry after a dropped connection never applies twice. Per field, a pushed change
whose base is no longer the server's value, last written by another client, is a conflict: the
server keeps its value and returns mine / theirs / original. An empty replica's first sync reads
the whole team base at one version instead (``snapshot``, team schema V4, ``schema_v4``).
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import peewee as pw

_UNDEFINED_FUNCTION = "42883"
# psycopg's errors raised as peewee's (what execute_sql raises, and callers catch) where psycopg is used directly.
_AS_PEEWEE_ERRORS = pw.__exception_wrapper__


@dataclass
class PushResult:
    """What the server did with a push; ``uid_map`` maps the client's uids to the server's."""

    applied: int = 0
    skipped: int = 0  # already applied by an earlier attempt
    merged: int = 0  # field changes merged beside another rep's change to the same lead
    duplicates: int = 0  # pushed new leads merged into an existing lead
    conflicts: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    uid_map: dict[str, str] = field(default_factory=dict)
    version: int = 0


class TeamSchemaTooOldError(pw.ProgrammingError):
    """The team server predates the sync functions: its admin must run ``leaddesk team init``."""


def _call(db: pw.PostgresqlDatabase, sql: str, params: tuple):
    try:
        return db.execute_sql(sql, params)
    except pw.ProgrammingError as exc:
        # peewee raises its own error while handling psycopg's, which keeps the SQLSTATE.
        if getattr(exc.__context__, "sqlstate", None) == _UNDEFINED_FUNCTION:
            raise TeamSchemaTooOldError("the team server's schema is older than this LeadDesk: ask its admin to run "
                                        "`leaddesk team init --server URL`") from exc
        raise


def push(db: pw.PostgresqlDatabase, client_id: str, cursor: int, mutations: list[dict]) -> PushResult:
    """Apply ``mutations`` (dicts: id, kind, lead, field, ref, base, new, at) in one transaction."""
    with db.atomic():
        row = _call(db, "SELECT leaddesk_push(%s, %s, %s::jsonb)", (client_id, cursor, json.dumps(mutations))).fetchone()
    return PushResult(**row[0])


def reps(db: pw.PostgresqlDatabase) -> list[tuple[str, bool]]:
    """The team's reps, by name, and whether each is a manager (team schema V3, ``leaddesk_reps``)."""
    return [(name, bool(manager)) for name, manager in _call(db, "SELECT name, manager FROM leaddesk_reps()", ())]


def is_manager(db: pw.PostgresqlDatabase) -> bool:
    """Whether the connected rep is a manager; a server older than this LeadDesk fails here, before a push."""
    row = _call(db, "SELECT manager FROM leaddesk_reps() WHERE name = session_user", ()).fetchone()
    return bool(row and row[0])


def pull(db: pw.PostgresqlDatabase, cursor: int, limit: int) -> list[dict]:
    """The next page of changes above ``cursor``, in version order."""
    rows = _call(db, "SELECT version, kind, lead, field, ref, value, client_id, rep, at FROM leaddesk_pull(%s, %s)",
                 (cursor, limit)).fetchall()
    keys = ("version", "kind", "lead", "field", "ref", "value", "client_id", "rep", "at")
    return [{**dict(zip(keys, row)), "value": json.loads(row[5]) if row[5] is not None else None} for row in rows]


SNAPSHOT_PAGE = 20_000  # rows per FETCH


@dataclass
class Snapshot:
    """The team base at change-log ``version``, read from the cursors ``leaddesk_snapshot`` opened."""

    db: pw.PostgresqlDatabase
    version: int
    _first: dict[str, list[tuple]] = field(default_factory=dict)  # pages asked for ahead (``meanwhile``)

    def pages(self, cursor: str, size: int = SNAPSHOT_PAGE) -> Iterator[list[tuple]]:
        """The rows of one of ``schema_v4.SNAPSHOT_CURSORS``, ``size`` at a time.

        The next page's FETCH is sent (pipeline mode) before this one is handed over: the server works
        it out while the caller writes this one."""
        conn = self.db.connection()  # psycopg's own: peewee has no pipeline
        fetch = f"FETCH {int(size)} FROM {cursor}"
        rows = self._first.pop(cursor, None)
        with conn.pipeline():
            with _AS_PEEWEE_ERRORS:
                pending = conn.execute(fetch)
                if rows is None:
                    rows = pending.fetchall()
                    pending = conn.execute(fetch)
            while rows:
                yield rows
                with _AS_PEEWEE_ERRORS:
                    rows = pending.fetchall()
                    pending = conn.execute(fetch)

    @contextmanager
    def meanwhile(self, cursor: str) -> Iterator[None]:
        """The block runs while the server works out ``cursor``'s first page (in its own process, on the
        other core); ``pages`` then starts with it. The FETCH is sent in pipeline mode: not waited for."""
        conn = self.db.connection()  # psycopg's own: peewee has no pipeline
        with conn.pipeline():
            with _AS_PEEWEE_ERRORS:
                fetched = conn.execute(f"FETCH {SNAPSHOT_PAGE} FROM {cursor}")
            yield
            with _AS_PEEWEE_ERRORS:
                self._first[cursor] = fetched.fetchall()


@contextmanager
def snapshot(db: pw.PostgresqlDatabase) -> Iterator[Snapshot]:
    """The whole team base at one version, for the block (one REPEATABLE READ transaction)."""
    with db.atomic():
        db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        version = _call(db, "SELECT leaddesk_snapshot()", ()).fetchone()[0]
        yield Snapshot(db, version)
