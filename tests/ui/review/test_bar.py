"""Review mode bar: "N of M reviewed" follows triage and undo, and resumes after a restart."""

import pytest

from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import bulk
from app.services.lead_filter import LeadFilter
from app.ui.review.bar import ReviewBar
from tests.helpers.leadgen import add_leads


@pytest.fixture
def ids(db):
    add_leads(2, company_name="Other")
    return add_leads(4, company_name="Acme")


def test_progress_follows_triage_and_undo(qtbot, ids):
    events = DataEvents()
    stack = UndoStack(events)
    bar = ReviewBar(events)
    qtbot.addWidget(bar)
    shown = bar.start(LeadFilter(text="Acme"))
    assert shown == LeadFilter(text="Acme", review_states=("new",))
    assert not bar.isHidden()
    assert bar.label.text() == "0 of 4 reviewed"
    stack.perform(bulk.set_review_state, ids[:1], "approved")
    qtbot.waitUntil(lambda: bar.label.text() == "1 of 4 reviewed")
    assert (bar.progress.value(), bar.progress.maximum()) == (1, 4)
    stack.undo()
    qtbot.waitUntil(lambda: bar.label.text() == "0 of 4 reviewed")


def test_review_mode_resumes_after_restart(qtbot, ids):
    events = DataEvents()
    first = ReviewBar(events)
    qtbot.addWidget(first)
    first.start(LeadFilter(text="Acme"))
    bulk.set_review_state(ids[:2], "skipped")

    again = ReviewBar(DataEvents())
    qtbot.addWidget(again)
    assert again.resume() == LeadFilter(text="Acme", review_states=("new",))
    assert again.label.text() == "2 of 4 reviewed"
    assert again.stop() == LeadFilter(text="Acme")
    assert again.isHidden()

    third = ReviewBar(DataEvents())
    qtbot.addWidget(third)
    assert third.resume() is None
