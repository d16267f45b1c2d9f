"""The leads page: the list with its search, filters and chips on the left, the lead on the right.

Built by the main window the first time the page is shown (it is the heaviest part of the window).
"""

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes, DataEvents
from app.qtmodels.lead_list import LeadFilterProxy, LeadListModel, LeadRole
from app.qtmodels.undo_stack import UndoStack
from app.services import filter_options
from app.services.lead_filter import SORT_ORDERS, LeadFilter
from app.ui.leads.delegate import LeadDelegate
from app.ui.leads.detail.panel import LeadDetailPanel
from app.ui.leads.filter_panel import FilterPanel, describe_chips
from app.ui.leads.history import HistoryView
from app.ui.review.mode import ReviewMode
from app.ui.review.triage import TriageController


class EmptyState(QWidget):
    """What a new rep sees on an empty database: what LeadDesk does and how to start."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        title = QLabel("No leads yet")
        title.setObjectName("emptyTitle")
        text = QLabel(
            "Bring in a lead export from MassProspecting, Apollo, HubSpot or LinkedIn,\n"
            "or explore LeadDesk with a sample of 300 leads in 3 campaigns."
        )
        text.setObjectName("emptyText")
        self.import_button = QPushButton("Import leads…", objectName="emptyImportButton")
        self.import_button.setDefault(True)
        self.sample_button = QPushButton("Load sample data", objectName="loadSampleButton")
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch()
        for widget in (title, text):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(3)


class Chip(QToolButton):
    """A removable active-filter chip ("Campaign: Spring ✕")."""

    def __init__(self, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("filterChip")
        self.setText(f"{label}  ✕")
        self.setToolTip(f"Remove the filter “{label}”")
        self.setAccessibleName(f"Remove filter {label}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)


class LeadListView(QListView):
    """The lead list. Gaining focus (View Leads, Ctrl+2) leaves no row current: Qt would make the first
    one current, which loads it into the detail form (55-110 ms on the GUI thread at 1M leads)."""

    def focusInEvent(self, event) -> None:
        QAbstractScrollArea.focusInEvent(self, event)
        self.viewport().update()


class LeadsWorkspace(QWidget):
    """The left panel (search, filters, chips, list, count) and the detail panel on the right."""

    def __init__(self, db_path: Path, events: DataEvents, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("leadsPage")
        self.events = events
        self.source = LeadListModel(db_path, events, self)
        self.proxy = LeadFilterProxy(self.source, self)
        self._choices = filter_options.filter_choices()
        self._build()
        self.review_mode = ReviewMode(self, events)
        self._connect_signals()

    def _build(self) -> None:
        # Containers first, contents after: with an application stylesheet, every widget moved to
        # a new parent after it was polished is polished again (measured: a third of this page's
        # build time went to re-polishing the detail form as it moved from parent to parent).
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="workspaceSplitter")
        self.empty_state = EmptyState()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty_state)
        left = QWidget(objectName="leadListPanel")
        # The lead's details are the first tab, its History the second.
        self.detail_tabs = QTabWidget(objectName="detailTabs")
        self.detail_tabs.setDocumentMode(True)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail_tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([420, 680])
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)

        self.search = QLineEdit(objectName="leadSearch", clearButtonEnabled=True)
        self.search.setPlaceholderText("Search name, title, company, email…")
        self.search.setAccessibleName("Search leads")
        self.search.setToolTip("Search leads (Ctrl+F): each word matches the start of a word in the name, title,\n"
                               "e-mail, company or location; several words must all match")
        self.filter_button = QToolButton(objectName="filterButton", text="Filters")
        self.filter_button.setAccessibleName("Filters")
        self.filter_button.setToolTip("Filter by campaign, VIP, title, location, size, email status, tags… (Ctrl+Shift+F)")
        self.filter_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter_button)

        self._build_chips()
        self._build_list()
        footer = self._build_footer()

        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(10, 10, 6, 8)
        left_layout.addLayout(top)
        left_layout.addWidget(self.chips_area)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(footer)

        # The detail panel has its own stylesheet, so moving it to a new parent re-polishes every
        # widget in it (~25 ms): it is built straight into a page already in its tab.
        details_page = QWidget()
        QVBoxLayout(details_page).setContentsMargins(0, 0, 0, 0)
        self.detail_tabs.addTab(details_page, "Details")
        self.detail = LeadDetailPanel(self.events, details_page)
        details_page.layout().addWidget(self.detail)
        self.history = HistoryView(self.events)
        self.detail_tabs.addTab(self.history, "History")

        self._filter_panel: FilterPanel | None = None

    def _build_chips(self) -> None:
        self.chips = QWidget(objectName="filterChips")
        self.chips_layout = QHBoxLayout(self.chips)
        self.chips_layout.setContentsMargins(0, 0, 0, 0)
        self.chips_layout.setSpacing(6)
        # One row of chips that scrolls sideways, so many filters never squeeze the list.
        self.chips_area = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.chips_area.setWidget(self.chips)
        self.chips_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chips_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Room for one row of chips plus the sideways scroll bar that shows when they overflow.
        chip_height = Chip("Campaign").sizeHint().height()
        scrollbar = self.chips_area.horizontalScrollBar().sizeHint().height()
        self.chips_area.setFixedHeight(chip_height + scrollbar + 4)
        self.chips_area.hide()

    def _build_list(self) -> None:
        self.list = LeadListView(objectName="leadList")
        self.list.setAccessibleName("Leads")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(LeadDelegate(self.list))
        # Both settings are what keeps a million-row list instant (measured: 26 ms vs 1.2 s / 40 s; docs/ARCHITECTURE.md).
        self.list.setUniformItemSizes(True)
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(200)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _build_footer(self) -> QHBoxLayout:
        self.count_label = QLabel(objectName="leadCount")
        self.count_label.setAccessibleName("Lead count")
        self.sort_combo = QComboBox(objectName="sortCombo", accessibleName="Sort leads by")
        for key, label in SORT_ORDERS.items():
            self.sort_combo.addItem(label, key)
        sort_label = QLabel("Sort")
        sort_label.setBuddy(self.sort_combo)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(sort_label)
        footer.addWidget(self.sort_combo)
        return footer

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self.proxy.set_text)
        self.filter_button.clicked.connect(self._on_filter_button_clicked)
        self.proxy.filter_changed.connect(self._on_proxy_filter_changed)
        self.sort_combo.activated.connect(lambda: self.proxy.set_sort(self.sort_combo.currentData()))
        self.source.count_known.connect(self._show_count)
        self.source.results_applied.connect(self._on_source_results_applied)
        self.source.query_failed.connect(self._on_source_query_failed)
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.detail_tabs.currentChanged.connect(self._show_history)
        self.events.changed.connect(self._on_events_changed)

    def use_undo_stack(self, stack: UndoStack) -> TriageController:
        """Run the form's edits and the list's triage keys through ``stack``; the triage controller."""
        self.detail.set_edit_runner(stack.edit)
        triage = TriageController(self.list, stack, self.current_lead_id, self.move_selection, self)
        triage.install_form_shortcuts(self.detail)
        return triage

    # -- filter ----------------------------------------------------------------------------------
    @property
    def filter_panel(self) -> FilterPanel:
        """The filter popup, built when first opened (it is the heaviest widget of this page)."""
        if self._filter_panel is None:
            self._filter_panel = FilterPanel(self)
            self._filter_panel.filter_edited.connect(self.proxy.set_filter)
        return self._filter_panel

    def start(self, flt: LeadFilter) -> None:
        """Show the leads matching ``flt`` (the remembered filter at start-up)."""
        self.search.blockSignals(True)
        self.search.setText(flt.text)
        self.search.blockSignals(False)
        self.source.set_filter(flt)
        self._on_proxy_filter_changed(flt)

    def show_campaign(self, campaign_id: int) -> None:
        """Filter the list to one campaign (the campaigns page's "View Leads")."""
        self.proxy.set_filter(LeadFilter(campaign_ids=(campaign_id,), sort=self.proxy.lead_filter().sort))
        self.search.setText("")

    @Slot(object)
    def _on_proxy_filter_changed(self, flt: LeadFilter) -> None:
        if self.search.text() != flt.text:
            self.search.blockSignals(True)
            self.search.setText(flt.text)
            self.search.blockSignals(False)
        if self._filter_panel is not None:
            self._filter_panel.set_base_filter(flt)
        self.sort_combo.setCurrentIndex(max(0, self.sort_combo.findData(flt.sort)))
        self._rebuild_chips(flt)

    def _rebuild_chips(self, flt: LeadFilter) -> None:
        while self.chips_layout.count():
            item = self.chips_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        chips = describe_chips(flt, self._choices)
        for label, without in chips:
            chip = Chip(label, self.chips)
            chip.clicked.connect(lambda _=False, f=without: self.proxy.set_filter(f))
            self.chips_layout.addWidget(chip)
        self.chips_layout.addStretch()
        self.chips_area.setVisible(bool(chips))
        active = len(chips)
        self.filter_button.setText(f"Filters · {active}" if active else "Filters")

    @Slot()
    def _on_filter_button_clicked(self) -> None:
        # Fresh each time: a sync or a CLI import may have brought owners, campaigns or tags meanwhile.
        self._reload_choices()
        self.filter_panel.load(self.proxy.lead_filter(), self._choices)
        self.filter_panel.popup_below(self.filter_button)

    @Slot(object, object)
    def _on_events_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.campaigns or changes.tags or changes.leads_added_or_removed:
            self._reload_choices()

    def _reload_choices(self) -> None:
        self._choices = filter_options.filter_choices()
        self._rebuild_chips(self.proxy.lead_filter())

    def has_campaigns(self) -> bool:
        return bool(self._choices.campaigns)

    # -- list ------------------------------------------------------------------------------------
    def current_lead_id(self) -> int | None:
        index = self.list.currentIndex()
        return index.data(LeadRole.Id) if index.isValid() else None

    def selected_lead_ids(self) -> list[int]:
        return [index.data(LeadRole.Id) for index in self.list.selectionModel().selectedIndexes()]

    @Slot(int, int)
    def _show_count(self, matching: int, total: int) -> None:
        self.count_label.setText(f"{matching:,} of {total:,} leads")
        self.stack.setCurrentWidget(self.empty_state if total == 0 else self.splitter)

    @Slot(int, int)
    def _on_source_results_applied(self, matching: int, total: int) -> None:
        self._show_count(matching, total)
        # The lead in the form stays selected while it matches; once it leaves the list the form
        # clears (the rep picks the next one: loading a lead nobody asked for stalled the list at 1M).
        shown = self.detail.lead_id
        if shown is None:
            return
        row = self.proxy.row_of(shown)
        if row < 0:
            self.detail.show_lead(None)
        else:
            index = self.proxy.index(row, 0)
            self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index)

    @Slot(str)
    def _on_source_query_failed(self, message: str) -> None:
        self.count_label.setText("Search failed — see the status bar")
        self.window().statusBar().showMessage(f"Could not search the leads: {message}", 8000)

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail.show_lead(current.data(LeadRole.Id))
        self._show_history()

    @Slot()
    def _show_history(self, *_args) -> None:
        # History is read only when its tab is shown: moving through leads stays one query each.
        if self.detail_tabs.currentWidget() is self.history:
            self.history.set_lead(self.current_lead_id())

    def move_selection(self, step: int) -> None:
        """Select the next (step=1) or previous (step=-1) lead; the form follows."""
        count = self.proxy.rowCount()
        if not count:
            return
        row = self.list.currentIndex().row()
        row = 0 if row < 0 else max(0, min(count - 1, row + step))
        index = self.proxy.index(row, 0)
        self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(index)

    def shutdown(self) -> None:
        self.detail.shutdown()
        self.source.shutdown()
