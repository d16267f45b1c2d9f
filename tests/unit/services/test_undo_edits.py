"""Single-lead edits from app.services.leads, run through undo.edit: do → undo → redo is exact."""

import pytest

from app.db.connection import database
from app.services import leads, tags, undo
from tests.helpers.leadgen import add_campaign, add_leads, full_state


@pytest.fixture
def lead(db):
    lead_id = add_leads(1, job_title="Sales", phone="+33 6 12 34 56 78")[0]
    add_campaign("Spring")
    leads.add_tag(lead_id, tags.create_tag("hot").id)
    leads.set_membership(lead_id, 1, True)
    leads.add_note(lead_id, "first call")
    return lead_id


def _note_id(lead_id):
    return database.execute_sql("SELECT id FROM note WHERE lead_id = ?", (lead_id,)).fetchone()[0]


def _tag_named(name):
    return (tags.find_tag(name) or tags.create_tag(name)).id


EDITS = {
    "field": lambda i: ("Edit job title", leads.update_field, i, "job_title", "Head of Sales"),
    "email": lambda i: ("Edit email", leads.update_field, i, "email", "new@example.org"),
    "custom": lambda i: ("Edit ai:summary", leads.update_custom, i, "ai:summary", "likes boats"),
    "vip": lambda i: ("Mark VIP", leads.set_vip, i, True),
    "add note": lambda i: ("Add note", leads.add_note, i, "second call"),
    "edit note": lambda i: ("Edit note", leads.edit_note, _note_id(i), "first call, no answer"),
    "delete note": lambda i: ("Delete note", leads.delete_note, _note_id(i)),
    "add tag": lambda i: ("Add tag", leads.add_tag, i, _tag_named("warm")),
    "add new tag": lambda i: ("Add tag", lambda name: leads.add_tag(i, _tag_named(name)), "brand new"),
    "join campaign": lambda i: ("Add to campaign", leads.set_membership, i, add_campaign("Autumn"), True),
    "remove tag": lambda i: ("Remove tag", leads.remove_tag, i, 1),
    "leave campaign": lambda i: ("Remove from campaign", leads.set_membership, i, 1, False),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_single_edit_do_undo_redo(lead, edit):
    name, fn, *args = edit(lead)
    before = full_state()
    op = undo.edit(name, lead, fn, *args)
    assert op is not None and op.name == name
    after = full_state()
    assert after != before
    undo.undo(op)
    assert full_state() == before
    undo.redo(op)
    assert full_state() == after


def test_edit_that_changes_nothing_is_not_an_operation(lead):
    assert undo.edit("Edit job title", lead, leads.update_field, lead, "job_title", "Sales") is None
    assert database.execute_sql("SELECT count(*) FROM undo.sqlite_master WHERE name LIKE 'undo%'").fetchone()[0] == 0


def test_undo_of_an_edit_is_in_the_history(lead):
    op = undo.edit("Edit job title", lead, leads.update_field, lead, "job_title", "CEO")
    undo.undo(op)
    rows = database.execute_sql(
        "SELECT source, field, old, new FROM lead_history WHERE lead_id = ? AND field = 'job_title' ORDER BY id",
        (lead,)).fetchall()
    assert rows == [("edited here", "job_title", "Sales", "CEO"), ("undo", "job_title", "CEO", "Sales")]
