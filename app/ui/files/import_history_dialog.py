"""File → Import history…: every import (file, when, format, counts) with Undo import."""

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes, DataEvents
from app.services import importing
from app.services.importing import FORMATS
from app.ui.common.tasks import run_task

COLUMNS = ("File", "When", "Format", "Campaign", "Created", "Updated", "Unchanged", "Rejected", "Status")


class ImportHistoryDialog(QDialog):
    """Lists past imports; Undo import removes the leads one created and reverts what it changed."""

    def __init__(self, events: DataEvents, parent: QWidget | None = None):
        super().__init__(parent)
        self._task = None  # the undo running in the background, if any
        self.setObjectName("importHistoryDialog")
        self.setWindowTitle("Import history")
        self.resize(860, 420)
        self.events = events
        self.table = QTableWidget(0, len(COLUMNS), objectName="importHistoryTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Past imports")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        label = QLabel("&Imports, newest first:")
        label.setBuddy(self.table)
        self.status_label = QLabel("", objectName="importHistoryStatus", wordWrap=True)
        self.undo_button = QPushButton("Undo import", objectName="undoImportButton", enabled=False)
        self.undo_button.setToolTip("Remove the leads this import created and revert the fields it changed")
        close = QPushButton("Close", objectName="importHistoryCloseButton")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.runs: list = []
        self.refresh()

    def refresh(self) -> None:
        self.runs = importing.list_import_runs()
        self.table.setRowCount(len(self.runs))
        for row, run in enumerate(self.runs):
            values = (run.file_name, run.started_at.replace("T", " ")[:16], FORMATS.get(run.format, run.format),
                      run.campaign, run.created, run.updated, run.unchanged, run.rejected,
                      f"undone {run.undone_at[:10]}" if run.undone_at else "")
            for column, value in enumerate(values):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self._on_table_item_selection_changed()

    def selected_run(self):
        rows = self.table.selectionModel().selectedRows()
        return self.runs[rows[0].row()] if rows else None

    @Slot()
    def _on_table_item_selection_changed(self) -> None:
        run = self.selected_run()
        self.undo_button.setEnabled(run is not None and not run.undone_at and bool(run.created or run.updated))

    @Slot()
    def _on_undo_button_clicked(self) -> None:
        run = self.selected_run()
        if run is None:
            return
        answer = QMessageBox.question(
            self, "Undo import",
            f"Undo the import of “{run.file_name}”?\n\n{run.created:,} leads it created will be deleted for good "
            f"and {run.updated:,} leads it changed will get their previous values back.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.undo(run.id)

    def undo(self, run_id: int) -> None:
        """Undo the import ``run_id`` in the background (a big one touches every lead it brought)."""
        self.undo_button.setEnabled(False)
        self._task = run_task(lambda _progress, _cancelled: importing.undo_import(run_id), self._on_undone,
                              self._on_undo_failed, parent=self, title="Undo import",
                              label="Undoing the import…")

    def _on_undone(self, counts: tuple[int, int]) -> None:
        self._task = None
        removed, reverted = counts
        self.status_label.setText(f"Import undone: {removed:,} leads removed, {reverted:,} leads reverted.")
        self.events.broadcast(Changes.everything(), self)
        self.refresh()

    def _on_undo_failed(self, message: str) -> None:
        self._task = None
        self.status_label.setText(message)
        self._on_table_item_selection_changed()

    def reject(self) -> None:
        if self._task is None:  # stays open until the undo it runs has finished
            super().reject()


def open_import_history_dialog(events: DataEvents, parent: QWidget | None = None) -> None:
    """File → Import history…"""
    dialog = ImportHistoryDialog(events, parent)
    dialog.exec()
    dialog.deleteLater()
