"""Help → Keyboard shortcuts: the triage keys and every menu shortcut of the window, in one table."""

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.review.triage import TRIAGE_KEYS


def menu_shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """(shortcut, action) for every action of ``window`` that has a shortcut, as the menus show it."""
    rows = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if text:
                rows[text] = action.text().replace("&", "").rstrip("…").strip()
    return sorted(rows.items(), key=lambda kv: kv[1].casefold())


class ShortcutsDialog(QDialog):
    """A read-only table: list keys first (they only work while the list has focus), then menus."""

    def __init__(self, window: QWidget | None = None, parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 560)
        rows = [(key, f"{text} (lead list; Alt+{key[0]} in the form)" if len(key) == 1 else f"{text} (lead list)")
                for key, text in TRIAGE_KEYS]
        if window is not None:
            rows += menu_shortcuts(window)
        self.table = QTableWidget(len(rows), 2, objectName="shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, text) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
