"""CampaignsPage: the front door — one card per campaign with live metrics, and the lifecycle actions.

A refresh has two steps: the campaign list (names, status, targets: cheap) updates the cards at
once, and the numbers (SQL aggregates: up to a second or so at a million leads) are computed on a
background thread with read-only connections, then written into the cards. The page listens to
the DataEvents broadcast and refreshes once per burst (a short single-shot timer), only while it is
visible; a hidden page just remembers it is stale and refreshes when shown. Cards are updated in
place; only a change in the set of campaigns adds or removes cards.
"""

import logging

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes
from app.services import campaigns
from app.services.campaigns import CampaignError
from app.ui.campaigns.card import CampaignCard
from app.ui.campaigns.dialogs import CampaignNameDialog, TargetFiltersDialog
from app.ui.common import settings, style
from app.ui.common.layouts import ColumnGridLayout
from app.ui.common.style import ACCENT, ACCENT_HOVER
from app.ui.common.tasks import Task, run_task

REFRESH_DELAY_MS = 150  # long enough to fold a burst of edits into one refresh, short enough to feel live
SORTS = {"name": "Name", "newest": "Newest", "most_leads": "Most leads"}
log = logging.getLogger(__name__)

# Scoped to the page. Surfaces, borders and text use palette roles so any palette stays readable;
# the primary actions use the product accent; the status colours are mid-tones with translucent
# fills that work on light and dark backgrounds.
_STATUS_BADGES = "\n".join(f'#statusBadge[status="{status}"] {{ color: {fg}; background: {bg}; }}'
                           for status, (fg, bg) in style.CAMPAIGN_STATUS_COLORS.items())
STYLESHEET = f"""
#campaignsPage {{ background: palette(window); }}
#campaignGrid {{ background: transparent; }}
#pageTitle {{ font-size: 19pt; font-weight: 700; }}
#campaignCount, #searchCaption, #sortCaption {{ color: palette(placeholder-text); }}
QFrame#campaignCard {{ background: palette(base); border: 1px solid palette(mid); border-radius: 12px; }}
QFrame#campaignCard QLabel {{ background: transparent; border: none; }}
QFrame#cardDivider {{ background: palette(mid); border: none; }}
#campaignName {{ font-size: 12.5pt; font-weight: 700; }}
#createdLabel, #metricCaption, #targetsLabel {{ color: palette(placeholder-text); font-size: 8.5pt; }}
#discoveredValue, #processedValue, #validEmailsValue {{ font-size: 20pt; font-weight: 600; }}
#reviewedValue {{ font-weight: 600; }}
#statusBadge {{ border-radius: 9px; padding: 2px 10px; font-size: 8pt; font-weight: 700; }}
{_STATUS_BADGES}
QToolButton#campaignMenuButton {{ border: none; border-radius: 6px; padding: 0 6px; font-size: 13pt; }}
QToolButton#campaignMenuButton:hover {{ background: palette(alternate-base); }}
QToolButton#campaignMenuButton::menu-indicator {{ image: none; width: 0; }}
QProgressBar#reviewedBar {{ border: none; border-radius: 3px; background: palette(mid); }}
QProgressBar#reviewedBar::chunk {{ border-radius: 3px; background: {ACCENT}; }}
QPushButton#viewLeadsButton, QPushButton#newCampaignButton, QPushButton#emptyCreateButton {{
    background: {ACCENT}; color: white; border: none; border-radius: 6px;
    padding: 6px 14px; font-weight: 600;
}}
QPushButton#viewLeadsButton:hover, QPushButton#newCampaignButton:hover, QPushButton#emptyCreateButton:hover {{
    background: {ACCENT_HOVER};
}}
#campaignsEmptyTitle {{ font-size: 17pt; font-weight: 700; }}
#campaignsEmptyText {{ color: palette(placeholder-text); font-size: 10.5pt; }}
"""


class CampaignsPage(QWidget):
    """The campaigns page (objectName ``campaignsPage``).

    Signals:
        view_leads_requested(int): a card's View Leads was clicked; switch to the leads workspace
            filtered to this campaign id.
        metrics_updated(): the cards show the numbers as of the latest refresh.
    """

    view_leads_requested = Signal(int)
    metrics_updated = Signal()

    def __init__(self, events, parent=None):
        super().__init__(parent)
        self.setObjectName("campaignsPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLESHEET)
        self._events = events
        self._cards: dict[int, CampaignCard] = {}
        self._stale = True  # nothing loaded yet: the first show (or refresh()) loads
        self._any_campaigns = False  # archived ones included: picks the right empty state
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        # One query at a time: a refresh asked for meanwhile runs once this one is done.
        self._task: Task | None = None
        self._fetch_again = False
        self._build()
        self._connect_signals()

    # Building ------------------------------------------------------------------------------------
    def _build(self) -> None:
        header = self._build_header()
        self._build_grid()
        self.stack = QStackedWidget(objectName="campaignStack")
        self.stack.addWidget(self.scroll)
        self.stack.addWidget(self._build_empty_state())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 8)
        layout.setSpacing(18)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

    def _build_header(self) -> QVBoxLayout:
        title = QLabel("Campaigns", objectName="pageTitle")
        self.count_label = QLabel(objectName="campaignCount")
        self.search_edit = QLineEdit(objectName="campaignSearch")
        self.search_edit.setPlaceholderText("Search campaigns")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search campaigns")
        self.search_edit.setMinimumWidth(160)
        self.search_edit.setMaximumWidth(360)
        search_caption = QLabel("&Search", objectName="searchCaption")
        search_caption.setBuddy(self.search_edit)
        self.sort_combo = QComboBox(objectName="campaignSort")
        for key, label in SORTS.items():
            self.sort_combo.addItem(label, key)
        self.sort_combo.setAccessibleName("Sort campaigns by")
        sort_caption = QLabel("S&ort by", objectName="sortCaption")
        sort_caption.setBuddy(self.sort_combo)
        self.sort_combo.setCurrentIndex(self.sort_combo.findData(settings.read_str(settings.CAMPAIGN_SORT, "name", SORTS)))
        self.archived_check = QCheckBox("Show &archived", objectName="showArchived")
        self.archived_check.setChecked(settings.read_bool(settings.CAMPAIGN_SHOW_ARCHIVED, False))
        self.archived_check.setAccessibleName("Show archived campaigns")
        self.new_button = QPushButton("+  New campaign", objectName="newCampaignButton")
        self.new_button.setAccessibleName("New campaign")
        self.new_button.setCursor(Qt.CursorShape.PointingHandCursor)

        # Two rows: title and the primary action, then the tools that shape the grid.
        heading = QVBoxLayout()
        heading.setSpacing(0)
        heading.addWidget(title)
        heading.addWidget(self.count_label)
        title_row = QHBoxLayout()
        title_row.addLayout(heading)
        title_row.addStretch(1)
        title_row.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)
        # Hidden while there is no campaign at all: nothing to search, sort or unarchive.
        self.tools = QWidget(objectName="campaignTools")
        tools = QHBoxLayout(self.tools)
        tools.setContentsMargins(0, 0, 0, 0)
        tools.setSpacing(8)
        tools.addWidget(search_caption)
        tools.addWidget(self.search_edit, 1)
        tools.addSpacing(12)
        tools.addWidget(sort_caption)
        tools.addWidget(self.sort_combo)
        tools.addSpacing(12)
        tools.addWidget(self.archived_check)
        tools.addStretch(1)
        header = QVBoxLayout()
        header.setSpacing(12)
        header.addLayout(title_row)
        header.addWidget(self.tools)
        return header

    def _build_grid(self) -> None:
        self.grid_widget = QWidget(objectName="campaignGrid")
        self.grid = ColumnGridLayout(self.grid_widget, min_column_width=300, spacing=18)
        # Room for the cards' shadows at the edges.
        self.grid.setContentsMargins(6, 4, 6, 12)
        self.scroll = QScrollArea(objectName="campaignScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.grid_widget)
        self.scroll.viewport().setAutoFillBackground(False)
        self.grid_widget.setAutoFillBackground(False)

    def _build_empty_state(self) -> QWidget:
        self.empty_title = QLabel(objectName="campaignsEmptyTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty_text = QLabel(objectName="campaignsEmptyText", alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty_button = QPushButton("Create your first campaign", objectName="emptyCreateButton")
        empty = QWidget(objectName="campaignsEmptyState")
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addSpacing(12)
        empty_layout.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignCenter)
        empty_layout.addStretch(2)
        return empty

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.sort_combo.currentIndexChanged.connect(self._on_sort_combo_current_index_changed)
        self.archived_check.toggled.connect(self._on_archived_check_toggled)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.empty_button.clicked.connect(self._on_new_button_clicked)
        self._events.changed.connect(self._on_events_changed)

    # Public API ----------------------------------------------------------------------------------
    def cards(self) -> list[CampaignCard]:
        """The cards the rep can see, in display order."""
        order = [self.grid.itemAt(i).widget() for i in range(self.grid.count())]
        return [card for card in order if not card.isHidden()]

    def refresh(self) -> None:
        """Reload now: the cards at once, their numbers in the background (then ``metrics_updated``)."""
        self._refresh_timer.stop()
        self._stale = False
        # Counting first: the background query runs while the cards are built and laid out.
        self._fetch_metrics()
        infos = campaigns.list_campaigns(include_archived=self.archived_check.isChecked())
        current = {info.id for info in infos}
        for campaign_id in list(self._cards):
            if campaign_id not in current:
                card = self._cards.pop(campaign_id)
                self.grid.removeWidget(card)
                # Later, not now: the card may be the sender of the signal that led here.
                card.hide()
                card.deleteLater()
        for info in infos:
            card = self._cards.get(info.id)
            if card is None:
                self._add_card(info)
            else:
                card.set_info(info)
        self._any_campaigns = bool(infos) or bool(campaigns.list_campaigns())
        self.tools.setVisible(self._any_campaigns)
        self._apply_view()

    def _fetch_metrics(self) -> None:
        if self._task is not None:
            self._fetch_again = True
            return
        include_archived = self.archived_check.isChecked()
        # A failed count is logged by the task; the last numbers stay (no dialog for a background refresh).
        self._task = run_task(lambda _progress, _cancelled: campaigns.campaign_metrics(include_archived),
                              self._on_metrics_fetched, lambda _message: self._on_metrics_fetched(None))

    def _on_metrics_fetched(self, metrics) -> None:
        self._task = None
        if metrics is not None:  # None: the query failed; the last numbers stay
            for m in metrics:
                card = self._cards.get(m.id)
                if card is not None:
                    card.set_metrics(m)
            self._apply_view()  # "Most leads" may have reordered
        if self._fetch_again:  # the data changed while we were counting: count again (once shown)
            self._fetch_again = False
            if self.isVisible():
                self._fetch_metrics()
            else:
                self._stale = True
        elif metrics is not None:
            self.metrics_updated.emit()

    # Showing -------------------------------------------------------------------------------------
    def _add_card(self, info) -> CampaignCard:
        card = CampaignCard(info, self.grid_widget)
        card.view_leads_requested.connect(self.view_leads_requested)
        card.rename_requested.connect(self._on_card_rename_requested)
        card.targets_requested.connect(self._on_card_targets_requested)
        card.delete_requested.connect(self._on_card_delete_requested)
        card.status_change_requested.connect(self._on_card_status_change_requested)
        self._cards[info.id] = card
        self.grid.addWidget(card)
        return card

    def _sort_key(self):
        key = self.sort_combo.currentData()
        if key == "newest":
            return lambda c: (c.info.created_at, c.info.id), True
        if key == "most_leads":
            return lambda c: (-c.discovered, c.info.name.casefold()), False
        return lambda c: c.info.name.casefold(), False

    def _apply_view(self) -> None:
        """Order the cards, hide the ones the search excludes, pick the grid or the empty state."""
        key, reverse = self._sort_key()
        ordered = sorted(self._cards.values(), key=key, reverse=reverse)
        self.grid.set_order(ordered)
        needle = self.search_edit.text().strip().casefold()
        shown = 0
        for card in ordered:
            visible = needle in card.info.name.casefold()
            if card.isHidden() == visible:  # showing a card polishes it: only when it changes
                card.setHidden(not visible)
            shown += visible
        total = len(ordered)
        if shown == total:
            self.count_label.setText(f"{total:,} campaign{'s' if total != 1 else ''}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} campaigns")
        self._show_empty_state(shown, total)

    def _show_empty_state(self, shown: int, total: int) -> None:
        if shown:
            self.stack.setCurrentWidget(self.scroll)
            return
        self.empty_button.setVisible(not self._any_campaigns)
        if not self._any_campaigns:
            self.empty_title.setText("No campaigns yet")
            self.empty_text.setText(
                # Broken by hand: a short, even measure reads better than a wrapped paragraph.
                "A campaign groups the leads you prospect together and tracks\n"
                "how many are processed, valid and reviewed. Create one, then add\n"
                "leads to it from the Leads page or when importing a file."
            )
        elif total:
            self.empty_title.setText("No campaign matches your search")
            search = self.search_edit.text().strip()
            quoted = search if len(search) <= 40 else search[:40] + "…"
            self.empty_text.setText(f"Nothing is named like “{quoted}”.")
        else:
            self.empty_title.setText("All campaigns are archived")
            self.empty_text.setText("Tick “Show archived” to see them.")
        self.stack.setCurrentIndex(1)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def hideEvent(self, event) -> None:
        # A refresh due in a moment (a change just before the rep went to the lead list) waits for the
        # next show: at 1M leads counting takes the worker, and the GUI thread, from the list.
        super().hideEvent(event)
        if self._refresh_timer.isActive():
            self._refresh_timer.stop()
            self._stale = True

    def _schedule_refresh(self) -> None:
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._stale = True

    # Actions -------------------------------------------------------------------------------------
    def _changed(self) -> None:
        """After our own change: tell the other screens, then show it at once."""
        self._events.broadcast(Changes(campaigns=True), self)
        self.refresh()

    def _run(self, action, *args) -> bool:
        try:
            action(*args)
        except CampaignError as error:
            box = QMessageBox(QMessageBox.Icon.Warning, "Campaign", str(error), QMessageBox.StandardButton.Ok, self)
            box.setObjectName("campaignErrorBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.refresh()  # whatever was out of date (e.g. a campaign deleted meanwhile)
            return False
        self._changed()
        return True

    def _open_dialog(self, dialog) -> None:
        # open(), not exec(): window-modal without a nested event loop.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._changed)
        dialog.open()

    @Slot()
    def _on_new_button_clicked(self) -> None:
        self._open_dialog(CampaignNameDialog("New campaign", "Create", campaigns.create_campaign, parent=self))

    @Slot(int)
    def _on_card_rename_requested(self, campaign_id: int) -> None:
        name = self._cards[campaign_id].info.name
        self._open_dialog(CampaignNameDialog(
            "Rename campaign", "Rename", lambda new: campaigns.rename_campaign(campaign_id, new), name, parent=self
        ))

    @Slot(int)
    def _on_card_targets_requested(self, campaign_id: int) -> None:
        m = self._cards[campaign_id].info
        self._open_dialog(TargetFiltersDialog(
            m.name, m.targets, campaigns.known_countries(),
            lambda targets: campaigns.set_targets(campaign_id, targets), parent=self,
        ))

    @Slot(int, str)
    def _on_card_status_change_requested(self, campaign_id: int, status: str) -> None:
        self._run(campaigns.set_status, campaign_id, status)

    @Slot(int)
    def _on_card_delete_requested(self, campaign_id: int) -> None:
        name = self._cards[campaign_id].info.name
        count = campaigns.membership_count(campaign_id)
        box = QMessageBox(
            QMessageBox.Icon.Question, "Delete campaign",
            f"Delete the campaign “{name}”?\n\n"
            f"{count:,} lead{'s' if count != 1 else ''} will be removed from it. "
            "The leads themselves are kept.",
            QMessageBox.StandardButton.Cancel, self,
        )
        box.setObjectName("deleteCampaignBox")
        delete = box.addButton("Delete campaign", QMessageBox.ButtonRole.DestructiveRole)
        delete.setObjectName("confirmDeleteButton")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        delete.clicked.connect(lambda: self._run(campaigns.delete_campaign, campaign_id))
        box.open()

    # Slots ---------------------------------------------------------------------------------------
    @Slot(str)
    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._apply_view()

    @Slot(int)
    def _on_sort_combo_current_index_changed(self, _index: int) -> None:
        settings.write(settings.CAMPAIGN_SORT, self.sort_combo.currentData())
        self._apply_view()

    @Slot(bool)
    def _on_archived_check_toggled(self, checked: bool) -> None:
        settings.write(settings.CAMPAIGN_SHOW_ARCHIVED, checked)
        self.refresh()

    @Slot(object, object)
    def _on_events_changed(self, changes: Changes, initiator: object) -> None:
        # Our own change is shown at once by _changed; the rest refresh once per burst.
        if initiator is not self and (changes.lead_ids or changes.leads_added_or_removed or changes.campaigns):
            self._schedule_refresh()
