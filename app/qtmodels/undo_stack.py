"""The Edit → Undo/Redo stack: a QUndoStack whose commands are ``app.services.undo`` operations.

Every change the rep makes goes through ``UndoStack.perform`` (bulk actions, triage, merges,
restores) or ``UndoStack.edit`` (single-lead edits from ``app.services.leads``): the operation is
applied and snapshotted by the services layer, then pushed here already done. Undo and redo
restore the snapshots. Big operations are applied and restored on a worker thread
(``app/ui/common/undo_tasks.py``); ``push_applied`` and ``step_restored`` then record the result
here. Every apply, undo and redo hands one ``Changes`` record to
``DataEvents.broadcast``: the stack is the one emitter of data events for the rep's changes.
"""

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.qtmodels.events import Changes, DataEvents
from app.services import undo
from app.services.undo import Operation

# Leads named one by one in Changes.lead_ids; beyond this, lists just re-query.
_NAMED_LIMIT = 1000
# Steps kept: a day of triage keys, while bounding the memory of bulk snapshots (a 100k-lead
# action keeps a few MB in the TEMP store until it falls off).
UNDO_LIMIT = 200


def changes_of(op: Operation) -> Changes:
    """The change record of an applied, undone or redone operation."""
    return Changes(lead_ids=tuple(op.lead_ids(_NAMED_LIMIT)),
                   leads_added_or_removed=op.trash_changed or op.count > 1, tags=op.tags_changed)


class OperationCommand(QUndoCommand):
    """One applied operation on the stack; its first redo() (from push) does nothing."""

    def __init__(self, operation: Operation, stack: "UndoStack"):
        super().__init__(operation.name)
        self.operation = operation
        self._stack = stack
        self._applied = True
        self.restored_elsewhere = False  # the next undo()/redo() was already done by a worker

    def redo(self) -> None:
        if self._applied:  # QUndoStack.push calls redo(); the change is already in the database
            return
        self._restore(undo.redo, "Redone")
        self._applied = True

    def undo(self) -> None:
        self._restore(undo.undo, "Undone")
        self._applied = False

    def _restore(self, restore, verb: str) -> None:
        if self.restored_elsewhere:
            self.restored_elsewhere = False
        else:
            try:
                restore(self.operation)
            except undo.UndoExpiredError as error:
                self._stack.expire(str(error))
                return
        self._stack.announce(self.operation, verb)


class UndoStack(QUndoStack):
    """The application's undo stack (one per main window).

    Signals:
        operation_done(str): an operation was applied, undone or redone ("Undone: Approve 1 lead").
        expired(str): the history could not be used any more and was cleared (why, in plain words).
    """

    operation_done = Signal(str)
    expired = Signal(str)

    def __init__(self, events: DataEvents, parent: QObject | None = None):
        super().__init__(parent)
        self._events = events
        self._operations: list[Operation] = []
        self.setUndoLimit(UNDO_LIMIT)
        # Commands Qt drops (undo limit, a new push after undo) take their snapshots with them.
        self.indexChanged.connect(self._forget_dropped)

    def perform(self, action: Callable[..., Operation | None], *args, initiator: object = None,
                **kwargs) -> Operation | None:
        """Run a service function returning an Operation (``bulk.set_review_state`` …) undoably.

        ``initiator`` (the widget that asked) travels with the broadcast of this first apply.
        """
        op = action(*args, **kwargs)
        if op is not None:
            self.push_applied(op, initiator)
        return op

    def push_applied(self, op: Operation, initiator: object = None) -> None:
        """Record an operation already applied (by a worker thread) and broadcast it."""
        self.push(OperationCommand(op, self))
        self._operations.append(op)
        self._forget_dropped()
        self.announce(op, initiator=initiator)

    def next_undo(self) -> Operation | None:
        """The operation Undo would restore."""
        return self.command(self.index() - 1).operation if self.canUndo() else None

    def next_redo(self) -> Operation | None:
        """The operation Redo would apply again."""
        return self.command(self.index()).operation if self.canRedo() else None

    def step_restored(self, undone: bool) -> None:
        """Move back (``undone``) or forward after a worker restored the next operation; broadcasts."""
        command = self.command(self.index() - 1 if undone else self.index())
        command.restored_elsewhere = True
        if undone:
            self.undo()
        else:
            self.redo()

    def edit(self, name: str, lead_id: int, edit_fn: Callable, *args, initiator: object = None) -> bool:
        """Run a single-lead edit (``leads.update_field`` …) undoably; True if it changed something."""
        return self.perform(undo.edit, name, lead_id, edit_fn, *args, initiator=initiator) is not None

    def announce(self, op: Operation, verb: str = "", initiator: object = None) -> None:
        """Broadcast what ``op`` touched, then name it for the status bar."""
        self._events.broadcast(changes_of(op), initiator)
        self.operation_done.emit(f"{verb}: {op.name}" if verb else op.name)

    def expire(self, message: str) -> None:
        # Clearing the stack from inside one of its own commands is not allowed: do it next.
        QTimer.singleShot(0, self.reset)
        self.expired.emit(message)

    def reset(self) -> None:
        """Forget everything (the database was closed, restored or replaced)."""
        self.clear()
        for op in self._operations:
            undo.discard(op)
        self._operations.clear()

    def _forget_dropped(self, _index: int = 0) -> None:
        alive = {self.command(i).operation.id for i in range(self.count())}
        for op in [o for o in self._operations if o.id not in alive]:
            undo.discard(op)
            self._operations.remove(op)
