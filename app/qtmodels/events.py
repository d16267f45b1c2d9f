"""DataEvents: the one broadcast that tells every screen what changed (Anki's pattern).

Whoever changes data through the services layer emits the matching signal; each screen refreshes
only what the signal names. Nothing polls.
"""

from PySide6.QtCore import QObject, Signal


class DataEvents(QObject):
    """Application-wide change notifications.

    Signals:
        leads_changed(list): these lead ids changed (fields, VIP, tags, notes, memberships).
        leads_added_or_removed(): leads were created, deleted or restored (an import, a delete).
        campaigns_changed(): a campaign was created, renamed, re-statused, deleted or retargeted.
        tags_changed(): the tag list (names, colours) changed.
    """

    leads_changed = Signal(list)
    leads_added_or_removed = Signal()
    campaigns_changed = Signal()
    tags_changed = Signal()
