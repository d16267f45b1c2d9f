"""Edit → Assign owner…: a manager gives the selected leads to another rep of the team.

The team's reps come from the server on a worker (``run_task``), never on the GUI thread; so does
the assignment itself, ``team.reassign``, the same service as ``leaddesk team reassign``: it checks
on the server that the rep is a manager, writes each lead's history line and the outbox
(``owners.reassign_owner``), then syncs. A refusal (not a manager, the server out of reach) is
shown in plain words and changes nothing.
"""

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.services import team
from app.services.undo import plural
from app.ui.common import messages
from app.ui.common.error_dialog import show_error
from app.ui.common.tasks import run_task

TITLE = "Assign owner"


class AssignOwnerDialog(QDialog):
    """Lists the team's reps; Assign gives the leads to the chosen one.

    Signals:
        assigned(str, int): the leads were given to that rep (how many changed owner) and synced.
    """

    assigned = Signal(str, int)

    def __init__(self, lead_ids: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("assignOwnerDialog")
        self.setWindowTitle(TITLE)
        self.lead_ids = list(lead_ids)
        self.label = QLabel(f"Give {plural(len(self.lead_ids))} to:", objectName="assignOwnerLabel")
        self.reps = QListWidget(objectName="repList")
        self.reps.setAccessibleName("The team's reps")
        self.label.setBuddy(self.reps)
        self.status = QLabel("Asking the team server for its reps…", objectName="assignOwnerStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.assign_button = buttons.addButton("&Assign", QDialogButtonBox.ButtonRole.AcceptRole)
        self.assign_button.setObjectName("assignButton")
        layout = QVBoxLayout(self)
        for widget in (self.label, self.reps, self.status, buttons):
            layout.addWidget(widget)
        buttons.accepted.connect(self._on_assign_clicked)
        buttons.rejected.connect(self.reject)
        self.reps.itemSelectionChanged.connect(self._update_button)
        self.reps.itemDoubleClicked.connect(lambda _item: self._on_assign_clicked())
        self._task = run_task(lambda _progress, _cancelled: team.reps(), self._on_reps_fetched, self._on_reps_failed,
                              parent=self)
        self._update_button()

    def _update_button(self) -> None:
        self.assign_button.setEnabled(self._task is None and bool(self.reps.selectedItems()))

    def is_busy(self) -> bool:
        """True while the reps are fetched or the leads assigned."""
        return self._task is not None

    def _on_reps_fetched(self, reps: list[team.RepInfo]) -> None:
        self._task = None
        for rep in reps:
            item = QListWidgetItem(f"{rep.name} (manager)" if rep.manager else rep.name)
            item.setData(Qt.ItemDataRole.UserRole, rep.name)
            self.reps.addItem(item)
        self.status.setText("Only a manager may give leads to another rep; every rep sees the new owner at "
                            "the next sync.")
        self._update_button()

    def _on_reps_failed(self, message: str) -> None:
        self._task = None
        self.status.setText(f"The team's reps could not be listed: {message}")
        self._update_button()

    def chosen(self) -> str | None:
        items = self.reps.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    @Slot()
    def _on_assign_clicked(self) -> None:
        owner, ids = self.chosen(), self.lead_ids
        if owner is None or self._task is not None:
            return
        self._task = run_task(lambda _progress, _cancelled: team.reassign(ids, owner), self._on_assigned,
                              self._on_assign_failed, parent=self, title=TITLE,
                              label=messages.working_on(TITLE, len(ids)))
        self.status.setText(f"Giving {plural(len(ids))} to {owner}…")
        self._update_button()

    def _on_assigned(self, result) -> None:
        self._task = None
        self.assigned.emit(self.chosen(), result[0])
        self.accept()

    def _on_assign_failed(self, message: str) -> None:
        self._task = None
        self.status.setText("Nothing was changed.")
        self._update_button()
        show_error(self, TITLE, f"The leads could not be given to {self.chosen()}: {message}\n\nNothing was changed.")

    def reject(self) -> None:  # Escape and Cancel wait for the server's answer
        if self._task is None:
            super().reject()
