"""`make bench`: generate (or reuse) the databases, measure each size, print the tables.

    python -m bench [--sizes 10k,100k,1M]

Each size runs in its own process so its memory figure is not inflated by the one before.
Results: a markdown table per size on stdout, JSON in ``build/bench-results-<size>.json``; then
the bulk actions and their undo on 100k leads (bench/bulk.py), and the ``leaddesk import`` command
on a file as big as the largest size, into an empty database and then a tenth of it into that one,
best of three (bench/import_cli.py); then the campaign card's View Leads and the typing on data that same command
imported (bench/view_leads.py), and every combination of the list's criteria on that data
(bench/criteria.py); then team sync against a throwaway PostgreSQL with a team base as big
as the largest size (bench/team.py: first sync, a push of 10,000 edits, an incremental sync), skipped
with a note when PostgreSQL is not installed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.generate import RESULTS_DIR, ROOT, cached_database, parse_size, size_label


def run_one(size: int, db: Path | None, results_dir: Path, import_rows: int | None = None) -> str:
    """Measure one size in this process; returns the markdown table."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Like the tests: never read or write the real user's settings and data folder.
    scratch = tempfile.mkdtemp(prefix="leaddesk-bench-")
    os.environ["LEADDESK_DATA_DIR"] = os.path.join(scratch, "data")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(scratch, "config")
    from bench import report
    from bench.driver import Bench

    source = db or cached_database(size)
    label = size_label(size)
    print(f"measuring {label} leads ({source.name})", flush=True)
    # The run edits leads, marks them opened and the app backs its file up: work on a copy so
    # every run starts from the same cached data.
    db = Path(scratch) / source.name
    shutil.copyfile(source, db)
    bench = Bench(db, size, log=lambda m: print(m, flush=True), import_rows=import_rows)
    try:
        figures = bench.run()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.write_json(results_dir / f"bench-results-{label}.json", size, figures, bench.extra)
    return report.markdown(label, size, figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated, e.g. 100k or 10k,1M")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one size in this process
    args = parser.parse_args(argv)
    if args.one:
        print(run_one(parse_size(args.one), None, RESULTS_DIR))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        cached_database(size)  # generate up front so no measurement shares the CPU with it
    failed = False
    for size in sizes:
        done = subprocess.run([sys.executable, "-m", "bench", "--one", str(size)], cwd=ROOT, check=False)
        failed |= done.returncode != 0
    done = subprocess.run([sys.executable, "-m", "bench.bulk", "--leads", "100k"], cwd=ROOT, check=False)
    failed |= done.returncode != 0
    done = subprocess.run([sys.executable, "-m", "bench.import_cli", "--rows", str(max(sizes))], cwd=ROOT, check=False)
    failed |= done.returncode != 0
    done = subprocess.run([sys.executable, "-m", "bench.view_leads", "--rows", str(max(sizes))], cwd=ROOT, check=False)
    failed |= done.returncode != 0
    done = subprocess.run([sys.executable, "-m", "bench.criteria", "--rows", str(max(sizes))], cwd=ROOT, check=False)
    failed |= done.returncode != 0
    done = subprocess.run([sys.executable, "-m", "bench.team", "--leads", str(max(sizes))], cwd=ROOT, check=False)
    failed |= done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
