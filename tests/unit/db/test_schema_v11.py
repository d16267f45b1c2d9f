"""Migration V11 (the brief's tags): each lead's tag ids in its brief stay what lead_tag holds through every way
tags change (one lead's, bulk, undo and redo, a tag deleted, a purge, an import and its undo; a team's first
sync is in tests/unit/services/sync), a file from before V11 gets them, and a common word beside a big tag is
answered on the briefs."""

from app.db import criteria, query_plan, search
from app.db.connection import close_database, database, open_database
from app.db.schema import V11_BRIEF_TAGS
from app.services import bulk, leads, trash, undo
from app.services.lead_filter import LeadFilter
from tests.helpers.leadgen import add_lead, add_tag
from tests.helpers.migrations import database_before


def _brief_tags() -> dict[int, str]:
    return dict(database.execute_sql("SELECT id, tags FROM lead_brief"))


def _assert_brief_tags_are_lead_tag() -> None:
    tags: dict[int, list[int]] = {}
    for lead_id, tag_id in database.execute_sql("SELECT lead_id, tag_id FROM lead_tag ORDER BY lead_id, tag_id"):
        tags.setdefault(lead_id, []).append(tag_id)
    expected = {lead_id: "," + ",".join(map(str, tags[lead_id])) + "," if lead_id in tags else ""
                for (lead_id,) in database.execute_sql("SELECT id FROM lead")}
    assert _brief_tags() == expected


def test_the_brief_keeps_a_leads_tags_in_one_order_through_every_change(db):
    ids = [add_lead(first_name=f"Ann{n}") for n in range(12)]
    cold, hot = add_tag("Cold"), add_tag("Hot")
    leads.add_tag(ids[0], hot)
    leads.add_tag(ids[0], cold)  # added after, listed before: the order is the ids'
    assert _brief_tags()[ids[0]] == f",{cold},{hot},"
    leads.remove_tag(ids[0], cold)
    _assert_brief_tags_are_lead_tag()
    added = bulk.add_tag(ids[:8], "Warm")
    _assert_brief_tags_are_lead_tag()
    removed = bulk.remove_tag(ids[:4], hot)
    _assert_brief_tags_are_lead_tag()
    undo.undo(removed)
    undo.undo(added)
    _assert_brief_tags_are_lead_tag()
    undo.redo(added)
    _assert_brief_tags_are_lead_tag()
    database.execute_sql("DELETE FROM tag WHERE id = ?", (cold,))  # its lead_tag rows go by cascade
    _assert_brief_tags_are_lead_tag()
    bulk.delete_to_trash(ids[6:])
    trash.empty()
    _assert_brief_tags_are_lead_tag()
    assert _brief_tags()[ids[0]] != ""


def test_an_import_and_its_undo_write_the_tags_of_new_and_updated_leads(db, tmp_path):
    from app.services.importing import import_file, undo_import

    old = add_lead(first_name="Ann", last_name="Berg0", email="ann0@x.io")
    add_tag("Hot", lead_ids=[old])
    path = tmp_path / "leads.csv"
    rows = ["first_name,last_name,email,tags"] + [f"Ann,Berg{n},ann{n}@x.io,{'Cold; Hot' if n % 2 else ''}"
                                                  for n in range(30)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_file(path, campaign="Big")
    assert report.created == 29
    _assert_brief_tags_are_lead_tag()
    assert len([t for t in _brief_tags().values() if t.count(",") == 3]) == 15  # two tags each
    undo_import(report.run_id)
    _assert_brief_tags_are_lead_tag()
    assert _brief_tags() == {old: database.execute_sql("SELECT ',' || id || ',' FROM tag WHERE name = 'Hot'")
                             .fetchone()[0]}


def test_a_word_beside_a_big_tag_is_answered_on_the_briefs_unless_a_lead_row_is_read(db, monkeypatch):
    ids = [add_lead(first_name=f"Ann{n}", email_verification_result="valid" if n % 4 < 2 else "", vip=n % 3 == 0)
           for n in range(30)]
    hot, cold = add_tag("Hot", lead_ids=ids[::2]), add_tag("Cold", lead_ids=ids[::5])
    bulk.delete_to_trash(ids[:2])
    monkeypatch.setattr(query_plan, "SMALL_SET", 0)  # the word's matches drive, and the tags are big
    conn = database.connection()
    for extra, on_briefs in (({}, True), ({"email_statuses": ("valid",)}, True), ({"vip": True}, False)):
        for tag_ids in ((hot,), (hot, cold)):
            flt = LeadFilter(text="ann", tag_ids=tag_ids, **extra)
            sql = query_plan.QueryPlan(conn, flt).count_sql()[0]
            assert ("instr(l.tags" in sql and "lead_tag" not in sql) == on_briefs, sql
            where, params = criteria.compile_filter(flt)  # the lead rows' own answer
            expected = [r[0] for r in conn.execute(f"SELECT l.id FROM lead l WHERE {where} ORDER BY l.id", params)]
            assert expected, (extra, tag_ids)
            assert sorted(search.lead_ids(conn, flt)) == expected
            assert search.count_ids(conn, flt) == len(expected)


def test_it_applies_to_a_database_with_tagged_leads_from_before_it(db_path, monkeypatch):
    with database_before(db_path, V11_BRIEF_TAGS, monkeypatch):
        ids = [add_lead(first_name=f"Ann{n}") for n in range(5)]
        add_tag("Hot", lead_ids=ids[1:3])
        add_tag("Cold", lead_ids=ids[2:])
    open_database(db_path)
    try:
        _assert_brief_tags_are_lead_tag()
        assert list(_brief_tags().values()).count("") == 1
        leads.remove_tag(ids[2], database.execute_sql("SELECT id FROM tag WHERE name = 'Hot'").fetchone()[0])
        _assert_brief_tags_are_lead_tag()  # its triggers are there
    finally:
        close_database()
