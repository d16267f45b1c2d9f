"""Bulk actions and their undo/redo on N leads (their figures in `make bench`).

    python -m bench.bulk [--leads 100k]

Each action runs on every lead of a fresh database (filled with raw executemany), then is undone
and redone, the way a rep would after a mistaken "select all".
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import parse_size, save_results

TARGET_S = 10.0  # "bulk work on 100,000 leads takes seconds"


def measure(db_path: Path, n: int) -> dict[str, float]:
    """Seconds taken by each bulk action, its undo and its redo on ``n`` leads at ``db_path`` (new)."""
    from app.db.connection import close_database, database, open_database
    from app.db.models import utc_now
    from app.services import bulk, undo
    from app.services.lead_filter import LeadFilter

    open_database(db_path)
    try:
        now = utc_now()
        with database.atomic():
            database.execute_sql("INSERT INTO campaign (name, created_at) VALUES ('Bench', ?)", (now,))
            database.connection().executemany(
                "INSERT INTO lead (id_lead, first_name, last_name, job_title, email, company_name, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ((f"L{i}", f"First{i % 997}", f"Last{i}", "Head of Sales", f"p{i}@example.com",
                  f"Company {i % 5000}", now, now) for i in range(n)),
            )
        campaign_id = database.execute_sql("SELECT id FROM campaign").fetchone()[0]
        everyone = LeadFilter()
        actions = {
            "approve": lambda: bulk.set_review_state(everyone, "approved"),
            "vip": lambda: bulk.set_vip(everyone, True),
            "add tag": lambda: bulk.add_tag(everyone, "bench"),
            "add to campaign": lambda: bulk.assign_campaign(everyone, campaign_id),
            "delete to Trash": lambda: bulk.delete_to_trash(everyone),
        }
        times: dict[str, float] = {}
        for name, action in actions.items():
            start = time.perf_counter()
            op = action()
            times[name] = time.perf_counter() - start
            start = time.perf_counter()
            undo.undo(op)
            times[f"undo {name}"] = time.perf_counter() - start
            start = time.perf_counter()
            undo.redo(op)
            times[f"redo {name}"] = time.perf_counter() - start
            undo.undo(op)  # back to the starting point for the next action
            undo.discard(op)
        return times
    finally:
        close_database()


def markdown(n: int, times: dict[str, float]) -> str:
    rows = [f"### Bulk actions on {n:,} leads", "", "| action | do | undo | redo |", "|---|---:|---:|---:|"]
    for name in [k for k in times if not k.startswith(("undo ", "redo "))]:
        cells = [times[name], times[f"undo {name}"], times[f"redo {name}"]]
        rows.append(f"| {name} | " + " | ".join(
            f"{s:.2f} s{'' if s <= TARGET_S else ' FAIL'}" for s in cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bulk", description=__doc__.splitlines()[0])
    parser.add_argument("--leads", default="100k")
    n = parse_size(parser.parse_args(argv).leads)
    with tempfile.TemporaryDirectory(prefix="leaddesk-bulk-") as scratch:
        times = measure(Path(scratch) / "bulk.db", n)
    print(markdown(n, times), flush=True)
    save_results("bulk", n, {"leads": n, "seconds": times, "target_s": TARGET_S})
    return 0 if all(s <= TARGET_S for s in times.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
