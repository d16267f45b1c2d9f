"""Migration V7 (membership facets): a campaign's list filtered by e-mail status and company size reads the
membership rows' copies, and those copies stay exact through every way a lead or a membership changes."""

import itertools

import pytest

from app.db import criteria, query_plan, search
from app.db.connection import close_database, database, open_database
from app.db.schema import V7_MEMBER_FACETS
from app.services import bulk, duplicates, leads, trash, undo
from app.services.lead_filter import LeadFilter
from tests.helpers.leadgen import add_campaign, add_lead, add_membership, add_tag
from tests.helpers.migrations import database_before

STATUSES = ("valid", "invalid", "catchall", "")
SIZES = ("1-10", "11-50", "51-200", "")


def _plain(flt: LeadFilter) -> list[int]:
    """The per-lead answer: the lead rows themselves, no copies."""
    where = ["l.deleted_at IS NULL",
             f"EXISTS (SELECT 1 FROM membership m WHERE m.lead_id = l.id AND m.campaign_id IN "
             f"({','.join(map(str, flt.campaign_ids))}))"]
    params: list = []
    for column, values in (("email_verification_result", flt.email_statuses), ("company_headcount", flt.headcounts)):
        if values:
            where.append(f"l.{column} IN ({','.join('?' * len(values))})")
            params += values
    if flt.tag_ids:
        where.append(f"l.id IN (SELECT lead_id FROM lead_tag WHERE tag_id IN ({','.join(map(str, flt.tag_ids))}))")
    if flt.text:
        where.append("l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)")
        params.append(criteria.fts_query(flt))
    return sorted(r[0] for r in database.execute_sql(f"SELECT l.id FROM lead l WHERE {' AND '.join(where)}", params))


def _copies_are_exact() -> None:
    wrong = database.execute_sql(
        "SELECT m.lead_id FROM membership m JOIN lead l ON l.id = m.lead_id WHERE m.email_verification_result"
        " IS NOT l.email_verification_result OR m.company_headcount IS NOT l.company_headcount"
        " OR m.live IS NOT (l.deleted_at IS NULL)").fetchall()
    assert wrong == []


def _filters(campaigns: tuple[int, ...], tag: int) -> list[LeadFilter]:
    out = []
    for statuses, sizes in ((("valid",), ()), ((), ("11-50", "51-200")), (("valid", "catchall"), ("1-10",)),
                            (("",), ("",))):
        for extra in ({}, {"text": "ann"}, {"tag_ids": (tag,)}, {"campaign_ids": campaigns}):
            for sort in ("newest", "name"):
                out.append(LeadFilter(**{"campaign_ids": campaigns[:1], "email_statuses": statuses,
                                         "headcounts": sizes, "sort": sort, **extra}))
    return out


def _same_answers(campaigns: tuple[int, ...], tag: int, monkeypatch) -> None:
    _copies_are_exact()
    conn = database.connection()
    # The campaign probed / read first; 16 and 25: the text and Big drive, the tag (14) and Half (20) are sets in memory.
    for small_set in (0, 16, 25, 1000):
        monkeypatch.setattr(query_plan, "SMALL_SET", small_set)
        for flt in _filters(campaigns, tag):
            found = search.lead_ids(conn, flt)
            assert sorted(found) == _plain(flt), (small_set, flt)
            assert search.count_ids(conn, flt) == len(found), (small_set, flt)
            page = search.first_page(conn, flt, 3, 5)  # None: read whole, no walk (a small set bounds it)
            assert page is None or list(page) == list(found)[:3], (small_set, flt)


@pytest.fixture
def world(db):
    big, half = add_campaign("Big"), add_campaign("Half")
    combos = itertools.cycle(itertools.product(STATUSES, SIZES))
    ids = []
    for n in range(40):
        status, size = next(combos)
        ids.append(add_lead(first_name=f"Ann{n}", last_name=f"Berg{n % 7}", email=f"ann{n}@x.io",
                            email_verification_result=status, company_headcount=size))
        add_membership(ids[-1], big)
        if n % 2:
            add_membership(ids[-1], half)
    tag = add_tag("Hot", lead_ids=ids[::3])
    return (big, half), tag, ids


def test_campaign_and_facets_answer_as_the_lead_rows_do_after_edits_trash_and_restore(world, monkeypatch):
    campaigns, tag, ids = world
    _same_answers(campaigns, tag, monkeypatch)
    leads.update_field(ids[0], "email_verification_result", "catchall")
    leads.update_field(ids[1], "company_headcount", "51-200")
    bulk.set_review_state(ids[2:4], "approved")
    database.execute_sql("UPDATE lead SET email_verification_result = 'valid', company_headcount = '1-10'"
                         " WHERE id IN (?, ?)", (ids[5], ids[6]))
    _same_answers(campaigns, tag, monkeypatch)
    trashed = bulk.delete_to_trash(ids[7:15])
    _same_answers(campaigns, tag, monkeypatch)
    trash.restore(ids[7:10])
    _same_answers(campaigns, tag, monkeypatch)
    undo.undo(trashed)
    _same_answers(campaigns, tag, monkeypatch)


def test_copies_follow_a_merge_its_undo_and_a_moved_membership(world, monkeypatch):
    campaigns, tag, ids = world
    keep, other = ids[0], ids[2]  # other is in Big only, keep too; other's status differs
    leads.set_membership(other, campaigns[1], True)
    op = duplicates.merge([keep, other], keep, {"email_verification_result": other, "company_headcount": other})
    _same_answers(campaigns, tag, monkeypatch)
    undo.undo(op)
    _same_answers(campaigns, tag, monkeypatch)
    # The team server merged one lead into another: the replica moves its memberships by UPDATE.
    database.execute_sql("UPDATE OR IGNORE membership SET lead_id = ? WHERE lead_id = ?", (ids[4], ids[3]))
    _same_answers(campaigns, tag, monkeypatch)


def test_an_import_writes_the_copies_of_new_and_updated_leads(db, tmp_path, monkeypatch):
    from app.services.importing import import_file

    path = tmp_path / "leads.csv"
    rows = ["first_name,last_name,email,email_verification_result,company_headcount"]
    rows += [f"Ann,Berg{n},ann{n}@x.io,{STATUSES[n % 4]},{SIZES[n % 3]}" for n in range(30)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(path, campaign="Big")
    big = database.execute_sql("SELECT id FROM campaign WHERE name = 'Big'").fetchone()[0]
    assert database.execute_sql("SELECT count(*) FROM membership WHERE email_verification_result = 'valid'"
                                ).fetchone()[0] > 0
    tag = add_tag("Hot")
    _same_answers((big,), tag, monkeypatch)
    # Again, into another campaign, with other values (existing leads updated, new memberships added).
    rows = [rows[0]] + [f"Ann,Berg{n},ann{n}@x.io,{STATUSES[(n + 1) % 4]},{SIZES[(n + 2) % 3]}" for n in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(path, campaign="Half", on_duplicate="overwrite")
    half = database.execute_sql("SELECT id FROM campaign WHERE name = 'Half'").fetchone()[0]
    _same_answers((big, half), tag, monkeypatch)


def test_the_plan_reads_the_campaign_facets_and_no_lead_row(world):
    (big, _), _, _ = world
    conn = database.connection()
    flt = LeadFilter(campaign_ids=(big,), email_statuses=("valid",), headcounts=("11-50",))
    for sql, params in (query_plan.QueryPlan(conn, flt).sql(), query_plan.QueryPlan(conn, flt).count_sql()):
        plan = " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "membership_facets" in plan and " lead " not in f"{plan} ", plan


def test_a_facet_copy_queues_nothing_for_the_team(world):
    (big, _), _, ids = world
    database.execute_sql("UPDATE sync_state SET enabled = 1")
    leads.update_field(ids[0], "email_verification_result", "invalid")
    leads.update_field(ids[0], "company_headcount", "201-500")
    bulk.delete_to_trash([ids[1]])
    queued = database.execute_sql("SELECT kind, field FROM outbox ORDER BY id").fetchall()
    assert queued == [("field", "email_verification_result"), ("field", "company_headcount"), ("field", "deleted_at")]
    leads.set_membership(ids[2], big, False)
    assert [r[0] for r in database.execute_sql("SELECT kind FROM outbox WHERE id > 3")] == ["member_remove"]


def test_it_applies_to_a_database_with_data_from_before_it(db_path, monkeypatch):
    with database_before(db_path, V7_MEMBER_FACETS, monkeypatch):
        big = add_campaign("Big")
        ids = [add_lead(first_name=f"Ann{n}", email_verification_result=STATUSES[n % 4], company_headcount=SIZES[n % 3])
               for n in range(12)]
        database.execute_sql("INSERT INTO membership (campaign_id, lead_id, added_at) SELECT ?, id, 'now' FROM lead", (big,))
        database.execute_sql("UPDATE lead SET deleted_at = '2026-01-01' WHERE id = ?", (ids[0],))
    open_database(db_path)
    try:
        _copies_are_exact()
        assert sorted(search.lead_ids(database.connection(), LeadFilter(campaign_ids=(big,), email_statuses=("valid",)))) \
            == [i for n, i in enumerate(ids) if n % 4 == 0 and n]
        leads.update_field(ids[1], "email_verification_result", "valid")
        _copies_are_exact()
    finally:
        close_database()
