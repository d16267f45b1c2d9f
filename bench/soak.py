"""`make soak`: thousands of filter changes and edits on the 1M database, then check nothing leaked.

    python -m bench.soak [--size 1M] [--filters 10000] [--edits 1000] [--seed 7]

Runs for minutes (not part of CI). Works on a copy of the cached bench database, drives the real
main window offscreen, and passes when: nothing crashed, resident memory grew at most 10 %, and
``PRAGMA integrity_check`` (plus the FTS index's own check) is ok afterwards.

Memory is sampled every 200 changes, each time just after the heap's free pages went back to the
OS (as the window does every 10 s), so a sample counts what is held, not garbage the allocator had
not yet returned at that moment. What the list keeps (recent id arrays, SQLite page caches) comes
and goes with the filters, so the run compares the highest sample of the tenth after the warm-up
with the highest sample of the last tenth: a leak raises the second, a cache does not.
"""

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from app.qtmodels.events import Changes

MAX_GROWTH = 0.10
WORDS = ("mül", "mü", "m", "sa", "sarah", "chen", "berlin", "vp", "vp sales", "founder", "lumen", "ana",
         "kim", "j", "jo", "paris", "growth", "head of", "o'", "s", "ch", "nordic", "")


def soak(db_path: Path, filters: int, edits: int, seed: int, log=print) -> dict:
    """Drive the window over ``db_path`` (which it edits); returns the figures and verdicts."""
    from PySide6.QtWidgets import QApplication, QLineEdit, QListView

    from app import memory
    from app.services import storage
    from bench.floors import rss_mb
    from bench.probes import ResultWaiter

    memory.return_big_buffers_to_the_os()  # as app.main does: the soak measures the app's memory
    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random(seed)
    storage.open(db_path)
    from app.ui.shell.main_window import MainWindow

    window = MainWindow(db_path)
    window.show_page("leads")
    window.show()
    view = window.findChild(QListView, "leadList")
    search = window.findChild(QLineEdit, "leadSearch")
    proxy = view.model()
    waiter = ResultWaiter(proxy.sourceModel())
    waiter.wait_beyond(0)
    campaign_ids = list(range(1, 51))
    tenth = max(1, filters // 10)  # the first tenth of the run warms up
    samples: list[tuple[int, float]] = []
    done_edits = 0
    timeouts = 0
    started = time.perf_counter()
    try:
        for n in range(filters):
            before, old_filter = waiter.count, proxy.lead_filter()
            _random_change(rng, search, proxy, campaign_ids)
            # Most changes wait for their result; one in five is superseded at once, like fast typing.
            changed = proxy.lead_filter() != old_filter  # an unchanged filter runs no query
            if changed and rng.random() < 0.8 and not waiter.wait_beyond(before, 120):
                timeouts += 1
            if done_edits < edits * (n + 1) // filters and proxy.rowCount():  # edits spread evenly
                _edit_a_lead(rng, window, view, n)
                done_edits += 1
            if n % 200 == 0:
                rss = _painted_rss(app, view)
                samples.append((n, rss))
                if n % 1000 == 0:
                    log(f"  {n:>6} changes, {done_edits} edits, RSS {rss:.0f} MB, {time.perf_counter() - started:.0f} s")
        timeouts += _settle(waiter, proxy)
        app.processEvents()
        final = rss_mb()
    finally:
        _close(app, window)
    integrity, fts = _integrity(db_path)
    samples.append((filters, final))
    baseline, final, peak, growth = _memory_growth(samples, filters, tenth)
    return {
        "filters": filters, "edits": done_edits, "timeouts": timeouts, "seconds": time.perf_counter() - started,
        "rss_after_warm_up_mb": baseline, "rss_final_mb": final, "rss_peak_mb": peak, "growth": growth,
        "integrity": integrity, "fts_integrity": fts,
        "passed": growth <= MAX_GROWTH and integrity == "ok" and fts == "ok" and timeouts == 0,
    }


def _random_change(rng: random.Random, search, proxy, campaign_ids: list[int]) -> None:
    """One change a rep makes to the list: a search word, campaigns, VIP, head counts, e-mail status or the sort."""
    step = rng.random()
    if step < 0.45:
        search.setText(rng.choice(WORDS))
    elif step < 0.6:
        proxy.change(campaign_ids=tuple(rng.sample(campaign_ids, rng.choice((0, 1, 2)))))
    elif step < 0.7:
        proxy.change(vip=rng.choice((None, True, False)))
    elif step < 0.8:
        proxy.change(headcounts=tuple(rng.sample(("1-10", "11-50", "51-200", "201-500", "10001+"), rng.choice((0, 1, 2)))))
    elif step < 0.9:
        proxy.change(email_statuses=tuple(rng.sample(("valid", "invalid", "catchall", "unknown"), rng.choice((0, 1, 2)))))
    else:
        proxy.set_sort(rng.choice(("newest", "oldest", "name", "company")))


def _edit_a_lead(rng: random.Random, window, view, n: int) -> None:
    """Open a random lead of the list and change its job title, as the detail form would."""
    from app.services import leads

    proxy = view.model()
    row = rng.randrange(proxy.rowCount())
    view.setCurrentIndex(proxy.index(row, 0))
    lead_id = proxy.lead_id(row)
    leads.update_field(lead_id, "job_title", f"Soak title {n} at Lumen")
    window.events.broadcast(Changes(lead_ids=(lead_id,)))


def _painted_rss(app, view) -> float:
    """The process's RSS (MB) once the list is painted and freed memory is handed back, as the app does."""
    from app import memory
    from bench.floors import rss_mb

    app.processEvents()
    view.viewport().repaint()
    memory.release_free_memory()
    return rss_mb()


def _close(app, window) -> None:
    from app.services import storage

    window.close()
    window.leads.source.shutdown()
    window.deleteLater()
    app.processEvents()
    storage.close()


def _settle(waiter, proxy) -> int:
    """Wait until the list holds its last query's result; returns 1 on a time-out."""
    while not proxy.sourceModel().is_settled():
        if not waiter.wait_beyond(waiter.count, 120):
            return 1
    return 0


def _integrity(db_path: Path) -> tuple[str, str]:
    """SQLite's and the search index's integrity checks, "ok" when sound."""
    conn = sqlite3.connect(db_path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        try:
            conn.execute("INSERT INTO lead_fts(lead_fts) VALUES ('integrity-check')")
            fts = "ok"
        except sqlite3.DatabaseError as exc:
            fts = str(exc)
    finally:
        conn.close()
    return integrity, fts


def _memory_growth(samples: list[tuple[int, float]], filters: int, tenth: int) -> tuple[float, float, float, float]:
    """(RSS after warm-up, final RSS, peak, growth), from (change number, RSS MB) samples."""
    after_warm_up = [r for n, r in samples if tenth <= n < 2 * tenth] or [samples[0][1]]  # short runs
    baseline = max(after_warm_up)
    final = max(r for n, r in samples if n >= filters - tenth)
    peak = max(r for _, r in samples)
    return baseline, final, peak, (final - baseline) / baseline


def main(argv: list[str] | None = None) -> int:
    from bench.generate import cached_database, parse_size

    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1M")
    parser.add_argument("--filters", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    source = cached_database(parse_size(args.size))
    with tempfile.TemporaryDirectory(prefix="leaddesk-soak-") as scratch:
        os.environ["LEADDESK_DATA_DIR"] = os.path.join(scratch, "data")
        os.environ["XDG_CONFIG_HOME"] = os.path.join(scratch, "config")
        db = Path(scratch) / "soak.db"
        shutil.copyfile(source, db)  # the soak edits leads; the cached database stays pristine
        print(f"soak: {args.filters:,} filter changes, {args.edits:,} edits on {args.size} leads", flush=True)
        result = soak(db, args.filters, args.edits, args.seed, log=lambda m: print(m, flush=True))
    print(
        f"soak: {'PASS' if result['passed'] else 'FAIL'} — {result['filters']:,} changes, {result['edits']:,} edits "
        f"in {result['seconds']:.0f} s; RSS {result['rss_after_warm_up_mb']:.0f} → {result['rss_final_mb']:.0f} MB "
        f"({result['growth']:+.1%}, limit +{MAX_GROWTH:.0%}), peak {result['rss_peak_mb']:.0f} MB; "
        f"integrity {result['integrity']}, FTS {result['fts_integrity']}, timeouts {result['timeouts']}"
    )
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
