"""The bulk actions dialog: exact counts before applying, then one undoable operation."""

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.db.connection import database
from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import leads
from app.services.lead_filter import LeadFilter
from app.ui.common import undo_tasks
from app.ui.common.undo_tasks import UndoRunner
from app.ui.leads import bulk_dialog
from app.ui.leads.bulk_dialog import BulkDialog, apply_request
from tests.helpers.events import added_or_removed
from tests.helpers.leadgen import add_campaign, add_leads, full_state


@pytest.fixture(params=["gui thread", "background"])
def setup(request, qtbot, db, monkeypatch):
    """Leads, a stack and its runner; every test runs once as small (GUI thread) and once as big."""
    if request.param == "background":
        monkeypatch.setattr(undo_tasks, "BACKGROUND_MIN_LEADS", 0)
    ids = add_leads(5)
    add_leads(2, company_name="Other")
    events = DataEvents()
    stack = UndoStack(events)
    window = QWidget()
    qtbot.addWidget(window)
    yield ids, stack, events, UndoRunner(stack, window)


def _apply(qtbot, runner, dialog) -> list:
    done = []
    apply_request(runner, dialog.request(), dialog.count(), done.append)
    qtbot.waitUntil(lambda: runner.task is None)
    return done


def _choose(dialog, action, argument=None):
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData(action))
    if argument is not None:
        if dialog.argument_combo.isEditable():
            dialog.argument_combo.setEditText(argument)
        else:
            dialog.argument_combo.setCurrentIndex(dialog.argument_combo.findText(argument))


def test_dialog_states_the_exact_count(qtbot, setup):
    ids, stack, _, runner = setup
    dialog = BulkDialog(ids[:3], LeadFilter(text="Acme"))
    qtbot.addWidget(dialog)
    assert dialog.selection_radio.text() == "The 3 selected leads"
    assert dialog.filter_radio.text() == "All 5 leads matching the filter"
    assert dialog.apply_button.text() == "Apply to 3 leads"
    dialog.filter_radio.setChecked(True)
    assert dialog.apply_button.text() == "Apply to 5 leads"
    _choose(dialog, "approve")
    assert dialog.summary.text() == "Approve: 5 leads will change."


def test_without_selection_the_filter_is_the_target(qtbot, setup):
    dialog = BulkDialog([], LeadFilter())
    qtbot.addWidget(dialog)
    assert not dialog.selection_radio.isEnabled()
    assert dialog.filter_radio.isChecked()
    assert dialog.count() == 7


def test_add_tag_to_filter_then_undo_redo(qtbot, setup):
    ids, stack, events, runner = setup
    dialog = BulkDialog(ids[:1], LeadFilter(text="Acme"))
    qtbot.addWidget(dialog)
    dialog.filter_radio.setChecked(True)
    _choose(dialog, "add_tag", "")
    assert not dialog.apply_button.isEnabled()
    assert dialog.summary.text() == "Choose a tag."
    dialog.argument_combo.setEditText("warm")
    before = full_state()
    with qtbot.waitSignal(events.changed, check_params_cb=added_or_removed):
        [op] = _apply(qtbot, runner, dialog)
    assert op.name == "Add tag to 5 leads"
    assert stack.undoText() == "Add tag to 5 leads"
    after = full_state()
    stack.undo()
    assert full_state() == before
    stack.redo()
    assert full_state() == after


@pytest.mark.parametrize("action, argument", [
    ("reject", "bad fit"), ("skip", None), ("vip_on", None), ("delete", None),
    ("add_campaign", "Spring"), ("remove_campaign", "Spring"),
])
def test_each_action_applies_to_the_selection(qtbot, setup, action, argument):
    ids, stack, _, runner = setup
    campaign = add_campaign("Spring")
    leads.set_membership(ids[0], campaign, True)
    dialog = BulkDialog(ids[:2], LeadFilter())
    qtbot.addWidget(dialog)
    _choose(dialog, action, argument)
    before = full_state()
    _apply(qtbot, runner, dialog)
    assert full_state() != before
    stack.undo()
    assert full_state() == before


def test_paused_campaign_is_not_offered_and_errors_are_plain(qtbot, setup, monkeypatch):
    ids, stack, _, runner = setup
    add_campaign("Active one")
    add_campaign("Paused one", "paused")
    dialog = BulkDialog(ids, LeadFilter())
    qtbot.addWidget(dialog)
    _choose(dialog, "add_campaign")
    offered = [dialog.argument_combo.itemText(i) for i in range(dialog.argument_combo.count())]
    assert offered == ["Active one"]
    _choose(dialog, "remove_campaign")
    assert dialog.argument_combo.count() == 2

    shown = []
    monkeypatch.setattr(BulkDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(BulkDialog, "request", lambda self: bulk_dialog.BulkRequest("add_campaign", 2, ids))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    bulk_dialog.run_bulk_dialog(None, runner, ids, LeadFilter())
    qtbot.waitUntil(lambda: runner.task is None)
    assert shown and "Paused one" in shown[0]
    assert database.execute_sql("SELECT count(*) FROM membership").fetchone()[0] == 0
