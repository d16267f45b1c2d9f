"""Single-key triage on the lead list (and Alt+key from the form).

A approve, R reject (reason picker), S skip, V toggle VIP, N add note, T add tag, O open
LinkedIn, C copy email, J/K next/previous (Down/Up are the list's own). After A/R/S the
selection moves to the next lead. Every change goes through the undo stack.
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QApplication, QInputDialog, QWidget

from app.qtmodels.undo_stack import UndoStack
from app.services import bulk, leads, tags
from app.ui.review.reject_reason_dialog import RejectReasonDialog

# (key, what it does) — also the Help → Keyboard shortcuts table.
TRIAGE_KEYS = (
    ("A", "Approve the lead and go to the next"),
    ("R", "Reject the lead (pick a reason) and go to the next"),
    ("S", "Skip the lead and go to the next"),
    ("V", "Mark or unmark the lead as VIP"),
    ("N", "Add a note"),
    ("T", "Add a tag"),
    ("O", "Open the LinkedIn profile"),
    ("C", "Copy the email address"),
    ("J / Down", "Next lead"),
    ("K / Up", "Previous lead"),
)


def ask_note(parent: QWidget) -> str | None:
    """The note to add, or None if cancelled."""
    text, ok = QInputDialog.getMultiLineText(parent, "Add note", "Note:")
    return text if ok and text.strip() else None


def ask_tag(parent: QWidget) -> str | None:
    """A tag name (existing or new), or None if cancelled."""
    names = [t.name for t in tags.list_tags()]
    name, ok = QInputDialog.getItem(parent, "Add tag", "Tag (pick or type a new one):", names, 0, True)
    return name if ok and name.strip() else None


class TriageController(QObject):
    """Turns keys on the list (plain) and on the form (Alt+key) into review actions.

    ``current_lead_id()`` names the lead the keys act on; ``move(step)`` selects the next (1) or
    previous (-1) lead. Signals:
        status_changed(str): a short message for the status bar (never personal data).
    """

    status_changed = Signal(str)

    def __init__(self, list_view: QAbstractItemView, undo_stack: UndoStack,
                 current_lead_id: Callable[[], int | None], move: Callable[[int], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self._list = list_view
        self._stack = undo_stack
        self._current = current_lead_id
        self._move = move
        self._actions: dict[int, Callable[[], None]] = {
            Qt.Key.Key_A: lambda: self.set_state("approved"),
            Qt.Key.Key_R: self.reject,
            Qt.Key.Key_S: lambda: self.set_state("skipped"),
            Qt.Key.Key_V: self.toggle_vip,
            Qt.Key.Key_N: self.add_note,
            Qt.Key.Key_T: self.add_tag,
            Qt.Key.Key_O: self.open_linkedin,
            Qt.Key.Key_C: self.copy_email,
            Qt.Key.Key_J: lambda: self._move(1),
            Qt.Key.Key_K: lambda: self._move(-1),
        }
        self._form: QWidget | None = None
        list_view.installEventFilter(self)

    def install_form_shortcuts(self, form: QWidget) -> None:
        """Alt+A, Alt+R … work while focus is anywhere in ``form`` (the detail panel).

        They must beat the form's label mnemonics and the menu bar (Alt+V would open "&View"),
        which a QShortcut cannot (same keys: ambiguous); so the key is claimed at ShortcutOverride.
        """
        self._form = form
        form.installEventFilter(self)

    def _form_action(self, watched: QObject, event: QEvent) -> Callable[[], None] | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self._form is None or modifiers != Qt.KeyboardModifier.AltModifier:
            return None
        if watched is not self._form and not (isinstance(watched, QWidget) and self._form.isAncestorOf(watched)):
            return None
        return self._actions.get(event.key())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._list:
            if kind == QEvent.Type.KeyPress and not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
                action = self._actions.get(event.key())
                if action is not None:
                    action()
                    return True
        elif kind == QEvent.Type.ShortcutOverride and self._form_action(watched, event):
            # Claiming the override stops mnemonics and menus; the KeyPress that follows goes to
            # the focused field first, so watch that field too and act there.
            event.accept()
            focus = QApplication.focusWidget()
            if focus is not None and focus is not watched:
                focus.installEventFilter(self)
            return True
        elif kind == QEvent.Type.KeyPress:
            action = self._form_action(watched, event)
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)

    # -- actions ---------------------------------------------------------------------------------
    def _lead(self):
        lead_id = self._current()
        return leads.get_lead(lead_id) if lead_id is not None else None

    def set_state(self, state: str, reason: str = "") -> None:
        lead_id = self._current()
        if lead_id is None:
            return
        # The stack's operation_done already names the step for the status bar.
        self._stack.perform(bulk.set_review_state, [lead_id], state, reason,
                            source=leads.EDIT_SOURCE, mark_opened=True)
        self._move(1)

    @Slot()
    def reject(self) -> None:
        if self._current() is None:
            return
        reason = RejectReasonDialog.get_reason(self._list.window())
        if reason is not None:
            self.set_state("rejected", reason)

    @Slot()
    def toggle_vip(self) -> None:
        lead = self._lead()
        if lead is not None:
            self._stack.edit("Unmark VIP" if lead.vip else "Mark VIP", lead.id, leads.set_vip, lead.id, not lead.vip)

    @Slot()
    def add_note(self) -> None:
        lead = self._lead()
        body = ask_note(self._list.window()) if lead else None
        if body is not None:
            self._run_edit("Add note", lead.id, leads.add_note, lead.id, body)

    @Slot()
    def add_tag(self) -> None:
        lead = self._lead()
        name = ask_tag(self._list.window()) if lead else None
        if name is not None:
            try:
                self._stack.perform(bulk.add_tag, [lead.id], name, source=leads.EDIT_SOURCE)
            except ValueError as error:
                self.status_changed.emit(str(error))

    def _run_edit(self, name: str, lead_id: int, fn, *args) -> None:
        try:
            self._stack.edit(name, lead_id, fn, *args)
        except (ValueError, LookupError) as error:  # a plain message: lead gone, empty note…
            self.status_changed.emit(str(error))

    @Slot()
    def open_linkedin(self) -> None:
        lead = self._lead()
        if lead is None:
            return
        if not lead.linkedin:
            self.status_changed.emit("This lead has no LinkedIn profile.")
            return
        url = lead.linkedin if "://" in lead.linkedin else "https://" + lead.linkedin
        QDesktopServices.openUrl(QUrl(url))

    @Slot()
    def copy_email(self) -> None:
        lead = self._lead()
        if lead is None:
            return
        if not lead.email:
            self.status_changed.emit("This lead has no email address.")
            return
        QGuiApplication.clipboard().setText(lead.email)
        self.status_changed.emit("Email address copied")
