"""Help → Keyboard shortcuts lists the triage keys and the window's menu shortcuts."""

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from app.ui.shell.shortcuts_dialog import ShortcutsDialog


def test_shortcuts_table_lists_triage_and_menu_keys(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("&Edit")
    menu.addAction(QAction("&Undo", window, shortcut=QKeySequence("Ctrl+Z")))
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert rows["A"].startswith("Approve")
    assert "Alt+A" in rows["A"]
    assert rows["J / Down"].startswith("Next lead")
    assert rows[QKeySequence("Ctrl+Z").toString(QKeySequence.SequenceFormat.NativeText)] == "Undo"
