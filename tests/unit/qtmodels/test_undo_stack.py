"""The Qt undo stack: names in the menu, events after undo/redo, dropped commands forgotten."""

from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import bulk, leads
from tests.helpers.events import added_or_removed
from tests.helpers.leadgen import add_leads


def test_stack_names_announces_and_forgets(qtbot, db, db_path):
    ids = add_leads(3)
    events = DataEvents()
    stack = UndoStack(events)
    undo_action = stack.createUndoAction(None, "Undo")
    stack.perform(bulk.set_review_state, ids[:1], "approved")
    assert undo_action.text() == "Undo Approve 1 lead"
    with qtbot.waitSignal(events.changed), qtbot.waitSignal(stack.operation_done) as blocker:
        stack.undo()
    assert blocker.args == ["Undone: Approve 1 lead"]
    assert leads.get_lead(ids[0]).review_state == "new"
    assert stack.redoText() == "Approve 1 lead"
    # A new change after an undo drops the redo entry and its snapshots.
    with qtbot.waitSignal(events.changed, check_params_cb=added_or_removed):
        stack.perform(bulk.delete_to_trash, ids[1:])
    assert stack.count() == 1 and stack.text(0) == "Delete 2 leads"
    assert stack.edit("Edit job title", ids[0], leads.update_field, ids[0], "job_title", "CEO")
    assert not stack.edit("Edit job title", ids[0], leads.update_field, ids[0], "job_title", "CEO")
    assert stack.count() == 2


def test_stack_clears_itself_when_snapshots_are_gone(qtbot, db, db_path):
    from app.db.connection import open_database
    ids = add_leads(1)
    events = DataEvents()
    stack = UndoStack(events)
    stack.perform(bulk.set_vip, ids, True)
    open_database(db_path)  # e.g. restored from a backup
    with qtbot.waitSignal(stack.expired):
        stack.undo()
    qtbot.waitUntil(lambda: stack.count() == 0)
    assert leads.get_lead(ids[0]).vip


def test_steps_beyond_the_limit_drop_their_snapshots(qtbot, db):
    from app.db.connection import database
    ids = add_leads(2)
    stack = UndoStack(DataEvents())
    stack.setUndoLimit(2)
    for state in ("approved", "skipped", "rejected"):
        stack.perform(bulk.set_review_state, ids, state)
    assert [stack.text(i) for i in range(stack.count())] == ["Skip 2 leads", "Reject 2 leads"]
    tables = {r[0].split("_")[1] for r in database.execute_sql("SELECT name FROM undo.sqlite_master WHERE name LIKE 'undo%'")}
    assert len(tables) == 2
    stack.reset()
    assert database.execute_sql("SELECT count(*) FROM undo.sqlite_master WHERE name LIKE 'undo%'").fetchone()[0] == 0
