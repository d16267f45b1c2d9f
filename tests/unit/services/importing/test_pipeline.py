"""A big file is read on a second core: the same leads, links, history, search and undo as in one process."""

import pickle
import re

import pytest

from app.db import search
from app.db.connection import close_database, database, open_database
from app.services.importing import ImportCancelledError, import_file, pipeline, undo_import
from app.services.importing.store import Store
from app.services.lead_filter import LeadFilter
from bench.import_cli import write_csv
from tests.helpers.import_samples import write_sample
from tests.helpers.leadgen import full_state

_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
_UID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
WORDS = ("durand", "müller", "founder", "ørsted", "株式会社メブキ", "senior", "moved", "paris", "lumen a")


def _masked(state: dict) -> dict:
    """The state with every timestamp and random uid blanked: two runs differ only there."""
    return {table: [tuple("T" if isinstance(v, str) and (_STAMP.match(v) or _UID.match(v)) else v for v in row)
                    for row in rows]
            for table, rows in state.items()}


def _history() -> list[tuple]:
    return sorted(database.execute_sql("SELECT lead_id, source, field, old, new FROM lead_history").fetchall())


def _everything(db_path, files, monkeypatch, parallel: bool) -> list:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0 if parallel else 10**12)
    used = []
    real = pipeline.ParallelBatches.__init__

    def spy(self, *args):
        used.append(True)
        real(self, *args)

    monkeypatch.setattr(pipeline.ParallelBatches, "__init__", spy)
    open_database(db_path)
    try:
        seen = []
        runs = []
        for path, campaign, policy in files:
            report = import_file(path, campaign=campaign, on_duplicate=policy)
            runs.append(report.run_id)
            seen.append((report.summary(), report.rejected, report.warnings))
        conn = database.connection()
        seen += [_masked(full_state()), _history()]
        seen += [list(search.lead_ids(conn, LeadFilter(text=word))) for word in WORDS]
        for run_id in reversed(runs):
            seen.append(undo_import(run_id))
        seen += [_masked(full_state()), _history()]
    finally:
        close_database()
    assert bool(used) == parallel
    return seen


def test_the_second_core_path_gives_exactly_what_one_process_gives(tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    write_csv(big, 4500)  # three batches, rows repeated within the file, long and accented cells
    more = tmp_path / "more.csv"
    write_csv(more, 2500, first_id=9000, repeat_from=big)  # new leads and leads of the first file
    files = [(write_sample(tmp_path, "massprospecting_export.csv"), "Sample", "skip"),
             (big, "Big", "skip"), (more, "More", "fill"), (big, "Big", "overwrite")]
    one = _everything(tmp_path / "one.db", files, monkeypatch, parallel=False)
    two = _everything(tmp_path / "two.db", files, monkeypatch, parallel=True)
    assert one[1][0].startswith("4") and any(ids for ids in one[6:6 + len(WORDS)])  # it did import
    assert two == one


@pytest.mark.parametrize("fail", ["cancel", "error"])
def test_a_failure_mid_load_leaves_the_database_untouched(db, tmp_path, monkeypatch, fail):
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    import_file(write_sample(tmp_path, "massprospecting_export.csv"), campaign="Sample")
    before, history = full_state(), _history()
    path = tmp_path / "big.csv"
    write_csv(path, 7000)
    batches = []
    real = Store.write_batch

    def write_batch(self, fresh, records):
        batches.append(len(fresh) + len(records))
        if fail == "error" and len(batches) == 2:
            raise OSError("disk went away")
        real(self, fresh, records)

    monkeypatch.setattr(Store, "write_batch", write_batch)
    with pytest.raises(ImportCancelledError if fail == "cancel" else OSError):
        import_file(path, campaign="Big", cancelled=lambda: len(batches) >= 2)
    assert len(batches) == 2  # the first batch was written inside the transaction, then undone
    assert full_state() == before and _history() == history
    assert database.connection().execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The reader process is gone and the database takes the next import as usual.
    monkeypatch.setattr(Store, "write_batch", real)
    assert import_file(path, campaign="Big").created > 0


def test_the_reader_stops_by_itself_when_the_writer_stops_reading(tmp_path):
    """A writer that fails or is killed closes its end of the pipe: the reader, however far ahead
    it has read (its queue full), notices and ends instead of waiting forever."""
    import multiprocessing
    import threading

    from app.services.importing import _plan
    from app.services.importing.reader import open_source

    path = tmp_path / "big.csv"
    write_csv(path, 15_000)  # more batches than the reader's queue and the pipe hold
    with open_source(path) as source:
        plan = _plan(path, source, None, None, None, None, False)
        encoding = source.info.encoding
    parent_end, child_end = multiprocessing.Pipe(duplex=False)
    reader = threading.Thread(target=pipeline._produce, args=(str(path), encoding, plan, "2026-01-01", None, child_end))
    reader.start()
    kind, _ = pickle.loads(parent_end.recv_bytes())
    assert kind == "batch"
    parent_end.close()
    reader.join(timeout=60)
    assert not reader.is_alive()
