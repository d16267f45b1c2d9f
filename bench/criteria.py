"""Every combination of the list's criteria on imported data, answered as the lead list answers it.

    python -m bench.criteria [--rows 1M]

The View Leads bench times one friendly flow; this one looks for the slow paths. The database is what
``leaddesk import`` makes of the generated file with ``--campaign Big`` (every lead), then its first half
with ``--campaign Half`` (cached in ``build/bench-data``). A copy of it gets, through the app's own triggers:
a campaign holding 1% of the leads (Small), a tag on 1% and one on a third of them, 2% VIPs, 5% approved
leads and one lead in 5,000 in the Trash. Then every combination of

- campaign: none, Big (100%), Half (50%), Small (1%);
- text: none, "q", "s", "sa", "qzx", "ber" (one letter "s" matches 80% of the leads);
- tag: none, 1%, a third;
- row filter: none, VIP, e-mail status valid, valid + two company sizes, approved, approved + a size;

in id order, and the text × campaign × (none, valid) ones sorted by name, is answered on a fresh plan by the
list's steps (``lead_query.answer``, which the query thread runs): the first page, then the count when the page
is full, or the whole result when the page walk gives up or the result is short. Painted is the time until
the list could show its first rows; settled, its first rows and its count; complete, until every id is read.
The figures: p50, p95 and max of each, how many combinations settle within 50 and 100 ms, and the slowest ones.
"""

import hashlib
import itertools
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app.db.schema import MIGRATIONS
from app.services import lead_query
from app.services.lead_filter import LeadFilter
from bench.generate import CACHE_DIR, main_at_size, size_label

CAMPAIGNS = ("-", "Big", "Half", "Small")
TEXTS = ("", "q", "s", "sa", "qzx", "ber")
TAGS = ("-", "Tag 1%", "Tag 33%")
ROW_FILTERS = {"-": {}, "VIP": {"vip": True}, "valid": {"email_statuses": ("valid",)},
               "valid + size": {"email_statuses": ("valid",), "headcounts": ("11-50", "51-200")},
               "approved": {"review_states": ("approved",)},
               "approved + size": {"review_states": ("approved",), "headcounts": ("11-50",)}}
SLOWEST = 12


def imported_database(rows: int, log=print, cache_dir: Path = CACHE_DIR) -> Path:
    """The View Leads bench's imported database for ``rows`` rows, imported once per schema and cached."""
    from bench.view_leads import import_campaigns

    schema = hashlib.sha256("".join(MIGRATIONS).encode()).hexdigest()[:8]
    path = cache_dir / f"imported-{size_label(rows)}-{schema}.db"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="leaddesk-criteria-") as tmp:
            db = import_campaigns(rows, Path(tmp), log=log, cache_dir=cache_dir)
            shutil.copyfile(db, path.with_suffix(".tmp"))
        os.replace(path.with_suffix(".tmp"), path)
    return path


def add_criteria(db: Path) -> None:
    """The Small campaign, the two tags, VIPs, approved leads and a Trash, spread evenly over the leads."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO campaign (name, created_at) VALUES ('Small', '2026-01-01T00:00:00+00:00')")
        conn.execute("INSERT INTO membership (campaign_id, lead_id, stage, added_at) SELECT c.id, l.id, 'discovered', "
                     "'2026-01-01T00:00:00+00:00' FROM lead l, campaign c WHERE c.name = 'Small' AND l.id % 100 = 7")
        for name, every in (("Tag 1%", 100), ("Tag 33%", 3)):
            conn.execute("INSERT INTO tag (name, color) VALUES (?, '#888888')", (name,))
            conn.execute("INSERT INTO lead_tag (lead_id, tag_id) SELECT l.id, t.id FROM lead l, tag t "
                         "WHERE t.name = ? AND l.id % ? = 2", (name, every))
        conn.execute("UPDATE lead SET vip = 1 WHERE id % 50 = 1")
        conn.execute("UPDATE lead SET review_state = 'approved' WHERE id % 20 = 3")
        conn.execute("UPDATE lead SET deleted_at = '2026-01-01T00:00:00+00:00' WHERE id % 5000 = 11")
        conn.execute("COMMIT")
    finally:
        conn.close()


def combinations(conn: sqlite3.Connection) -> list[tuple[str, LeadFilter]]:
    """Every (label, filter) the bench answers."""
    campaigns = dict(conn.execute("SELECT name, id FROM campaign"))
    tags = dict(conn.execute("SELECT name, id FROM tag"))
    out = []
    for campaign, text, tag, (row, extra) in itertools.product(CAMPAIGNS, TEXTS, TAGS, ROW_FILTERS.items()):
        sorts = ("newest", "name") if tag == "-" and row in ("-", "valid") else ("newest",)
        for sort in sorts:
            flt = LeadFilter(text=text, campaign_ids=(campaigns[campaign],) if campaign != "-" else (),
                             tag_ids=(tags[tag],) if tag != "-" else (), sort=sort, **extra)
            out.append((f"campaign {campaign}, text {text!r}, tag {tag}, {row}, by {sort}", flt))
    return out


def answer(conn: sqlite3.Connection, flt: LeadFilter, second=None) -> tuple[float, float, float, int]:
    """Painted, settled and complete times (ms) and the count, by the list's own steps (``lead_query.answer``,
    with the query thread's ``second`` reader) on a fresh plan."""
    from app.db import search

    search.forget_plans()  # a fresh plan with its criteria's sizes counted afresh (earlier filters counted some)
    start = time.perf_counter()
    steps: dict[str, float] = {}
    ids = lead_query.answer(conn, flt, lambda first: steps.setdefault("painted", time.perf_counter()),
                            lambda count: steps.setdefault("settled", time.perf_counter()), second)
    complete = time.perf_counter()
    return (1000 * (steps.get("painted", complete) - start), 1000 * (steps.get("settled", complete) - start),
            1000 * (complete - start), len(ids))


def measure(rows: int, log=print, cache_dir: Path = CACHE_DIR) -> dict:
    source = imported_database(rows, log=log, cache_dir=cache_dir)
    with tempfile.TemporaryDirectory(prefix="leaddesk-criteria-") as tmp:
        db = Path(tmp) / "leads.db"
        shutil.copyfile(source, db)
        add_criteria(db)
        conn = lead_query.open_query_connection(db)
        second = lead_query.open_second_reader(db)
        try:
            load = " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
            results = []
            for label, flt in combinations(conn):
                painted, settled, complete, count = answer(conn, flt, second)
                results.append({"filter": label, "painted_ms": round(painted, 1), "settled_ms": round(settled, 1),
                                "complete_ms": round(complete, 1), "count": count})
        finally:
            second.close()
            conn.close()
    return {"load": load, "results": results}


def markdown(rows: int, measured: dict) -> str:
    results = measured["results"]
    painted = [r["painted_ms"] for r in results]
    settled = [r["settled_ms"] for r in results]
    complete = [r["complete_ms"] for r in results]

    def spread(values: list[float]) -> str:
        return (f"{statistics.median(values):.0f} / {statistics.quantiles(values, n=20)[-1]:.0f} / "
                f"{max(values):.0f} ms")
    lines = [f"### Every criterion combination on {size_label(rows)} imported leads (load before: {measured['load']})",
             "", "| combinations | painted p50 / p95 / max | settled p50 / p95 / max | complete p50 / p95 / max"
             " | settled ≤ 50 ms | ≤ 100 ms |",
             "|---:|---:|---:|---:|---:|---:|",
             f"| {len(results)} | {spread(painted)} | {spread(settled)} | {spread(complete)} |"
             f" {sum(s <= 50 for s in settled)} | {sum(s <= 100 for s in settled)} |", "", "Slowest to settle:", "",
             "| filter | matches | settled | complete |", "|---|---:|---:|---:|"]
    for r in sorted(results, key=lambda r: -r["settled_ms"])[:SLOWEST]:
        lines.append(f"| {r['filter']} | {r['count']:,} | {r['settled_ms']:.0f} ms | {r['complete_ms']:.0f} ms |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    return main_at_size(argv, prog="python -m bench.criteria", doc=__doc__, kind="criteria", option="--rows",
                        default="100k", help_text="rows of the imported file, e.g. 100k or 1M",
                        measure=measure, markdown=markdown)


if __name__ == "__main__":
    sys.exit(main())
