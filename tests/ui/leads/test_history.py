"""The History tab lists a lead's changes newest first and follows edits and undo."""

from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import leads
from app.ui.leads.history import HistoryView
from tests.helpers.leadgen import add_leads


def _rows(view):
    return [(view.tree.topLevelItem(i).text(1), view.tree.topLevelItem(i).text(2))
            for i in range(view.tree.topLevelItemCount())]


def test_history_tab_follows_edits_and_undo(qtbot, db):
    lead = add_leads(1, job_title="Sales")[0]
    events = DataEvents()
    stack = UndoStack(events)
    view = HistoryView(events)
    qtbot.addWidget(view)
    view.set_lead(lead)
    assert view.stack.currentWidget() is view.empty
    stack.edit("Edit job title", lead, leads.update_field, lead, "job_title", "CEO")
    assert _rows(view) == [("Job title: “Sales” → “CEO”", "edited here")]
    stack.undo()
    assert _rows(view)[0] == ("Job title: “CEO” → “Sales”", "undo")
    assert view.stack.currentWidget() is view.tree
    view.set_lead(None)
    assert view.stack.currentWidget() is view.empty
