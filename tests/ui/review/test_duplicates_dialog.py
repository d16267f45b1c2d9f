"""The duplicates dialog: pick the survivor and per-field values, merge, undo."""

from app.db.connection import database
from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import leads
from app.ui.review.duplicates_dialog import DuplicatesDialog
from tests.helpers.leadgen import add_leads, full_state


def test_merge_a_group_with_chosen_values(qtbot, db):
    a = add_leads(1, email="ann@acme.com", first_name="Ann", job_title="Sales", phone="111")[0]
    b = add_leads(1, email="ann@acme.com", first_name="Ann", job_title="CTO", phone="")[0]
    add_leads(1, email="solo@x.org", first_name="Solo")
    events = DataEvents()
    stack = UndoStack(events)
    dialog = DuplicatesDialog(stack, events)
    qtbot.addWidget(dialog)
    assert dialog.groups.count() == 1
    assert "same email" in dialog.groups.item(0).text()
    assert dialog.survivor_combo.currentData() == a
    assert set(dialog.field_combos) == {"job_title", "phone"}
    assert dialog.field_combos["phone"].currentText() == "111"
    job = dialog.field_combos["job_title"]
    job.setCurrentIndex(job.findData(b))
    before = full_state()
    dialog.merge_button.click()
    assert leads.get_lead(a).job_title == "CTO"
    assert leads.get_lead(b) is None
    assert dialog.groups.count() == 0
    assert dialog.summary.text().startswith("No duplicates")
    assert not dialog.merge_button.isEnabled()
    assert stack.undoText() == "Merge 2 leads"
    stack.undo()
    assert full_state() == before
    assert dialog.groups.count() == 1


def test_survivor_choice_changes_defaults(qtbot, db):
    a = add_leads(1, email="x@acme.com", job_title="")[0]
    b = add_leads(1, email="x@acme.com", job_title="CTO")[0]
    events = DataEvents()
    dialog = DuplicatesDialog(UndoStack(events), events)
    qtbot.addWidget(dialog)
    dialog.survivor_combo.setCurrentIndex(1)
    dialog.survivor_combo.activated.emit(1)
    assert dialog.field_combos["job_title"].currentData() == b
    assert database.execute_sql("SELECT count(*) FROM lead WHERE deleted_at IS NULL").fetchone()[0] == 2
    assert a != b
