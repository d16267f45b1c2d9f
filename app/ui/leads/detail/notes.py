"""NotesPanel: a lead's timestamped notes, newest first, with add, edit and delete.

One composer box does both jobs: "Add note" normally; after a note's Edit button it holds that
note's text and saves it back ("Save note", with Cancel).
"""

import datetime as dt

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services import leads
from app.services.leads import NoteInfo
from app.services.validation import ValidationError
from app.ui.common import style


def format_timestamp(iso: str) -> str:
    """Stored UTC ISO text shown in the rep's local time: "26 Nov 2026, 09:15"."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%d %b %Y, %H:%M")
    except ValueError:
        return iso


class NoteRow(QFrame):
    """One note: its text, when it was written (and edited), Edit and Delete buttons."""

    def __init__(self, note: NoteInfo, parent=None):
        super().__init__(parent)
        self.setObjectName("noteRow")
        self.body_label = QLabel(self)
        self.body_label.setObjectName("noteBody")
        self.body_label.setWordWrap(True)
        self.body_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta_label = QLabel(self)
        self.meta_label.setObjectName("noteTime")
        self.meta_label.setEnabled(False)
        self.edit_button = self._button("editNoteButton", "Edit", "Edit this note")
        self.delete_button = self._button("deleteNoteButton", "Delete", "Delete this note")

        top = QHBoxLayout()
        top.addWidget(self.meta_label, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 8)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.body_label)
        self.set_note(note)

    def set_note(self, note: NoteInfo) -> None:
        """Show ``note`` (rows are reused from lead to lead)."""
        self.note = note
        self.body_label.setText(note.body)
        when = format_timestamp(note.created_at)
        if note.updated_at != note.created_at:
            when += f" · edited {format_timestamp(note.updated_at)}"
        self.meta_label.setText(when)

    def _button(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        return button


class NotesPanel(QWidget):
    """Notes of one lead.

    Signals:
        notes_edited(int): a note of this lead (id) was added, changed or deleted.
    """

    notes_edited = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.setAccessibleName("Notes")
        self._lead_id: int | None = None
        self.edit_runner = leads.apply_edit  # see LeadDetailPanel.set_edit_runner
        self._editing: NoteInfo | None = None
        self._rows: list[NoteRow] = []  # built as needed and kept; the lead's notes fill the first ones
        # One style sheet for every row: a sheet per row would be parsed and applied row by row.
        self.setStyleSheet("QFrame#noteRow { border: 1px solid palette(midlight); border-radius: 6px; }")

        self.composer_label = QLabel("New note", self)
        self.composer = QPlainTextEdit(self)
        self.composer.setObjectName("noteInput")
        self.composer.setAccessibleName("New note")
        self.composer.setPlaceholderText("Write a note about this lead…")
        self.composer.setTabChangesFocus(True)
        self.composer.setFixedHeight(64)
        self.composer_label.setBuddy(self.composer)
        self.save_button = QPushButton("Add note", self)
        self.save_button.setObjectName("addNoteButton")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancelNoteButton")
        self.cancel_button.hide()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("noteError")
        self.error_label.setStyleSheet(f"color: {style.ERROR};")
        self.error_label.hide()
        self.empty_label = QLabel("No notes yet", self)
        self.empty_label.setEnabled(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.error_label)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.composer_label)
        layout.addWidget(self.composer)
        layout.addLayout(buttons)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._list)

        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

    def set_notes(self, lead_id: int | None, notes) -> None:
        """Show ``notes`` (NoteInfo, newest first) of ``lead_id``; rows are reused, extra ones hidden."""
        if lead_id != self._lead_id:
            self._reset_composer()
        self._lead_id = lead_id
        notes = list(notes)
        while len(self._rows) < len(notes):
            row = NoteRow(notes[len(self._rows)], self)
            row.edit_button.clicked.connect(self._on_edit_button_clicked)
            row.delete_button.clicked.connect(self._on_delete_button_clicked)
            self._list.addWidget(row)
            self._rows.append(row)
        for row, note in zip(self._rows, notes):
            if row.note != note:
                row.set_note(note)
            row.show()
        for row in self._rows[len(notes):]:
            row.hide()
        self.empty_label.setVisible(not notes)

    def rows(self) -> list[NoteRow]:
        """The rows showing the lead's notes, newest first."""
        return [row for row in self._rows if not row.isHidden()]

    def _reset_composer(self) -> None:
        self._editing = None
        self.composer.clear()
        self.composer_label.setText("New note")
        self.save_button.setText("Add note")
        self.cancel_button.hide()
        self._show_error("")

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self.composer.setAccessibleDescription(message)

    @Slot()
    def _on_save_button_clicked(self) -> None:
        if self._lead_id is None:
            return
        text = self.composer.toPlainText()
        try:
            if self._editing is None:
                self.edit_runner("Add note", self._lead_id, leads.add_note, self._lead_id, text)
            else:
                self.edit_runner("Edit note", self._lead_id, leads.edit_note, self._editing.id, text)
        except (ValidationError, LookupError) as exc:
            self._show_error(str(exc))
            return
        self._reset_composer()
        self.notes_edited.emit(self._lead_id)

    @Slot()
    def _on_cancel_button_clicked(self) -> None:
        self._reset_composer()

    @Slot()
    def _on_edit_button_clicked(self) -> None:
        note = self.sender().parentWidget().note
        self._editing = note
        self.composer.setPlainText(note.body)
        self.composer_label.setText("Edit note")
        self.save_button.setText("Save note")
        self.cancel_button.show()
        self.composer.setFocus()

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        note = self.sender().parentWidget().note
        if self._lead_id is None:
            return
        if self.edit_runner("Delete note", self._lead_id, leads.delete_note, note.id):
            if self._editing is not None and self._editing.id == note.id:
                self._reset_composer()
            self.notes_edited.emit(self._lead_id)
