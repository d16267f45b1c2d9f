"""The Trash dialog: deleted leads, restorable (undoably) until the rep empties the Trash.

Emptying erases for good and rewrites the whole search index (SQLite 3.40's FTS5 keeps a deleted
lead's text until a merge): ~3 s at 100,000 leads, most of a minute at a million. It runs on a
worker thread; the dialog shows it busy and cannot be closed until it is done.
"""

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes, DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import trash
from app.services.undo import plural
from app.ui.common.error_dialog import show_error
from app.ui.common.tasks import Task
from app.ui.common.undo_tasks import UndoRunner
from app.ui.leads.history import local_time


class TrashDialog(QDialog):
    """Lists the Trash; Restore (selected or all) is undoable, Empty Trash is for good."""

    def __init__(self, stack: UndoStack, events: DataEvents, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trashDialog")
        self.setWindowTitle("Trash")
        self.resize(640, 420)
        self._runner = UndoRunner(stack, self)  # restoring the whole Trash can take a while
        self._events = events
        self.summary = QLabel(objectName="trashSummary")
        self.tree = QTreeWidget(objectName="trashList")
        self.tree.setAccessibleName("Leads in the Trash")
        self.tree.setHeaderLabels(["Name", "Company", "Deleted"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.summary.setBuddy(self.tree)
        self.restore_button = QPushButton("&Restore", objectName="restoreButton")
        self.restore_all_button = QPushButton("Restore &all", objectName="restoreAllButton")
        self.empty_button = QPushButton("&Empty Trash…", objectName="emptyTrashButton")
        self.progress = QProgressBar(objectName="emptyTrashProgress", visible=False)
        self.progress.setRange(0, 0)  # busy: the erase reports no steps
        self.progress.setAccessibleName("Emptying the Trash")
        self._worker: Task | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        for button in (self.restore_button, self.restore_all_button, self.empty_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.progress)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.restore_all_button.clicked.connect(self._on_restore_all_button_clicked)
        self.empty_button.clicked.connect(self._on_empty_button_clicked)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        events.changed.connect(self._on_events_changed)
        self.refresh()

    @Slot(object, object)
    def _on_events_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.leads_added_or_removed:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        items = trash.list_trash()
        total = trash.count()
        self.tree.clear()
        for lead in items:
            item = QTreeWidgetItem([lead.name or "(no name)", lead.company, local_time(lead.deleted_at)])
            item.setData(0, Qt.ItemDataRole.UserRole, lead.id)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        shown = f" (the {len(items):,} most recent shown)" if len(items) < total else ""
        self.summary.setText(f"{plural(total)} in the Trash{shown}." if total
                             else "The Trash is empty. Deleted leads wait here until you empty it.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.is_busy()
        self.restore_button.setEnabled(bool(self.tree.selectedItems()) and not busy)
        has_any = self.tree.topLevelItemCount() > 0 and not busy
        self.restore_all_button.setEnabled(has_any)
        self.empty_button.setEnabled(has_any)
        self.close_button.setEnabled(not busy)
        self.progress.setVisible(busy)

    def is_busy(self) -> bool:
        """True while the Trash is being emptied or restored."""
        return self._worker is not None or self._runner.task is not None

    def reject(self) -> None:  # Escape and the Close button
        if not self.is_busy():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.is_busy():
            event.ignore()
        else:
            super().closeEvent(event)

    def selected_ids(self) -> list[int]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in self.tree.selectedItems()]

    @Slot()
    def _on_restore_button_clicked(self) -> None:
        ids = self.selected_ids()
        self._runner.perform("Restore", len(ids), trash.restore, ids)

    @Slot()
    def _on_restore_all_button_clicked(self) -> None:
        self._runner.perform("Restore", trash.count(), trash.restore)

    @Slot()
    def _on_empty_button_clicked(self) -> None:
        kept = trash.kept_for_others()  # in a team: another rep's leads, which the server would refuse to erase
        count, note = trash.count() - sum(kept.values()), trash.kept_message(kept)
        if not count:
            QMessageBox.information(self, "Empty Trash", note)
            return
        answer = QMessageBox.warning(
            self, "Empty Trash",
            f"Delete {plural(count)} for good? Their notes, tags and history go too. This cannot be undone."
            + (f"\n\n{note}" if note else ""),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._worker = Task(lambda _progress, _cancelled: trash.empty())
        self._worker.succeeded.connect(self._on_worker_succeeded)
        self._worker.failed.connect(self._on_worker_failed)
        self.summary.setText(f"Erasing {plural(count)} for good…")
        self._update_buttons()
        self._worker.start()

    @Slot(object)
    def _on_worker_succeeded(self, _erased: int) -> None:
        self._worker = None
        self._events.broadcast(Changes(leads_added_or_removed=True), self)  # refreshes this list too

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self._worker = None
        self.refresh()
        show_error(self, "Empty Trash", f"The Trash could not be emptied: {message}\n\nNothing was erased.")
