"""File → Import…: detect, preview, map columns, import on a worker thread, then report.

Three pages: the setup (what was detected, each column's mapping, a preview of the first rows as
they will be stored, target campaign, duplicate policy), the progress (``import_progress``: rows, rate,
time left, then the search index and the save; Cancel) and the report (counts, rejected rows with their
line numbers, "Save rejected rows…").
A column mapping that the rep confirmed is remembered per header layout, so the next file from
the same tool imports in one click.
"""

import dataclasses
import json
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes, DataEvents
from app.services import fields, importing
from app.services.campaigns import list_campaigns
from app.services.importing import FORMATS, TARGETS, ImportReport, Preview, header_key
from app.ui.common import messages, settings, style
from app.ui.common.tasks import Task
from app.ui.files.import_consent import confirm_no_lead_columns
from app.ui.files.import_progress import ImportProgressPage

ENCODINGS = {"": "Detect automatically", "utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows (cp1252)",
             "latin-1": "Latin-1"}
POLICY_NAMES = {
    "skip": "Skip them (keep what LeadDesk has)",
    "fill": "Fill their empty fields",
    "overwrite": "Overwrite with the file's values",
}
# Lead fields the preview shows, when at least one previewed row has them.
PREVIEW_FIELDS = fields.preview_names()


class ImportDialog(QDialog):
    """The import dialog (see the module docstring). ``report`` holds the last import's report."""

    def __init__(self, events: DataEvents, parent: QWidget | None = None, path=None):
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(messages.IMPORT_TITLE)
        self.resize(900, 640)
        self.events = events
        self.path: Path | None = None
        self.preview: Preview | None = None
        self.report: ImportReport | None = None
        self._worker: Task | None = None
        self._build()
        self._connect_signals()
        if path:
            self.load(path)

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.pages = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.pages.addWidget(self._build_setup())
        self.progress = ImportProgressPage()
        self.pages.addWidget(self.progress)
        self.pages.addWidget(self._build_report())

    def _build_setup(self) -> QWidget:
        page = QWidget(objectName="importSetupPage")
        layout = QVBoxLayout(page)
        layout.addLayout(self._build_setup_form())
        self._build_tables_and_buttons(layout)
        return page

    def _build_setup_form(self) -> QFormLayout:
        form = QFormLayout()
        self.file_edit = QLineEdit(objectName="importFileEdit", readOnly=True)
        self.file_edit.setAccessibleName("File to import")
        self.choose_button = QPushButton("Choose…", objectName="importChooseButton")
        row = QHBoxLayout()
        row.addWidget(self.file_edit)
        row.addWidget(self.choose_button)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.file_edit)
        form.addRow(file_label, row)

        self.detected_label = QLabel("", objectName="importDetected")
        self.detected_label.setAccessibleName("What was detected in the file")
        self.detected_label.setWordWrap(True)
        form.addRow("Detected:", self.detected_label)

        self.format_combo = self._combo("importFormatCombo", "File format", FORMATS)
        self.encoding_combo = self._combo("importEncodingCombo", "Text encoding", ENCODINGS)
        self.sheet_combo = self._combo("importSheetCombo", "Workbook sheet", {})
        self.campaign_combo = QComboBox(objectName="importCampaignCombo", editable=True)
        self.campaign_combo.setAccessibleName("Campaign the leads join")
        self.campaign_combo.setToolTip("An existing campaign, or type a new name. Leave empty for none.")
        self.policy_combo = self._combo("importPolicyCombo", "Leads already in LeadDesk", POLICY_NAMES)
        for text, widget in (("F&ormat:", self.format_combo), ("&Encoding:", self.encoding_combo),
                             ("S&heet:", self.sheet_combo), ("&Campaign:", self.campaign_combo),
                             ("&Duplicates:", self.policy_combo)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.sheet_label = form.labelForField(self.sheet_combo)
        return form

    def _build_tables_and_buttons(self, layout: QVBoxLayout) -> None:
        self.mapping_table = QTableWidget(0, 4, objectName="importMapping")
        self.mapping_table.setHorizontalHeaderLabels(["Column in the file", "Goes to", "First value", "Stored as"])
        self.mapping_table.setAccessibleName("Column mapping")
        self.mapping_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping_table.verticalHeader().hide()
        mapping_label = QLabel("Column &mapping:")
        mapping_label.setBuddy(self.mapping_table)

        self.preview_table = QTableWidget(0, 0, objectName="importPreview")
        self.preview_table.setAccessibleName("Preview of the first rows as they will be stored")
        self.preview_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        preview_label = QLabel("&Preview (as it will be stored):")
        preview_label.setBuddy(self.preview_table)

        self.error_label = QLabel("", objectName="importError", wordWrap=True)
        self.error_label.setStyleSheet(f"color: {style.ERROR};")
        self.import_button = QPushButton("Import", objectName="importButton", default=True)
        self.close_button = QPushButton("Close", objectName="importCloseButton")
        # Enter always means Import: no other button may take the default role when it has focus.
        for button in (self.choose_button, self.close_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error_label, 1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.import_button)
        layout.addWidget(mapping_label)
        layout.addWidget(self.mapping_table, 2)
        layout.addWidget(preview_label)
        layout.addWidget(self.preview_table, 2)
        layout.addLayout(buttons)

    def _build_report(self) -> QWidget:
        page = QWidget(objectName="importReportPage")
        self.report_label = QLabel("", objectName="importReport", wordWrap=True)
        self.rejected_view = QPlainTextEdit(objectName="importRejected", readOnly=True)
        self.rejected_view.setAccessibleName("Rejected rows")
        rejected_label = QLabel("&Rejected rows:")
        rejected_label.setBuddy(self.rejected_view)
        self.save_rejected_button = QPushButton("Save rejected rows…", objectName="saveRejectedButton")
        self.done_button = QPushButton("Close", objectName="importDoneButton", default=True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.report_label)
        layout.addWidget(rejected_label)
        layout.addWidget(self.rejected_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.save_rejected_button)
        row.addStretch()
        row.addWidget(self.done_button)
        layout.addLayout(row)
        return page

    def _combo(self, name: str, accessible: str, items: dict) -> QComboBox:
        combo = QComboBox(objectName=name)
        combo.setAccessibleName(accessible)
        for key, text in items.items():
            combo.addItem(text, key)
        return combo

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.encoding_combo.activated.connect(self._on_encoding_combo_activated)
        self.sheet_combo.activated.connect(self._on_encoding_combo_activated)
        self.format_combo.activated.connect(self._on_format_combo_activated)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.progress.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.save_rejected_button.clicked.connect(self._on_save_rejected_button_clicked)
        self.done_button.clicked.connect(self.accept)

    # --- the setup page -----------------------------------------------------------------------

    def load(self, path, encoding: str | None = None, sheet: str | None = None) -> bool:
        """Inspect ``path`` and fill the setup page; False (with a message shown) if unreadable."""
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self.error_label.clear()
        try:
            preview = importing.inspect_file(self.path, encoding or None, sheet or None)
        except (importing.UnreadableFileError, OSError, ValueError) as exc:
            self.preview = None
            self.detected_label.clear()
            self.mapping_table.setRowCount(0)
            self.preview_table.setRowCount(0)
            self.error_label.setText(str(exc))
            self.import_button.setEnabled(False)
            return False
        saved = self._saved_mapping(preview.plan.header)
        if saved:
            try:
                preview = importing.Preview(preview.info, importing.make_plan(preview.plan.header, *saved),
                                            preview.rows)
            except ValueError:
                pass  # a stale saved mapping: the detected one is used
        self.preview = preview
        info = preview.info
        where = f"sheet “{info.sheet}”" if info.kind == "xlsx" else f"{info.encoding}, {info.delimiter_name}-separated"
        self.detected_label.setText(
            f"{FORMATS[preview.plan.format]} · {where} · {len(info.header)} columns, header on line {info.header_line}"
            + (" · saved mapping applied" if saved else "")
        )
        self.format_combo.setCurrentIndex(self.format_combo.findData(preview.plan.format))
        self.sheet_combo.clear()
        for name in info.sheets:
            self.sheet_combo.addItem(name, name)
        self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findData(info.sheet)))
        self.sheet_combo.setVisible(info.kind == "xlsx")
        self.sheet_label.setVisible(info.kind == "xlsx")
        self.encoding_combo.setEnabled(info.kind == "csv")
        self._fill_campaigns(self.path.stem)
        self._fill_mapping()
        self._fill_preview()
        self.import_button.setEnabled(True)
        return True

    def _fill_campaigns(self, default: str) -> None:
        self.campaign_combo.clear()
        self.campaign_combo.addItem("")
        for campaign in list_campaigns():
            if campaign.accepts_leads:
                self.campaign_combo.addItem(campaign.name)
        self.campaign_combo.setCurrentText(default)

    def _fill_mapping(self) -> None:
        plan, rows = self.preview.plan, self.preview.rows
        self.mapping_table.setRowCount(len(plan.header))
        for column, (name, target) in enumerate(zip(plan.header, plan.mapping)):
            self.mapping_table.setItem(column, 0, QTableWidgetItem(name or f"(column {column + 1})"))
            combo = self._combo(f"importTarget{column}", f"Where column {name} goes", TARGETS)
            combo.setCurrentIndex(combo.findData(target))
            combo.activated.connect(self._on_target_combo_activated)
            self.mapping_table.setCellWidget(column, 1, combo)
            first = next((cells[column] for _, cells in rows if cells[column].strip()), "")
            self.mapping_table.setItem(column, 2, QTableWidgetItem(first[:200]))

    def current_plan(self):
        """The plan with the mapping as the rep set it in the table."""
        plan = self.preview.plan
        mapping = [self.mapping_table.cellWidget(c, 1).currentData() for c in range(len(plan.header))]
        chosen = importing.make_plan(plan.header, self.format_combo.currentData(), mapping)
        # A guess the rep left as it was is still a guess.
        kept = frozenset(c for c in plan.guessed if chosen.mapping[c] == plan.mapping[c])
        return dataclasses.replace(chosen, guessed=kept)

    def _fill_preview(self) -> None:
        plan = self.current_plan()
        for column, text in enumerate(plan.destinations()):
            self.mapping_table.setItem(column, 3, QTableWidgetItem(text))
        records = self.preview.records(plan)
        fields = [f for f in PREVIEW_FIELDS if any(f in r for r in records)]
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(fields) + 1)
        self.preview_table.setHorizontalHeaderLabels(fields + ["custom fields"])
        self.preview_table.setRowCount(len(records))
        for row, record in enumerate(records):
            for column, name in enumerate(fields):
                self.preview_table.setItem(row, column, QTableWidgetItem(str(record.get(name, ""))[:200]))
            custom = record.get("custom", {})
            extras = {k: record[k] for k in ("_tags", "_campaigns", "_notes") if k in record}
            text = "; ".join(f"{k}: {v}" for k, v in {**custom, **extras}.items())
            self.preview_table.setItem(row, len(fields), QTableWidgetItem(text[:300]))

    def _saved_mapping(self, header):
        text = settings.read_str(settings.IMPORT_MAPPING_PREFIX + header_key(header))
        try:
            data = json.loads(text) if text else None
            if isinstance(data, dict) and isinstance(data.get("mapping"), list):
                return data.get("format"), data["mapping"]
        except ValueError:
            pass
        return None

    def _save_mapping(self, plan) -> None:
        store = settings.open_settings()
        store.setValue(settings.IMPORT_MAPPING_PREFIX + header_key(plan.header),
                       json.dumps({"format": plan.format, "mapping": list(plan.mapping)}))
        store.sync()

    @Slot()
    def _on_choose_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, messages.IMPORT_TITLE, str(self.path or Path.home()), messages.LEAD_FILES_FILTER)
        if path:
            self.load(path)

    @Slot(int)
    def _on_encoding_combo_activated(self, _index: int) -> None:
        if self.path:
            self.load(self.path, self.encoding_combo.currentData(), self.sheet_combo.currentData())

    @Slot(int)
    def _on_format_combo_activated(self, _index: int) -> None:
        if self.preview:
            plan = importing.make_plan(self.preview.plan.header, self.format_combo.currentData())
            self.preview = importing.Preview(self.preview.info, plan, self.preview.rows)
            self._fill_mapping()
            self._fill_preview()

    @Slot(int)
    def _on_target_combo_activated(self, _index: int) -> None:
        self._fill_preview()

    # --- importing ----------------------------------------------------------------------------

    @Slot()
    def _on_import_button_clicked(self) -> None:
        if not self.preview:
            return
        plan = self.current_plan()
        if not plan.has_lead_columns() and not confirm_no_lead_columns(self, plan.header):
            return
        path, campaign = self.path, self.campaign_combo.currentText().strip() or None
        policy, encoding = self.policy_combo.currentData(), self.encoding_combo.currentData() or None
        sheet = self.sheet_combo.currentData() if self.preview.info.kind == "xlsx" else None

        def job(progress, cancelled):
            return importing.import_file(path, campaign=campaign, format=plan.format, on_duplicate=policy,
                                         encoding=encoding, mapping=plan.mapping, sheet=sheet,
                                         progress=progress, cancelled=cancelled)

        self._plan = plan
        self._worker = Task(job)
        self._worker.progressed.connect(self.progress.show_progress)
        self._worker.succeeded.connect(self._on_worker_succeeded)
        self._worker.failed.connect(self._on_worker_failed)
        self.progress.start()
        self.pages.setCurrentIndex(1)
        self._worker.start()

    def is_importing(self) -> bool:
        return self._worker is not None

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        if self._worker is not None:
            self._worker.cancel_requested.set()
            self.progress.show_cancelling()

    @Slot(object)
    def _on_worker_succeeded(self, report: ImportReport) -> None:
        self._worker = None
        self.report = report
        self._save_mapping(self._plan)
        self.events.broadcast(Changes.everything(), self)
        lines = [f"<b>{report.file_name}</b>: {report.rows_read:,} rows read in {report.seconds:,.1f} s.",
                 f"{report.created:,} created · {report.updated:,} updated · {report.unchanged:,} unchanged"
                 f" · {len(report.rejected):,} rejected"]
        if report.matched_text():
            lines.append(f"Leads already in LeadDesk were {report.matched_text()}.")
        lines += report.warnings
        self.report_label.setText("<br>".join(lines))
        shown = report.rejected[:5000]
        text = "\n".join(f"line {r.line}: {r.reason}" for r in shown)
        if len(report.rejected) > len(shown):
            text += f"\n… and {len(report.rejected) - len(shown):,} more (all are in “Save rejected rows…”)"
        self.rejected_view.setPlainText(text or "None: every row was read.")
        self.save_rejected_button.setEnabled(bool(report.rejected))
        self.pages.setCurrentIndex(2)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self._worker = None
        self.error_label.setText(message)
        self.pages.setCurrentIndex(0)

    @Slot()
    def _on_save_rejected_button_clicked(self) -> None:
        default = self.path.with_name(f"{self.path.stem} - rejected rows.csv")
        path, _ = QFileDialog.getSaveFileName(self, "Save rejected rows", str(default), messages.CSV_FILTER)
        if path:
            self.save_rejected(path)

    def save_rejected(self, path) -> None:
        try:
            count = importing.save_rejected(self.report, path)
        except OSError as exc:
            self.report_label.setText(self.report_label.text() + f"<br>Could not save the rejected rows: {exc}")
            return
        self.report_label.setText(self.report_label.text() + f"<br>{count:,} rejected rows saved to {Path(path).name}.")

    def reject(self) -> None:
        # Closing while importing cancels instead: the window closes once nothing was changed.
        if self._worker is not None:
            self._on_cancel_button_clicked()
            return
        super().reject()


def open_import_dialog(events: DataEvents, parent: QWidget | None = None, path=None) -> ImportReport | None:
    """File → Import…: ask for a file if none is given, run the dialog; the report, or None."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(parent, messages.IMPORT_TITLE, str(Path.home()), messages.LEAD_FILES_FILTER)
        if not path:
            return None
    dialog = ImportDialog(events, parent, path)
    dialog.exec()
    report = dialog.report
    dialog.deleteLater()
    return report
