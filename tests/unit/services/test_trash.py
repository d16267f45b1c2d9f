"""The Trash: delete, list, restore (undoable), empty for good."""

from app.db.connection import database
from app.services import bulk, trash, undo
from app.services.lead_filter import LeadFilter
from tests.helpers.leadgen import add_leads, full_state


def test_delete_list_restore_and_empty(db):
    ids = add_leads(4)
    bulk.delete_to_trash(ids[:2])
    assert bulk.count(LeadFilter()) == 2
    assert trash.count() == 2
    assert {t.id for t in trash.list_trash()} == set(ids[:2])
    assert trash.list_trash()[0].name.startswith("Ann")

    before = full_state()
    op = trash.restore([ids[0]])
    assert op.name == "Restore 1 lead"
    after = full_state()
    assert bulk.count(LeadFilter()) == 3
    undo.undo(op)
    assert full_state() == before
    undo.redo(op)
    assert full_state() == after

    assert trash.empty() == 1
    assert trash.count() == 0
    assert database.execute_sql("SELECT count(*) FROM lead").fetchone()[0] == 3
    assert database.execute_sql(
        "SELECT count(*) FROM lead_fts WHERE lead_fts MATCH ?", ('"Smith1"',)).fetchone()[0] == 0


def test_restore_everything(db):
    ids = add_leads(3)
    bulk.delete_to_trash(ids)
    assert trash.restore().count == 3
    assert trash.count() == 0
