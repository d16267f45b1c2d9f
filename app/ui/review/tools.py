"""Plugs review at keyboard speed into the main window: one object, one line in MainWindow.

``ReviewTools(window)`` adds the undo stack (Edit → Undo/Redo, and the detail panel's edits go
through it), the triage keys on the lead list (Alt+key in the form), Edit → Bulk actions / Delete,
the Review menu (Review mode, Find duplicates, Trash, rejection reasons), File → Export review
decisions, Help → Keyboard shortcuts, the Review mode bar above the list and a History tab next
to the lead's details. It relies only on the window's public parts: ``events``, ``leads``
(list, proxy, detail, detail_tabs, current_lead_id, selected_lead_ids, move_selection), menus.
"""

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
)

from app.qtmodels.undo_stack import UndoStack
from app.services import bulk, review
from app.services.undo import plural
from app.ui.common import settings
from app.ui.review.bar import REVIEW_ACTIVE, ReviewBar

# The dialogs, the decisions export and the leads page's parts are imported on first use:
# start-up time is measured.

STATUS_MS = 4000


def _menu(window: QMainWindow, object_name: str, title: str, before: str | None = None) -> QMenu:
    """The window's menu named ``object_name`` (or titled ``title``); created before ``before`` if missing."""
    bar = window.menuBar()
    menus = [a.menu() for a in bar.actions() if a.menu() is not None]
    for menu in menus:
        if menu.objectName() == object_name or menu.title().replace("&", "") == title.replace("&", ""):
            return menu
    menu = QMenu(title, window)
    menu.setObjectName(object_name)
    anchor = next((m.menuAction() for m in menus if m.title().replace("&", "") == before), None)
    if anchor is None:
        bar.addMenu(menu)
    else:
        bar.insertMenu(anchor, menu)
    return menu


class ReviewTools(QObject):
    """The review features of a MainWindow (undo, triage, bulk actions, Review mode, Trash, duplicates).

    ``stack`` is the window's undo stack.

    The actions and menus are there from the start; the parts that live on the leads page (triage
    keys, Review mode bar, History tab) are added by ``attach`` when the window builds that page.
    """

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.setObjectName("reviewTools")
        self.window = window
        self.stack = UndoStack(window.events, self)
        self._build_actions()
        self._connect_signals()

    @property
    def workspace(self):
        """The leads page (built on first use)."""
        return self.window.leads

    def review_mode_left_open(self) -> bool:
        """True if the last session ended in Review mode (``attach`` resumes it)."""
        return settings.read_str(REVIEW_ACTIVE) == "1"

    def attach(self, workspace) -> None:
        """Add the review parts to the leads page ``workspace``, once its filter is restored.

        A Review mode left open at the last exit resumes here.
        """
        from app.ui.leads.history import HistoryView
        from app.ui.review.triage import TriageController

        workspace.detail.set_edit_runner(self.stack.edit)
        self.triage = TriageController(workspace.list, self.stack, workspace.current_lead_id,
                                       workspace.move_selection, self)
        self.triage.install_form_shortcuts(workspace.detail)
        self.triage.status_changed.connect(lambda text: self.window.statusBar().showMessage(text, STATUS_MS))
        # The Delete key deletes leads only while the list has focus (never text in a field).
        workspace.list.addAction(self.delete_action)

        self.review_bar = ReviewBar(self.window.events)
        list_layout = workspace.list.parentWidget().layout()
        list_layout.insertWidget(list_layout.indexOf(workspace.list), self.review_bar)
        self.review_bar.exit_requested.connect(lambda: self.review_action.setChecked(False))

        self.history = HistoryView(self.window.events)
        self.detail_tabs = workspace.detail_tabs
        self.detail_tabs.addTab(self.history, "History")
        self.detail_tabs.currentChanged.connect(self._on_detail_tabs_current_changed)
        workspace.list.selectionModel().currentChanged.connect(self._on_list_current_changed)

        resumed = self.review_bar.resume()
        if resumed is not None:
            self.review_action.setChecked(True)
            workspace.proxy.set_filter(resumed)

    def _build_actions(self) -> None:
        w = self.window
        self.undo_action = self.stack.createUndoAction(w, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.stack.createRedoAction(w, "&Redo")
        self.redo_action.setObjectName("redoAction")
        # Ctrl+Shift+Z everywhere (the key), plus the platform's own (Ctrl+Y on Windows).
        redo_keys = [QKeySequence("Ctrl+Shift+Z")]
        redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys]
        self.redo_action.setShortcuts(redo_keys)
        self.bulk_action = QAction("&Bulk actions…", w, objectName="bulkAction", shortcut=QKeySequence("Ctrl+B"))
        self.bulk_action.setToolTip("Act on the selected leads or on all leads matching the filter")
        self.delete_action = QAction("&Delete leads", w, objectName="deleteLeadsAction",
                                     shortcut=QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.review_action = QAction("&Review mode", w, objectName="reviewModeAction", checkable=True,
                                     shortcut=QKeySequence("Ctrl+Shift+R"))
        self.review_action.setToolTip("Go through the new leads of the current filter one by one")
        self.duplicates_action = QAction("Find &duplicates…", w, objectName="findDuplicatesAction",
                                         shortcut=QKeySequence("Ctrl+Shift+D"))
        self.trash_action = QAction("&Trash…", w, objectName="trashAction")
        self.reasons_action = QAction("Rejection &reasons…", w, objectName="rejectionReasonsAction")
        self.export_action = QAction("Export review &decisions…", w, objectName="exportDecisionsAction")
        self.shortcuts_action = QAction("&Keyboard shortcuts", w, objectName="keyboardShortcutsAction",
                                        shortcut=QKeySequence.StandardKey.HelpContents)

        edit = _menu(w, "editMenu", "&Edit", before="View")
        for action in (self.undo_action, self.redo_action, None, self.bulk_action, self.delete_action):
            edit.addSeparator() if action is None else edit.addAction(action)
        # No mnemonic on this menu: Alt+letter is for triage from the form.
        menu = _menu(w, "reviewMenu", "Review", before="Help")
        for action in (self.review_action, None, self.duplicates_action, self.trash_action, self.reasons_action):
            menu.addSeparator() if action is None else menu.addAction(action)
        # File → right after "Export leads…" (or at the end).
        file_menu = _menu(w, "fileMenu", "&File")
        actions = file_menu.actions()
        exports = [i for i, a in enumerate(actions) if a.text().replace("&", "").startswith("Export")]
        file_menu.insertAction(actions[exports[-1] + 1] if exports and exports[-1] + 1 < len(actions) else None,
                               self.export_action)
        _menu(w, "helpMenu", "&Help").addAction(self.shortcuts_action)

    def _connect_signals(self) -> None:
        status = self.window.statusBar()
        self.stack.operation_done.connect(lambda text: status.showMessage(text, STATUS_MS))
        self.stack.expired.connect(lambda text: QMessageBox.information(self.window, "Undo", text))
        self.bulk_action.triggered.connect(self._on_bulk_action_triggered)
        self.delete_action.triggered.connect(self._on_delete_action_triggered)
        self.review_action.toggled.connect(self._on_review_action_toggled)
        self.duplicates_action.triggered.connect(self._on_duplicates_action_triggered)
        self.trash_action.triggered.connect(self._on_trash_action_triggered)
        self.reasons_action.triggered.connect(self._on_reasons_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.shortcuts_action.triggered.connect(self._on_shortcuts_action_triggered)

    # -- slots -----------------------------------------------------------------------------------
    @Slot()
    def _on_list_current_changed(self, *_args) -> None:
        if self.detail_tabs.currentWidget() is self.history:
            self.history.set_lead(self.workspace.current_lead_id())

    @Slot(int)
    def _on_detail_tabs_current_changed(self, _index: int) -> None:
        # History is read only when its tab is shown: moving through leads stays one query each.
        if self.detail_tabs.currentWidget() is self.history:
            self.history.set_lead(self.workspace.current_lead_id())

    @Slot()
    def _on_duplicates_action_triggered(self) -> None:
        from app.ui.review.duplicates_dialog import DuplicatesDialog

        DuplicatesDialog(self.stack, self.window.events, self.window).exec()

    @Slot()
    def _on_trash_action_triggered(self) -> None:
        from app.ui.review.trash_dialog import TrashDialog

        TrashDialog(self.stack, self.window.events, self.window).exec()

    @Slot()
    def _on_shortcuts_action_triggered(self) -> None:
        from app.ui.shell.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.window).exec()

    @Slot()
    def _on_bulk_action_triggered(self) -> None:
        from app.ui.leads.bulk_dialog import run_bulk_dialog

        run_bulk_dialog(self.window, self.stack, self.workspace.selected_lead_ids(),
                        self.workspace.proxy.lead_filter())

    @Slot()
    def _on_delete_action_triggered(self) -> None:
        ids = self.workspace.selected_lead_ids()
        if not ids and self.workspace.current_lead_id() is not None:
            ids = [self.workspace.current_lead_id()]
        if ids:
            op = self.stack.perform(bulk.delete_to_trash, ids)
            self.window.statusBar().showMessage(f"{plural(op.count)} moved to the Trash — Ctrl+Z brings them back",
                                                STATUS_MS)

    @Slot(bool)
    def _on_review_action_toggled(self, on: bool) -> None:
        proxy = self.workspace.proxy
        if on == self.review_bar.is_active():
            return
        if on:
            proxy.set_filter(self.review_bar.start(proxy.lead_filter()))
            self.workspace.list.setFocus()
        else:
            self.review_bar.stop()
            proxy.set_filter(proxy.lead_filter().replace(review_states=()))

    @Slot()
    def _on_reasons_action_triggered(self) -> None:
        text, ok = QInputDialog.getMultiLineText(
            self.window, "Rejection reasons", "One reason per line, in the order the picker shows them:",
            "\n".join(review.list_reasons()))
        if not ok:
            return
        try:
            review.set_reasons(text.splitlines())
        except review.ReasonError as error:
            QMessageBox.information(self.window, "Rejection reasons", str(error))

    @Slot()
    def _on_export_action_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export review decisions",
                                              str(Path.home() / "review-decisions.csv"), "CSV files (*.csv)")
        if not path:
            return
        from app.services import decisions

        try:
            count = decisions.export_review_decisions(path)
        except OSError as error:
            QMessageBox.warning(self.window, "Export review decisions",
                                f"The file could not be written: {error.strerror or error}.")
            return
        self.window.statusBar().showMessage(f"Exported the decisions on {plural(count)}", STATUS_MS)
