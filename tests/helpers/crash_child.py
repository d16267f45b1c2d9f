"""A LeadDesk stand-in that the durability tests kill, starve of disk space, or run read-only.

Run as ``python tests/helpers/crash_child.py MODE DB [ARGS]`` with the repository on PYTHONPATH. It
prints one line to stdout (flushed) after each commit returns: that line is the acknowledgement
the parent holds it to after a ``kill -9``.

    edit DB N_LEADS START   update_field on lead (i % N) + 1 with "v<i>" for i = START, START+1, ...;
                            prints "ack <i>" after each commit, forever.
    import DB ROWS          imports files of ROWS new leads through ``import_file`` (one transaction
                            each); prints "committed <total leads>" after each, forever.
    backup DB               makes verified backups one after another; prints "backup <file name>".
    backup-stall DB         starts one backup, prints "copying" once part of the file is copied, then
                            waits there (to be killed mid-copy).
    diskfull DB LEAD_ID     saves a 4 MB note under a file-size limit (fails), then with the limit
                            lifted (succeeds); prints "failed: <user message>", "saved <note id>".
"""

import csv
import json
import os
import resource
import signal
import sys
from pathlib import Path

from app.db.connection import database, open_database
from app.services.errors import user_message


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def edit(n_leads: int, start: int) -> None:
    from app.services.leads import update_field

    # Checkpoints every few commits, so kills also land inside WAL-to-file copies.
    database.execute_sql("PRAGMA wal_autocheckpoint = 20")
    i = start
    while True:
        update_field(i % n_leads + 1, "job_title", f"v{i}")
        _say(f"ack {i}")
        i += 1


def import_batches(rows: int) -> None:
    from app.db.models import Lead

    batch = Lead.select().count() // rows
    while True:
        _import_one(batch, rows)
        _say(f"committed {Lead.select().count()}")
        batch += 1


def _import_one(batch: int, rows: int) -> None:
    """One import of ``rows`` new leads, in ONE transaction: the real importer when present."""
    try:
        from app.services.importing import import_file
    except ImportError:  # the importer is not in this checkout: the same shape of transaction by hand
        return _import_by_hand(batch, rows)
    path = Path(database.database).with_name(f"batch{batch}.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id_lead", "first_name", "last_name", "job_title", "email", "company_name", "ai:score"])
        out.writerows([f"b{batch}-{r}", f"First{r}", f"Batch{batch}", "Buyer", f"b{batch}.{r}@example.com",
                       "Acme", r] for r in range(rows))
    import_file(path)


def _import_by_hand(batch: int, rows: int) -> None:
    from app.db.models import ImportRun, Lead, utc_now

    now = utc_now()
    with database.atomic():
        run = ImportRun.create(file_name=f"batch{batch}.csv", format="massprospecting")
        first = (Lead.select(Lead.id).order_by(Lead.id.desc()).scalar() or 0) + 1
        Lead.insert_many(
            {"id_lead": f"b{batch}-{r}", "first_name": f"First{r}", "last_name": f"Batch{batch}",
             "email": f"b{batch}.{r}@example.com", "company_name": "Acme", "custom": json.dumps({"ai:score": r}),
             "created_at": now, "updated_at": now}
            for r in range(rows)
        ).execute()
        database.execute_sql(
            "INSERT INTO import_change (import_id, lead_id, kind) SELECT ?, id, 'created' FROM lead WHERE id >= ?",
            (run.id, first),
        )
        ImportRun.update(created=rows).where(ImportRun.id == run.id).execute()


def backups_forever() -> None:
    from app.db.backup import MANUAL, create_backup

    while True:
        info = create_backup(database.database, MANUAL)
        _say(f"backup {info.path.name}")


def backup_stalled() -> None:
    import sqlite3
    import time

    from app.db import backup

    def copy_slowly(source, target) -> None:
        src, dst = sqlite3.connect(source), sqlite3.connect(target)

        def progress(_status, _remaining, _total) -> None:
            _say("copying")
            while True:
                time.sleep(1)

        src.backup(dst, pages=1, progress=progress)

    backup.copy_database = copy_slowly
    backup.create_backup(database.database, backup.MANUAL)


def disk_full(lead_id: int) -> None:
    from app.services.leads import add_note

    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    limit = os.path.getsize(database.database) + 8192
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    try:
        add_note(lead_id, "x" * 4_000_000)
        _say("saved despite the limit")
    except Exception as exc:  # noqa: BLE001 - the point is what the rep would be told
        _say(f"failed: {user_message(exc)}")
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    note = add_note(lead_id, "y" * 4_000_000)
    _say(f"saved {note.id}")


def main(argv: list[str]) -> None:
    mode, path, *args = argv
    open_database(path)
    {"edit": lambda: edit(int(args[0]), int(args[1])),
     "import": lambda: import_batches(int(args[0])),
     "backup": backups_forever,
     "backup-stall": backup_stalled,
     "diskfull": lambda: disk_full(int(args[0]))}[mode]()


if __name__ == "__main__":
    main(sys.argv[1:])
