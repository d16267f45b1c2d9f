"""Bulk actions on a selection of leads or on every lead matching a filter, all set-based SQL.

Each function takes a ``target`` (a list of lead ids, or a ``LeadFilter`` meaning "all N leads
matching the filter"), applies one change through ``undo.run`` and returns the undoable
``Operation``; ``progress``/``cancelled`` keywords go on to ``undo.run`` (a cancel rolls back
everything and raises ``undo.CancelledError``). The ids in scope sit in a table of the undo store, so 100,000 leads cost a handful of
statements. Triage keys use the same functions on a one-lead target (source "edited here").
"""

from app.db.connection import database
from app.db.models import utc_now
from app.services import fields, undo
from app.services.campaigns import require_active
from app.services.undo import Operation, plural

STATE_VERBS = {"new": "Mark new", "approved": "Approve", "rejected": "Reject", "skipped": "Skip"}


def _sql(sql: str, params=()):
    return database.execute_sql(sql, params)


def _live(ids: str) -> str:
    # Actions other than restore only touch leads outside the Trash.
    return f"id IN (SELECT id FROM {ids}) AND deleted_at IS NULL"


def _opened(mark_opened: bool) -> str:
    # A triage key is the rep working on that lead: it counts as opening it.
    return ", opened_at = COALESCE(opened_at, ?)" if mark_opened else ""


def count(target) -> int:
    """The exact number of leads an action on ``target`` would change (for the dialog)."""
    return undo.count_target(target)


def set_review_state(target, state: str, reason: str = "", *, source: str | None = None,
                     mark_opened: bool = False, **watch) -> Operation:
    """Approve, reject (with a reason), skip or reset the review state of the leads."""
    if state not in fields.REVIEW_STATES:
        raise ValueError(f"Unknown review state “{state}”.")
    reason = reason.strip() if state == "rejected" else ""
    verb = STATE_VERBS[state]

    def change(ids):
        now = utc_now()
        _sql(f"UPDATE lead SET review_state = ?, review_reason = ?, updated_at = ?{_opened(mark_opened)} "
             f"WHERE {_live(ids)}", (state, reason, now) + ((now,) if mark_opened else ()))

    return undo.run(lambda n: f"{verb} {plural(n)}", target, change,
                    lead_columns=("review_state", "review_reason", "opened_at"), tables=(),
                    source=source or f"bulk: {verb.lower()}", **watch)


def set_vip(target, vip: bool, *, source: str | None = None, mark_opened: bool = False, **watch) -> Operation:
    """Mark (or unmark) the leads as VIP."""
    verb = "Mark VIP" if vip else "Unmark VIP"

    def change(ids):
        now = utc_now()
        _sql(f"UPDATE lead SET vip = ?, updated_at = ?{_opened(mark_opened)} WHERE {_live(ids)} AND vip != ?",
             (int(vip), now) + ((now,) if mark_opened else ()) + (int(vip),))

    return undo.run(lambda n: f"{verb}: {plural(n)}", target, change,
                    lead_columns=("vip", "opened_at"), tables=(), source=source or f"bulk: {verb.lower()}", **watch)


def _tag_id(name: str) -> int:
    name = " ".join(name.split())
    if not name:
        raise ValueError("A tag needs a name.")
    _sql("INSERT OR IGNORE INTO tag (name) VALUES (?)", (name,))
    return _sql("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()[0]


def add_tag(target, tag_name: str, *, source: str | None = None, **watch) -> Operation:
    """Tag the leads (creating the tag if it does not exist yet)."""
    def change(ids):
        tag_id = _tag_id(tag_name)
        _sql(f"INSERT OR IGNORE INTO lead_tag (tag_id, lead_id) SELECT ?, id FROM lead WHERE {_live(ids)}", (tag_id,))
        _touch(ids)

    return undo.run(lambda n: f"Add tag to {plural(n)}", target, change,
                    lead_columns=(), tables=("lead_tag", "tag"), source=source or "bulk: add tag", **watch)


def remove_tag(target, tag_id: int, *, source: str | None = None, **watch) -> Operation:
    """Take a tag off the leads."""
    def change(ids):
        _sql(f"DELETE FROM lead_tag WHERE tag_id = ? AND lead_id IN (SELECT id FROM lead WHERE {_live(ids)})", (tag_id,))
        _touch(ids)

    return undo.run(lambda n: f"Remove tag from {plural(n)}", target, change,
                    lead_columns=(), tables=("lead_tag",), source=source or "bulk: remove tag", **watch)


def assign_campaign(target, campaign_id: int, *, source: str | None = None, **watch) -> Operation:
    """Add the leads to a campaign; only active campaigns take leads (CampaignInactiveError)."""
    require_active([campaign_id])

    def change(ids):
        _sql(f"INSERT OR IGNORE INTO membership (campaign_id, lead_id, added_at) "
             f"SELECT ?, id, ? FROM lead WHERE {_live(ids)}", (campaign_id, utc_now()))
        _touch(ids)

    return undo.run(lambda n: f"Add {plural(n)} to campaign", target, change,
                    lead_columns=(), tables=("membership",), source=source or "bulk: add to campaign", **watch)


def remove_from_campaign(target, campaign_id: int, *, source: str | None = None, **watch) -> Operation:
    """Take the leads out of a campaign."""
    def change(ids):
        _sql(f"DELETE FROM membership WHERE campaign_id = ? AND lead_id IN (SELECT id FROM lead WHERE {_live(ids)})",
             (campaign_id,))
        _touch(ids)

    return undo.run(lambda n: f"Remove {plural(n)} from campaign", target, change,
                    lead_columns=(), tables=("membership",), source=source or "bulk: remove from campaign", **watch)


def delete_to_trash(target, *, source: str | None = None, **watch) -> Operation:
    """Move the leads to the Trash (restorable until the Trash is emptied)."""
    def change(ids):
        now = utc_now()
        _sql(f"UPDATE lead SET deleted_at = ?, updated_at = ? WHERE {_live(ids)}", (now, now))

    return undo.run(lambda n: f"Delete {plural(n)}", target, change,
                    lead_columns=("deleted_at",), tables=(), source=source or "bulk: delete", **watch)


def _touch(ids: str) -> None:
    # Tags and memberships live in other tables; updated_at still tells "this lead changed".
    _sql(f"UPDATE lead SET updated_at = ? WHERE {_live(ids)}", (utc_now(),))
