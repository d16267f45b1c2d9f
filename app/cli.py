"""Command-line subcommands: ``leaddesk import FILE``, ``export FILE``, ``empty-trash``, ``team`` and ``sync``.

Both print what they did in plain words and never a traceback: a file that cannot be read (or a
refused option, a file without any name, e-mail, LinkedIn or company column unless ``--format generic``)
prints one line on stderr and exits 1. An import whose file was read exits 0 even
when some rows were rejected; each rejected row is listed as ``line N: reason``.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from app.db.connection import SchemaTooNewError, close_database, open_database
from app.paths import default_database_path
from app.services import trash
from app.services.campaigns import CampaignInactiveError, list_campaigns
from app.services.errors import user_message
from app.services.exporting import PROFILES, export_leads
from app.services.importing import FORMATS, NoLeadColumnsError, UnreadableFileError, import_file, progress_text
from app.services.importing.store import POLICIES
from app.services.lead_filter import LeadFilter
from app.services.owners import parse_owners, spread_new_leads

# Errors worth one plain line rather than a traceback (storage failures: see _storage_failure).
_EXPECTED = (UnreadableFileError, CampaignInactiveError, SchemaTooNewError, ValueError, OSError)


def add_commands(subparsers) -> None:
    """Register the subcommands; each sets ``run`` to a function(args) -> exit code."""
    parser = subparsers.add_parser("import", help="import a lead file (CSV or .xlsx)")
    parser.add_argument("file", type=Path)
    parser.add_argument("--campaign", help="campaign the leads join (default: the file name)")
    parser.add_argument("--format", choices=sorted(FORMATS), help="file layout (default: detected)")
    parser.add_argument("--on-duplicate", choices=POLICIES, default="skip",
                        help="what to do with leads already in the database (default: skip)")
    parser.add_argument("--encoding", help="text encoding (default: detected)")
    parser.add_argument("--sheet", help="workbook sheet (default: the first)")
    parser.add_argument("--owners", help="spread the new leads across these reps round-robin (e.g. ann,bob,cy)")
    _add_db_option(parser)
    parser.set_defaults(run=run_import)

    parser = subparsers.add_parser("export", help="export leads to a CSV file")
    parser.add_argument("file", type=Path)
    parser.add_argument("--campaign", help="only the leads of this campaign")
    parser.add_argument("--profile", choices=PROFILES, default="raw",
                        help="raw: exact values; spreadsheet: BOM and formula-safe cells (default: raw)")
    parser.add_argument("--columns", help="comma-separated column names (default: all)")
    _add_db_option(parser)
    parser.set_defaults(run=run_export)

    parser = subparsers.add_parser("empty-trash", help="delete the leads in the Trash for good (not undoable)")
    _add_db_option(parser)
    parser.set_defaults(run=run_empty_trash)

    from app import cli_team  # the team commands live beside, in their own module

    cli_team.add_commands(subparsers, _add_db_option)


def _add_db_option(parser) -> None:
    # SUPPRESS so `leaddesk --db X import F` (top-level option) is not overwritten by a default here.
    parser.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")


def _database(args) -> Path:
    return getattr(args, "db", None) or default_database_path()


def _fail(message: str) -> int:
    print(f"leaddesk: {message}", file=sys.stderr)
    return 1


def _storage_failure(exc: Exception) -> int:
    # A full disk or a locked/damaged database gets its plain message; anything else is a bug.
    message = user_message(exc)
    if message is None:
        raise exc
    return _fail(message)


def run_import(args) -> int:
    campaign = args.campaign if args.campaign is not None else args.file.stem

    def work() -> list[str]:
        owners = parse_owners(args.owners) if args.owners else None
        progress = _ProgressLine(sys.stderr) if sys.stderr.isatty() else None
        try:
            report = import_file(args.file, campaign=campaign, format=args.format, on_duplicate=args.on_duplicate,
                                 encoding=args.encoding, sheet=args.sheet, require_lead_columns=args.format != "generic",
                                 progress=progress)
        except NoLeadColumnsError as exc:
            raise NoLeadColumnsError(f"{exc} Pass --format generic to import it anyway.") from None
        finally:
            if progress is not None:
                progress.clear()
        spread = spread_new_leads(report.run_id, owners) if owners and report.run_id else {}
        return [
            f"{report.file_name}: {report.rows_read} rows read ({FORMATS[report.format]})",
            f"created: {report.created}",
            f"updated: {report.updated}",
            f"unchanged: {report.unchanged}",
            f"rejected: {len(report.rejected)}",
            *([report.matched_text()] if report.matched_text() else []),
            *(["owners: " + ", ".join(f"{name} {n}" for name, n in spread.items())] if spread else []),
            *(f"  line {row.line}: {row.reason}" for row in report.rejected),
            *(f"warning: {warning}" for warning in report.warnings),
        ]

    return _run(args, work)


class _ProgressLine:
    """An import's progress on a terminal: one line of stderr, rewritten in place, gone when it ends.

    A 1M-row file takes the better part of a minute; without it the command said nothing until the end.
    """

    def __init__(self, stream):
        self._stream, self._started, self._shown = stream, time.monotonic(), 0.0

    def __call__(self, rows: int, fraction: float) -> None:
        now = time.monotonic()
        if fraction < 1 and now - self._shown < 0.25:
            return  # a few updates a second are enough to read
        self._shown = now
        self._stream.write("\r\033[K" + progress_text(rows, fraction, now - self._started))
        self._stream.flush()

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()


def run_export(args) -> int:
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None

    def work() -> list[str]:
        flt = LeadFilter(sort="oldest")
        if args.campaign:
            matches = [c.id for c in list_campaigns() if c.name.lower() == args.campaign.strip().lower()]
            if not matches:
                raise ValueError(f"no campaign named “{args.campaign}”")
            flt = flt.replace(campaign_ids=tuple(matches))
        count = export_leads(args.file, lead_filter=flt, columns=columns, profile=args.profile)
        return [f"exported {count} leads to {args.file}"]

    return _run(args, work)


def run_empty_trash(args) -> int:
    def work() -> list[str]:
        kept = trash.kept_message(trash.kept_for_others())  # another rep's leads stay: the server would refuse
        return [f"erased: {trash.empty()}", *([kept] if kept else [])]

    return _run(args, work)


def _run(args, work) -> int:
    """Run ``work()`` on the open database and print the lines it returns; a failure is one line."""
    try:
        open_database(_database(args))
        lines = work()
    except _EXPECTED as exc:
        return _fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - see _storage_failure
        return _storage_failure(exc)
    finally:
        close_database()
    _print_lines(lines)
    return 0


def _print_lines(lines) -> None:
    """Print a report; a reader that stops early (``| head``) is no error: the work is done."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        # Send what is left to /dev/null, or Python reports the broken pipe again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
