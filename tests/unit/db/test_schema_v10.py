"""Migration V10 (lead_brief): each lead's Trash state, e-mail status and company size, copied into a narrow
table that list queries test beside a driving set, stay the lead rows' own through every way leads change
(edits, bulk actions, the Trash, undo, purges, imports and their undo, a team's first sync is in
tests/unit/services/sync), and a file from before V10 gets the briefs of the leads it holds."""

from app.db import query_plan, search
from app.db.connection import close_database, database, open_database
from app.db.schema import BRIEF_COLUMNS, V10_LEAD_BRIEF
from app.services import bulk, leads, trash, undo
from app.services.lead_filter import LeadFilter
from tests.helpers.leadgen import add_campaign, add_lead, add_membership
from tests.helpers.migrations import database_before

STATUSES = ("valid", "invalid", "", "catchall")
SIZES = ("1-10", "11-50", "")


def _assert_briefs_are_the_leads() -> None:
    rows = {table: database.execute_sql(f"SELECT {BRIEF_COLUMNS} FROM {table} ORDER BY id").fetchall()
            for table in ("lead", "lead_brief")}
    assert rows["lead_brief"] == rows["lead"]


def _add_leads(count: int) -> list[int]:
    return [add_lead(first_name=f"Ann{n}", email_verification_result=STATUSES[n % 4], company_headcount=SIZES[n % 3])
            for n in range(count)]


def test_a_leads_brief_follows_it_through_edits_the_trash_undo_and_purges(db):
    ids = _add_leads(24)
    _assert_briefs_are_the_leads()
    leads.update_field(ids[0], "email_verification_result", "invalid")
    leads.update_field(ids[1], "company_headcount", "51-200")
    leads.update_field(ids[2], "first_name", "Bo")  # not in the brief: nothing to do
    _assert_briefs_are_the_leads()
    trashed = bulk.delete_to_trash(ids[4:16])
    _assert_briefs_are_the_leads()
    trash.restore(ids[4:8])
    _assert_briefs_are_the_leads()
    undo.undo(trashed)
    _assert_briefs_are_the_leads()
    bulk.delete_to_trash(ids[20:])
    assert trash.empty() == 4
    _assert_briefs_are_the_leads()
    assert database.execute_sql("SELECT count(*) FROM lead_brief").fetchone()[0] == 20


def test_an_import_and_its_undo_write_the_briefs_of_new_and_updated_leads(db, tmp_path):
    from app.services.importing import import_file, undo_import

    _add_leads(3)
    path = tmp_path / "leads.csv"
    rows = ["first_name,last_name,email,email_verification_result,company_headcount"]
    rows += [f"Ann,Berg{n},ann{n}@x.io,{STATUSES[n % 4]},{SIZES[n % 3]}" for n in range(30)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(path, campaign="Big")
    _assert_briefs_are_the_leads()
    rows = [rows[0]] + [f"Ann,Berg{n},ann{n}@x.io,{STATUSES[(n + 1) % 4]},{SIZES[(n + 2) % 3]}" for n in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = import_file(path, campaign="Half", on_duplicate="overwrite")
    assert report.created == 10 and report.updated > 0
    _assert_briefs_are_the_leads()
    undo_import(report.run_id)
    _assert_briefs_are_the_leads()
    assert database.execute_sql("SELECT count(*) FROM lead_brief").fetchone()[0] == 33


def test_a_word_with_a_status_and_size_is_counted_on_the_briefs(db, monkeypatch):
    ids = _add_leads(24)
    bulk.delete_to_trash(ids[:3])
    monkeypatch.setattr(query_plan, "SMALL_SET", 0)  # the word's 24 matches drive; no set is read into memory
    conn = database.connection()
    flt = LeadFilter(text="ann", email_statuses=("valid", "invalid"), headcounts=("1-10", "11-50"))
    sql, params = query_plan.QueryPlan(conn, flt).count_sql()
    assert "CROSS JOIN lead_brief l ON l.id = d.rowid" in sql, sql
    plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "SEARCH l USING INTEGER PRIMARY KEY" in plan, plan  # a lookup by rowid
    expected = [i for n, i in enumerate(ids) if n >= 3 and n % 4 < 2 and n % 3 < 2]
    assert sorted(search.lead_ids(conn, flt)) == expected
    assert search.count_ids(conn, flt) == len(expected)


def test_beside_a_big_campaign_a_words_matches_are_tested_for_status_and_size_first(db, monkeypatch):
    """Beside a word's matches, a big campaign is looked up only for the matches of that status and size (their
    briefs, or a small set of them); a small one is read into memory with only its members of that status and
    size (their copies in membership_facets)."""
    ids = _add_leads(24)
    camp = add_campaign("Spring")
    for lead in ids[:16]:
        add_membership(lead, camp)
    bulk.delete_to_trash(ids[:1])
    flt = LeadFilter(text="ann", campaign_ids=(camp,), email_statuses=("valid",), headcounts=("1-10", "11-50"))
    expected = [i for n, i in enumerate(ids[:16]) if n > 0 and n % 4 == 0 and n % 3 < 2]
    conn = database.connection()
    # The campaign's 16 members: many (and the 3 valid leads of those sizes a set in memory) / few.
    for small_set, on_briefs in ((10, True), (1000, False)):
        monkeypatch.setattr(query_plan, "SMALL_SET", small_set)
        search.forget_plans()
        sql = query_plan.QueryPlan(conn, flt).count_sql()[0]
        assert sql.startswith("SELECT count(d.rowid) FROM lead_fts d"), sql  # the word's matches drive
        assert ("p0.email_verification_result" in sql) != on_briefs, sql  # the members' copies tested, or not
        assert sorted(search.lead_ids(conn, flt)) == expected and search.count_ids(conn, flt) == len(expected)


def test_it_applies_to_a_database_with_leads_from_before_it(db_path, monkeypatch):
    with database_before(db_path, V10_LEAD_BRIEF, monkeypatch):
        ids = _add_leads(9)
        database.execute_sql("UPDATE lead SET deleted_at = '2026-01-01T00:00:00+00:00' WHERE id = ?", (ids[0],))
    open_database(db_path)
    try:
        _assert_briefs_are_the_leads()
        assert database.execute_sql("SELECT count(*) FROM lead_brief WHERE deleted_at IS NOT NULL").fetchone()[0] == 1
        indexes = {r[0] for r in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "lead_metrics" not in indexes
    finally:
        close_database()
