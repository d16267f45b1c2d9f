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


def _in_a_team(rep: str, manager: bool = False) -> None:
    database.execute_sql("UPDATE sync_state SET enabled = 1, rep = ?, manager = ?", (rep, int(manager)))


def test_in_a_team_a_rep_erases_only_its_own_leads_and_a_manager_any(db):
    ids = add_leads(4)
    for lead_id, owner in zip(ids, ("bob", "ann", "cy", "")):
        database.execute_sql("UPDATE lead SET owner = ? WHERE id = ?", (owner, lead_id))
    bulk.delete_to_trash(ids)
    _in_a_team("bob")
    assert trash.kept_for_others() == {"ann": 1, "cy": 1}
    assert trash.kept_message(trash.kept_for_others()) == (
        "2 leads stay in the Trash: only ann and cy or a manager may delete them for good.")
    assert trash.purge([ids[1]]) == 0
    assert trash.empty() == 2  # bob's own, and the one never synced (no owner yet)
    assert trash.count() == 2
    assert trash.kept_message({"ann": 1}) == "1 lead stays in the Trash: only ann or a manager may delete it for good."
    _in_a_team("bob", manager=True)
    assert trash.kept_for_others() == {} and trash.kept_message({}) == ""
    assert trash.empty() == 2


def test_without_a_team_owners_do_not_matter(db):
    ids = add_leads(1)
    database.execute_sql("UPDATE lead SET owner = 'ann'")
    bulk.delete_to_trash(ids)
    assert trash.kept_for_others() == {}
    assert trash.empty() == 1
