"""Texts the rep reads in more than one place, kept together so they say the same thing."""

from app.services.undo import plural

CANCELLED = "Cancelled: nothing was changed."


def working_on(what: str, count: int) -> str:
    """A progress dialog's label: "Approve: 12,000 leads…"."""
    return f"{what}: {plural(count)}…"
