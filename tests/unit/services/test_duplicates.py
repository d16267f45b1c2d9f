"""Finding duplicate groups and merging them: per-field choice, links combined, undoable."""

import json

import pytest

from app.db.connection import database
from app.services import duplicates, leads, undo
from tests.helpers.leadgen import add_campaign, add_leads, full_state


def _lead(**fields):
    return add_leads(1, **fields)[0]


def test_groups_by_email_linkedin_and_name_at_company(db):
    a = _lead(email="ann@acme.com", first_name="Ann", last_name="Lee", company_name="Acme")
    b = _lead(email="ANN@acme.com", first_name="Annie", last_name="Lee", company_name="Acme")
    c = _lead(email="", linkedin_norm="linkedin.com/in/bob", first_name="Bob", last_name="Ray", company_name="X")
    d = _lead(email="bob@x.io", linkedin_norm="linkedin.com/in/bob", first_name="Rob", last_name="Ray", company_name="Y")
    e = _lead(email="eve@y.io", first_name="eve", last_name="stone", company_name="ACME")
    f = _lead(email="eve@z.io", first_name="Eve", last_name="Stone", company_name="acme")
    _lead(email="solo@z.io", first_name="Solo", last_name="One", company_name="Z")
    g = _lead(email="ann@acme.com", first_name="Ann", last_name="Lee", company_name="Acme", deleted_at="2024-01-01")
    groups = duplicates.find_duplicate_groups()
    assert [(grp.lead_ids, grp.reasons) for grp in groups] == [
        ((a, b), ("same email",)),
        ((c, d), ("same LinkedIn",)),
        ((e, f), ("same name and company",)),
    ]
    assert g not in groups[0].lead_ids  # the Trash is not searched


def test_overlapping_groups_join(db):
    a = _lead(email="x@a.com", linkedin_norm="", first_name="A")
    b = _lead(email="x@a.com", linkedin_norm="linkedin.com/in/x", first_name="B")
    c = _lead(email="other@a.com", linkedin_norm="linkedin.com/in/x", first_name="C")
    [group] = duplicates.find_duplicate_groups()
    assert group.lead_ids == (a, b, c)
    assert group.reasons == ("same LinkedIn", "same email")


@pytest.fixture
def pair(db):
    campaign = add_campaign("Spring")
    a = _lead(email="ann@acme.com", job_title="", phone="1", custom=json.dumps({"ai:x": "a", "k": "keep"}))
    b = _lead(email="ann@acme.com", job_title="CTO", phone="2", vip=1, custom=json.dumps({"ai:x": "b", "ai:y": "y"}),
              review_state="rejected", review_reason="bad fit")
    leads.set_membership(b, campaign, True)
    from app.services import tags
    leads.add_tag(b, tags.create_tag("hot").id)
    leads.add_note(b, "met at fair")
    return a, b


def test_merge_fields_offer_differing_values_with_sensible_defaults(pair):
    a, b = pair
    fields = {f.field: f for f in duplicates.merge_fields([a, b], a)}
    assert set(fields) >= {"job_title", "phone", "review_state"}
    assert "email" not in fields
    assert fields["job_title"].default == b  # the survivor has none
    assert fields["phone"].default == a
    assert fields["phone"].options == ((a, "1"), (b, "2"))


def test_merge_combines_and_is_undoable(pair):
    a, b = pair
    before = full_state()
    op = duplicates.merge([a, b], a, {"phone": b, "review_state": b})
    assert op.name == "Merge 2 leads"
    detail = leads.get_lead(a)
    assert detail.phone == "2" and detail.job_title == "CTO" and detail.vip
    assert detail.review_state == "rejected" and detail.review_reason == "bad fit"
    assert detail.custom == {"ai:x": "a", "ai:y": "y", "k": "keep"}
    assert [m.name for m in detail.memberships] == ["Spring"]
    assert [t.name for t in detail.tags] == ["hot"]
    assert [n.body for n in detail.notes] == ["met at fair"]
    assert leads.get_lead(b) is None  # in the Trash
    assert database.execute_sql("SELECT source FROM lead_history WHERE lead_id = ? ORDER BY id DESC",
                                (a,)).fetchone()[0] == "merged"
    after = full_state()
    undo.undo(op)
    assert full_state() == before
    undo.redo(op)
    assert full_state() == after


def test_merge_needs_two_leads(pair):
    a, _ = pair
    with pytest.raises(ValueError):
        duplicates.merge([a], a)
