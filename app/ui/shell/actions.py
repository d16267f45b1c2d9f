"""Every menu action of the main window, declared once, and the one function that builds the menus.

An action is one ``ActionSpec`` line in ``ACTIONS``: its key, the menu it sits in (``MENUS``, in
menu-bar order), its text, shortcut and tooltip, and the ``MainWindow`` method it calls. The list's
order is the menus' order; ``separator=True`` starts a new group. ``create_actions`` makes the
``QAction`` objects (the window keeps them as ``window.actions[key]``, objectName ``<key>Action``)
and ``create_menus`` puts them in the menu bar: no other code creates a menu or a menu action.
"""

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

# (key, title) in menu-bar order. The Review menu has no mnemonic: Alt+letter is for triage from the form.
MENUS = (("file", "&File"), ("edit", "&Edit"), ("view", "&View"), ("review", "Review"), ("help", "&Help"))

Shortcut = str | QKeySequence.StandardKey | tuple


@dataclass(frozen=True)
class ActionSpec:
    """One menu action: where it goes, what it shows, and the window method ``slot`` it triggers.

    A ``checkable`` action calls its slot with the new state (``toggled``). ``make`` builds the
    action itself (the undo stack's Undo and Redo, whose text follows the stack). ``widget_only``
    keeps the shortcut to the widget the action is added to (Delete acts on the list, never on
    the text in a field).
    """

    key: str
    menu: str
    text: str
    slot: str
    shortcut: Shortcut | None = None
    tooltip: str = ""
    checkable: bool = False
    separator: bool = False
    widget_only: bool = False
    make: Callable[[QMainWindow], QAction] | None = None


def _undo(window) -> QAction:
    # The stack's own action keeps its text and enabled state; the runner does the work, so a
    # big undo runs in the background.
    action = window.undo_stack.createUndoAction(window, "&Undo")
    action.triggered.disconnect()
    action.triggered.connect(window.undo_runner.undo)
    return action


def _redo(window) -> QAction:
    action = window.undo_stack.createRedoAction(window, "&Redo")
    action.triggered.disconnect()
    action.triggered.connect(window.undo_runner.redo)
    return action


# Ctrl+Shift+Z everywhere, plus the platform's own (Ctrl+Y on Windows).
_REDO_KEYS = ("Ctrl+Shift+Z", QKeySequence.StandardKey.Redo)

ACTIONS = (
    ActionSpec("import", "file", "&Import leads…", "_on_import_action_triggered", "Ctrl+I"),
    ActionSpec("export", "file", "&Export leads…", "_on_export_action_triggered", "Ctrl+E",
               tooltip="Export the leads of the current filter, or the selected ones"),
    ActionSpec("exportDecisions", "file", "Export review &decisions…", "_on_export_decisions_action_triggered"),
    ActionSpec("history", "file", "Import &history…", "_on_history_action_triggered"),
    ActionSpec("sample", "file", "Load &sample data", "_on_sample_action_triggered"),
    ActionSpec("backups", "file", "&Backups…", "_on_backups_action_triggered", separator=True),
    ActionSpec("team", "file", "&Team…", "_on_team_action_triggered", separator=True,
               tooltip="Share your leads with your team through its server"),
    ActionSpec("syncNow", "file", "S&ync now", "_on_sync_now_action_triggered", "Ctrl+Shift+Y"),
    ActionSpec("conflicts", "file", "Sync &conflicts…", "_on_conflicts_action_triggered"),
    ActionSpec("quit", "file", "&Quit", "close", QKeySequence.StandardKey.Quit, separator=True),
    ActionSpec("undo", "edit", "&Undo", "", QKeySequence.StandardKey.Undo, make=_undo),
    ActionSpec("redo", "edit", "&Redo", "", _REDO_KEYS, make=_redo),
    ActionSpec("bulk", "edit", "&Bulk actions…", "_on_bulk_action_triggered", "Ctrl+B", separator=True,
               tooltip="Act on the selected leads or on all leads matching the filter"),
    ActionSpec("deleteLeads", "edit", "&Delete leads", "_on_delete_leads_action_triggered",
               QKeySequence.StandardKey.Delete, widget_only=True),
    ActionSpec("assignOwner", "edit", "Assign &owner…", "_on_assign_owner_action_triggered",
               tooltip="Give the selected leads to another rep of your team (a manager's right)"),
    ActionSpec("find", "view", "&Search leads", "_on_find_action_triggered", QKeySequence.StandardKey.Find),
    ActionSpec("filters", "view", "&Filters…", "_on_filters_action_triggered", "Ctrl+Shift+F"),
    ActionSpec("next", "view", "&Next lead", "_on_next_action_triggered", "Ctrl+Down"),
    ActionSpec("previous", "view", "&Previous lead", "_on_previous_action_triggered", "Ctrl+Up"),
    ActionSpec("reviewMode", "review", "&Review mode", "_on_review_mode_action_toggled", "Ctrl+Shift+R",
               tooltip="Go through the new leads of the current filter one by one", checkable=True),
    ActionSpec("findDuplicates", "review", "Find &duplicates…", "_on_find_duplicates_action_triggered",
               "Ctrl+Shift+D", separator=True),
    ActionSpec("trash", "review", "&Trash…", "_on_trash_action_triggered"),
    ActionSpec("rejectionReasons", "review", "Rejection &reasons…", "_on_rejection_reasons_action_triggered"),
    ActionSpec("keyboardShortcuts", "help", "&Keyboard shortcuts", "_on_keyboard_shortcuts_action_triggered",
               QKeySequence.StandardKey.HelpContents),
)


def _key_sequences(shortcut: Shortcut) -> list[QKeySequence]:
    keys: list[QKeySequence] = []
    for part in shortcut if isinstance(shortcut, tuple) else (shortcut,):
        found = QKeySequence.keyBindings(part) if isinstance(part, QKeySequence.StandardKey) else [QKeySequence(part)]
        keys += [key for key in found if key not in keys]
    return keys


def _create_action(window: QMainWindow, spec: ActionSpec) -> QAction:
    action = spec.make(window) if spec.make else QAction(spec.text, window, checkable=spec.checkable)
    action.setObjectName(f"{spec.key}Action")
    if spec.shortcut is not None:
        action.setShortcuts(_key_sequences(spec.shortcut))
    if spec.tooltip:
        action.setToolTip(spec.tooltip)
    if spec.widget_only:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    if spec.slot:
        signal = action.toggled if spec.checkable else action.triggered
        slot = getattr(window, spec.slot)
        signal.connect(slot if spec.checkable else lambda _checked=False: slot())
    return action


def create_actions(window: QMainWindow) -> dict[str, QAction]:
    """One ``QAction`` per ``ACTIONS`` entry, parented to and connected to ``window``."""
    return {spec.key: _create_action(window, spec) for spec in ACTIONS}


def create_menus(window: QMainWindow, actions: dict[str, QAction]) -> dict[str, QMenu]:
    """The menu bar: every menu of ``MENUS`` with its actions from ``ACTIONS``, in order."""
    menus = {}
    for key, title in MENUS:
        menu = window.menuBar().addMenu(title)
        menu.setObjectName(f"{key}Menu")
        menus[key] = menu
    for spec in ACTIONS:
        menu = menus[spec.menu]
        if spec.separator and menu.actions():
            menu.addSeparator()
        menu.addAction(actions[spec.key])
    return menus
