"""The Conflicts dialog: fields another rep changed first, with Mine / Theirs / Original and who.

Keeping theirs accepts the server's value (already in the lead); keeping mine writes it again as a
new edit, sent at the next sync. Both values stay in the lead's history either way.
"""

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes, DataEvents
from app.services import team
from app.ui.leads.history import local_time

COLUMNS = ["Lead", "Field", "Mine", "Theirs", "Original", "Changed by", "When"]


def _shown(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


class ConflictsDialog(QDialog):
    """Lists the open conflicts; Keep mine / Keep theirs for the selected rows or for all of them."""

    def __init__(self, events: DataEvents, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Sync conflicts")
        self.resize(820, 380)
        self._events = events
        self._conflicts: list[team.ConflictInfo] = []
        intro = QLabel("Another rep changed these fields before your change reached the team server. "
                       "Their value is in the lead now; choose which one to keep.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self, objectName="conflictsTable")
        self.table.setAccessibleName("Conflicts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty_label = QLabel("No conflicts: everything you changed reached the team.", objectName="conflictsEmpty")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.mine_button = QPushButton("Keep &mine", objectName="keepMineButton")
        self.theirs_button = QPushButton("Keep &theirs", objectName="keepTheirsButton")
        self.all_mine_button = QPushButton("Keep mine for &all", objectName="keepAllMineButton")
        self.all_theirs_button = QPushButton("Keep theirs for a&ll", objectName="keepAllTheirsButton")
        for button in (self.mine_button, self.theirs_button, self.all_mine_button, self.all_theirs_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.table, self.empty_label, buttons):
            layout.addWidget(widget)
        self.mine_button.clicked.connect(lambda: self._resolve("mine", self._selected()))
        self.theirs_button.clicked.connect(lambda: self._resolve("theirs", self._selected()))
        self.all_mine_button.clicked.connect(lambda: self._resolve("mine", self._conflicts))
        self.all_theirs_button.clicked.connect(lambda: self._resolve("theirs", self._conflicts))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    @Slot()
    def reload(self) -> None:
        self._conflicts = team.conflicts()
        self.table.setRowCount(len(self._conflicts))
        for row, c in enumerate(self._conflicts):
            cells = (c.lead_name or "(deleted lead)", c.field.replace("_", " "), _shown(c.mine), _shown(c.theirs),
                     _shown(c.original), c.theirs_rep or "", local_time(c.theirs_at) if c.theirs_at else "")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self._conflicts:
            self.table.selectRow(0)
        self.table.setVisible(bool(self._conflicts))
        self.empty_label.setVisible(not self._conflicts)
        self._update_buttons()

    def _selected(self) -> list[team.ConflictInfo]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._conflicts[row] for row in rows]

    @Slot()
    def _update_buttons(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.mine_button.setEnabled(selected)
        self.theirs_button.setEnabled(selected)
        self.all_mine_button.setEnabled(bool(self._conflicts))
        self.all_theirs_button.setEnabled(bool(self._conflicts))

    def _resolve(self, choice: str, conflicts: list[team.ConflictInfo]) -> None:
        for conflict in conflicts:
            team.resolve(conflict.id, choice)
        lead_ids = tuple(sorted({c.lead_id for c in conflicts if c.lead_id is not None}))
        self._events.broadcast(Changes(lead_ids=lead_ids), self)
        self.reload()
