"""CampaignChoicesModel: every campaign with a check box saying whether one lead belongs to it.

Checking a row adds the lead to that campaign, unchecking removes it, both through
``app.services.leads``. Paused and archived campaigns are listed but can't be newly checked.
"""

import enum

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal

from app.services import leads
from app.services.campaigns import CampaignInactiveError

INACTIVE_TOOLTIPS = {
    "paused": "Paused campaigns can't receive new leads",
    "archived": "Archived campaigns can't receive new leads",
}


class CampaignRole(enum.IntEnum):
    """Data roles beyond display/check state."""

    Id = Qt.ItemDataRole.UserRole + 1
    Name = enum.auto()
    Status = enum.auto()
    Stage = enum.auto()  # "discovered" / "contacted", "" when not a member
    IsMember = enum.auto()


class CampaignChoicesModel(QAbstractListModel):
    """The campaign picker's rows for the lead given to ``set_lead``.

    Signals:
        membership_changed(int): the lead (id) joined or left a campaign.
        membership_refused(str): a change was refused; the message says why.
    """

    membership_changed = Signal(int)
    membership_refused = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._lead_id: int | None = None
        # Runs the membership edit: leads.apply_edit, or an undo stack's edit (same signature).
        self.edit_runner = leads.apply_edit
        self._choices: list[leads.CampaignChoice] = []

    @property
    def lead_id(self) -> int | None:
        return self._lead_id

    def choices(self) -> list[leads.CampaignChoice]:
        return list(self._choices)

    def set_lead(self, lead_id: int | None) -> None:
        self._lead_id = lead_id
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._choices = leads.campaign_choices(self._lead_id) if self._lead_id is not None else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._choices)

    def _checkable(self, choice: leads.CampaignChoice) -> bool:
        # Leaving a paused campaign is always allowed; joining one is not.
        return choice.is_member or choice.accepts_leads

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemNeverHasChildren
        if self._checkable(self._choices[index.row()]):
            flags |= Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._choices):
            return None
        choice = self._choices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            details = [choice.stage] if choice.is_member else []
            if not choice.accepts_leads:
                details.append(choice.status)
            return f"{choice.name}  ·  {', '.join(details)}" if details else choice.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if choice.is_member else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if not choice.accepts_leads:
                tip = INACTIVE_TOOLTIPS.get(choice.status, "This campaign can't receive new leads")
                return tip + (" (you can still remove this lead)" if choice.is_member else "")
            return f"Discovered in {choice.name}" if choice.is_member else f"Add this lead to {choice.name}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = "member" if choice.is_member else "not a member"
            return f"{choice.name}, {choice.status}, {state}"
        return {
            CampaignRole.Id: choice.id,
            CampaignRole.Name: choice.name,
            CampaignRole.Status: choice.status,
            CampaignRole.Stage: choice.stage,
            CampaignRole.IsMember: choice.is_member,
        }.get(role)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or self._lead_id is None:
            return False
        member = Qt.CheckState(value) == Qt.CheckState.Checked
        choice = self._choices[index.row()]
        try:
            name = f"Add to {choice.name}" if member else f"Remove from {choice.name}"
            changed = self.edit_runner(name, self._lead_id, leads.set_membership, self._lead_id, choice.id, member)
        except (CampaignInactiveError, LookupError) as exc:
            self.membership_refused.emit(str(exc))
            return False
        self._update_row(index.row(), member)
        if changed:
            self.membership_changed.emit(self._lead_id)
        return True

    def _update_row(self, row: int, member: bool) -> None:
        old = self._choices[row]
        stage = (old.stage or "discovered") if member else ""
        self._choices[row] = leads.CampaignChoice(old.id, old.name, old.status, member, stage)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def member_names(self) -> list[str]:
        return [c.name for c in self._choices if c.is_member]

