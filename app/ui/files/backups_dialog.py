"""File → Backups: the open database's backups with dates and sizes; back up now or restore one."""

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
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
from app.services import backups
from app.services.errors import user_message
from app.ui.common.error_dialog import show_error

KIND_LABELS = {
    "daily": "Automatic",
    "manual": "Made by you",
    "before-migration": "Before an upgrade",
    "before-restore": "Before a restore",
}


class BackupsDialog(QDialog):
    """Lists backups newest first; Restore… backs up the current state before replacing it.

    Signals:
        restored(): the database content was replaced by a backup (every screen must reload;
            the dialog also broadcasts ``Changes.everything()`` when given ``events``).
    """

    restored = Signal()

    def __init__(self, events: DataEvents | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._events = events
        self._backups: list[backups.BackupInfo] = []
        self.setObjectName("backupsDialog")
        self.setWindowTitle("Backups")
        self.resize(560, 380)

        intro = QLabel(
            "LeadDesk backs up your leads once a day when they changed, and before every upgrade. "
            "Restoring a backup first saves your current leads as another backup.")
        intro.setWordWrap(True)
        self._table = QTableWidget(0, 3, self)
        self._table.setObjectName("backupsTable")
        self._table.setAccessibleName("Backups")
        self._table.setHorizontalHeaderLabels(["Date", "Kind", "Size"])
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.verticalHeader().hide()
        self._table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        intro.setBuddy(self._table)
        self._empty = QLabel("No backups yet. Click “Back up now” to make the first one.")
        self._empty.setObjectName("backupsEmpty")
        self._status = QLabel()
        self._status.setObjectName("backupsStatus")
        self._status.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._backup_now = QPushButton("&Back up now")
        self._backup_now.setObjectName("backupNowButton")
        self._restore = QPushButton("&Restore…")
        self._restore.setObjectName("restoreButton")
        buttons.addButton(self._backup_now, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self._restore, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        for widget in (intro, self._table, self._empty, self._status, buttons):
            layout.addWidget(widget)
        self._backup_now.clicked.connect(self._on_backup_now_clicked)
        self._restore.clicked.connect(self._on_restore_clicked)
        self._table.itemSelectionChanged.connect(self._on_table_selection_changed)
        buttons.rejected.connect(self.reject)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from disk."""
        self._backups = backups.list_backups()
        locale = QLocale()
        self._table.setRowCount(len(self._backups))
        for row, info in enumerate(self._backups):
            cells = (backups.describe_date(info.created), KIND_LABELS.get(info.reason, info.reason),
                     locale.formattedDataSize(info.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._table.setItem(row, column, item)
        self._empty.setVisible(not self._backups)
        if self._backups:
            self._table.selectRow(0)
        self._on_table_selection_changed()

    def selected_backup(self) -> backups.BackupInfo | None:
        rows = self._table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    @Slot()
    def _on_table_selection_changed(self) -> None:
        self._restore.setEnabled(self.selected_backup() is not None)

    @Slot()
    def _on_backup_now_clicked(self) -> None:
        try:
            backups.create_backup()
        except Exception as exc:
            self._fail(exc)
            return
        self.refresh()
        self._status.setText("Backup made.")

    @Slot()
    def _on_restore_clicked(self) -> None:
        chosen = self.selected_backup()
        if chosen is None:
            return
        answer = QMessageBox.question(
            self, "Restore backup",
            f"Replace your leads with the backup of {backups.describe_date(chosen.created)}?\n\n"
            "Your current leads are backed up first, so you can come back to them.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            backups.restore_backup(chosen)
        except Exception as exc:
            self._fail(exc)
            return
        self.refresh()
        self._status.setText(f"Restored the backup of {backups.describe_date(chosen.created)}.")
        self.restored.emit()
        if self._events is not None:
            self._events.broadcast(Changes.everything(), self)

    def _fail(self, exc: Exception) -> None:
        message = str(exc) if isinstance(exc, ValueError) else user_message(exc)
        if message is None:
            raise exc  # a bug: let the crash handler report it
        self._status.setText(message)
        show_error(self, "Backups", message)
