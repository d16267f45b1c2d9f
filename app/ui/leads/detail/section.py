"""The detail panel's building blocks: a titled card (``detailSection``), its form rows, a field's error line."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLayout, QVBoxLayout, QWidget

from app.ui.leads.detail.fields import LABEL_WIDTH


def section_card(parent: QWidget, title: str, widget: QWidget | None = None,
                 buddy: QWidget | None = None) -> tuple[QFrame, QFormLayout | None]:
    """A card titled ``title`` holding a form, or just ``widget`` (the title then labels ``buddy``)."""
    frame = QFrame(parent)
    frame.setObjectName("detailSection")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    heading = QLabel(title.upper(), frame)
    heading.setObjectName("sectionTitle")
    layout.addWidget(heading)
    if widget is not None:
        heading.setBuddy(buddy or widget)
        if not (buddy or widget).accessibleName():
            (buddy or widget).setAccessibleName(title.replace("&", ""))
        layout.addWidget(widget)
        return frame, None
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    layout.addLayout(form)
    return frame, form


def add_row(form: QFormLayout, text: str, widget: QWidget, buddy: QWidget | None = None) -> QLabel:
    """A right-aligned label (one width for every card, so the fields line up) and its widget."""
    label = QLabel(text)
    label.setMinimumWidth(LABEL_WIDTH)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setBuddy(buddy or widget)
    (buddy or widget).setAccessibleName(text.replace("&", ""))
    form.addRow(label, widget)
    return label


def error_label(editor: QWidget) -> QLabel:
    """The hidden line under ``editor`` that says why a value was refused (``<objectName>Error``)."""
    label = QLabel()
    label.setProperty("role", "fieldError")
    label.setObjectName(editor.objectName() + "Error")
    label.setWordWrap(True)
    label.hide()
    return label


def stacked(*parts: QWidget | QLayout) -> QWidget:
    """A form row's value: ``parts`` (an editor line, its error line) one under the other."""
    row = QWidget()
    column = QVBoxLayout(row)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(1)
    for part in parts:
        if isinstance(part, QLayout):
            column.addLayout(part)
        else:
            column.addWidget(part)
    return row

