"""Durability, tested for real: kill -9 during edits and imports, a full disk, a read-only file.

A child process (tests/helpers/crash_child.py) edits or imports through the real code and prints an
acknowledgement after each commit returns; the parent kills it with SIGKILL at random points and
then checks the file: integrity, foreign keys, the search index, and every acknowledged change.

Iterations: LEADDESK_KILL_ITERATIONS (default 20 edit runs; imports get half). ``make soak-kill``
runs a few hundred. LEADDESK_KILL_SEED replays a run (the seed is in every failure message).
"""

import errno
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.db.connection import check_settings, close_database, database, open_database
from app.db.models import Lead, Note, utc_now
from app.services import errors
from app.services.errors import user_message

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "helpers" / "crash_child.py"
ITERATIONS = int(os.environ.get("LEADDESK_KILL_ITERATIONS", "20"))
SEED = int(os.environ.get("LEADDESK_KILL_SEED", str(time.time_ns() % 1_000_000)))


def _spawn(mode: str, db_path: Path, *args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(CHILD), mode, str(db_path), *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )


def _read_line(proc: subprocess.Popen) -> str:
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        pytest.fail(f"child exited early ({proc.returncode}): {proc.stderr.read()[-2000:]}")
    return line.strip()


def _kill(proc: subprocess.Popen) -> list[str]:
    """SIGKILL the child; returns every line it printed before dying (the pipe keeps them)."""
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return out.splitlines()


def _check_file(db_path: Path, context: str) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], context
    conn.execute("INSERT INTO lead_fts(lead_fts) VALUES ('integrity-check')")  # raises if out of step
    return conn


def _seed_leads(db_path: Path, n: int) -> None:
    open_database(db_path)
    now = utc_now()
    with database.atomic():
        Lead.insert_many([{"first_name": f"Lead{i}", "created_at": now, "updated_at": now} for i in range(n)]).execute()
    close_database()


def test_writes_take_the_write_lock_at_begin(db, db_path):
    # IMMEDIATE: the lock is taken when the transaction starts, so a read-then-write
    # transaction waits its turn instead of failing halfway with "database is locked".
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    with database.atomic():
        database.execute_sql("SELECT count(*) FROM lead").fetchone()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


def test_a_connection_without_the_safety_settings_is_refused():
    # e.g. a network drive where WAL is unavailable: better to say so than to run unsafely.
    conn = sqlite3.connect(":memory:")
    with pytest.raises(RuntimeError, match="cannot use this database safely"):
        check_settings(conn)
    conn.close()


@pytest.mark.slow
def test_acknowledged_edits_survive_kill_9(db_path):
    n_leads = 40
    _seed_leads(db_path, n_leads)
    rng = random.Random(SEED)
    last_ack_per_lead: dict[int, int] = {}
    acked_total, committed_unacked, start = 0, 0, 0
    for iteration in range(ITERATIONS):
        context = f"seed {SEED}, iteration {iteration}"
        proc = _spawn("edit", db_path, n_leads, start)
        lines = [_read_line(proc) for _ in range(rng.randint(1, 80))]
        lines += _kill(proc)  # it kept editing while we read: the kill lands at a random point
        acks = [int(line.split()[1]) for line in lines]
        assert acks, f"the child committed nothing before the kill ({context})"
        for i in acks:
            last_ack_per_lead[i % n_leads + 1] = i
        acked_total += len(acks)

        conn = _check_file(db_path, context)
        history = {row[0] for row in conn.execute("SELECT new FROM lead_history WHERE field = 'job_title'")}
        missing = [i for i in acks if f"v{i}" not in history]
        assert missing == [], f"acknowledged edits lost: {missing[:10]} ({context})"
        titles = dict(conn.execute("SELECT id, job_title FROM lead"))
        for lead_id, i in last_ack_per_lead.items():
            assert int(titles[lead_id][1:]) >= i, f"lead {lead_id} went back before an acknowledged edit ({context})"
        committed_unacked += f"v{max(acks) + 1}" in history
        conn.close()
        start = max(acks) + 1
    print(f"\nkill -9 during edits: {ITERATIONS} kills, {acked_total} acknowledged edits, all present; "
          f"{committed_unacked} kills fell between a commit and its acknowledgement (seed {SEED})")


@pytest.mark.slow
def test_import_killed_at_any_moment_leaves_whole_imports_only(db_path):
    rows = 1000
    _seed_leads(db_path, 0)
    rng = random.Random(SEED + 1)
    committed_before, rolled_back = 0, 0
    iterations = max(ITERATIONS // 2, 3)
    for iteration in range(iterations):
        context = f"seed {SEED}, iteration {iteration}"
        proc = _spawn("import", db_path, rows)
        # Proof the child really commits: one whole import acknowledged before the kill.
        first = int(_read_line(proc).split()[1])
        assert first == committed_before + rows, context
        time.sleep(rng.uniform(0, 0.5))  # the kill point, most often inside the next import
        totals = [first] + [int(line.split()[1]) for line in _kill(proc)]

        conn = _check_file(db_path, context)
        count = conn.execute("SELECT count(*) FROM lead").fetchone()[0]
        assert count % rows == 0, f"a partial import survived: {count} leads ({context})"
        assert max(totals) <= count <= max(totals) + rows, context
        assert conn.execute("SELECT count(*) FROM import_change").fetchone()[0] == count, context
        assert conn.execute("SELECT count(*) FROM import_run").fetchone()[0] == count // rows, context
        conn.close()
        rolled_back += count == max(totals)
        committed_before = count
    print(f"\nkill -9 during imports: {iterations} kills, every import whole or absent; "
          f"{rolled_back} kills left no trace of an import in progress (seed {SEED})")


@pytest.mark.slow
def test_backup_killed_at_any_moment_leaves_only_whole_verified_backups(db_path):
    from app.db import backup

    _seed_leads(db_path, 500)
    rng = random.Random(SEED + 2)
    acknowledged: set[str] = set()
    for iteration in range(max(ITERATIONS // 4, 3)):
        proc = _spawn("backup", db_path)
        acknowledged.add(_read_line(proc).split()[1])  # at least one backup finished in this run
        time.sleep(rng.uniform(0, 0.2))  # the kill point: copying, verifying, renaming or pruning
        acknowledged.update(line.split()[1] for line in _kill(proc))
        listed = backup.list_backups(db_path)
        assert {b.path.name for b in listed} >= acknowledged, f"seed {SEED}, iteration {iteration}"
        assert all(backup.is_healthy(b.path) for b in listed), f"seed {SEED}, iteration {iteration}"
    backup.create_backup(db_path, backup.MANUAL)
    assert not list(backup.backup_dir(db_path).glob("*.partial")), "a leftover partial copy is cleaned up"


def test_start_up_removes_what_a_backup_killed_mid_copy_left_and_keeps_good_backups(db_path):
    from app.db import backup
    from app.services import backups

    _seed_leads(db_path, 2000)
    good = backup.create_backup(db_path, backup.MANUAL)
    proc = _spawn("backup-stall", db_path)
    assert _read_line(proc) == "copying"
    _kill(proc)
    folder = backup.backup_dir(db_path)
    left = sorted(p.name for p in folder.iterdir() if ".partial" in p.name)
    assert any(n.endswith(".partial") for n in left) and any(n.endswith(".partial-journal") for n in left), left
    report = backups.check_and_open(db_path)
    try:
        backups.check_and_back_up()
    finally:
        close_database()
    assert report.is_open
    assert not [p for p in folder.iterdir() if ".partial" in p.name]
    assert [b.path for b in backup.list_backups(db_path)] == [good.path] and backup.is_healthy(good.path)


@pytest.mark.slow
def test_disk_full_says_so_damages_nothing_and_saving_works_once_space_is_back(db_path):
    open_database(db_path)
    with database.atomic():
        lead = Lead.create(first_name="Kept", job_title="Buyer")
        Note.create(lead=lead, body="saved before the disk filled up")
    close_database()

    proc = _spawn("diskfull", db_path, lead.id)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-2000:]
    lines = out.splitlines()
    assert lines[0] == f"failed: {errors.DISK_FULL}"
    assert "disk is full" in errors.DISK_FULL
    assert lines[1].startswith("saved ")

    conn = _check_file(db_path, "after disk full")
    assert conn.execute("SELECT first_name, job_title FROM lead").fetchall() == [("Kept", "Buyer")]
    bodies = [b[:1] * 3 + str(len(b)) for (b,) in conn.execute("SELECT body FROM note ORDER BY id")]
    assert bodies == ["sss" + str(len("saved before the disk filled up")), "yyy4000000"]
    conn.close()


def test_read_only_database_says_so_and_keeps_what_was_saved(db_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions; see the error-mapping test below")
    _seed_leads(db_path, 3)
    os.chmod(db_path, 0o400)
    try:
        open_database(db_path)
        with pytest.raises(Exception) as failure:
            with database.atomic():
                Lead.update(job_title="x").execute()
        assert user_message(failure.value) == errors.READ_ONLY
        assert Lead.select().count() == 3
    finally:
        close_database()
        os.chmod(db_path, 0o600)


def test_storage_failures_get_plain_messages(db, db_path, tmp_path):
    # Genuine SQLite errors, provoked on real files.
    read_only = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as ro:
        read_only.execute("INSERT INTO tag (name) VALUES ('x')")
    read_only.close()
    assert user_message(ro.value) == errors.READ_ONLY

    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    with database.atomic():
        Lead.create(first_name="Writer")
        with pytest.raises(sqlite3.OperationalError) as busy:
            other.execute("BEGIN IMMEDIATE")
    other.close()
    assert user_message(busy.value) == errors.BUSY

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 500)
    with pytest.raises(sqlite3.DatabaseError) as damaged:
        sqlite3.connect(garbage).execute("SELECT * FROM sqlite_master").fetchall()
    assert user_message(damaged.value) == errors.DAMAGED

    with pytest.raises(sqlite3.OperationalError) as cannot_open:
        sqlite3.connect(tmp_path / "no" / "such" / "folder.db")
    assert user_message(cannot_open.value) == errors.CANNOT_OPEN

    assert user_message(OSError(errno.ENOSPC, "No space left on device")) == errors.DISK_FULL
    assert user_message(ValueError("a bug, not a storage failure")) is None
