"""Lead owners: spread an import's new leads across reps round-robin, reassign leads (no Qt).

A post-step after an import: the leads the run created get owners in their creation order. When a
team is configured the owner also goes into each lead's queued ``lead_new`` row, so the server keeps
it (a manager's push only; a rep's new leads are always the rep's own).

``reassign_owner`` gives existing leads to another rep: history and, with a team configured, the
outbox are written in the same transaction as the change. The team server accepts an owner change
from a manager only; a rep's is refused and the lead goes back to the server's owner.
"""

from collections.abc import Iterable

from app.db.connection import database
from app.db.models import utc_now

REASSIGN_SOURCE = "owner reassigned"


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


def reassign_owner(lead_ids: Iterable[int], owner: str) -> int:
    """Make ``owner`` the owner of the leads ``lead_ids``; returns how many changed owner."""
    owner = owner.strip()
    if not owner:
        raise ValueError("a new owner needs a rep name")
    with database.atomic():
        database.execute_sql("CREATE TEMP TABLE IF NOT EXISTS reassign_ids (id INTEGER PRIMARY KEY)")
        database.execute_sql("DELETE FROM temp.reassign_ids")
        database.connection().executemany("INSERT OR IGNORE INTO temp.reassign_ids VALUES (?)",
                                          ((int(i),) for i in lead_ids))
        leads = "FROM lead WHERE id IN (SELECT id FROM temp.reassign_ids) AND owner <> ?"
        now = utc_now()
        database.execute_sql("INSERT INTO lead_history (lead_id, at, source, field, old, new) "
                             f"SELECT id, ?, ?, 'owner', owner, ? {leads}", (now, REASSIGN_SOURCE, owner, owner))
        # Owner has no capture trigger (a rep's own changes never touch it): queue it here, gated as they are.
        database.execute_sql("INSERT INTO outbox (kind, lead_uid, field, old, new, at) "
                             f"SELECT 'field', uid, 'owner', owner, ?, ? {leads} "
                             "AND (SELECT enabled AND NOT applying FROM sync_state)", (owner, now, owner))
        changed = database.execute_sql("UPDATE lead SET owner = ?, updated_at = ? WHERE id IN "
                                       "(SELECT id FROM temp.reassign_ids) AND owner <> ?", (owner, now, owner)).rowcount
        database.execute_sql("DELETE FROM temp.reassign_ids")
    return changed


def leads_to_reassign(campaign: str | None = None, owner: str | None = None) -> list[int]:
    """The leads of ``campaign`` (by name), or those ``owner`` owns, or every lead when both are None."""
    if campaign is not None:
        found = database.execute_sql("SELECT id FROM campaign WHERE name = ?", (campaign,)).fetchone()
        if found is None:
            raise ValueError(f"no campaign named “{campaign}”")
        sql, params = "SELECT lead_id FROM membership WHERE campaign_id = ? ORDER BY lead_id", (found[0],)
    elif owner is not None:
        sql, params = "SELECT id FROM lead WHERE owner = ? ORDER BY id", (owner,)
    else:
        sql, params = "SELECT id FROM lead ORDER BY id", ()
    return [r[0] for r in database.execute_sql(sql, params)]
