"""CampaignPicker: the detail form's campaign multi-select (a dropdown of check boxes).

The button reads like a combo box ("Spring Outreach, EU SaaS +1" / "No campaigns"); clicking it
opens a popup list of every campaign. Checking assigns the lead, unchecking removes it.
"""

from PySide6.QtCore import QEvent, QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QVBoxLayout,
)

from app.qtmodels.campaign_choices import CampaignChoicesModel

SUMMARY_NAMES = 2  # names spelled out on the button before "+N"


class _RowToggleDelegate(QStyledItemDelegate):
    """Lets a click anywhere on a row toggle its check box, not only on the tiny indicator."""

    def editorEvent(self, event, model, option, index):
        if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            flags = index.flags()
            if flags & Qt.ItemFlag.ItemIsUserCheckable and flags & Qt.ItemFlag.ItemIsEnabled:
                checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
                new = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
                model.setData(index, new.value, Qt.ItemDataRole.CheckStateRole)
            return True
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            return True  # the release above does the work; don't toggle twice
        return super().editorEvent(event, model, option, index)


class CampaignPicker(QPushButton):
    """Dropdown of check boxes for one lead's campaign memberships.

    Signals:
        memberships_changed(int): the lead (id) joined or left a campaign.
        membership_refused(str): a change was refused (an inactive campaign); plain message.
    """

    memberships_changed = Signal(int)
    membership_refused = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("campaignPicker")
        self.setAccessibleName("Campaigns")
        self.setToolTip("Campaigns this lead belongs to: click to add or remove")
        self.setStyleSheet("QPushButton#campaignPicker { text-align: left; padding: 5px 10px; }")

        self.model = CampaignChoicesModel(self)
        self.popup = QFrame(self, Qt.WindowType.Popup)
        self.popup.setObjectName("campaignPickerPopup")
        self.popup.setFrameShape(QFrame.Shape.StyledPanel)
        self.view = QListView(self.popup)
        self.view.setObjectName("campaignPickerList")
        self.view.setAccessibleName("Campaign list")
        self.view.setModel(self.model)
        self.view.setItemDelegate(_RowToggleDelegate(self.view))
        self.view.setMouseTracking(True)
        layout = QVBoxLayout(self.popup)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.view)

        self.clicked.connect(self._on_self_clicked)
        self.model.modelReset.connect(self._update_summary)
        self.model.dataChanged.connect(self._update_summary)
        self.model.membership_changed.connect(self.memberships_changed)
        self.model.membership_refused.connect(self.membership_refused)
        self._update_summary()

    def set_lead(self, lead_id: int | None) -> None:
        self.model.set_lead(lead_id)
        self.setEnabled(lead_id is not None)

    def refresh(self) -> None:
        """Re-read campaigns and memberships (a campaign was renamed, paused, created...)."""
        self.model.refresh()

    def show_popup(self) -> None:
        rows = max(self.model.rowCount(), 1)
        height = min(rows, 12) * (self.view.sizeHintForRow(0) if self.model.rowCount() else 24) + 10
        self.popup.resize(max(self.width(), 280), height)
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.view.setFocus()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))

    @Slot()
    def _on_self_clicked(self) -> None:
        self.show_popup()

    @Slot()
    def _update_summary(self) -> None:
        names = self.model.member_names()
        if not names:
            text = "No campaigns"
        else:
            text = ", ".join(names[:SUMMARY_NAMES])
            if len(names) > SUMMARY_NAMES:
                text += f" +{len(names) - SUMMARY_NAMES}"
        self.setText(text + "  ▾")
        self.setAccessibleDescription(", ".join(names) if names else "No campaigns")
