"""Migration V6 (note moves): a note moved to another lead is queued for the team; the manager flag."""

from app.db.connection import close_database, database, open_database
from app.db.models import Lead, Note, Outbox, SyncState
from app.db.schema import V6_NOTE_MOVE
from app.services import duplicates, leads, undo
from tests.helpers.migrations import database_before


def test_it_applies_to_a_database_from_before_it(db_path, monkeypatch):
    with database_before(db_path, V6_NOTE_MOVE, monkeypatch):
        lead = Lead.create(first_name="Ada")
        leads.add_note(lead.id, "met at the fair")
        database.execute_sql("UPDATE sync_state SET enabled = 1")
    open_database(db_path)
    try:
        assert SyncState.get().manager is False
        other = Lead.create(first_name="Ada L.")
        Note.update(lead=other.id).execute()
        moved = Outbox.get(Outbox.kind == "note_move")
        assert (moved.lead_uid, moved.ref) == (Lead.get_by_id(other.id).uid, Note.get().uid)
    finally:
        close_database()


def _moves() -> list[tuple[str, str]]:
    return [(o.lead_uid, o.ref) for o in Outbox.select().where(Outbox.kind == "note_move").order_by(Outbox.id)]


def test_a_merge_and_its_undo_queue_note_moves_and_nothing_else_for_the_note(db):
    keep, other = (Lead.create(first_name=name).id for name in ("Ada", "Ada L."))
    leads.add_note(other, "met at the fair")
    SyncState.update(enabled=True).execute()
    note = Note.get().uid
    op = duplicates.merge([keep, other], keep)
    keep_uid, other_uid = (Lead.get_by_id(i).uid for i in (keep, other))
    assert _moves() == [(keep_uid, note)]
    undo.undo(op)
    assert Note.get().lead_id == other
    assert _moves() == [(keep_uid, note), (other_uid, note)]
    assert not Outbox.select().where(Outbox.kind == "note").exists()  # undo moved it back, not added it again


def test_nothing_is_queued_without_a_team(db):
    keep, other = (Lead.create(first_name=name).id for name in ("Ada", "Ada L."))
    leads.add_note(other, "met at the fair")
    duplicates.merge([keep, other], keep)
    assert Outbox.select().count() == 0


def test_joining_as_another_rep_forgets_that_the_last_one_was_a_manager(db):
    from app.services.sync import replica

    replica.enable("postgresql://team", "boss")
    replica.note_manager(True)
    replica.enable("postgresql://team", "boss")  # the same rep again (every CLI sync does this)
    assert replica.state()["manager"]
    replica.enable("postgresql://team", "ann")
    assert not replica.state()["manager"]
