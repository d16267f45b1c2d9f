"""LeadDetailPanel: the selected lead in full, editable in place (the main window's right side).

Laid out like a CRM contact page: a header (name, headline, VIP star, email status, save status)
over cards for contact points, company, location, AI snippets, other imported fields, tags, notes
and campaigns. The widgets are built once and refilled per lead; the variable lists reuse theirs too
(a chip per tag, note rows, custom-field rows while the columns stay the same). A field is saved
when committed (Enter or leaving it) through ``app.services.leads``; an invalid value is flagged
at the field and not saved.
"""

import functools

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.qtmodels.events import Changes, DataEvents
from app.services import leads
from app.services.errors import user_message
from app.services.lead_filter import HEADCOUNT_RANGES
from app.services.leads import LeadDetail, LeadNotFoundError
from app.services.validation import ValidationError
from app.ui.leads.detail.campaign_picker import CampaignPicker
from app.ui.leads.detail.field_actions import FieldActions
from app.ui.leads.detail.field_errors import FieldErrors
from app.ui.leads.detail.fields import (
    OPENED_AFTER_MS,
    PANEL_STYLE,
    SAVED_MESSAGE_MS,
    SECTIONS,
    FieldSpec,
    line_icon,
    show_badge,
)
from app.ui.leads.detail.header import LeadHeader
from app.ui.leads.detail.notes import NotesPanel
from app.ui.leads.detail.section import add_row, section_card, stacked
from app.ui.leads.detail.tags import TagEditor


class LeadDetailPanel(QWidget):
    """The selected lead's details, editable in place.

    Signals:
        status_changed(str): a short message for the status bar ("Saved", "Copied", an error).
    """

    status_changed = Signal(str)

    def __init__(self, events: DataEvents, parent=None):
        super().__init__(parent)
        self.setObjectName("leadDetail")
        self.setAccessibleName("Lead details")
        self.setStyleSheet(PANEL_STYLE)
        self._events = events
        self._lead: LeadDetail | None = None
        # value widget -> ("field", column) or ("custom", name)
        self._bindings: dict[QWidget, tuple[str, str]] = {}
        self._errors = FieldErrors()
        self._field_widgets: dict[str, QWidget] = {}
        self._field_actions: list[FieldActions] = []
        self._custom_keys: dict[str, tuple[str, ...]] = {"ai": (), "other": ()}
        text_color = self.palette().color(self.foregroundRole())
        self._icons = {kind: line_icon(kind, text_color) for kind in ("open", "copy")}

        self._open_timer = QTimer(self, singleShot=True, interval=OPENED_AFTER_MS)
        self._saved_timer = QTimer(self, singleShot=True, interval=SAVED_MESSAGE_MS)

        self._stack = QStackedWidget(self)
        self.placeholder = QLabel("Select a lead to see its details", self)
        self.placeholder.setObjectName("detailPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("detailScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        content.setObjectName("detailContent")
        self._content_layout = QVBoxLayout(content)
        self._content_layout.setContentsMargins(16, 12, 16, 16)
        self._content_layout.setSpacing(12)
        self.scroll.setWidget(content)
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self.scroll)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self._build_header(content)
        for title, specs in SECTIONS:
            self._build_field_section(content, title, specs)
        self.ai_section, self._ai_form = self._add_section("AI personalisation")
        self.custom_section, self._custom_form = self._add_section("Other imported fields")
        self.tag_editor = TagEditor(content)
        self._add_section("Ta&gs", self.tag_editor, buddy=self.tag_editor.input)
        self.notes_panel = NotesPanel(content)
        self._add_section("Notes", self.notes_panel, buddy=self.notes_panel.composer)
        self.campaign_picker = CampaignPicker(content)
        self._add_section("Campaigns", self.campaign_picker)
        self._content_layout.addStretch(1)

        self.set_edit_runner(leads.apply_edit)
        self._connect_signals()
        self.show_lead(None)

    # --- building ----------------------------------------------------------------------------

    def _add_section(self, title: str, widget: QWidget | None = None,
                     buddy: QWidget | None = None) -> tuple[QFrame, QFormLayout | None]:
        frame, form = section_card(self._content_layout.parentWidget(), title, widget, buddy)
        self._content_layout.addWidget(frame)
        return frame, form

    def _build_header(self, content: QWidget) -> None:
        self.header = LeadHeader(content)
        # The parts the form fills and tests find by name.
        self.name_label = self.header.name_label
        self.headline_label = self.header.headline_label
        self.vip_button = self.header.vip_button
        self.email_badge = self.header.email_badge
        self.save_status = self.header.save_status
        self._content_layout.addWidget(self.header)

    def _build_field_section(self, content: QWidget, title: str, specs: tuple[FieldSpec, ...]) -> None:
        _frame, form = self._add_section(title)
        for spec in specs:
            if spec.kind == "headcount":
                editor = QComboBox()
                editor.setEditable(True)
                editor.addItems(("",) + HEADCOUNT_RANGES)
                editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            else:
                editor = QLineEdit()
            editor.setObjectName(spec.object_name)
            line = QHBoxLayout()
            line.setSpacing(2)
            line.addWidget(editor, 1)
            if spec.kind == "email":
                self.email_field_badge = QLabel()
                self.email_field_badge.setObjectName("emailStatusLabel")
                line.addWidget(self.email_field_badge)
            if spec.kind in ("email", "phone", "url", "domain"):
                self._add_action_buttons(line, spec)
            add_row(form, spec.label, stacked(line, self._errors.add(editor)), buddy=editor)
            self._bindings[editor] = ("field", spec.field)
            self._field_widgets[spec.field] = editor

    def _add_action_buttons(self, line: QHBoxLayout, spec: FieldSpec) -> None:
        actions = FieldActions(spec, self._icons)
        actions.copied.connect(lambda: self.status_changed.emit("Copied"))
        line.addWidget(actions)
        self._field_actions.append(actions)

    def _connect_signals(self) -> None:
        for editor in self._field_widgets.values():
            if isinstance(editor, QComboBox):
                editor.lineEdit().editingFinished.connect(self._on_headcount_editing_finished)
                editor.activated.connect(self._on_headcount_editing_finished)
            else:
                editor.editingFinished.connect(self._on_field_editing_finished)
        self.vip_button.toggled.connect(self._on_vip_button_toggled)
        self.tag_editor.lead_tags_edited.connect(self._on_tag_editor_lead_tags_edited)
        self.tag_editor.tag_created.connect(self._on_tag_editor_tag_created)
        self.notes_panel.notes_edited.connect(self._on_notes_panel_notes_edited)
        self.campaign_picker.memberships_changed.connect(self._on_campaign_picker_memberships_changed)
        self.campaign_picker.membership_refused.connect(self.status_changed)
        self._saved_timer.timeout.connect(self._on_saved_timer_timeout)
        self._open_timer.timeout.connect(self._on_open_timer_timeout)
        self._events.changed.connect(self._on_events_changed)

    # --- public API --------------------------------------------------------------------------

    @property
    def lead_id(self) -> int | None:
        return self._lead.id if self._lead else None

    def show_lead(self, lead_id: int | None) -> None:
        """Show ``lead_id`` (None: the "Select a lead" placeholder); marks the lead as opened."""
        previous = self.lead_id
        if previous is not None:
            self._commit_focused(refocus=False)
        detail = leads.get_lead(lead_id) if lead_id is not None else None
        self._fill(detail)
        if detail is not None and detail.id != previous:
            self._open_timer.start()

    def set_edit_runner(self, runner) -> None:
        """Route every edit made here through ``runner(name, lead_id, edit_fn, *args, initiator=) -> bool``.

        Default ``leads.apply_edit`` (runs it directly, then broadcasts); pass ``UndoStack.edit``
        to make the panel's edits undoable.
        """
        # The panel is the initiator of its edits' broadcast: it reloads itself, not under the cursor.
        if runner is leads.apply_edit:
            runner = self._apply_and_broadcast
        else:
            runner = functools.partial(runner, initiator=self)
        self.edit_runner = runner
        self.tag_editor.edit_runner = runner
        self.notes_panel.edit_runner = runner
        self.campaign_picker.model.edit_runner = runner

    def _apply_and_broadcast(self, name: str, lead_id: int, edit_fn, *args) -> bool:
        # Without an undo stack the edit is applied directly and announced the same way.
        changed = leads.apply_edit(name, lead_id, edit_fn, *args)
        if changed:
            self._events.broadcast(Changes(lead_ids=(lead_id,)), self)
        return changed

    def commit_pending(self) -> bool:
        """Save the field being edited. False (focus left on it) if some field holds an invalid value."""
        if not self._commit_focused(refocus=True):
            return False
        refused = self._errors.first_refused()
        if refused is not None:
            refused.setFocus()
            return False
        return True

    def hideEvent(self, event) -> None:
        # A lead counts as opened once it has stayed on screen: off screen, the count stops.
        self._open_timer.stop()
        super().hideEvent(event)

    def shutdown(self) -> None:
        """The window is closing (its database with it): a lead on screen for less than
        OPENED_AFTER_MS is not marked opened, as if the rep had moved on."""
        self._open_timer.stop()

    def discard_pending(self) -> None:
        """Drop unsaved (invalid) values: every field shows what is stored again."""
        self._fill(leads.get_lead(self._lead.id) if self._lead else None)

    # --- filling -----------------------------------------------------------------------------

    def _fill(self, detail: LeadDetail | None, keep_focused: bool = False) -> None:
        self._lead = detail
        if detail is None:
            self._stack.setCurrentWidget(self.placeholder)
            self.tag_editor.set_tags(None, ())
            self.notes_panel.set_notes(None, ())
            self.campaign_picker.set_lead(None)
            return
        focused = QApplication.focusWidget() if keep_focused else None
        self.header.show_lead(detail)
        show_badge(self.email_field_badge, detail.email_verification_result)
        self.email_field_badge.setVisible(bool(detail.email))
        for field, editor in self._field_widgets.items():
            if focused is not None and (editor is focused or editor.isAncestorOf(focused)):
                continue
            self._set_editor_text(editor, getattr(detail, field))
        for actions in self._field_actions:
            actions.set_value(getattr(detail, actions.field))
        self._fill_custom("ai", self.ai_section, self._ai_form, detail.ai_fields(), focused)
        self._fill_custom("other", self.custom_section, self._custom_form, detail.other_custom_fields(), focused)
        self.tag_editor.set_tags(detail.id, detail.tags)
        self.notes_panel.set_notes(detail.id, detail.notes)
        self.campaign_picker.set_lead(detail.id)
        self._stack.setCurrentWidget(self.scroll)

    def _set_editor_text(self, editor: QWidget, value: str) -> None:
        self._errors.clear(editor)
        if isinstance(editor, QComboBox):
            editor.setCurrentText(value)
        else:
            editor.setText(value)
            editor.setCursorPosition(0)  # long values show their beginning

    def _fill_custom(self, group: str, section: QFrame, form: QFormLayout, values: dict[str, str], focused) -> None:
        keys = tuple(values)
        if keys != self._custom_keys[group]:
            # Rebuilt only when the set of columns differs (leads of one import share them).
            for editor in [w for w, b in self._bindings.items() if b[0] == "custom" and form.indexOf(w.parentWidget()) >= 0]:
                del self._bindings[editor]
                self._errors.forget(editor)
            while form.rowCount():
                form.removeRow(0)
            for key in keys:
                form.addRow(*self._custom_row(key))
            self._custom_keys[group] = keys
        section.setVisible(bool(keys))
        for editor, (kind, name) in self._bindings.items():
            if kind == "custom" and name in values and editor is not focused:
                self._set_editor_text(editor, values[name])

    def _custom_row(self, name: str) -> tuple[QLabel, QWidget]:
        editor = QLineEdit()
        editor.setObjectName("customFieldEdit")
        editor.setToolTip(name)
        editor.editingFinished.connect(self._on_field_editing_finished)
        row = stacked(editor, self._errors.add(editor))
        label = QLabel(name.removeprefix("ai:"))
        label.setWordWrap(True)
        label.setToolTip(name)
        label.setBuddy(editor)
        editor.setAccessibleName(name)
        self._bindings[editor] = ("custom", name)
        return label, row

    # --- saving ------------------------------------------------------------------------------

    def _stored(self, kind: str, name: str) -> str:
        return self._lead.custom.get(name, "") if kind == "custom" else getattr(self._lead, name)

    def _commit(self, editor: QWidget) -> bool:
        """Save one field if its text differs from what is stored; False if the value is refused."""
        if self._lead is None or editor not in self._bindings:
            return True
        kind, name = self._bindings[editor]
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
        if text == self._stored(kind, name):
            self._errors.clear(editor)
            return True
        lead_id = self._lead.id
        try:
            if kind == "custom":
                changed = self.edit_runner(f"Edit {name}", lead_id, leads.update_custom, lead_id, name, text)
            else:
                label = name.replace("_", " ")
                changed = self.edit_runner(f"Edit {label}", lead_id, leads.update_field, lead_id, name, text)
        except ValidationError as exc:
            self._errors.show(editor, str(exc))
            self.status_changed.emit("Not saved: " + str(exc))
            return False
        except LeadNotFoundError as exc:
            self.status_changed.emit(str(exc))
            return False
        except Exception as exc:
            message = user_message(exc)
            if message is None:
                raise  # a bug, not a storage failure: the crash dialog reports it
            # Disk full, read-only file...: say so at the field; the stored value is untouched.
            self._errors.show(editor, message)
            self.status_changed.emit(message)
            return False
        self._errors.clear(editor)
        # Show what was stored (normalised: lower-case email, https:// added...).
        self._fill(leads.get_lead(lead_id), keep_focused=False)
        if changed:
            self._saved(lead_id)
        return True

    def _commit_focused(self, refocus: bool) -> bool:
        widget = QApplication.focusWidget()
        while widget is not None and widget is not self and widget not in self._bindings:
            widget = widget.parentWidget()
        if widget is None or widget not in self._bindings:
            return True
        ok = self._commit(widget)
        if not ok and refocus:
            widget.setFocus()
        return ok

    def _saved(self, lead_id: int, message: str = "Saved") -> None:
        self.save_status.setText(message + " ✓")
        self._saved_timer.start()
        self.status_changed.emit(message)

    def _reload_after(self, lead_id: int) -> None:
        if self.lead_id == lead_id:
            self._fill(leads.get_lead(lead_id), keep_focused=True)
        self._saved(lead_id)

    # --- slots -------------------------------------------------------------------------------

    @Slot()
    def _on_field_editing_finished(self) -> None:
        self._commit(self.sender())

    @Slot()
    def _on_headcount_editing_finished(self) -> None:
        self._commit(self._field_widgets["company_headcount"])

    @Slot(bool)
    def _on_vip_button_toggled(self, checked: bool) -> None:
        if self._lead is None:
            return
        lead_id = self._lead.id
        try:
            name = "Mark VIP" if checked else "Unmark VIP"
            changed = self.edit_runner(name, lead_id, leads.set_vip, lead_id, checked)
        except LeadNotFoundError as exc:
            self.status_changed.emit(str(exc))
            return
        self.header.show_vip(checked)
        self._lead = leads.get_lead(lead_id)
        if changed:
            self._saved(lead_id)

    @Slot(int)
    def _on_tag_editor_lead_tags_edited(self, lead_id: int) -> None:
        self._reload_after(lead_id)

    @Slot()
    def _on_tag_editor_tag_created(self) -> None:
        self._events.broadcast(Changes(tags=True), self)

    @Slot(int)
    def _on_notes_panel_notes_edited(self, lead_id: int) -> None:
        self._reload_after(lead_id)

    @Slot(int)
    def _on_campaign_picker_memberships_changed(self, lead_id: int) -> None:
        self._lead = leads.get_lead(lead_id) if self.lead_id == lead_id else self._lead
        self._saved(lead_id)

    @Slot()
    def _on_open_timer_timeout(self) -> None:
        if self.lead_id is not None and leads.mark_opened(self.lead_id):
            self._events.broadcast(Changes(lead_ids=(self.lead_id,)), self)

    @Slot()
    def _on_saved_timer_timeout(self) -> None:
        self.save_status.clear()

    @Slot(object, object)
    def _on_events_changed(self, changes: Changes, initiator: object) -> None:
        if changes.campaigns:
            self.campaign_picker.refresh()
        if changes.tags:
            self.tag_editor.refresh_names()
        if self.lead_id is None:
            return
        if changes.leads_added_or_removed and leads.get_lead(self.lead_id) is None:
            self._fill(None)  # the shown lead went to the Trash
        elif changes.tags or (initiator is not self and self.lead_id in changes.lead_ids):
            # Someone else's change to this lead, or a renamed or recoloured tag.
            self._fill(leads.get_lead(self.lead_id), keep_focused=True)
