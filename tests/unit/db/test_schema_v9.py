"""Migration V9 (lead_facets, and the company size in lead_metrics): e-mail status and company size together are
one index range, or beside a big driving set one narrow index entry per match, and every answer stays the one
the lead rows give, with the Trash, "not verified", text, tags and campaigns beside it."""

from app.db import criteria, query_plan, search
from app.db.connection import close_database, database, open_database
from app.db.schema import V9_FACET_INDEX
from app.services import bulk, leads
from app.services.lead_filter import NOT_VERIFIED, LeadFilter
from tests.helpers.leadgen import add_campaign, add_lead, add_membership, add_tag
from tests.helpers.migrations import database_before

STATUSES = ("valid", "invalid", NOT_VERIFIED)
SIZES = ("1-10", "11-50", "51-200")


def _plain(flt: LeadFilter) -> list[int]:
    """The answer read off the lead rows themselves."""
    where, params = ["l.deleted_at IS NULL"], []
    if flt.review_states:
        where.append(f"l.review_state IN ({','.join('?' * len(flt.review_states))})")
        params += flt.review_states
    if flt.vip is not None:
        where.append(f"l.vip = {int(flt.vip)}")
    if flt.text:
        where.append("l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)")
        params.append(criteria.fts_query(flt))
    for column, values in (("email_verification_result", flt.email_statuses), ("company_headcount", flt.headcounts)):
        if values:
            where.append(f"l.{column} IN ({','.join('?' * len(values))})")
            params += values
    for table, key, ids in criteria.id_sets(flt):
        where.append(f"l.id IN (SELECT lead_id FROM {table} WHERE {key} IN ({','.join(map(str, ids))}))")
    return sorted(r[0] for r in database.execute_sql(f"SELECT l.id FROM lead l WHERE {' AND '.join(where)}", params))


def _leads() -> tuple[list[int], int, int]:
    ids = [add_lead(first_name=f"Ann{n}", last_name="Berg", email_verification_result=STATUSES[n % 3],
                    company_headcount=SIZES[n % 4] if n % 4 < 3 else "") for n in range(48)]
    tag = add_tag("Hot", lead_ids=ids[::2])
    bulk.set_review_state(ids[::5], "approved")
    camp = add_campaign("Spring")
    for lead in ids[:30]:
        add_membership(lead, camp)
    return ids, tag, camp


def _same_answers(tag: int, camp: int, monkeypatch) -> None:
    conn = database.connection()
    flts = []
    for statuses in (("valid",), ("valid", "invalid"), ("valid", NOT_VERIFIED), (NOT_VERIFIED,)):
        for sizes in (("11-50",), ("1-10", "51-200")):
            flt = LeadFilter(email_statuses=statuses, headcounts=sizes)
            flts += [flt, flt.replace(text="ann"), flt.replace(tag_ids=(tag,)), flt.replace(campaign_ids=(camp,)),
                     flt.replace(sort="name"), flt.replace(text="ann", tag_ids=(tag,), sort="oldest"),
                     flt.replace(text="ann", review_states=("approved",)), flt.replace(text="ann", vip=False)]
    # SMALL_SET 0: every set is big (the row filters' index drives); 20: the text (48) drives, the approved
    # leads (10) and a small facet range are sets in memory, and a bigger one is tested on their rows.
    for small_set in (0, 20, 1000):
        monkeypatch.setattr(query_plan, "SMALL_SET", small_set)
        for flt in flts:
            found = search.lead_ids(conn, flt)
            assert sorted(found) == _plain(flt), (small_set, flt)
            assert search.count_ids(conn, flt) == len(found), (small_set, flt)
            page = search.first_page(conn, flt, 3, 5)
            assert page is None or list(page) == list(found)[:3], (small_set, flt)


def test_status_and_size_answer_as_the_lead_rows_do_through_edits_and_the_trash(db, monkeypatch):
    ids, tag, camp = _leads()
    _same_answers(tag, camp, monkeypatch)
    leads.update_field(ids[0], "email_verification_result", "invalid")
    leads.update_field(ids[3], "company_headcount", "51-200")
    bulk.delete_to_trash(ids[4:16])
    _same_answers(tag, camp, monkeypatch)


def _count_plan(flt: LeadFilter) -> str:
    conn = database.connection()
    sql, params = query_plan.QueryPlan(conn, flt).count_sql()
    return " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_status_and_size_are_counted_from_one_range_of_lead_facets_or_from_lead_briefs(db, monkeypatch):
    _leads()
    # Beside the text's matches (a big set: SMALL_SET 0), both are read from the leads' briefs (V10), not the lead rows.
    monkeypatch.setattr(query_plan, "SMALL_SET", 0)
    flt = LeadFilter(text="ann", email_statuses=("valid",), headcounts=("11-50", "51-200"))
    assert "lead_brief l" in query_plan.QueryPlan(database.connection(), flt).count_sql()[0]
    # So are they when the rest of the row filters are sets in memory (SMALL_SET 20: the 10 approved leads).
    monkeypatch.setattr(query_plan, "SMALL_SET", 20)
    flt = LeadFilter(text="ann", review_states=("approved",), headcounts=("1-10", "11-50", "51-200"))
    plan = _count_plan(flt)
    assert "lead_brief l" in query_plan.QueryPlan(database.connection(), flt).count_sql()[0] and "lead_review" in plan, plan
    monkeypatch.undo()
    assert "lead_facets" in _count_plan(LeadFilter(email_statuses=("valid",), headcounts=("11-50", "51-200")))
    # "Not verified" is the empty status, which the index leaves out; a size alone keeps lead_headcount's id order.
    assert "lead_facets" not in _count_plan(LeadFilter(email_statuses=("valid", NOT_VERIFIED), headcounts=("11-50",)))
    assert "lead_facets" not in _count_plan(LeadFilter(headcounts=("11-50",)))


def test_it_applies_to_a_database_from_before_it(db_path, monkeypatch):
    with database_before(db_path, V9_FACET_INDEX, monkeypatch):
        ids = [add_lead(first_name=f"Ann{n}", email_verification_result=STATUSES[n % 3], company_headcount=SIZES[n % 3])
               for n in range(9)]
    open_database(db_path)
    try:
        flt = LeadFilter(email_statuses=("valid",), headcounts=("1-10",))
        assert "lead_facets" in _count_plan(flt)
        assert sorted(search.lead_ids(database.connection(), flt)) == ids[::3]
    finally:
        close_database()
