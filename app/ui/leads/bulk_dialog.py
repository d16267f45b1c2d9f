"""Bulk actions dialog: one action on the selected leads or on all leads matching the filter.

The dialog always states the exact number of leads the action will change before it runs.
"""

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services import bulk, review, tags
from app.services.campaigns import list_campaigns
from app.services.lead_filter import LeadFilter
from app.services.undo import Operation, plural
from app.ui.common.undo_tasks import UndoRunner

# Action key → (menu text, which argument it needs: None, "reason", "new_tag", "tag", "campaign", "active_campaign")
ACTIONS = {
    "approve": ("Approve", None),
    "reject": ("Reject", "reason"),
    "skip": ("Skip", None),
    "new": ("Mark as new (not reviewed)", None),
    "vip_on": ("Mark VIP", None),
    "vip_off": ("Unmark VIP", None),
    "add_tag": ("Add tag", "new_tag"),
    "remove_tag": ("Remove tag", "tag"),
    "add_campaign": ("Add to campaign", "active_campaign"),
    "remove_campaign": ("Remove from campaign", "campaign"),
    "delete": ("Delete (move to Trash)", None),
}


@dataclass(frozen=True)
class BulkRequest:
    """What the rep asked for: an ACTIONS key, its argument, and on which leads."""

    action: str
    argument: object = None  # reason text, tag name (add) / tag id (remove), campaign id
    target: object = ()  # a list of lead ids or a LeadFilter


def apply_request(runner: UndoRunner, request: BulkRequest, count: int,
                  on_done: Callable[[Operation], None] | None = None) -> None:
    """Run the request on its ``count`` leads as one undoable operation (in the background when many)."""
    target, arg = request.target, request.argument
    calls = {
        "approve": (bulk.set_review_state, "approved"),
        "reject": (bulk.set_review_state, "rejected", arg or ""),
        "skip": (bulk.set_review_state, "skipped"),
        "new": (bulk.set_review_state, "new"),
        "vip_on": (bulk.set_vip, True),
        "vip_off": (bulk.set_vip, False),
        "add_tag": (bulk.add_tag, arg),
        "remove_tag": (bulk.remove_tag, arg),
        "add_campaign": (bulk.assign_campaign, arg),
        "remove_campaign": (bulk.remove_from_campaign, arg),
        "delete": (bulk.delete_to_trash,),
    }
    fn, *args = calls[request.action]
    runner.perform("Bulk actions", count, fn, target, *args, on_done=on_done)


class BulkDialog(QDialog):
    """Pick an action and its target (selection or whole filter); Apply says how many leads."""

    def __init__(self, selected_ids: list[int], lead_filter: LeadFilter, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bulkDialog")
        self.setWindowTitle("Bulk actions")
        self._selected = list(selected_ids)
        self._filter = lead_filter
        self._counts = {"selection": bulk.count(self._selected) if self._selected else 0,
                        "filter": bulk.count(lead_filter)}

        self.selection_radio = QRadioButton(f"The {plural(self._counts['selection'], 'selected lead')}",
                                            objectName="bulkSelectionRadio")
        self.filter_radio = QRadioButton(f"All {plural(self._counts['filter'])} matching the filter",
                                         objectName="bulkFilterRadio")
        self.selection_radio.setEnabled(self._counts["selection"] > 0)
        (self.selection_radio if self._counts["selection"] else self.filter_radio).setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.selection_radio)
        group.addButton(self.filter_radio)

        self.action_combo = QComboBox(objectName="bulkActionCombo", accessibleName="Action")
        for key, (text, _arg) in ACTIONS.items():
            self.action_combo.addItem(text, key)
        self.argument_combo = QComboBox(objectName="bulkArgumentCombo", accessibleName="Action detail")
        self.argument_label = QLabel("&Detail")
        self.argument_label.setBuddy(self.argument_combo)
        self.summary = QLabel(objectName="bulkSummary")
        self.summary.setWordWrap(True)

        form = QFormLayout()
        action_label = QLabel("&Action")
        action_label.setBuddy(self.action_combo)
        form.addRow(action_label, self.action_combo)
        form.addRow(self.argument_label, self.argument_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setObjectName("bulkApplyButton")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Apply to:"))
        layout.addWidget(self.selection_radio)
        layout.addWidget(self.filter_radio)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.action_combo.currentIndexChanged.connect(self._on_action_combo_changed)
        self.argument_combo.currentTextChanged.connect(self._update_summary)
        group.buttonToggled.connect(self._update_summary)
        self._on_action_combo_changed()

    def count(self) -> int:
        """How many leads Apply will change."""
        return self._counts["selection" if self.selection_radio.isChecked() else "filter"]

    def request(self) -> BulkRequest:
        action = self.action_combo.currentData()
        kind = ACTIONS[action][1]
        if kind in ("reason", "new_tag"):
            argument = self.argument_combo.currentText().strip()
        else:
            argument = self.argument_combo.currentData()
        target = self._selected if self.selection_radio.isChecked() else self._filter
        return BulkRequest(action, argument, target)

    @Slot()
    def _on_action_combo_changed(self) -> None:
        kind = ACTIONS[self.action_combo.currentData()][1]
        combo = self.argument_combo
        combo.blockSignals(True)
        combo.clear()
        combo.setEditable(kind in ("reason", "new_tag"))
        if kind == "reason":
            combo.addItems(review.list_reasons())
            self.argument_label.setText("&Reason")
        elif kind in ("tag", "new_tag"):
            for tag in tags.list_tags():
                combo.addItem(tag.name, tag.id)
            self.argument_label.setText("&Tag")
        elif kind in ("campaign", "active_campaign"):
            for campaign in list_campaigns():
                if kind == "campaign" or campaign.accepts_leads:
                    combo.addItem(campaign.name, campaign.id)
            self.argument_label.setText("&Campaign")
        combo.blockSignals(False)
        self.argument_label.setVisible(kind is not None)
        combo.setVisible(kind is not None)
        self._update_summary()

    @Slot()
    def _update_summary(self) -> None:
        text, kind = ACTIONS[self.action_combo.currentData()]
        count = self.count()
        detail = self.argument_combo.currentText().strip() if kind else ""
        missing = kind is not None and not detail
        if missing:
            self.summary.setText(f"Choose a {self.argument_label.text().replace('&', '').lower()}.")
        else:
            self.summary.setText(f"{text} “{detail}”: {plural(count)} will change." if detail
                                 else f"{text}: {plural(count)} will change.")
        self.apply_button.setText(f"Apply to {plural(count)}")
        self.apply_button.setEnabled(count > 0 and not missing)


def run_bulk_dialog(parent: QWidget, runner: UndoRunner, selected_ids: list[int], lead_filter: LeadFilter) -> None:
    """Show the dialog and apply what the rep chose; refusals (a paused campaign…) are told in plain words."""
    dialog = BulkDialog(selected_ids, lead_filter, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        apply_request(runner, dialog.request(), dialog.count())
