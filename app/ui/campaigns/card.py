"""CampaignCard: one campaign on the campaigns page — status, live metrics, View Leads, actions.

The card only shows and asks; the page performs the actions (it owns the dialogs and the
services calls). ``set_info`` and ``set_metrics`` update the labels in place so a refresh never
rebuilds widgets; until the first numbers arrive (they are computed off the GUI thread) the
metrics show a dash.
"""

import datetime as dt

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
)

from app.services.campaigns import CampaignInfo, CampaignMetrics
from app.ui.common import style

STATUS_LABELS = {"active": "Active", "paused": "Paused", "archived": "Archived"}
NOT_YET = "–"  # shown until the first numbers arrive
PROCESSED_TIP = (
    "Share of leads whose email verification is final (present and not pending): {processed:,} of {total:,}."
)


def _created_text(created_at: str) -> str:
    try:
        when = dt.datetime.fromisoformat(created_at).astimezone()
    except (TypeError, ValueError):
        return ""
    return f"Created {when.day} {when:%b %Y}"


def _restyle(widget) -> None:
    # A dynamic property used in a stylesheet selector only applies after a re-polish.
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class CampaignCard(QFrame):
    """A rounded card showing one campaign.

    Signals:
        view_leads_requested(int): the rep wants the leads workspace filtered to this campaign.
        rename_requested(int), targets_requested(int), delete_requested(int): menu choices.
        status_change_requested(int, str): Pause/Resume/Archive/Unarchive, with the new status.
    """

    view_leads_requested = Signal(int)
    rename_requested = Signal(int)
    targets_requested = Signal(int)
    delete_requested = Signal(int)
    status_change_requested = Signal(int, str)

    def __init__(self, info: CampaignInfo, parent=None):
        super().__init__(parent)
        self.setObjectName("campaignCard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Preferred, not Fixed: every card in a grid row takes the row's height.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 2)
        shadow.setColor(QColor(*style.CARD_SHADOW))
        self.setGraphicsEffect(shadow)

        self._info = info
        self._metrics: CampaignMetrics | None = None
        self._build()
        self.set_info(info)
        for label in (self.discovered_value, self.processed_value, self.valid_value, self.reviewed_value):
            label.setText(NOT_YET)

    @property
    def campaign_id(self) -> int:
        return self._info.id

    @property
    def info(self) -> CampaignInfo:
        return self._info

    @property
    def discovered(self) -> int:
        """The last known number of leads (0 before the first numbers)."""
        return self._metrics.discovered if self._metrics else 0

    def _build(self) -> None:
        self.name_label = QLabel(objectName="campaignName")
        self.name_label.setWordWrap(True)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_badge = QLabel(objectName="statusBadge")
        self.status_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.menu_button = QToolButton(objectName="campaignMenuButton", text="⋯")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.menu_button.setToolTip("Campaign actions")
        self._build_menu()

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.status_badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.menu_button, 0, Qt.AlignmentFlag.AlignTop)

        self.created_label = QLabel(objectName="createdLabel")

        metrics = self._build_metrics()
        reviewed_row = self._build_reviewed()
        self.targets_label = QLabel(objectName="targetsLabel")
        self.targets_label.setWordWrap(True)
        self.targets_label.setTextFormat(Qt.TextFormat.PlainText)

        self.view_button = QPushButton("View Leads", objectName="viewLeadsButton")
        self.view_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.view_button.clicked.connect(self._on_view_button_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(self.targets_label, 1)
        bottom.addWidget(self.view_button, 0, Qt.AlignmentFlag.AlignBottom)

        divider = QFrame(objectName="cardDivider")
        divider.setFixedHeight(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addSpacing(2)
        layout.addWidget(self.created_label)
        layout.addSpacing(14)
        layout.addLayout(metrics)
        layout.addSpacing(14)
        layout.addLayout(reviewed_row)
        layout.addSpacing(6)
        layout.addWidget(self.reviewed_bar)
        layout.addSpacing(14)
        layout.addStretch(1)
        layout.addWidget(divider)
        layout.addSpacing(12)
        layout.addLayout(bottom)

    def _build_metrics(self) -> QGridLayout:
        self.discovered_value = self._metric_value("discoveredValue", "Leads discovered")
        self.processed_value = self._metric_value("processedValue", "Leads processed")
        self.valid_value = self._metric_value("validEmailsValue", "Valid emails after filters")
        metrics = QGridLayout()
        metrics.setHorizontalSpacing(12)
        metrics.setVerticalSpacing(0)
        captions = ("Leads\ndiscovered", "Leads\nprocessed", "Valid emails\nafter filters")
        self._captions = []
        for column, (value, caption) in enumerate(
            zip((self.discovered_value, self.processed_value, self.valid_value), captions)
        ):
            caption_label = QLabel(caption, objectName="metricCaption")
            self._captions.append(caption_label)
            metrics.addWidget(value, 0, column)
            metrics.addWidget(caption_label, 1, column, Qt.AlignmentFlag.AlignTop)
            metrics.setColumnStretch(column, 1)
        return metrics

    def _build_reviewed(self) -> QHBoxLayout:
        self.reviewed_value = QLabel(objectName="reviewedValue")
        self.reviewed_value.setAccessibleName("Reviewed")
        reviewed_caption = QLabel("Reviewed", objectName="metricCaption")
        reviewed_row = QHBoxLayout()
        reviewed_row.addWidget(reviewed_caption)
        reviewed_row.addStretch(1)
        reviewed_row.addWidget(self.reviewed_value)
        self.reviewed_bar = QProgressBar(objectName="reviewedBar")
        self.reviewed_bar.setTextVisible(False)
        self.reviewed_bar.setFixedHeight(6)
        self.reviewed_bar.setAccessibleName("Reviewed leads")
        tip = "Leads you have opened or changed"
        for widget in (reviewed_caption, self.reviewed_value, self.reviewed_bar):
            widget.setToolTip(tip)
        return reviewed_row

    def _metric_value(self, object_name: str, accessible_name: str) -> QLabel:
        label = QLabel(objectName=object_name)
        label.setAccessibleName(accessible_name)
        return label

    def _build_menu(self) -> None:
        # The actions sit on the button itself: Qt builds the popup menu from them on click, so
        # no card carries a QMenu it may never open.
        self.rename_action = QAction("Rename…", self, objectName="renameAction")
        self.pause_action = QAction(self, objectName="pauseAction")
        self.archive_action = QAction(self, objectName="archiveAction")
        self.targets_action = QAction("Target filters…", self, objectName="targetsAction")
        self.delete_action = QAction("Delete…", self, objectName="deleteAction")
        self.menu_button.addActions([
            self.rename_action, self.targets_action, self._separator(),
            self.pause_action, self.archive_action, self._separator(),
            self.delete_action,
        ])
        self.rename_action.triggered.connect(self._on_rename_action_triggered)
        self.targets_action.triggered.connect(self._on_targets_action_triggered)
        self.pause_action.triggered.connect(self._on_pause_action_triggered)
        self.archive_action.triggered.connect(self._on_archive_action_triggered)
        self.delete_action.triggered.connect(self._on_delete_action_triggered)

    def _separator(self) -> QAction:
        separator = QAction(self)
        separator.setSeparator(True)
        return separator

    def set_info(self, m: CampaignInfo) -> None:
        """Show the campaign's name, status, date and targets."""
        self._info = m
        self.setAccessibleName(m.name)
        self.name_label.setText(m.name)
        self.menu_button.setAccessibleName(f"Actions for {m.name}")
        self.view_button.setAccessibleName(f"View leads of {m.name}")
        self.status_badge.setText(STATUS_LABELS.get(m.status, m.status))
        if self.status_badge.property("status") != m.status:
            self.status_badge.setProperty("status", m.status)
            _restyle(self.status_badge)
        self.created_label.setText(_created_text(m.created_at))
        self.discovered_value.setToolTip("Leads in this campaign (the Trash not included)")
        valid_tip = (
            "Leads with a valid email that match this campaign's target filters"
            if not m.targets.is_empty() else "Leads with a valid email (this campaign has no target filters)"
        )
        self.valid_value.setToolTip(valid_tip)
        self._captions[2].setToolTip(valid_tip)
        self.targets_label.setText(
            f"Targets: {m.targets.describe()}" if not m.targets.is_empty() else "No target filters"
        )
        self.pause_action.setText("Resume" if m.status == "paused" else "Pause")
        self.pause_action.setVisible(m.status != "archived")
        self.archive_action.setText("Unarchive" if m.status == "archived" else "Archive")

    def set_metrics(self, m: CampaignMetrics) -> None:
        """Show new numbers (only the numbers: name and status come from ``set_info``)."""
        self._metrics = m
        self.discovered_value.setText(f"{m.discovered:,}")
        self.processed_value.setText(f"{m.processed_percent}%")
        self.valid_value.setText(f"{m.valid_emails:,}")
        self.reviewed_value.setText(f"{m.reviewed:,} / {m.discovered:,}")
        self.reviewed_bar.setRange(0, max(1, m.discovered))
        self.reviewed_bar.setValue(m.reviewed)

        processed_tip = PROCESSED_TIP.format(processed=m.processed, total=m.discovered)
        self.processed_value.setToolTip(processed_tip)
        self._captions[1].setToolTip(processed_tip)

    @Slot()
    def _on_view_button_clicked(self) -> None:
        self.view_leads_requested.emit(self.campaign_id)

    @Slot()
    def _on_rename_action_triggered(self) -> None:
        self.rename_requested.emit(self.campaign_id)

    @Slot()
    def _on_targets_action_triggered(self) -> None:
        self.targets_requested.emit(self.campaign_id)

    @Slot()
    def _on_pause_action_triggered(self) -> None:
        self.status_change_requested.emit(self.campaign_id, "active" if self._info.status == "paused" else "paused")

    @Slot()
    def _on_archive_action_triggered(self) -> None:
        self.status_change_requested.emit(
            self.campaign_id, "active" if self._info.status == "archived" else "archived"
        )

    @Slot()
    def _on_delete_action_triggered(self) -> None:
        self.delete_requested.emit(self.campaign_id)
