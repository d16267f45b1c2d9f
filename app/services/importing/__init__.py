"""Importing lead files: ``inspect_file`` for the preview, ``import_file`` to store, ``undo_import``.

The pipeline is: ``reader`` (decode, detect, strict rows with line numbers) -> ``formats`` (which
column is what) -> ``normalize`` (a record per row) -> ``store`` (batched SQL in one IMMEDIATE
transaction); ``pipeline`` runs the first three on a second core for a big file. No Qt here: the import dialog runs ``import_file`` on a worker thread and passes
``progress``/``cancelled`` callbacks.
"""

import csv
import itertools
import json
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.db.connection import cancellable, database
from app.db.models import utc_now
from app.services.campaigns import create_campaign, require_active
from app.services.importing.formats import FORMATS, TARGETS, Plan, header_key, make_plan  # noqa: F401
from app.services.importing.normalize import Converter
from app.services.importing.pipeline import batches
from app.services.importing.reader import (  # noqa: F401
    Rejected,
    SourceInfo,
    UnreadableFileError,
    open_source,
)
from app.services.importing.store import LEAD_COLUMNS, POLICIES, Store

_CANCELLED = "Import cancelled: nothing was changed."
SAMPLE_ROWS = 50  # the first rows, whose cells confirm the columns guessed from their header's words
IMPORT_CACHE_SIZE = -512 * 1024  # KiB, as PRAGMA cache_size takes it


class NoLeadColumnsError(ValueError):
    """The file has no name, e-mail, LinkedIn or company column and nobody confirmed importing it."""


class ImportCancelledError(Exception):
    """The rep cancelled; the transaction was rolled back and nothing changed."""


@dataclass(frozen=True)
class Preview:
    """What the import dialog shows before importing: detection results and the first rows."""

    info: SourceInfo
    plan: Plan
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line, cells) of the first readable rows

    def records(self, plan: Plan | None = None) -> list[dict]:
        """The preview rows as they would be stored with ``plan`` (default: the detected one)."""
        converter = Converter(plan or self.plan)
        return [converter.convert(list(cells)) for _, cells in self.rows]


@dataclass(frozen=True)
class ImportReport:
    """What an import did. created + updated + unchanged + len(rejected) == rows_read."""

    file_name: str
    format: str
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: tuple[Rejected, ...] = ()
    warnings: tuple[str, ...] = ()
    run_id: int | None = None
    seconds: float = 0.0
    matched: tuple[tuple[str, int], ...] = ()  # (rule, rows) for each rule that matched a row to a lead

    def matched_text(self) -> str:
        """``"matched by e-mail: 2, fingerprint: 5"``, or "" when no row matched a lead."""
        found = [f"{rule}: {count}" for rule, count in self.matched if count]
        return "matched by " + ", ".join(found) if found else ""

    @property
    def rows_read(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.rejected)

    def summary(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.rejected)} rejected")


@dataclass(frozen=True)
class ImportRunInfo:
    """One line of the import history."""

    id: int
    file_name: str
    format: str
    campaign: str
    started_at: str
    created: int
    updated: int
    unchanged: int
    rejected: int
    undone_at: str | None = None


def inspect_file(path, encoding: str | None = None, sheet: str | None = None, format: str | None = None,
                 rows: int = 20) -> Preview:
    """Detect encoding, delimiter, header and format, and read the first ``rows`` rows."""
    with open_source(path, encoding, sheet) as source:
        first = []
        for item in source.rows():
            if not isinstance(item, Rejected):
                first.append((item[0], tuple(item[1])))
                if len(first) >= max(rows, SAMPLE_ROWS):
                    break
        plan = make_plan(source.info.header, format, sample=[cells for _, cells in first])
        return Preview(source.info, plan, tuple(first[:rows]))


def get_or_create_campaign(name: str) -> int:
    """The id of the campaign called ``name`` (any case), created active if new."""
    name = " ".join(name.split())
    with database.atomic():
        row = database.connection().execute("SELECT id FROM campaign WHERE name = ?", (name,)).fetchone()
        return row[0] if row else create_campaign(name).id  # which checks the name


def import_file(path, campaign: str | None = None, format: str | None = None, on_duplicate: str = "skip",
                encoding: str | None = None, mapping=None, sheet: str | None = None,
                progress: Callable[[int, float], None] | None = None,
                cancelled: Callable[[], bool] | None = None, require_lead_columns: bool = False) -> ImportReport:
    """Import ``path`` into the open database, all or nothing.

    ``campaign``: the name of the campaign every lead joins (created if new; must be active), or
    None for none (a ``campaigns`` column still applies). ``mapping``: one target per column
    (see ``formats.TARGETS``), default the detected one. ``progress(rows_read, fraction)`` is
    called after each batch; ``cancelled()`` returning True rolls everything back and raises
    ImportCancelledError. ``require_lead_columns``: raise NoLeadColumnsError, before anything is
    written, if no column holds a name, e-mail, LinkedIn URL or company. Raises UnreadableFileError if the file cannot be read at all,
    CampaignInactiveError if the campaign is paused or archived, ValueError for bad options.
    """
    path = Path(path)
    if on_duplicate not in POLICIES:
        raise ValueError(f"Unknown duplicate policy “{on_duplicate}” (expected skip, fill or overwrite).")
    started = time.monotonic()
    conn = database.connection()
    with _import_page_cache(conn), open_source(path, encoding, sheet) as source:
        plan = _plan(path, source, format, mapping, encoding, sheet, require_lead_columns)
        rejected: list[Rejected] = []
        # A cancel also stops the long statements after the last batch (at 1M rows ~20 s: the search
        # index, the rebuilt indexes), until the save itself.
        with cancellable(cancelled, ImportCancelledError(_CANCELLED)), database.atomic():
            campaign_id = None
            if campaign and campaign.strip():
                campaign_id = get_or_create_campaign(campaign)
                require_active([campaign_id])
            now = utc_now()
            run_id = conn.execute(
                "INSERT INTO import_run (file_name, format, campaign_id, started_at) VALUES (?, ?, ?, ?)",
                (path.name, plan.format, campaign_id, now),
            ).lastrowid
            store = Store(conn, run_id, f"imported from {path.name}", on_duplicate, campaign_id, now,
                          source.estimated_rows())
            read = 0
            reading = batches(path, source, plan, now, database.database if store.first_new_id > 1 else None)
            try:
                for fresh, records, rejected_rows, fraction in reading:
                    rejected += rejected_rows
                    if fresh or records:
                        store.write_batch(fresh, records)
                        read += len(fresh) + len(records)
                    _report(progress, cancelled, read + len(rejected), fraction)
                custom_fields = reading.custom_fields()
            finally:
                reading.close()
            store.finish(custom_fields)
            counts = store.counts
            conn.execute(
                "UPDATE import_run SET created = ?, updated = ?, unchanged = ?, rejected = ? WHERE id = ?",
                (counts["created"], counts["updated"], counts["unchanged"], len(rejected), run_id),
            )
        info = source.info
    return ImportReport(
        path.name, plan.format, info.encoding, info.delimiter, info.header,
        counts["created"], counts["updated"], counts["unchanged"], tuple(rejected), tuple(store.warnings),
        run_id, time.monotonic() - started, tuple(store.matched.items()),
    )


def _plan(path: Path, source, format, mapping, encoding, sheet, require_lead_columns: bool) -> Plan:
    """The plan for the file: the given mapping, or the detected one with its guesses confirmed by the first rows."""
    sample = []
    if mapping is None:
        with open_source(path, encoding, sheet) as peek:  # the rows of ``source`` are read once, by the pipeline
            sample = [i[1] for i in itertools.islice(peek.rows(), SAMPLE_ROWS) if not isinstance(i, Rejected)]
    plan = make_plan(source.info.header, format, mapping, sample)
    if require_lead_columns and not plan.has_lead_columns():
        seen = ", ".join(f"“{h}”" for h in plan.header if h) or "none"
        raise NoLeadColumnsError(f"{path.name} has no name, e-mail, LinkedIn or company column (headers: {seen}).")
    return plan


@contextmanager
def _import_page_cache(conn):
    """A bigger page cache for the run, put back after it.

    Into a database of 1M leads each new lead lands at a random place in half a dozen indexes; with
    the connection's usual 8 MB most of those pages were read again from the OS for each batch (~10% of a
    100k-row import). A 1M-row file into an empty database keeps its match indexes' pages in 512 MB instead of
    writing them to the WAL again and again (at 128 MB: 11% more CPU, 35% more system time).
    SQLite takes pages only as needed and frees them when the size is put back.
    """
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {min(cache_size, IMPORT_CACHE_SIZE)}")  # negative = KiB
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {cache_size}")


def progress_text(rows: int, fraction: float, seconds: float) -> str:
    """What an import shows after ``seconds``: the rows read, their rate and the time left while it reads
    (``fraction`` < 1), then that the search index is being built and saved (~20 s for 1M rows)."""
    if fraction >= 1:
        return f"All {rows:,} rows read · building the search index and saving…"
    text = f"{rows:,} rows read · {rows / max(seconds, 1e-6):,.0f} rows/s"
    if fraction > 0.02:
        text += f" · about {seconds * (1 - fraction) / fraction:,.0f} s left"
    return text


def _report(progress, cancelled, rows: int, fraction: float) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelledError(_CANCELLED)
    if progress is not None:
        progress(rows, fraction)


def save_rejected(report: ImportReport, path) -> int:
    """Write the rejected rows, under the file's header, as found in the file; returns the count.

    The rep fixes them in any editor and imports the file again.
    """
    path = Path(path)
    delimiter = report.delimiter or ","
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            csv.writer(out, delimiter=delimiter).writerow(report.header)
            for row in report.rejected:
                text = row.text
                out.write(text if text.endswith(("\n", "\r")) else text + "\r\n")
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return len(report.rejected)


def list_import_runs() -> list[ImportRunInfo]:
    """Every import, newest first."""
    rows = database.connection().execute(
        "SELECT r.id, r.file_name, r.format, coalesce(c.name, ''), r.started_at, r.created, r.updated,"
        " r.unchanged, r.rejected, r.undone_at FROM import_run r LEFT JOIN campaign c ON c.id = r.campaign_id"
        " ORDER BY r.id DESC"
    )
    return [ImportRunInfo(*row) for row in rows]


def undo_import(run_id: int) -> tuple[int, int]:
    """Remove the leads an import created and revert what it changed; ``(removed, reverted)``.

    Leads it created are deleted for good (with their notes, tags, memberships); leads it updated
    get back the field values they had before it and lose the campaigns, tags and notes it added.
    """
    conn = database.connection()
    now = utc_now()
    with database.atomic():
        row = conn.execute("SELECT undone_at FROM import_run WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise ValueError("This import no longer exists.")
        if row[0]:
            raise ValueError("This import has already been undone.")
        removed = conn.execute(
            "DELETE FROM lead WHERE id IN (SELECT lead_id FROM import_change WHERE import_id = ? AND kind = 'created')",
            (run_id,),
        ).rowcount
        changes = conn.execute(
            "SELECT lead_id, before FROM import_change WHERE import_id = ? AND kind = 'updated'"
            " AND lead_id IN (SELECT id FROM lead)", (run_id,),
        ).fetchall()
        source = "undo import"
        for lead_id, text in changes:
            before = json.loads(text)
            fields = {c: v for c, v in before["fields"].items() if c in LEAD_COLUMNS}
            if fields:
                old = conn.execute(
                    f"SELECT {', '.join(fields)} FROM lead WHERE id = ?", (lead_id,)
                ).fetchone()
                conn.execute(
                    f"UPDATE lead SET {', '.join(f'{c} = ?' for c in fields)}, updated_at = ? WHERE id = ?",
                    (*fields.values(), now, lead_id),
                )
                conn.executemany(
                    "INSERT INTO lead_history (lead_id, at, source, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
                    [(lead_id, now, source, column, current, value)
                     for column, current, value in zip(fields, old, fields.values())
                     if column not in ("custom", "phone_norm", "linkedin_norm") and current != value],
                )
            conn.executemany("DELETE FROM membership WHERE lead_id = ? AND campaign_id = ?",
                             [(lead_id, c) for c in before["campaigns"]])
            conn.executemany("DELETE FROM lead_tag WHERE lead_id = ? AND tag_id = ?",
                             [(lead_id, t) for t in before["tags"]])
            conn.executemany("DELETE FROM note WHERE id = ? AND lead_id = ?", [(n, lead_id) for n in before["notes"]])
        conn.execute("UPDATE import_run SET undone_at = ? WHERE id = ?", (now, run_id))
    return removed, len(changes)
