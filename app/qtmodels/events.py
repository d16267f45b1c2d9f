"""One change record and one broadcast (Anki's ``OpChanges`` / ``operation_did_execute``).

Whatever changes data hands a ``Changes`` record to ``DataEvents.broadcast``: the undo stack for
every operation (edits, bulk actions, triage, merges, restores, undo and redo), and the few
whole-database events that are no undo step (an import, a restored backup, the sample data).
Each screen connects one slot to ``DataEvents.changed`` and refreshes only what the record names;
a screen that made the change itself is the ``initiator`` and may skip reloading under the cursor.
Nothing polls, and no other code emits data signals (tests/system/test_broadcast.py checks it).
"""

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Changes:
    """What one change touched.

    ``lead_ids``: leads whose content changed (fields, VIP, tags, notes, memberships, opened);
    ``leads_added_or_removed``: leads were created, deleted or restored, so lists and counts re-query;
    ``campaigns``: a campaign was created, renamed, re-statused, deleted or retargeted;
    ``tags``: the tag list itself (names, colours) changed.
    """

    lead_ids: tuple[int, ...] = ()
    leads_added_or_removed: bool = False
    campaigns: bool = False
    tags: bool = False

    @classmethod
    def everything(cls) -> "Changes":
        """The whole database may differ (an import, a restored backup): every screen reloads."""
        return cls(leads_added_or_removed=True, campaigns=True, tags=True)

    def touches(self, lead_id: int | None) -> bool:
        """True if ``lead_id`` itself changed (named, or possibly gone or back)."""
        return lead_id is not None and (lead_id in self.lead_ids or self.leads_added_or_removed)


class DataEvents(QObject):
    """The application-wide change broadcast.

    Signals:
        changed(Changes, object): something changed; the second argument is the initiator (the
            widget or object that made the change, or None).
    """

    changed = Signal(object, object)

    def broadcast(self, changes: Changes, initiator: object = None) -> None:
        """Tell every screen about ``changes`` (the only way data events are sent)."""
        self.changed.emit(changes, initiator)
