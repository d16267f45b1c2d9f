"""FieldActions: the Open and Copy buttons beside a contact field (write an e-mail, call, browse)."""

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from app.ui.leads.detail.fields import FieldSpec, open_url


class FieldActions(QWidget):
    """Open and Copy for one field's stored value; both are disabled while the field is empty.

    Signals:
        copied(): the value went to the clipboard.
    """

    copied = Signal()

    def __init__(self, spec: FieldSpec, icons: dict[str, QIcon], parent: QWidget | None = None):
        super().__init__(parent)
        self._spec = spec
        self._value = ""
        name = spec.label.replace("&", "")
        what = {"email": "Write an email", "phone": "Call"}.get(spec.kind, "Open in the browser")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.buttons: list[QToolButton] = []
        for action, tip, slot in (("Open", f"{what} ({name})", self._on_open_clicked),
                                  ("Copy", f"Copy {name}", self._on_copy_clicked)):
            button = QToolButton(self, objectName=spec.object_name.removesuffix("Edit") + action, toolTip=tip,
                                 autoRaise=True, icon=icons[action.lower()])
            button.setAccessibleName(f"{action} {name}")
            button.clicked.connect(slot)
            layout.addWidget(button)
            self.buttons.append(button)

    @property
    def field(self) -> str:
        return self._spec.field

    def set_value(self, value: str) -> None:
        """The field's stored value (not what is being typed)."""
        self._value = value or ""
        for button in self.buttons:
            button.setEnabled(bool(self._value))

    @Slot()
    def _on_open_clicked(self) -> None:
        if self._value:
            QDesktopServices.openUrl(open_url(self._spec.kind, self._value))

    @Slot()
    def _on_copy_clicked(self) -> None:
        if self._value:
            QGuiApplication.clipboard().setText(self._value)
            self.copied.emit()
