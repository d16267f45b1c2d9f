"""Find duplicates: groups of leads that look like one person, merged with a choice per field."""

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes, DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import duplicates
from app.services.duplicates import DuplicateGroup
from app.ui.common.error_dialog import show_error


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


class DuplicatesDialog(QDialog):
    """Groups on the left; on the right, which lead survives and, per differing field, which value.

    Merging combines memberships, tags and notes onto the surviving lead and moves the others
    to the Trash, as one undoable step.
    """

    def __init__(self, stack: UndoStack, events: DataEvents, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("duplicatesDialog")
        self.setWindowTitle("Find duplicates")
        self.resize(860, 520)
        self._stack = stack
        self.field_combos: dict[str, QComboBox] = {}

        self.groups = QListWidget(objectName="duplicateGroups")
        self.groups.setAccessibleName("Duplicate groups")
        self.summary = QLabel(objectName="duplicatesSummary")
        self.summary.setBuddy(self.groups)
        self.survivor_combo = QComboBox(objectName="survivorCombo", accessibleName="Lead to keep")
        survivor_label = QLabel("&Keep")
        survivor_label.setBuddy(self.survivor_combo)
        self.fields_form = QFormLayout()
        fields = QWidget()
        fields.setLayout(self.fields_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        self.merge_button = QPushButton("&Merge", objectName="mergeButton")
        self.merge_button.setToolTip("Keep one lead with the chosen values; the others go to the Trash (undoable)")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        top = QFormLayout()
        top.addRow(survivor_label, self.survivor_combo)
        right_layout.addLayout(top)
        right_layout.addWidget(QLabel("Values that differ — pick the one to keep:"))
        right_layout.addWidget(scroll, 1)
        right_layout.addWidget(self.merge_button)
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.groups, 1)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

        buttons.rejected.connect(self.reject)
        self.groups.currentRowChanged.connect(self._on_groups_current_row_changed)
        self.survivor_combo.activated.connect(self._fill_fields)
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        events.changed.connect(self._on_events_changed)
        self.refresh()

    @Slot(object, object)
    def _on_events_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.leads_added_or_removed:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        found = duplicates.find_duplicate_groups()
        self.groups.blockSignals(True)
        self.groups.clear()
        for group in found:
            item = QListWidgetItem(
                f"{duplicates.describe_lead(group.lead_ids[0])} — {len(group.lead_ids)} leads, {', '.join(group.reasons)}")
            item.setData(Qt.ItemDataRole.UserRole, group)
            self.groups.addItem(item)
        self.groups.blockSignals(False)
        self.summary.setText(f"{len(found):,} groups of possible duplicates." if found
                             else "No duplicates: no two leads share an email, a LinkedIn profile or a name at a company.")
        self.groups.setCurrentRow(0 if found else -1)
        self._on_groups_current_row_changed(self.groups.currentRow())

    def current_group(self) -> DuplicateGroup | None:
        item = self.groups.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    @Slot(int)
    def _on_groups_current_row_changed(self, _row: int) -> None:
        group = self.current_group()
        self.survivor_combo.clear()
        if group:
            for lead_id in group.lead_ids:
                self.survivor_combo.addItem(duplicates.describe_lead(lead_id), lead_id)
        self._fill_fields()

    @Slot()
    def _fill_fields(self) -> None:
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.field_combos.clear()
        group = self.current_group()
        self.merge_button.setEnabled(group is not None)
        self.survivor_combo.setEnabled(group is not None)
        if group is None:
            return
        survivor = self.survivor_combo.currentData()
        for field in duplicates.merge_fields(group.lead_ids, survivor):
            combo = QComboBox(objectName=f"mergeField_{field.field}", accessibleName=field.label)
            for lead_id, value in field.options:
                combo.addItem(_short(value) if value != "" else "(empty)", lead_id)
            combo.setCurrentIndex(combo.findData(field.default))
            label = QLabel(field.label)
            label.setBuddy(combo)
            self.fields_form.addRow(label, combo)
            self.field_combos[field.field] = combo
        if not self.field_combos:
            self.fields_form.addRow(QLabel("Every field is the same; merging keeps one copy."))

    def choices(self) -> dict[str, int]:
        return {field: combo.currentData() for field, combo in self.field_combos.items()}

    @Slot()
    def _on_merge_button_clicked(self) -> None:
        group = self.current_group()
        if group is None:
            return
        try:
            self._stack.perform(duplicates.merge, group.lead_ids, self.survivor_combo.currentData(), self.choices())
        except (ValueError, LookupError) as error:
            show_error(self, "Merge", str(error))
