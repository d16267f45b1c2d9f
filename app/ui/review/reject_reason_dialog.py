"""The reason picker shown when the rep rejects leads (R): pick or type a reason, or edit the list."""

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import review


class RejectReasonDialog(QDialog):
    """Pick a rejection reason: number keys 1–9 pick at once, Enter takes the highlighted one.

    "Other…" adds a new reason to the list; "Remove" takes the highlighted one off it.
    """

    def __init__(self, count: int = 1, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rejectReasonDialog")
        self.setWindowTitle("Reject" if count == 1 else f"Reject {count:,} leads")
        self.reasons = QListWidget(objectName="rejectReasonList")
        self.reasons.setAccessibleName("Rejection reason")
        label = QLabel("&Why is this lead rejected?" if count == 1 else f"&Why are these {count:,} leads rejected?")
        label.setBuddy(self.reasons)
        self.other_button = QPushButton("&Other…", objectName="otherReasonButton")
        self.remove_button = QPushButton("Remo&ve from list", objectName="removeReasonButton")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Reject")
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.reasons)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.other_button.clicked.connect(self._on_other_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.reasons.itemActivated.connect(lambda _item: self.accept())
        self._fill()

    def _fill(self, select: str = "") -> None:
        self.reasons.clear()
        for number, name in enumerate(review.list_reasons(), 1):
            self.reasons.addItem(f"{number}. {name}" if number < 10 else name)
            self.reasons.item(self.reasons.count() - 1).setData(Qt.ItemDataRole.UserRole, name)
            if name == select:
                self.reasons.setCurrentRow(self.reasons.count() - 1)
        if self.reasons.currentRow() < 0 and self.reasons.count():
            self.reasons.setCurrentRow(0)

    def reason(self) -> str:
        item = self.reasons.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def keyPressEvent(self, event) -> None:
        # 1–9 pick a reason at once: rejecting stays a two-key gesture (R, 2).
        digit = event.text()
        if digit.isdigit() and 1 <= int(digit) <= min(9, self.reasons.count()) and not event.modifiers():
            self.reasons.setCurrentRow(int(digit) - 1)
            self.accept()
            return
        super().keyPressEvent(event)

    @Slot()
    def _on_other_button_clicked(self) -> None:
        text, ok = QInputDialog.getText(self, "New reason", "Reason:")
        if not ok:
            return
        try:
            name = review.add_reason(text)
        except review.ReasonError as error:
            QMessageBox.information(self, "New reason", str(error))
            return
        self._fill(select=name)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        current = self.reason()
        if current:
            review.set_reasons([r for r in review.list_reasons() if r != current])
            self._fill()

    @staticmethod
    def get_reason(parent: QWidget | None = None, count: int = 1) -> str | None:
        """Ask for a reason; None if the rep cancelled."""
        dialog = RejectReasonDialog(count, parent)
        return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
