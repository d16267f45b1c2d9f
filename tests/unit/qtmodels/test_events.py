"""The change record and its one broadcast: what each operation announces, and who announced it."""

from app.qtmodels.events import Changes, DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import bulk, leads
from tests.helpers.leadgen import add_leads


def test_everything_names_every_kind_and_touches_any_lead():
    everything = Changes.everything()
    assert everything.leads_added_or_removed and everything.campaigns and everything.tags
    assert everything.touches(42) and not everything.touches(None)
    assert Changes(lead_ids=(1, 2)).touches(2) and not Changes(lead_ids=(1,)).touches(2)


def test_broadcast_carries_the_record_and_the_initiator(qtbot):
    events = DataEvents()
    me = object()
    with qtbot.waitSignal(events.changed) as blocker:
        events.broadcast(Changes(tags=True), me)
    assert blocker.args == [Changes(tags=True), me]


def test_each_operation_broadcasts_once_with_what_it_touched(qtbot, db):
    ids = add_leads(3)
    events = DataEvents()
    stack = UndoStack(events)
    seen = []
    events.changed.connect(lambda changes, initiator: seen.append((changes, initiator)))
    me = object()
    stack.edit("Edit job title", ids[0], leads.update_field, ids[0], "job_title", "CEO", initiator=me)
    assert [(c.lead_ids, i) for c, i in seen] == [((ids[0],), me)]
    seen.clear()
    stack.perform(bulk.delete_to_trash, ids[1:])
    assert len(seen) == 1
    changes, initiator = seen[0]
    assert set(changes.lead_ids) == set(ids[1:]) and changes.leads_added_or_removed and initiator is None
    seen.clear()
    stack.undo()  # the menu's undo has no initiator: every screen reloads, the form too
    assert [(set(c.lead_ids), c.leads_added_or_removed, i) for c, i in seen] == [(set(ids[1:]), True, None)]
