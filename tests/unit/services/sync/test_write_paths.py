"""Every local write path records what it changed in the outbox, in its own transaction (real SQLite file).

Capture needs no server: the team is configured locally (``replica.enable``) and each test reads
the outbox rows one service call added.
"""

import pytest

from app.db.connection import database
from app.services import bulk, duplicates, leads, trash, undo
from app.services.importing import import_file, undo_import
from app.services.sync import replica


def _rows(after: int = 0) -> list[tuple]:
    return [tuple(r) for r in database.execute_sql(
        "SELECT kind, lead_uid, field, ref, old, new FROM outbox WHERE id > ? ORDER BY id", (after,))]


def _mark() -> int:
    return database.execute_sql("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]


def _uid(lead_id: int) -> str:
    return database.execute_sql("SELECT uid FROM lead WHERE id = ?", (lead_id,)).fetchone()[0]


def _fields(rows) -> set[tuple]:
    return {(kind, uid, field, old, new) for kind, uid, field, _ref, old, new in rows}


@pytest.fixture
def team_db(db, tmp_path):
    """A database holding three imported leads, with capture on and the first push's rows dropped."""
    csv = tmp_path / "leads.csv"
    csv.write_text("first_name,last_name,email\nAda,Lovelace,ada@example.com\nAlan,Turing,alan@example.com\n"
                   "Grace,Hopper,grace@example.com\n")
    import_file(csv, campaign="Fair")
    replica.enable("postgresql:///team", "ann")
    database.execute_sql("DELETE FROM outbox")
    return [r[0] for r in database.execute_sql("SELECT id FROM lead ORDER BY id")]


def test_enabling_a_team_queues_what_the_file_already_holds(db, tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("first_name,email\nAda,ada@example.com\n")
    import_file(csv, campaign="Fair")
    assert replica.enable("postgresql:///team", "ann") == 2
    assert [r[0] for r in _rows()] == ["lead_new", "member_add"]


def test_without_a_team_nothing_is_captured(db, tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("first_name,email\nAda,ada@example.com\n")
    import_file(csv, campaign="Fair")
    leads.update_field(1, "job_title", "Countess")
    assert _rows() == []


def test_an_edit_is_one_field_row_with_its_base(team_db):
    ada = team_db[0]
    leads.update_field(ada, "job_title", "Countess")
    assert _fields(_rows()) == {("field", _uid(ada), "job_title", "", "Countess")}


def test_bulk_review_tag_and_vip(team_db):
    ada, alan, _grace = team_db
    bulk.set_review_state([ada, alan], "rejected", "bad fit")
    fields = _fields(_rows())
    for lead in (ada, alan):
        assert ("field", _uid(lead), "review_state", "new", "rejected") in fields
        assert ("field", _uid(lead), "review_reason", "", "bad fit") in fields
    mark = _mark()
    bulk.add_tag([ada, alan], "hot")
    tagged = _rows(mark)
    assert sorted((kind, uid) for kind, uid, *_ in tagged) == sorted([("tag_add", _uid(ada)), ("tag_add", _uid(alan))])
    assert len({ref for _k, _u, _f, ref, _o, _n in tagged}) == 1
    mark = _mark()
    bulk.set_vip([alan], True)
    assert _fields(_rows(mark)) == {("field", _uid(alan), "vip", 0, 1)}


def test_an_import_queues_new_leads_and_field_updates(team_db, tmp_path):
    ada = team_db[0]
    csv = tmp_path / "more.csv"
    csv.write_text("first_name,last_name,email,job_title\nAda,Lovelace,ada@example.com,Countess\n"
                   "Edsger,Dijkstra,edsger@example.com,Professor\n")
    import_file(csv, on_duplicate="fill")
    rows = _rows()
    new = [r for r in rows if r[0] == "lead_new"]
    assert len(new) == 1 and '"Edsger"' in new[0][5]
    assert ("field", _uid(ada), "job_title", "", "Countess") in _fields(rows)


def test_a_merge_moves_tags_to_the_survivor_and_trashes_the_other(team_db):
    ada, alan, _grace = team_db
    bulk.add_tag([alan], "hot")
    mark = _mark()
    duplicates.merge([ada, alan], ada)
    rows = _rows(mark)
    assert ("tag_add", _uid(ada)) in {(kind, uid) for kind, uid, *_ in rows}
    assert ("field", _uid(alan), "deleted_at") in {(kind, uid, field) for kind, uid, field, *_ in rows}


def test_undo_and_redo_write_the_reverse_changes(team_db):
    alan = team_db[1]
    op = bulk.set_vip([alan], True)
    mark = _mark()
    undo.undo(op)
    assert _fields(_rows(mark)) == {("field", _uid(alan), "vip", 1, 0)}
    mark = _mark()
    undo.redo(op)
    assert _fields(_rows(mark)) == {("field", _uid(alan), "vip", 0, 1)}


def test_trash_restore_and_empty(team_db):
    _ada, alan, grace = team_db
    bulk.delete_to_trash([alan, grace])
    trashed = _rows()
    assert {(k, u, f) for k, u, f, *_ in trashed} == {("field", _uid(x), "deleted_at") for x in (alan, grace)}
    assert all(new is not None for *_, new in trashed)
    mark = _mark()
    trash.restore([grace])
    assert [(k, u, f, n) for k, u, f, _r, _o, n in _rows(mark)] == [("field", _uid(grace), "deleted_at", None)]
    alan_uid, mark = _uid(alan), _mark()
    assert trash.empty() == 1
    assert [(k, u) for k, u, *_ in _rows(mark)] == [("purge", alan_uid)]


def test_undo_import_purges_its_new_leads(db, tmp_path):
    replica.enable("postgresql:///team", "ann")
    csv = tmp_path / "leads.csv"
    csv.write_text("first_name,email\nAda,ada@example.com\nAlan,alan@example.com\n")
    report = import_file(csv)
    uids = {_uid(i) for (i,) in database.execute_sql("SELECT id FROM lead")}
    assert {(k, u) for k, u, *_ in _rows()} == {("lead_new", u) for u in uids}
    mark = _mark()
    undo_import(report.run_id)
    assert {(k, u) for k, u, *_ in _rows(mark)} == {("purge", u) for u in uids}


def test_notes_are_appended(team_db):
    ada = team_db[0]
    note = leads.add_note(ada, "first computer program")
    rows = _rows()
    assert [(k, u) for k, u, *_ in rows] == [("note", _uid(ada))]
    ref = database.execute_sql("SELECT uid FROM note WHERE id = ?", (note.id,)).fetchone()[0]
    assert rows[0][3] == ref and "first computer program" in rows[0][5]
