"""The filter panel (opened by the list's filter button) and the chips that show active filters.

The panel edits a LeadFilter and hands it back through ``filter_edited``; it never queries
leads itself. Chips describe the active criteria and remove one each.
"""

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services import filter_options
from app.services.filter_options import FilterChoices
from app.services.lead_filter import (
    CUSTOM_OPS,
    EMAIL_STATUSES,
    HEADCOUNT_RANGES,
    NOT_VERIFIED,
    CustomCriterion,
    LeadFilter,
)
from app.ui.common.error_dialog import show_error
from app.ui.leads.delegate import status_label

TRISTATE = (("Any", None), ("Yes", True), ("No", False))
REVIEW_STATE_LABELS = {"new": "New", "approved": "Approved", "rejected": "Rejected", "skipped": "Skipped"}


def _color_icon(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def _section(title: str) -> QLabel:
    label = QLabel(title.upper())
    label.setProperty("role", "section")
    return label


class _CustomCriterionRow(QWidget):
    """One "field — operator — value" condition on a custom field."""

    changed = Signal()
    removed = Signal(QWidget)

    def __init__(self, fields: tuple[str, ...], criterion: CustomCriterion | None, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = QComboBox(accessibleName="Custom field")
        self.field.addItems(fields)
        self.op = QComboBox(accessibleName="Condition")
        for key, label in CUSTOM_OPS.items():
            self.op.addItem(label, key)
        self.value = QLineEdit(placeholderText="text", accessibleName="Value")
        remove = QToolButton(text="✕", toolTip="Remove this condition", accessibleName="Remove condition")
        for widget in (self.field, self.op, self.value):
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.field, 3)
        layout.addWidget(self.op, 2)
        layout.addWidget(self.value, 3)
        layout.addWidget(remove)
        if criterion:
            if self.field.findText(criterion.field) < 0:
                self.field.addItem(criterion.field)
            self.field.setCurrentText(criterion.field)
            self.op.setCurrentIndex(max(0, self.op.findData(criterion.op)))
            self.value.setText(criterion.value)
        self.value.setEnabled(self.op.currentData() == "contains")
        self.field.currentIndexChanged.connect(self.changed)
        self.op.currentIndexChanged.connect(self._on_op_changed)
        self.value.textChanged.connect(self.changed)
        remove.clicked.connect(lambda: self.removed.emit(self))

    @Slot()
    def _on_op_changed(self) -> None:
        self.value.setEnabled(self.op.currentData() == "contains")
        self.changed.emit()

    def criterion(self) -> CustomCriterion | None:
        if not self.field.currentText():
            return None
        op = self.op.currentData()
        if op == "contains" and not self.value.text().strip():
            return None  # an empty "contains" would match everything: not a criterion yet
        return CustomCriterion(self.field.currentText(), op, self.value.text().strip() if op == "contains" else "")


class FilterPanel(QFrame):
    """A popup with every structured filter, saved segments and "Clear all".

    Signals:
        filter_edited(object): the LeadFilter the rep composed (applied live).
    """

    filter_edited = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("filterPanel")
        self.setAccessibleName("Filters")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._filter = LeadFilter()
        self._choices = FilterChoices((), (), ())
        self._loading = False
        self._text_timer = QTimer(self, singleShot=True, interval=300)
        self._text_timer.timeout.connect(self._emit)
        self._build()

    # -- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._build_header())
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(14, 4, 14, 14)
        layout.setSpacing(8)

        layout.addWidget(_section("Campaigns"))
        self.campaign_list = QListWidget(objectName="campaignFilterList", accessibleName="Campaigns")
        self.campaign_list.setMaximumHeight(110)
        layout.addWidget(self.campaign_list)

        layout.addLayout(self._build_form())
        layout.addWidget(_section("Company size"))
        self.headcount_checks = self._check_grid(layout, HEADCOUNT_RANGES, {r: r for r in HEADCOUNT_RANGES}, 4, "headcount")
        layout.addWidget(_section("Email status"))
        statuses = (*EMAIL_STATUSES, NOT_VERIFIED)
        self.status_checks = self._check_grid(layout, statuses, {s: status_label(s) for s in statuses}, 3, "status")
        layout.addWidget(_section("Review state"))
        self.review_checks = self._check_grid(layout, tuple(REVIEW_STATE_LABELS), REVIEW_STATE_LABELS, 4, "review")

        layout.addWidget(_section("Tags"))
        self.tag_list = QListWidget(objectName="tagFilterList", accessibleName="Tags")
        self.tag_list.setMaximumHeight(90)
        layout.addWidget(self.tag_list)

        layout.addWidget(_section("Custom fields"))
        self.custom_rows = QVBoxLayout()
        layout.addLayout(self.custom_rows)
        self.add_custom = QPushButton("+ Add condition", objectName="addCustomCriterion")
        self.add_custom.setToolTip("Filter on an imported column such as an ai:* snippet")
        layout.addWidget(self.add_custom, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch()

        self.setMinimumWidth(520)
        self.resize(540, 640)
        self._connect_signals()

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setContentsMargins(14, 10, 10, 6)
        title = QLabel("<b>Filters</b>")
        self.segment_combo = QComboBox(objectName="segmentCombo", accessibleName="Saved segments")
        self.segment_combo.setMinimumWidth(150)
        self.save_segment = save_segment = QToolButton(text="Save as segment…", objectName="saveSegmentButton")
        save_segment.setToolTip("Save the current filter under a name to pick it again later")
        self.delete_segment = QToolButton(text="Delete", objectName="deleteSegmentButton",
                                          toolTip="Delete the selected segment")
        self.clear_button = clear = QPushButton("Clear all", objectName="clearFiltersButton")
        header.addWidget(title)
        header.addStretch()
        header.addWidget(self.segment_combo)
        header.addWidget(save_segment)
        header.addWidget(self.delete_segment)
        header.addWidget(clear)
        return header

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.vip_combo = self._tristate_combo("vipFilter", "VIP", ("Any", "VIP only", "Not VIP"))
        self.job_title_edit = QLineEdit(objectName="jobTitleFilter", placeholderText="e.g. founder, VP sales",
                                        accessibleName="Job title contains", clearButtonEnabled=True)
        self.location_edit = QLineEdit(objectName="locationFilter", placeholderText="country or city",
                                       accessibleName="Location contains", clearButtonEnabled=True)
        self.has_email_combo = self._tristate_combo("hasEmailFilter", "Has email")
        self.has_linkedin_combo = self._tristate_combo("hasLinkedinFilter", "Has LinkedIn")
        self.owner_combo = QComboBox(objectName="ownerFilter", accessibleName="Owner")
        for label, widget in (("&VIP", self.vip_combo), ("&Job title", self.job_title_edit),
                              ("&Location", self.location_edit), ("Has &email", self.has_email_combo),
                              ("Has Linked&In", self.has_linkedin_combo), ("O&wner", self.owner_combo)):
            buddy = QLabel(label)
            buddy.setBuddy(widget)
            form.addRow(buddy, widget)
        self._form = form
        return form

    def _connect_signals(self) -> None:
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.save_segment.clicked.connect(self._on_save_segment_clicked)
        self.delete_segment.clicked.connect(self._on_delete_segment_clicked)
        self.segment_combo.activated.connect(self._on_segment_combo_activated)
        self.campaign_list.itemChanged.connect(self._emit)
        self.tag_list.itemChanged.connect(self._emit)
        for combo in (self.vip_combo, self.has_email_combo, self.has_linkedin_combo, self.owner_combo):
            combo.currentIndexChanged.connect(self._emit)
        for edit in (self.job_title_edit, self.location_edit):
            edit.textChanged.connect(self._text_timer.start)
            edit.editingFinished.connect(self._emit)
        self.add_custom.clicked.connect(lambda: self._add_custom_row(None, focus=True))

    def _tristate_combo(self, name: str, accessible: str, labels=("Any", "Yes", "No")) -> QComboBox:
        combo = QComboBox(objectName=name, accessibleName=accessible)
        for label, (_, value) in zip(labels, TRISTATE):
            combo.addItem(label, value)
        return combo

    def _check_grid(self, layout: QVBoxLayout, values, labels: dict, columns: int, prefix: str) -> dict:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        checks = {}
        for i, value in enumerate(values):
            check = QCheckBox(labels[value], objectName=f"{prefix}Filter_{value or 'none'}")
            check.setAccessibleName(f"{prefix.capitalize()} {labels[value]}")
            check.toggled.connect(self._emit)
            grid.addWidget(check, i // columns, i % columns)
            checks[value] = check
        layout.addLayout(grid)
        return checks

    def _add_custom_row(self, criterion: CustomCriterion | None, focus: bool = False) -> None:
        row = _CustomCriterionRow(self._choices.custom_fields, criterion, self)
        row.changed.connect(self._text_timer.start)
        row.removed.connect(self._on_custom_row_removed)
        self.custom_rows.addWidget(row)
        if focus:
            row.field.setFocus()

    # -- showing a filter ---------------------------------------------------------------------
    def load(self, flt: LeadFilter, choices: FilterChoices) -> None:
        """Show ``flt`` in the widgets (without emitting), with the given campaigns/tags/fields."""
        self._loading = True
        self._filter = flt
        self._choices = choices
        self.campaign_list.clear()
        for campaign in choices.campaigns:
            item = QListWidgetItem(campaign.name if campaign.detail == "active" else f"{campaign.name}  ({campaign.detail})")
            item.setData(Qt.ItemDataRole.UserRole, campaign.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if campaign.id in flt.campaign_ids else Qt.CheckState.Unchecked)
            self.campaign_list.addItem(item)
        self.tag_list.clear()
        for tag in choices.tags:
            item = QListWidgetItem(_color_icon(tag.detail), tag.name)
            item.setData(Qt.ItemDataRole.UserRole, tag.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tag.id in flt.tag_ids else Qt.CheckState.Unchecked)
            self.tag_list.addItem(item)
        for combo, value in ((self.vip_combo, flt.vip), (self.has_email_combo, flt.has_email),
                             (self.has_linkedin_combo, flt.has_linkedin)):
            combo.setCurrentIndex(combo.findData(value))
        self.job_title_edit.setText(flt.job_title)
        self.location_edit.setText(flt.location)
        self._load_owners(flt.owner, choices.owners)
        for checks, selected in ((self.headcount_checks, flt.headcounts), (self.status_checks, flt.email_statuses),
                                 (self.review_checks, flt.review_states)):
            for value, check in checks.items():
                check.setChecked(value in selected)
        while self.custom_rows.count():
            self.custom_rows.takeAt(0).widget().deleteLater()
        for criterion in flt.custom:
            self._add_custom_row(criterion)
        self.add_custom.setEnabled(bool(choices.custom_fields))
        self._load_segments()
        self._loading = False

    def _load_segments(self) -> None:
        self.segment_combo.clear()
        self.segment_combo.addItem("Saved segments…", None)
        for name, flt in filter_options.list_segments():
            self.segment_combo.addItem(name, flt)
        self.delete_segment.setEnabled(self.segment_combo.count() > 1)

    def popup_below(self, anchor: QWidget) -> None:
        """Show the panel under ``anchor``, right-aligned with it and kept on screen."""
        point = anchor.mapToGlobal(QPoint(anchor.width() - self.width(), anchor.height() + 4))
        screen = anchor.screen().availableGeometry()
        point.setX(max(screen.left(), min(point.x(), screen.right() - self.width())))
        point.setY(max(screen.top(), min(point.y(), screen.bottom() - self.height())))
        self.move(point)
        self.show()
        self.campaign_list.setFocus()

    # -- composing a filter --------------------------------------------------------------------
    def _load_owners(self, current: str, owners: tuple[str, ...]) -> None:
        """The team's owners, or no Owner row at all without a team."""
        self.owner_combo.clear()
        self.owner_combo.addItem("Anyone", "")
        for owner in sorted({*owners, current} - {""}):
            self.owner_combo.addItem(owner, owner)
        self.owner_combo.setCurrentIndex(self.owner_combo.findData(current))
        self._form.setRowVisible(self.owner_combo, self.owner_combo.count() > 1)

    def current_filter(self) -> LeadFilter:
        def checked_ids(widget: QListWidget) -> tuple[int, ...]:
            return tuple(
                widget.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked
            )

        def checked(checks: dict) -> tuple[str, ...]:
            return tuple(value for value, check in checks.items() if check.isChecked())

        rows = (self.custom_rows.itemAt(i).widget() for i in range(self.custom_rows.count()))
        return self._filter.replace(
            campaign_ids=checked_ids(self.campaign_list),
            tag_ids=checked_ids(self.tag_list),
            vip=self.vip_combo.currentData(),
            has_email=self.has_email_combo.currentData(),
            has_linkedin=self.has_linkedin_combo.currentData(),
            job_title=self.job_title_edit.text().strip(),
            location=self.location_edit.text().strip(),
            headcounts=checked(self.headcount_checks),
            email_statuses=checked(self.status_checks),
            review_states=checked(self.review_checks),
            owner=self.owner_combo.currentData() or "",
            custom=tuple(c for c in (row.criterion() for row in rows if row is not None) if c),
        )

    def set_base_filter(self, flt: LeadFilter) -> None:
        """Keep the parts the panel does not edit (free text, sort) in step with the window."""
        self._filter = flt

    @Slot()
    def _emit(self) -> None:
        if self._loading:
            return
        self._text_timer.stop()
        flt = self.current_filter()
        if flt != self._filter:
            self._filter = flt
            self.filter_edited.emit(flt)

    @Slot()
    def _on_clear_clicked(self) -> None:
        self.load(LeadFilter(text=self._filter.text, sort=self._filter.sort), self._choices)
        self.filter_edited.emit(self._filter)

    @Slot(QWidget)
    def _on_custom_row_removed(self, row: QWidget) -> None:
        row.hide()
        self.custom_rows.removeWidget(row)
        row.deleteLater()
        self._emit()

    @Slot()
    def _on_save_segment_clicked(self) -> None:
        self._emit()
        name, ok = QInputDialog.getText(self, "Save segment", "Segment name:")
        if not ok or not name.strip():
            return
        try:
            filter_options.save_segment(name, self._filter)
        except ValueError as exc:
            show_error(self, "Save segment", str(exc))
            return
        self._load_segments()
        self.segment_combo.setCurrentIndex(self.segment_combo.findText(name.strip()))

    @Slot()
    def _on_delete_segment_clicked(self) -> None:
        if self.segment_combo.currentData() is None:
            return
        filter_options.delete_segment(self.segment_combo.currentText())
        self._load_segments()

    @Slot(int)
    def _on_segment_combo_activated(self, index: int) -> None:
        flt = self.segment_combo.itemData(index)
        if flt is None:
            return
        self.load(flt, self._choices)
        self.segment_combo.setCurrentIndex(index)
        self.filter_edited.emit(flt)


def describe_chips(flt: LeadFilter, choices: FilterChoices) -> list[tuple[str, LeadFilter]]:
    """One (label, filter without that criterion) pair per active criterion, for the chips."""
    names = {("c", c.id): c.name for c in choices.campaigns} | {("t", t.id): t.name for t in choices.tags}
    chips: list[tuple[str, LeadFilter]] = []
    for cid in flt.campaign_ids:
        chips.append((f"Campaign: {names.get(('c', cid), '?')}",
                      flt.replace(campaign_ids=tuple(i for i in flt.campaign_ids if i != cid))))
    if flt.vip is not None:
        chips.append(("VIP" if flt.vip else "Not VIP", flt.replace(vip=None)))
    if flt.job_title:
        chips.append((f"Title: {flt.job_title}", flt.replace(job_title="")))
    if flt.location:
        chips.append((f"Location: {flt.location}", flt.replace(location="")))
    for value in flt.headcounts:
        chips.append((f"Size: {value}", flt.replace(headcounts=tuple(v for v in flt.headcounts if v != value))))
    for value in flt.email_statuses:
        chips.append((f"Email: {status_label(value)}",
                      flt.replace(email_statuses=tuple(v for v in flt.email_statuses if v != value))))
    for value in flt.review_states:
        chips.append((f"Review: {REVIEW_STATE_LABELS.get(value, value)}",
                      flt.replace(review_states=tuple(v for v in flt.review_states if v != value))))
    for tid in flt.tag_ids:
        chips.append((f"Tag: {names.get(('t', tid), '?')}", flt.replace(tag_ids=tuple(i for i in flt.tag_ids if i != tid))))
    if flt.owner:
        chips.append((f"Owner: {flt.owner}", flt.replace(owner="")))
    if flt.has_email is not None:
        chips.append(("Has email" if flt.has_email else "No email", flt.replace(has_email=None)))
    if flt.has_linkedin is not None:
        chips.append(("Has LinkedIn" if flt.has_linkedin else "No LinkedIn", flt.replace(has_linkedin=None)))
    for criterion in flt.custom:
        chips.append((criterion.describe(), flt.replace(custom=tuple(c for c in flt.custom if c != criterion))))
    return chips
