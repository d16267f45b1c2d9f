"""Team commands: ``leaddesk team init|add-rep|login|reassign`` and ``leaddesk sync``.

Passwords come from the OS keyring (``leaddesk team login`` saves one) or, for the admin's
commands, from libpq's own sources (PGPASSWORD, ~/.pgpass); they are never printed or logged,
except the new rep's password that ``add-rep`` prints once for the admin to hand over.
"""

import getpass
import secrets
import sys

import peewee

from app.services.team import TeamError

_ERRORS = (TeamError, peewee.OperationalError, peewee.ProgrammingError, peewee.IntegrityError, ValueError)


def add_commands(subparsers, add_db_option) -> None:
    team = subparsers.add_parser("team", help="set up or join a LeadDesk Team server (PostgreSQL)")
    commands = team.add_subparsers(dest="team_command", metavar="COMMAND", required=True)
    parser = commands.add_parser("init", help="create or upgrade the team schema (an admin runs it once)")
    parser.add_argument("--server", required=True, help="postgresql:// URL of the team database, as its owner")
    parser.set_defaults(run=run_init)
    parser = commands.add_parser("add-rep", help="create a rep's login; prints the password once")
    parser.add_argument("name")
    parser.add_argument("--manager", action="store_true", help="may reassign owners and delete any lead")
    parser.add_argument("--server", required=True, help="postgresql:// URL of the team database, as its owner")
    parser.set_defaults(run=run_add_rep)
    parser = commands.add_parser("login", help="save a rep's password in the OS keyring and join the team")
    parser.add_argument("--server", required=True)
    parser.add_argument("--rep", required=True)
    add_db_option(parser)
    parser.set_defaults(run=run_login)

    parser = commands.add_parser("reassign", help="give leads to another rep (a manager's right), then sync")
    parser.add_argument("--server", required=True, help="postgresql:// URL of the team database")
    parser.add_argument("--rep", required=True, help="your rep name, a manager (its password is in the OS keyring)")
    parser.add_argument("--owner", required=True, help="the rep who gets the leads")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--campaign", metavar="NAME", help="the leads of this campaign")
    which.add_argument("--from", dest="from_rep", metavar="REP", help="the leads this rep owns")
    which.add_argument("--all", action="store_true", help="every lead")
    add_db_option(parser)
    parser.set_defaults(run=run_reassign)

    parser = subparsers.add_parser("sync", help="push this database's changes to the team server, then pull")
    parser.add_argument("--server", required=True, help="postgresql:// URL of the team database")
    parser.add_argument("--rep", required=True, help="your rep name (its password is in the OS keyring)")
    add_db_option(parser)
    parser.set_defaults(run=run_sync)


def _fail(exc: Exception) -> int:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    print(f"leaddesk: {message}", file=sys.stderr)
    return 1


def _admin(server: str):
    from app.db.server.schema import connect_server

    try:
        return connect_server(server)
    except peewee.OperationalError as exc:
        raise TeamError(f"cannot reach the team server: {str(exc).strip().splitlines()[-1]}") from exc


def run_init(args) -> int:
    from app.db.server.schema import init_schema

    try:
        db = _admin(args.server)
        try:
            before, after = init_schema(db)
        finally:
            db.close()
    except (*_ERRORS, RuntimeError) as exc:
        return _fail(exc)
    print(f"team schema {'created' if before == 0 else 'upgraded' if before < after else 'up to date'}: "
          f"version {after}")
    return 0


def run_add_rep(args) -> int:
    from app.db.server.schema import add_rep

    password = secrets.token_urlsafe(18)
    try:
        db = _admin(args.server)
        try:
            add_rep(db, args.name, password, manager=args.manager)
        finally:
            db.close()
    except _ERRORS as exc:
        return _fail(exc)
    print(f"{'manager' if args.manager else 'rep'} {args.name} added; password (shown once): {password}")
    return 0


def _with_database(args, work) -> int:
    from app.cli import _database
    from app.db.connection import close_database, open_database

    try:
        open_database(_database(args))
        lines = work()
    except _ERRORS as exc:
        return _fail(exc)
    finally:
        close_database()
    for line in lines:
        print(line)
    return 0


def run_login(args) -> int:
    from app.services import team

    password = getpass.getpass(f"password for {args.rep}: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    return _with_database(args, lambda: [f"joined {args.server} as {args.rep}; "
                                         f"{team.configure(args.server, args.rep, password)} changes to push"])


def run_sync(args) -> int:
    from app.services import team

    def work() -> list[str]:
        team.configure(args.server, args.rep)
        return team.sync().lines()

    return _with_database(args, work)


def run_reassign(args) -> int:
    from app.services import owners, team

    def work() -> list[str]:
        team.configure(args.server, args.rep)
        ids = owners.leads_to_reassign(campaign=args.campaign, owner=args.from_rep)
        changed, report = team.reassign(ids, args.owner)
        return [f"reassigned to {args.owner}: {changed}", *report.lines()]

    return _with_database(args, work)
