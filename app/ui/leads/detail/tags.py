"""TagEditor: a lead's tags as coloured chips with remove buttons, plus an add field.

Typing a name and pressing Enter puts that tag on the lead; a name no tag has yet creates the tag
first, in the colour picked next to the field. The add field (``tagsEdit``) completes known names.
"""

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services import leads, tags
from app.services.tags import PALETTE, TagInfo
from app.services.validation import ValidationError
from app.ui.common import style
from app.ui.common.layouts import FlowLayout


def _text_color(background: str) -> str:
    # Dark text on light chips, white on dark ones (perceived luminance).
    c = QColor(background)
    light = (0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()) > 160
    return style.CHIP_TEXT_DARK if light else style.CHIP_TEXT_LIGHT


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class TagChip(QFrame):
    """One tag on the lead: its name on its colour, and a × that takes it off."""

    def __init__(self, tag: TagInfo, parent=None):
        super().__init__(parent)
        self.tag = tag
        self.setObjectName("tagChip")
        self.setStyleSheet(
            f"QFrame#tagChip {{ background: {tag.color}; border-radius: 10px; }}"
            f"QFrame#tagChip QLabel, QFrame#tagChip QToolButton {{ color: {_text_color(tag.color)};"
            " background: transparent; border: none; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(9, 2, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(QLabel(tag.name, self))
        self.remove_button = QToolButton(self)
        self.remove_button.setObjectName("removeTagButton")
        self.remove_button.setText("×")
        self.remove_button.setToolTip(f"Remove the tag “{tag.name}” from this lead")
        self.remove_button.setAccessibleName(f"Remove tag {tag.name}")
        self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addWidget(self.remove_button)


class TagEditor(QWidget):
    """Chips for the lead's tags and an add field with completion.

    Signals:
        lead_tags_edited(int): tags were added to or removed from this lead (id).
        tag_created(): a new tag now exists (the tag list changed).
    """

    lead_tags_edited = Signal(int)
    tag_created = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("tagEditor")
        self._lead_id: int | None = None
        self.edit_runner = leads.apply_edit  # see LeadDetailPanel.set_edit_runner
        self._chips: list[TagChip] = []  # shown, in order
        self._chip_pool: dict[TagInfo, TagChip] = {}

        self.chip_area = QWidget(self)
        self.chip_area.setObjectName("tagChips")
        self._flow = FlowLayout(self.chip_area)
        self.empty_label = QLabel("No tags yet", self)
        self.empty_label.setObjectName("noTagsLabel")
        self.empty_label.setEnabled(False)

        self.input = QLineEdit(self)
        self.input.setObjectName("tagsEdit")
        self.input.setAccessibleName("Add a tag")
        self.input.setPlaceholderText("Add a tag… (Enter)")
        self.input.setToolTip("Type a tag name and press Enter; a new name creates the tag")
        self.input.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self.input)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.input.setCompleter(completer)

        self.color_combo = QComboBox(self)
        self.color_combo.setObjectName("tagColorCombo")
        self.color_combo.setAccessibleName("Colour for a new tag")
        self.color_combo.setToolTip("Colour given to a tag you create here")
        for color in PALETTE:
            self.color_combo.addItem(_swatch(color), "", color)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("tagsError")
        self.error_label.setStyleSheet(f"color: {style.ERROR};")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        color_label = QLabel("Colo&ur", self)
        color_label.setBuddy(self.color_combo)
        add_row = QHBoxLayout()
        add_row.setContentsMargins(0, 0, 0, 0)
        add_row.addWidget(self.input, 1)
        add_row.addWidget(color_label)
        add_row.addWidget(self.color_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.chip_area)
        layout.addLayout(add_row)
        layout.addWidget(self.error_label)

        self.input.returnPressed.connect(self._on_input_return_pressed)
        self.refresh_names()

    def refresh_names(self) -> None:
        """Re-read the tag names offered for completion (and forget chips of renamed tags)."""
        known = tags.list_tags()
        self._names.setStringList([t.name for t in known])
        for tag in set(self._chip_pool) - set(known):
            chip = self._chip_pool.pop(tag)
            if chip not in self._chips:
                chip.deleteLater()

    def set_tags(self, lead_id: int | None, lead_tags) -> None:
        """Show ``lead_tags`` (TagInfo) for ``lead_id``; the add field is kept for the same lead."""
        if lead_id != self._lead_id:
            self.input.clear()
            self._show_error("")
        self._lead_id = lead_id
        shown = [self._chip(tag) for tag in lead_tags]
        if shown != self._chips:
            for chip in self._chips:
                self._flow.removeWidget(chip)
                if chip not in shown:
                    chip.hide()
                    if self._chip_pool.get(chip.tag) is not chip:
                        chip.deleteLater()  # its tag was renamed, recoloured or deleted meanwhile
            for chip in shown:
                self._flow.addWidget(chip)
                chip.show()
            self._chips = shown
        self.empty_label.setVisible(not self._chips)
        self.chip_area.setVisible(bool(self._chips))

    def _chip(self, tag: TagInfo) -> TagChip:
        # Chips are kept per tag and reused from lead to lead: building and styling one costs more
        # than filling the rest of the form, and consecutive leads mostly share a few tags.
        chip = self._chip_pool.get(tag)
        if chip is None:
            chip = TagChip(tag, self.chip_area)
            chip.remove_button.clicked.connect(self._on_remove_button_clicked)
            self._chip_pool[tag] = chip
        return chip

    def chips(self) -> list[TagChip]:
        return list(self._chips)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self.input.setAccessibleDescription(message)

    @Slot()
    def _on_input_return_pressed(self) -> None:
        name = self.input.text()
        if self._lead_id is None or not name.strip():
            return
        try:
            tag = tags.find_tag(name)
            if tag is None:
                tag = tags.create_tag(name, self.color_combo.currentData())
                self.refresh_names()
                self.tag_created.emit()
            changed = self.edit_runner(f"Tag “{tag.name}”", self._lead_id, leads.add_tag, self._lead_id, tag.id)
        except (ValidationError, LookupError) as exc:
            self._show_error(str(exc))
            return
        self._show_error("")
        self.input.clear()
        if changed:
            self.lead_tags_edited.emit(self._lead_id)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        chip = self.sender().parentWidget()
        if self._lead_id is None:
            return
        name = f"Remove tag “{chip.tag.name}”"
        if self.edit_runner(name, self._lead_id, leads.remove_tag, self._lead_id, chip.tag.id):
            self.lead_tags_edited.emit(self._lead_id)
