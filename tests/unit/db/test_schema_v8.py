"""Migration V8 (the Trash's and the review state's indexes): a search sets the Trash aside as one small set,
and still never lists, counts or pages a trashed lead, whether the Trash is small (its index) or big (each
match's index entry); small row filter ranges are sets tested in memory."""

from app.db import criteria, query_plan, search
from app.db.connection import close_database, database, open_database
from app.db.schema import V8_LIST_INDEXES
from app.services import bulk, trash, undo
from app.services.lead_filter import LeadFilter
from tests.helpers.leadgen import add_campaign, add_lead, add_membership, add_tag
from tests.helpers.migrations import database_before


def _plain(flt: LeadFilter) -> list[int]:
    """The answer read off the lead rows themselves."""
    where, params = ["l.deleted_at IS NULL"], []
    if flt.text:
        where.append("l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)")
        params.append(criteria.fts_query(flt))
    if flt.vip:
        where.append("l.vip = 1")
    if flt.review_states:
        where.append(f"l.review_state IN ({','.join(repr(r) for r in flt.review_states)})")
    if flt.owner:
        where.append(f"l.owner = {flt.owner!r}")
    if flt.email_statuses:
        where.append(f"l.email_verification_result IN ({','.join(repr(r) for r in flt.email_statuses)})")
    if flt.tag_ids:
        where.append(f"l.id IN (SELECT lead_id FROM lead_tag WHERE tag_id IN ({','.join(map(str, flt.tag_ids))}))")
    return sorted(r[0] for r in database.execute_sql(f"SELECT l.id FROM lead l WHERE {' AND '.join(where)}", params))


def _same_answers(tag: int, monkeypatch) -> None:
    conn = database.connection()
    # A Trash "big" (checked per match) / "small" (one set); 20: the text drives, the tag (15), the VIPs (10),
    # bob's leads (6) and the valid ones (15) are sets in memory.
    for small_set in (0, 20, 1000):
        monkeypatch.setattr(query_plan, "SMALL_SET", small_set)
        for flt in (LeadFilter(text="ann"), LeadFilter(text="a b"), LeadFilter(tag_ids=(tag,)),
                    LeadFilter(text="ann", tag_ids=(tag,)), LeadFilter(text="ann", sort="oldest"),
                    LeadFilter(text="ann", vip=True), LeadFilter(text="ann", vip=True, tag_ids=(tag,)),
                    LeadFilter(text="ann", review_states=("approved",)), LeadFilter(review_states=("approved", "new")),
                    LeadFilter(tag_ids=(tag,), review_states=("approved",), vip=True),
                    LeadFilter(text="ann", owner="bob"), LeadFilter(text="ann", owner="bob", email_statuses=("valid",))):
            found = search.lead_ids(conn, flt)
            assert sorted(found) == _plain(flt), (small_set, flt)
            assert search.count_ids(conn, flt) == len(found), (small_set, flt)
            page = search.first_page(conn, flt, 3, 5)  # None: read whole, no walk (a small set bounds it)
            assert page is None or list(page) == list(found)[:3], (small_set, flt)


def test_searches_leave_the_trash_out_as_it_fills_and_empties(db, monkeypatch):
    ids = [add_lead(first_name=f"Ann{n}", last_name=f"Berg {'abc'[n % 3]}", vip=n % 3 == 1, owner="bob" if n % 5 == 0 else "",
                    email_verification_result="valid" if n % 2 else "") for n in range(30)]
    tag = add_tag("Hot", lead_ids=ids[::2])
    bulk.set_review_state(ids[::4], "approved")
    _same_answers(tag, monkeypatch)
    trashed = bulk.delete_to_trash(ids[4:20])
    _same_answers(tag, monkeypatch)
    trash.restore(ids[4:8])
    _same_answers(tag, monkeypatch)
    undo.undo(trashed)
    _same_answers(tag, monkeypatch)
    assert search.count_ids(database.connection(), LeadFilter(text="ann")) == 30


def test_a_small_trash_is_read_from_its_index_and_no_match_reads_a_lead_index(db):
    ids = [add_lead(first_name=f"Ann{n}") for n in range(5)]
    bulk.delete_to_trash(ids[:2])
    conn = database.connection()
    sql, params = query_plan.QueryPlan(conn, LeadFilter(text="ann")).count_sql()
    plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "lead_trashed" in plan and "lead_brief" not in sql and "lead_metrics" not in plan


def test_it_applies_to_a_database_from_before_it(db_path, monkeypatch):
    with database_before(db_path, V8_LIST_INDEXES, monkeypatch):
        ids = [add_lead(first_name=f"Ann{n}") for n in range(4)]
        database.execute_sql("UPDATE lead SET deleted_at = '2026-01-01T00:00:00+00:00' WHERE id = ?", (ids[1],))
    open_database(db_path)
    try:
        assert sorted(search.lead_ids(database.connection(), LeadFilter(text="ann"))) == [ids[0], *ids[2:]]
        assert trash.count() == 1
    finally:
        close_database()


def test_a_review_state_within_a_big_campaign_is_read_from_its_index(db, monkeypatch):
    camp = add_campaign("Spring")
    ids = [add_lead(first_name=f"Ann{n}") for n in range(6)]
    for lead in ids:
        add_membership(lead, camp)
    bulk.set_review_state(ids[:2], "approved")
    monkeypatch.setattr(query_plan, "SMALL_SET", 0)  # the campaign is "big": the review state's range drives
    conn = database.connection()
    flt = LeadFilter(campaign_ids=(camp,), review_states=("approved",))
    sql, params = query_plan.QueryPlan(conn, flt).count_sql()
    assert "lead_review" in " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert sorted(search.lead_ids(conn, flt)) == ids[:2]


def test_a_result_bounded_by_a_small_set_is_read_whole_without_a_walk(db, monkeypatch):
    ids = [add_lead(first_name=f"Ann{n}", vip=n == 3) for n in range(12)]
    monkeypatch.setattr(query_plan, "SMALL_SET", 5)  # the text (12) drives, the VIPs (1) are a set in memory
    conn = database.connection()
    assert search.first_page(conn, LeadFilter(text="ann", vip=True), 3, 5) is None
    assert list(search.lead_ids(conn, LeadFilter(text="ann", vip=True))) == [ids[3]]
    assert list(search.first_page(conn, LeadFilter(text="ann"), 3, 5)) == ids[::-1][:3]
