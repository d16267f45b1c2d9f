"""Team sync figures: first sync of a big team base, a push of 10,000 offline edits, an incremental pull.

    python -m bench.team [--leads 1M]

Starts a throwaway PostgreSQL cluster as the tests do (``tests/helpers/pgcluster.py``: a temp
folder, unix socket only, run as the ``postgres`` user when root; fsync off, as for a test server).
The team base is the benchmark's realistic database (``bench.generate``: campaigns, memberships,
tags) as a rep's first push leaves it on the server: every lead, membership and tag in the server
tables and the change log, in the order and shape the push writes them, loaded with COPY (pushing
a million leads one mutation at a time would take the bench far longer than the figures it
measures). Then, each timed as the whole ``engine.sync`` a rep runs:

- first sync: the whole base into an empty replica, from the server's snapshot (target ≤ 60 s at 1M);
- push: another rep (a copy of that replica with its own client id) edits 10,000 job titles
  offline (the detail form's ``leads.update_field``, in one transaction to spare 10,000 fsyncs on
  the bench machine) and syncs: the push, then the pull of its own 10,000 changes;
- incremental sync: the first rep pulls those 10,000 changes (target ≤ 2 s).

After the first sync the replica must hold exactly the server's leads, memberships and tags.
"""

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.generate import cached_database, main_at_size, size_label

EDITS = 10_000
TARGETS = {"first": 60.0, "incremental": 2.0}  # seconds
LABELS = {"first": "first sync into an empty replica", "push": f"push of {EDITS:,} offline edits",
          "incremental": f"incremental sync of {EDITS:,} changes"}
AT = "2025-06-01T09:00:00+00:00"


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])


def load_base(admin_conn, source: Path, owner: str) -> dict[str, int]:
    """Fill the empty team base from the SQLite file ``source`` as ``owner``'s first push does.

    The push sends the outbox ``replica.enable`` queued (every lead, then its tags, then its
    memberships) and the server writes, per mutation: the row, and a ``change`` with the next version
    whose value is what a pull applies (``server._Push``). Returns the rows written per kind.
    """
    from app.db.schema_v4 import SYNCED_LEAD_FIELDS

    client_id = str(uuid.uuid4())
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    columns = ", ".join(SYNCED_LEAD_FIELDS)
    version = 0

    def logged(kind: str, rows):
        nonlocal version
        for lead_uid, ref, value in rows:
            version += 1
            yield version, kind, lead_uid, ref, json.dumps(value), client_id, owner, AT

    email = SYNCED_LEAD_FIELDS.index("email")

    def team_leads():
        # The generated file repeats some e-mails (two people, one address); the team server holds one
        # live lead per e-mail, so a repeat gets its own address here.
        seen = set()
        for uid, *values, created_at in lite.execute(f"SELECT uid, {columns}, created_at FROM lead ORDER BY id"):
            if values[email]:
                if values[email] in seen:
                    values[email] = values[email].replace("@", f"+{uid[:8]}@")
                seen.add(values[email])
            yield uid, values, created_at

    def lead_rows():
        for uid, values, _created_at in team_leads():
            yield uid, None, {**dict(zip(SYNCED_LEAD_FIELDS, values)), "owner": owner}

    counts = {}
    try:
        with admin_conn.transaction():
            cur = admin_conn.cursor()
            _copy(cur, f"lead (uid, {columns}, owner, created_at)",
                  ((uid, *values, owner, created_at) for uid, values, created_at in team_leads()))
            _copy(cur, "change (version, kind, lead_uid, ref, value, client_id, rep, at)", logged("lead_new", lead_rows()))
            counts["leads"] = version
            for kind, table, link, values in (("tag", "tag", "lead_tag", "json_object('name', e.name, 'color', e.color)"),
                                              ("member", "campaign", "membership", "json_object('name', e.name)")):
                _copy(cur, f"{table} (uid, name{', color' if kind == 'tag' else ''})",
                      lite.execute(f"SELECT uid, name{', color' if kind == 'tag' else ''} FROM {table}"))
                links = f"FROM {link} x JOIN lead l ON l.id = x.lead_id JOIN {table} e ON e.id = x.{table}_id"
                _copy(cur, f"{link} (lead_uid, {table}_uid)", lite.execute(f"SELECT l.uid, e.uid {links}"))
                before = version
                _copy(cur, "change (version, kind, lead_uid, ref, value, client_id, rep, at)", logged(
                    f"{kind}_add", ((u, e, json.loads(v)) for u, e, v in lite.execute(f"SELECT l.uid, e.uid, {values} {links}"))))
                counts[link] = version - before
            cur.execute("UPDATE sync_counter SET version = %s WHERE id = 1", (version,))
        admin_conn.execute("ANALYZE")
    finally:
        lite.close()
    return counts


def _copy(cur, target: str, rows) -> None:
    with cur.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _counts(replica_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{replica_path}?mode=ro", uri=True)
    try:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("lead", "lead_tag", "membership")}
    finally:
        conn.close()


def _timed(rep) -> tuple[float, float, object]:
    cpu = time.process_time()
    start = time.perf_counter()
    report = rep.sync()
    return time.perf_counter() - start, time.process_time() - cpu, report


def _offline_edits(rep) -> None:
    """``EDITS`` job titles changed through the detail form's service, in one transaction."""
    from app.db.connection import database
    from app.services import leads

    with rep.open():
        ids = [r[0] for r in database.execute_sql("SELECT id FROM lead ORDER BY id LIMIT ?", (EDITS,))]
        with database.atomic():
            for lead_id in ids:
                leads.update_field(lead_id, "job_title", f"Head of Growth #{lead_id}")


def measure(leads: int, log=print) -> list[dict]:
    from tests.helpers.pgcluster import find_bindir, start_cluster
    from tests.helpers.team import Team

    if find_bindir() is None:
        log("team sync bench skipped: PostgreSQL is not installed (apt-get install postgresql)")
        return []
    source = cached_database(leads, log=log)
    scratch = Path(tempfile.mkdtemp(prefix="leaddesk-bench-team-"))
    # Like the tests: never read or write the real user's settings and data folder.
    os.environ["LEADDESK_DATA_DIR"] = str(scratch / "data")
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    cluster = start_cluster()
    results = []
    try:
        team = Team(cluster, scratch, reps=("ann", "bob", "cy"))
        started = time.perf_counter()
        with cluster.connect(f"team{team.number}") as admin:
            base = load_base(admin, source, team.role("cy"))
        log(f"  team base of {size_label(leads)} leads ({base['lead_tag']:,} tags, {base['membership']:,} "
            f"memberships) loaded in {time.perf_counter() - started:.1f} s")
        total = sum(base.values())

        bob = team.replica("bob")
        load = _load()
        seconds, cpu, report = _timed(bob)
        if report.pulled != total or _counts(bob.path) != {"lead": base["leads"], "lead_tag": base["lead_tag"],
                                                         "membership": base["membership"]}:
            raise RuntimeError(f"the first sync did not copy the base: {report} {_counts(bob.path)} {base}")
        results.append(_figure("first", total, seconds, cpu, load))
        log(f"  {LABELS['first']}: {seconds:.1f} s ({cpu:.1f} s CPU here), {total:,} changes (load {load})")

        ann = team.replica("ann")
        shutil.copyfile(bob.path, ann.path)  # as if ann had run her own first sync
        with ann.open() as db:
            db.execute_sql("UPDATE sync_state SET client_id = ?", (str(uuid.uuid4()),))
        _offline_edits(ann)
        load = _load()
        seconds, cpu, report = _timed(ann)
        if report.pushed != EDITS or report.conflicts:
            raise RuntimeError(f"the push did not apply {EDITS} edits: {report}")
        results.append(_figure("push", EDITS, seconds, cpu, load))
        log(f"  {LABELS['push']}: {seconds:.1f} s ({cpu:.1f} s CPU here) (load {load})")

        load = _load()
        seconds, cpu, report = _timed(bob)
        if report.pulled != EDITS:
            raise RuntimeError(f"the incremental sync did not pull {EDITS} changes: {report}")
        results.append(_figure("incremental", EDITS, seconds, cpu, load))
        log(f"  {LABELS['incremental']}: {seconds:.2f} s ({cpu:.2f} s CPU here) (load {load})")
    finally:
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def _figure(key: str, changes: int, seconds: float, cpu: float, load: str) -> dict:
    return {"key": key, "changes": changes, "seconds": seconds, "cpu_seconds": cpu, "target": TARGETS.get(key),
            "load": load}


def markdown(leads: int, results: list[dict]) -> str:
    lines = [f"### Team sync ({size_label(leads)}-lead team base, PostgreSQL on a unix socket)", "",
             "| sync | changes | time | target | result | CPU (LeadDesk process) | load before |",
             "|---|---:|---:|---:|---|---:|---|"]
    for r in results:
        target = r["target"]
        verdict = ("PASS" if r["seconds"] <= target else "FAIL") if target else ""
        lines.append(f"| {LABELS[r['key']]} | {r['changes']:,} | {r['seconds']:.2f} s | "
                     f"{f'≤ {target:.0f} s' if target else '—'} | {verdict} | {r['cpu_seconds']:.2f} s | {r['load']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    return main_at_size(argv, prog="python -m bench.team", doc=__doc__, kind="team", option="--leads",
                        default="1M", help_text="leads in the team base, e.g. 100k or 1M",
                        measure=measure, markdown=markdown)


if __name__ == "__main__":
    sys.exit(main())
