"""File → Export…: choose the leads (current filter or selection), the columns and the profile."""

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services import exporting
from app.services.lead_filter import LeadFilter
from app.ui.common import messages
from app.ui.common.tasks import Task


class ExportDialog(QDialog):
    """Columns checklist, profile, scope; the file is written on a worker thread."""

    def __init__(self, parent: QWidget | None = None, lead_filter: LeadFilter | None = None,
                 selected_ids=()):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export leads")
        self.resize(520, 620)
        self.lead_filter = lead_filter or LeadFilter()
        self.selected_ids = list(selected_ids)
        self.written: int | None = None
        self._worker: Task | None = None

        self.filter_radio = QRadioButton("Leads matching the current &filter", objectName="exportScopeFilter")
        self.selection_radio = QRadioButton(f"The &selected leads ({len(self.selected_ids):,})",
                                            objectName="exportScopeSelection")
        self.selection_radio.setEnabled(bool(self.selected_ids))
        self.filter_radio.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.filter_radio)
        scope.addButton(self.selection_radio)

        form = self._build_profile_form()

        columns_label, all_button, none_button = self._build_columns()

        self.progress_bar = QProgressBar(objectName="exportProgress", visible=False)
        self.status_label = QLabel("", objectName="exportStatus", wordWrap=True)
        self.export_button = QPushButton("Export…", objectName="exportButton", default=True)
        self.close_button = QPushButton("Close", objectName="exportCloseButton")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_radio)
        layout.addWidget(self.selection_radio)
        layout.addLayout(form)
        layout.addWidget(columns_label)
        layout.addWidget(self.columns_list, 1)
        row = QHBoxLayout()
        row.addWidget(all_button)
        row.addWidget(none_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)

    def _build_profile_form(self) -> QFormLayout:
        """The profile picker: spreadsheet-safe or raw values."""
        self.profile_combo = QComboBox(objectName="exportProfileCombo")
        self.profile_combo.setAccessibleName("Export profile")
        for key, text in exporting.PROFILE_NAMES.items():
            self.profile_combo.addItem(text, key)
        self.profile_combo.setCurrentIndex(self.profile_combo.findData("spreadsheet"))
        self.profile_combo.setToolTip("For spreadsheets: opens cleanly in Excel and no cell runs as a formula.\n"
                                      "Raw: exact values, to import back into LeadDesk or MassProspecting.")
        form = QFormLayout()
        profile_label = QLabel("&Profile:")
        profile_label.setBuddy(self.profile_combo)
        form.addRow(profile_label, self.profile_combo)
        return form

    def _build_columns(self) -> tuple[QLabel, QPushButton, QPushButton]:
        """The column checklist with its label and All/None buttons."""
        self.columns_list = QListWidget(objectName="exportColumns")
        self.columns_list.setAccessibleName("Columns to export")
        for name in exporting.available_columns():
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.columns_list.addItem(item)
        columns_label = QLabel("&Columns (MassProspecting names first):")
        columns_label.setBuddy(self.columns_list)
        all_button = QPushButton("All", objectName="exportAllColumns")
        none_button = QPushButton("None", objectName="exportNoColumns")
        all_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        none_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        return columns_label, all_button, none_button

    def _check_all(self, state) -> None:
        for row in range(self.columns_list.count()):
            self.columns_list.item(row).setCheckState(state)

    def chosen_columns(self) -> list[str]:
        return [self.columns_list.item(r).text() for r in range(self.columns_list.count())
                if self.columns_list.item(r).checkState() == Qt.CheckState.Checked]

    @Slot()
    def _on_export_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export leads", str(Path.home() / "leads.csv"),
                                              messages.CSV_FILTER)
        if path:
            self.export_to(path)

    def export_to(self, path) -> None:
        """Write the chosen leads to ``path`` on a worker thread."""
        columns = self.chosen_columns()
        if not columns:
            self.status_label.setText("Choose at least one column.")
            return
        profile = self.profile_combo.currentData()
        ids = self.selected_ids if self.selection_radio.isChecked() else None
        flt = self.lead_filter

        def job(progress, _cancelled):
            return exporting.export_leads(path, lead_filter=flt, lead_ids=ids, columns=columns, profile=profile,
                                          progress=lambda done, total: progress(done, done / max(total, 1)))

        self._path = Path(path)
        self._worker = Task(job)
        self._worker.progressed.connect(self._on_worker_progressed)
        self._worker.succeeded.connect(self._on_worker_succeeded)
        self._worker.failed.connect(self._on_worker_failed)
        self.export_button.setEnabled(False)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setVisible(True)
        self.status_label.setText("Exporting…")
        self._worker.start()

    @Slot(int, float)
    def _on_worker_progressed(self, rows: int, fraction: float) -> None:
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(int(fraction * 1000))
        self.status_label.setText(f"{rows:,} leads written…")

    @Slot(object)
    def _on_worker_succeeded(self, written: int) -> None:
        self._worker = None
        self.written = written
        self.progress_bar.setVisible(False)
        self.export_button.setEnabled(True)
        self.status_label.setText(f"{written:,} leads exported to {self._path.name}.")

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self._worker = None
        self.progress_bar.setVisible(False)
        self.export_button.setEnabled(True)
        self.status_label.setText(f"The export failed: {message}")

    def reject(self) -> None:
        if self._worker is None:  # the file is being written: wait for it (it is never left half done)
            super().reject()


def open_export_dialog(parent: QWidget | None, lead_filter: LeadFilter | None, selected_ids=()) -> None:
    """File → Export…: ``lead_filter`` is the list's current filter, ``selected_ids`` its selection."""
    dialog = ExportDialog(parent, lead_filter, selected_ids)
    dialog.exec()
    dialog.deleteLater()
