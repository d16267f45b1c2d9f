"""The History tab of the detail panel: every change to the lead, newest first."""

from PySide6.QtCore import QDateTime, Qt, Slot
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes, DataEvents
from app.services import history


def local_time(at: str) -> str:
    """"2026-03-14 09:30" in the rep's time zone, from a stored UTC timestamp."""
    moment = QDateTime.fromString(at, Qt.DateFormat.ISODate)
    return moment.toLocalTime().toString("yyyy-MM-dd HH:mm") if moment.isValid() else at


class HistoryView(QWidget):
    """Lists ``lead_history`` for one lead (When · Change · By) and follows DataEvents."""

    def __init__(self, events: DataEvents, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyView")
        self._lead_id: int | None = None
        self.tree = QTreeWidget(objectName="historyList")
        self.tree.setAccessibleName("Lead history")
        self.tree.setHeaderLabels(["When", "Change", "By"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.empty = QLabel("No changes yet. Edits, imports, merges and undo show up here.",
                            objectName="historyEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        events.changed.connect(self._on_events_changed)
        self.refresh()

    def set_lead(self, lead_id: int | None) -> None:
        if lead_id != self._lead_id:
            self._lead_id = lead_id
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        entries = history.lead_history(self._lead_id) if self._lead_id is not None else []
        self.tree.clear()
        self.tree.addTopLevelItems([
            QTreeWidgetItem([local_time(e.at), e.describe(), e.source]) for e in entries
        ])
        for column in (0, 2):
            self.tree.resizeColumnToContents(column)
        self.stack.setCurrentWidget(self.tree if entries else self.empty)

    @Slot(object, object)
    def _on_events_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(self._lead_id):
            self.refresh()
