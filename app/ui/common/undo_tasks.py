"""Undoable operations over many leads, off the GUI thread.

``UndoRunner`` applies an operation (a bulk action, deleting a selection), or undoes or redoes the
stack's next one, through ``run_task`` when it covers at least ``BACKGROUND_MIN_LEADS`` leads: a
progress dialog shows how far it is, and its Cancel rolls the whole transaction back (nothing is
half-written). Smaller ones run at once on the GUI thread (a triage key's undo is instant). Either
way the undo stack records and broadcasts the result on the GUI thread; a failure reaches the rep
through ``show_error`` and always the log.
"""

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.qtmodels.undo_stack import UndoStack
from app.services import undo
from app.services.undo import Operation
from app.ui.common import messages
from app.ui.common.error_dialog import show_error
from app.ui.common.tasks import Task, run_task

# Below this many leads an operation takes well under a second: no thread, no dialog.
BACKGROUND_MIN_LEADS = 500
_DONE = "done"


class UndoRunner(QObject):
    """Runs the rep's undoable operations and the stack's undo/redo, big ones on a task.

    Signals:
        status_changed(str): a message for the status bar (a cancelled operation).
    """

    status_changed = Signal(str)

    def __init__(self, stack: UndoStack, parent: QWidget):
        super().__init__(parent)
        self._stack = stack
        self.task: Task | None = None  # the operation running in the background, if any

    def perform(self, title: str, count: int, action: Callable[..., Operation], *args,
                on_done: Callable[[Operation], None] | None = None) -> None:
        """Apply ``action(*args)`` (a ``bulk`` function) to ``count`` leads; ``on_done(op)`` once it is on the stack.

        Expected refusals (a paused campaign, an empty tag name) are told under ``title``.
        """
        if self.task is not None:
            return
        if count < BACKGROUND_MIN_LEADS:
            try:
                op = self._stack.perform(action, *args)
            except (ValueError, LookupError) as error:
                show_error(self.parent(), title, str(error))
                return
            if on_done is not None:
                on_done(op)
            return

        def job(progress, cancelled):
            try:
                return action(*args, progress=progress, cancelled=cancelled)
            except undo.CancelledError:
                return None

        def done(op: Operation | None) -> None:
            self.task = None
            if op is None:
                self.status_changed.emit(messages.CANCELLED)
                return
            self._stack.push_applied(op)
            if on_done is not None:
                on_done(op)

        self._start(job, done, title, messages.working_on(title, count))

    def undo(self) -> None:
        """Edit → Undo: restore the stack's next operation (in the background when it is big)."""
        self._restore(undo.undo, self._stack.next_undo(), undone=True)

    def redo(self) -> None:
        """Edit → Redo."""
        self._restore(undo.redo, self._stack.next_redo(), undone=False)

    def _restore(self, restore, op: Operation | None, undone: bool) -> None:
        if self.task is not None or op is None:
            return
        if op.count < BACKGROUND_MIN_LEADS:
            (self._stack.undo if undone else self._stack.redo)()
            return

        def job(progress, cancelled):
            try:
                restore(op, progress=progress, cancelled=cancelled)
            except undo.CancelledError:
                return None
            except undo.UndoExpiredError as error:
                return error
            return _DONE

        def done(outcome) -> None:
            self.task = None
            if outcome is None:
                self.status_changed.emit(messages.CANCELLED)
            elif isinstance(outcome, undo.UndoExpiredError):
                self._stack.expire(str(outcome))
            else:
                self._stack.step_restored(undone)

        verb = "Undo" if undone else "Redo"
        self._start(job, done, verb, messages.working_on(f"{verb} {op.name}", op.count))

    def _start(self, job, done, title: str, label: str) -> None:
        def failed(message: str) -> None:
            self.task = None
            show_error(self.parent(), title, message)

        self.task = run_task(job, done, failed, parent=self.parent(), title=title, label=label, cancellable=True)
