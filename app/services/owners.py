"""Lead owners: spread an import's new leads across reps round-robin (no Qt).

A post-step after an import: the leads the run created get owners in their creation order. When a
team is configured the owner also goes into each lead's queued ``lead_new`` row, so the server keeps
it (a manager's push only; a rep's new leads are always the rep's own).
"""

from app.db.connection import database


def parse_owners(text: str) -> list[str]:
    """``"ann, bob,,cy"`` → ``["ann", "bob", "cy"]``; ValueError if no name is left."""
    owners = list(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    if not owners:
        raise ValueError("--owners needs at least one rep name, e.g. --owners ann,bob")
    return owners

def spread_new_leads(run_id: int, owners: list[str]) -> dict[str, int]:
    """Give the leads import run ``run_id`` created to ``owners`` in turn; returns leads per owner."""
    if not owners:
        raise ValueError("no owners to spread the leads across")
    ids = [r[0] for r in database.execute_sql(
        "SELECT lead_id FROM import_change WHERE import_id = ? AND kind = 'created' ORDER BY lead_id", (run_id,))]
    pairs = [(owners[i % len(owners)], lead_id) for i, lead_id in enumerate(ids)]
    with database.atomic():
        conn = database.connection()
        conn.executemany("UPDATE lead SET owner = ? WHERE id = ?", pairs)
        conn.executemany(
            "UPDATE outbox SET new = json_set(new, '$.owner', ?) WHERE kind = 'lead_new' "
            "AND lead_uid = (SELECT uid FROM lead WHERE id = ?)", pairs)
    counts = dict.fromkeys(owners, 0)
    for owner, _lead in pairs:
        counts[owner] += 1
    return counts
