"""Review states, the editable list of rejection reasons, and Review mode's progress.

A lead is ``new`` until the rep approves, rejects (with a reason) or skips it. Review mode shows
the ``new`` leads of the current filter and counts how many of them were reviewed since the
session started, from ``lead_history`` (so it survives a restart and follows undo).
"""

from dataclasses import dataclass

from app.db.connection import database
from app.db.criteria import compile_filter
from app.db.models import ReviewReason, utc_now
from app.services.lead_filter import LeadFilter

STATE_LABELS = {"new": "New", "approved": "Approved", "rejected": "Rejected", "skipped": "Skipped"}


class ReasonError(ValueError):
    """A rejection reason could not be saved (empty, or a duplicate)."""


def list_reasons() -> list[str]:
    """The rejection reasons, in the order the picker shows them."""
    return [r.name for r in ReviewReason.select().order_by(ReviewReason.position, ReviewReason.id)]


def add_reason(name: str) -> str:
    """Add a reason at the end of the list; returns its cleaned name (existing ones are kept)."""
    name = " ".join((name or "").split())
    if not name:
        raise ReasonError("A reason needs some words.")
    with database.atomic():
        existing = ReviewReason.get_or_none(ReviewReason.name == name)  # NOCASE column
        if existing:
            return existing.name
        last = database.execute_sql("SELECT COALESCE(max(position), 0) FROM review_reason").fetchone()[0]
        ReviewReason.insert(name=name, position=last + 1).execute()
    return name


def set_reasons(names: list[str]) -> list[str]:
    """Replace the list (the reason editor's Save). Leads keep whatever reason they were given."""
    cleaned = list(dict.fromkeys(" ".join(n.split()) for n in names if n.strip()))
    if len({n.casefold() for n in cleaned}) != len(cleaned):
        raise ReasonError("Two reasons differ only in capital letters.")
    with database.atomic():
        ReviewReason.delete().execute()
        for position, name in enumerate(cleaned, 1):
            ReviewReason.insert(name=name, position=position).execute()
    return cleaned


def review_filter(flt: LeadFilter) -> LeadFilter:
    """What Review mode lists: the ``new`` leads of the current filter."""
    return flt.replace(review_states=("new",))


@dataclass(frozen=True)
class ReviewProgress:
    reviewed: int
    total: int

    def describe(self) -> str:
        return f"{self.reviewed:,} of {self.total:,} reviewed"


def session_start() -> str:
    """The timestamp a Review mode session counts from (same clock as lead_history)."""
    return utc_now()


def review_progress(flt: LeadFilter, since: str) -> ReviewProgress:
    """How far Review mode got: leads of ``flt`` (any state) reviewed since ``since`` vs. to do.

    Reviewed means: no longer ``new`` now, and left ``new`` after the session started.
    """
    where, params = compile_filter(flt.replace(review_states=()))
    remaining = database.execute_sql(
        f"SELECT count(*) FROM lead l WHERE {where} AND l.review_state = 'new'", params).fetchone()[0]
    reviewed = database.execute_sql(
        f"SELECT count(*) FROM lead l WHERE {where} AND l.review_state != 'new' AND EXISTS ("
        f"SELECT 1 FROM lead_history h WHERE h.lead_id = l.id AND h.field = 'review_state' "
        f"AND h.old = 'new' AND h.at >= ?)", params + [since]).fetchone()[0]
    return ReviewProgress(reviewed, reviewed + remaining)
