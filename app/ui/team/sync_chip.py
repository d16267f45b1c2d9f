"""The status-bar chip "Synced 2 min ago · 14 waiting · 1 conflict", Sync now, and the automatic sync.

Hidden while no team is configured: then it never starts a sync and never opens a socket. A sync
runs on a ``Task`` (never on the GUI thread); a failure to reach the server turns the chip into
"Offline — 14 waiting" until the next sync succeeds.
"""

import datetime as dt

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from app.qtmodels.events import Changes, DataEvents
from app.services import team
from app.ui.common.tasks import run_task

AUTO_SYNC_MS = 5 * 60 * 1000


def synced_ago(last_synced_at: str | None, now: dt.datetime | None = None) -> str:
    """ "Synced just now", "Synced 2 min ago", "Synced 3 h ago", "Synced 2 days ago", or "Not synced yet"."""
    if not last_synced_at:
        return "Not synced yet"
    now = now or dt.datetime.now(dt.timezone.utc)
    minutes = max(0, int((now - dt.datetime.fromisoformat(last_synced_at)).total_seconds() // 60))
    if minutes < 1:
        return "Synced just now"
    if minutes < 60:
        return f"Synced {minutes} min ago"
    if minutes < 48 * 60:
        return f"Synced {minutes // 60} h ago"
    return f"Synced {minutes // (24 * 60)} days ago"


def chip_text(status: team.TeamStatus, offline: bool, syncing: bool, now: dt.datetime | None = None) -> str:
    if syncing:
        head = "Syncing…"
    elif offline:
        return f"Offline — {status.waiting} waiting" + (f" · {_conflicts(status.conflicts)}" if status.conflicts else "")
    else:
        head = synced_ago(status.last_synced_at, now)
    parts = [head, f"{status.waiting} waiting"]
    if status.conflicts:
        parts.append(_conflicts(status.conflicts))
    return " · ".join(parts)


def _conflicts(n: int) -> str:
    return f"{n} conflict" + ("" if n == 1 else "s")


class SyncChip(QToolButton):
    """Click: Sync now. Its menu: Sync now, Conflicts…. Refreshes after every sync and data change.

    Signals:
        conflicts_requested(): the rep asked for the Conflicts dialog.
        synced(object): a sync finished (its ``SyncReport``).
    """

    conflicts_requested = Signal()
    synced = Signal(object)

    def __init__(self, events: DataEvents, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncChip")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.setToolTip("Click to sync now with your team")
        self._events = events
        self._offline = False
        self._task = None
        self.last_error: str | None = None
        menu = QMenu(self)
        self.sync_action = menu.addAction("&Sync now")
        self.conflicts_action = menu.addAction("&Conflicts…")
        self.setMenu(menu)
        self.clicked.connect(self.sync_now)
        self.sync_action.triggered.connect(self.sync_now)
        self.conflicts_action.triggered.connect(self.conflicts_requested)
        self.timer = QTimer(self, interval=AUTO_SYNC_MS)
        self.timer.timeout.connect(self.sync_now)
        # The "2 min ago" ages while nothing else happens, only while the chip is on screen (a
        # closed window's chip must not keep reading the database).
        self.clock = QTimer(self, interval=60 * 1000)
        self.clock.timeout.connect(self.refresh)
        events.changed.connect(self._on_data_changed)
        self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.clock.start()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.clock.stop()

    @property
    def offline(self) -> bool:
        return self._offline

    @Slot()
    def refresh(self) -> None:
        status = team.status()
        self.setVisible(status.configured)
        if status.configured and not self.timer.isActive():
            self.timer.start()
        elif not status.configured:
            self.timer.stop()
        self.setText(chip_text(status, self._offline, self._task is not None))
        self.conflicts_action.setEnabled(status.conflicts > 0)
        if self._offline and self.last_error:
            self.setToolTip(f"{self.last_error}\nYour changes are kept here and sent at the next sync.")
        else:
            self.setToolTip("Click to sync now with your team")

    @Slot()
    def sync_now(self) -> None:
        if self._task is not None or not team.status().configured:
            return
        self._task = run_task(lambda _progress, _cancelled: team.sync(), self._on_synced, self._on_failed,
                              parent=self.window())
        self.refresh()

    def _on_synced(self, report) -> None:
        self._task, self._offline, self.last_error = None, False, None
        if report.pulled or report.merged or report.duplicates_merged:
            self._events.broadcast(Changes.everything(), self)
        self.refresh()
        self.synced.emit(report)

    def _on_failed(self, message: str) -> None:
        self._task, self._offline, self.last_error = None, True, message
        self.refresh()

    def _on_data_changed(self, _changes, initiator) -> None:
        if initiator is not self:
            self.refresh()
