"""LeadDesk Team, for the window and the command line: configure, sync, status, conflicts.

The UI calls only these functions (no Qt here, no SQL there):

- ``configure(server, rep, password=None)``: join a team; saves the password in the OS keyring
  (never in the database or the log), turns change capture on and queues what the file holds.
- ``test_connection()`` -> the server's PostgreSQL version; raises ``TeamError`` in plain words.
- ``sync()`` -> ``SyncReport`` (pushed, pulled, merged, conflicts, duplicates merged). Blocking:
  run it on a worker thread with its own connection-free job (it opens and closes the server's).
- ``status()`` -> ``TeamStatus`` (configured, server, rep, waiting, conflicts, last synced) for the
  status-bar chip "Synced 2 min ago · 14 waiting · 1 conflict"; reads the local file only.
- ``conflicts()`` -> open ``ConflictInfo`` rows; ``resolve(conflict_id, "mine" | "theirs")``.
- ``reassign(lead_ids, owner)`` -> (leads changed, ``SyncReport``): a manager gives leads to another
  rep and syncs; ``TeamError`` before anything changes when the joined rep is not a manager.
- ``reps()`` -> the team's reps (``RepInfo``: name, manager), from the server: the window's "Assign
  owner…" lists them. Blocking, like ``sync()``.
- ``leave()``: switch sync off for this file: forgets the server, the rep and the keyring password,
  keeps every lead; returns how many unsynced changes were dropped (``status().waiting`` says how
  many would be, before asking).

With no team configured nothing here opens a socket: ``status()`` and ``conflicts()`` read the
local file, and ``sync()`` refuses before connecting.
"""

import threading
from dataclasses import dataclass

from app.db.connection import database
from app.db.models import Lead, SyncConflict, utc_now
from app.services import owners
from app.services.sync import replica
from app.services.sync.engine import SyncReport
from app.services.sync.engine import sync as _sync

KEYRING_SERVICE = "LeadDesk Team"
# Leaving waits for a sync in flight (the chip's, on its worker) instead of switching sync off under it.
_syncing = threading.Lock()


class TeamError(RuntimeError):
    """A team problem worth one plain sentence (not configured, no password, server unreachable)."""


@dataclass(frozen=True)
class TeamStatus:
    configured: bool
    server: str | None
    rep: str | None
    waiting: int
    conflicts: int
    last_synced_at: str | None


@dataclass(frozen=True)
class ConflictInfo:
    """A field the server kept at another rep's value: what I typed, what they typed, what it was."""

    id: int
    lead_id: int | None
    lead_uid: str
    lead_name: str
    field: str
    mine: object
    theirs: object
    original: object
    theirs_rep: str | None
    theirs_at: str | None


@dataclass(frozen=True)
class RepInfo:
    """A rep of the team, as the server lists it."""

    name: str
    manager: bool


def _account(server: str, rep: str) -> str:
    return f"{rep}@{server}"


def save_password(server: str, rep: str, password: str) -> None:
    import keyring  # late: only a rep who joins a team needs the OS keyring

    keyring.set_password(KEYRING_SERVICE, _account(server, rep), password)


def _password(server: str, rep: str) -> str:
    import keyring

    password = keyring.get_password(KEYRING_SERVICE, _account(server, rep))
    if password is None:
        raise TeamError(f"no password saved for {rep} on {server}: run `leaddesk team login --server {server} "
                        f"--rep {rep}`")
    return password


def forget_password(server: str, rep: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, _account(server, rep))
    except PasswordDeleteError:
        pass  # nothing saved (the CLI's `sync` never asked for one): nothing to forget
    except KeyringError as exc:
        raise TeamError(f"the system keyring would not forget the password: {exc}") from exc


def configure(server: str, rep: str, password: str | None = None) -> int:
    """Join the team (idempotent); returns how many local changes were queued for the first push."""
    if password is not None:
        save_password(server, rep, password)
    return replica.enable(server, rep)


def leave() -> int:
    """Leave the team: no more sync from this file; every lead stays here. Returns unsynced changes dropped.

    The password goes first: should the keyring refuse, nothing has changed yet.
    """
    with _syncing:
        st = _state()
        forget_password(st["server"], st["rep"])
        return replica.disable()


def _state() -> dict:
    st = replica.state()
    if not st["enabled"]:
        raise TeamError("no team is configured for this database")
    return st


def connect(server: str, rep: str):
    """The team server, as ``rep``, with the keyring's password (TLS when the server offers it)."""
    return _connect_with(server, rep, _password(server, rep))


def _connect_with(server: str, rep: str, password: str):
    import peewee

    from app.db.server.schema import connect_server

    try:
        return connect_server(server, user=rep, password=password)
    except peewee.OperationalError as exc:
        # libpq's message names the host and the reason; it never contains the password.
        raise TeamError(f"cannot reach the team server: {str(exc).strip().splitlines()[-1]}") from exc


def test_connection(server: str | None = None, rep: str | None = None, password: str | None = None) -> str:
    """The server's version, as the joined rep or as ``rep`` with ``password`` (the Team dialog, before joining)."""
    if server is None or rep is None:
        st = _state()
        server, rep = st["server"], st["rep"]
    if password is None:
        db = connect(server, rep)
    else:
        db = _connect_with(server, rep, password)
    try:
        return db.execute_sql("SELECT current_setting('server_version')").fetchone()[0]
    finally:
        db.close()


def sync() -> SyncReport:
    """Push, then pull; the local database must be open."""
    with _syncing:
        st = _state()
        db = connect(st["server"], st["rep"])
        try:
            return _sync(db)
        finally:
            db.close()


def reps() -> list[RepInfo]:
    """The team's reps, by name, from the server (the joined rep's login)."""
    from app.services.sync import server

    st = _state()
    db = connect(st["server"], st["rep"])
    try:
        return [RepInfo(name, manager) for name, manager in server.reps(db)]
    finally:
        db.close()


def reassign(lead_ids, owner: str) -> tuple[int, SyncReport]:
    """Give the leads to ``owner`` (a manager's right, checked on the server first), then sync."""
    from app.db.server.schema import MANAGER_ROLE

    with _syncing:
        st = _state()
        db = connect(st["server"], st["rep"])
        try:
            if not db.execute_sql("SELECT pg_has_role(session_user, %s, 'MEMBER')", (MANAGER_ROLE,)).fetchone()[0]:
                raise TeamError(f"{st['rep']} is not a manager: only a manager may reassign owners")
            changed = owners.reassign_owner(lead_ids, owner)
            return changed, _sync(db)
        finally:
            db.close()


def status() -> TeamStatus:
    st = replica.state()
    open_conflicts = SyncConflict.select().where(SyncConflict.resolved_at.is_null()).count()
    return TeamStatus(bool(st["enabled"]), st["server"], st["rep"], replica.waiting(), open_conflicts,
                      st["last_synced_at"])


def conflicts() -> list[ConflictInfo]:
    rows = database.execute_sql(
        "SELECT c.id, l.id, c.lead_uid, trim(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')), c.field, "
        "c.mine, c.theirs, c.original, c.theirs_rep, c.theirs_at FROM sync_conflict c LEFT JOIN lead l "
        "ON l.uid = c.lead_uid WHERE c.resolved_at IS NULL ORDER BY c.id").fetchall()
    return [ConflictInfo(*row) for row in rows]


def resolve(conflict_id: int, choice: str) -> None:
    """Keep theirs (the server's value, already here) or mine (written as a new edit, pushed next sync)."""
    if choice not in ("mine", "theirs"):
        raise ValueError("choose 'mine' or 'theirs'")
    with database.atomic():
        conflict = SyncConflict.get_by_id(conflict_id)
        if choice == "mine":
            # An ordinary edit: the capture trigger queues it with the server's value as its base.
            Lead.update({conflict.field: conflict.mine, Lead.updated_at: utc_now()}).where(
                Lead.uid == conflict.lead_uid).execute()
        SyncConflict.update(resolved_at=utc_now(), resolution=choice).where(SyncConflict.id == conflict_id).execute()

