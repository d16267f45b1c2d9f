"""Review states, the editable reason list and Review mode's progress count."""

import csv

import pytest

from app.db.connection import database
from app.services import bulk, decisions, leads, review, undo
from app.services.lead_filter import LeadFilter
from tests.helpers.leadgen import add_leads


def test_default_reasons_are_offered_in_order(db):
    assert review.list_reasons() == ["wrong person", "left company", "bad fit", "duplicate", "no contact data"]


def test_reasons_are_editable(db):
    assert review.add_reason("  competitor   customer ") == "competitor customer"
    assert review.add_reason("BAD FIT") == "bad fit"  # no near-duplicates
    assert review.list_reasons()[-1] == "competitor customer"
    review.set_reasons(["too junior", "bad fit"])
    assert review.list_reasons() == ["too junior", "bad fit"]
    with pytest.raises(review.ReasonError):
        review.add_reason("   ")
    with pytest.raises(review.ReasonError):
        review.set_reasons(["Spam", "spam"])
    assert review.list_reasons() == ["too junior", "bad fit"]


def test_review_progress_counts_leads_reviewed_since_the_session_started(db):
    ids = add_leads(5)
    bulk.set_review_state(ids[:1], "approved")  # before the session: not counted, not to do
    since = database.execute_sql("SELECT max(at) FROM lead_history").fetchone()[0]
    database.execute_sql("UPDATE lead_history SET at = '2000-01-01T00:00:00+00:00'")
    flt = LeadFilter()
    assert review.review_progress(flt, since).describe() == "0 of 4 reviewed"
    bulk.set_review_state(ids[1:2], "rejected", "bad fit")
    op = bulk.set_review_state(ids[2:3], "skipped")
    assert review.review_progress(flt, since).describe() == "2 of 4 reviewed"
    undo.undo(op)
    assert review.review_progress(flt, since) == review.ReviewProgress(1, 4)
    assert review.review_filter(flt).review_states == ("new",)


def test_review_decisions_export(db, tmp_path):
    ids = add_leads(4)
    bulk.set_review_state(ids[:1], "rejected", "left company")
    leads.update_field(ids[1], "job_title", "=Chief")
    leads.update_field(ids[2], "job_title", "Temp")
    leads.update_field(ids[2], "job_title", "")  # set back: nothing to send
    bulk.add_tag(ids[3:], "hot")
    path = tmp_path / "decisions.csv"
    assert decisions.export_review_decisions(path) == 3
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = {r["id_lead"]: r for r in csv.DictReader(handle)}
    first, second, fourth = (database.execute_sql("SELECT id_lead FROM lead WHERE id = ?", (i,)).fetchone()[0]
                             for i in (ids[0], ids[1], ids[3]))
    assert rows[first]["review_state"] == "rejected" and rows[first]["review_reason"] == "left company"
    assert rows[second]["changed_fields"] == "job_title"
    assert rows[second]["job_title"] == "'=Chief"  # never a live formula in a spreadsheet
    assert rows[fourth]["tags"] == "hot" and rows[fourth]["job_title"] == ""


def test_imports_and_their_undo_are_not_decisions(db):
    ids = add_leads(2)
    for source in ("imported from leads.csv", "undo import"):
        database.execute_sql("INSERT INTO lead_history (lead_id, at, source, field, old, new) "
                             "VALUES (?, '2024-01-01', ?, 'job_title', 'a', 'b')", (ids[0], source))
    assert decisions.decisions()[1] == []
