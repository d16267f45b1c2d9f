"""Campaign lifecycle, target filters, metrics and the active-only rule, on a real database."""

import threading

import pytest

from app.db.models import Lead, Membership, utc_now
from app.services import campaigns
from app.services.campaigns import CampaignError, CampaignInactiveError, CampaignTargets


def _lead(campaign=None, **fields):
    lead = Lead.create(**fields)
    if campaign is not None:
        Membership.create(campaign=campaign, lead=lead)
    return lead


def _metrics(campaign_id, include_archived=True):
    return next(m for m in campaigns.campaign_metrics(include_archived) if m.id == campaign_id)


def test_metrics_count_only_what_the_definitions_say(db):
    spain = campaigns.create_campaign("Spain founders")
    campaigns.set_targets(spain.id, CampaignTargets(countries=("spain",), headcounts=("11-50",), keywords=("founder",)))
    other = campaigns.create_campaign("Other")
    good = {"email": "a@x.es", "email_verification_result": "valid", "country_name": "Spain",
            "company_headcount": "11-50", "job_title": "Co-Founder & CEO"}
    _lead(spain.id, **good, opened_at=utc_now())  # counts everywhere
    _lead(spain.id, **{**good, "job_title": "FOUNDER"})  # keyword match ignores case
    _lead(spain.id, **{**good, "country_name": "France"})  # valid, outside the countries
    _lead(spain.id, **{**good, "company_headcount": "201-500"})  # valid, outside the headcounts
    _lead(spain.id, **{**good, "job_title": "Sales manager"}, opened_at=utc_now())  # outside keywords
    _lead(spain.id, **{**good, "email": ""})  # "valid" without an email is no valid email
    _lead(spain.id, **{**good, "email_verification_result": "invalid"})  # processed, not valid
    _lead(spain.id, **{**good, "email_verification_result": "pending"})  # not processed
    _lead(spain.id, **{**good, "email_verification_result": ""})  # never verified: not processed
    _lead(spain.id, **good, opened_at=utc_now(), deleted_at=utc_now())  # in the Trash: never counts
    _lead(other.id, **good)  # another campaign's lead
    _lead(None, **good)  # in no campaign

    m = _metrics(spain.id)
    assert m.discovered == 9
    assert m.processed == 7  # all but pending and empty
    assert m.processed_percent == 78
    assert m.valid_emails == 2
    assert m.reviewed == 2
    o = _metrics(other.id)
    assert (o.discovered, o.processed, o.valid_emails, o.reviewed) == (1, 1, 1, 0)

    # The page counts on a background thread: same numbers there.
    result = []
    worker = threading.Thread(target=lambda: result.append(campaigns.campaign_metrics(True)))
    worker.start()
    worker.join()
    assert result == [campaigns.campaign_metrics(include_archived=True)]


def test_targets_without_countries_use_sizes_and_keywords(db):
    c = campaigns.create_campaign("Sizes only")
    campaigns.set_targets(c.id, CampaignTargets(headcounts=("11-50",), keywords=("cto",)))
    base = {"email": "a@x.com", "email_verification_result": "valid"}
    _lead(c.id, **base, company_headcount="11-50", job_title="CTO & co-founder")
    _lead(c.id, **base, company_headcount="11-50", job_title="Designer")
    _lead(c.id, **base, company_headcount="51-200", job_title="CTO")
    _lead(None, **base, company_headcount="11-50", job_title="CTO")  # not a member
    untargeted = campaigns.create_campaign("Untargeted")
    _lead(untargeted.id, **base)
    assert _metrics(c.id).valid_emails == 1
    assert _metrics(untargeted.id).valid_emails == 1


def test_a_campaign_without_targets_counts_every_valid_email(db):
    c = campaigns.create_campaign("Anything goes")
    _lead(c.id, email="a@x.com", email_verification_result="valid", country_name="Peru")
    _lead(c.id, email="b@x.com", email_verification_result="catchall")
    assert _metrics(c.id).valid_emails == 1


def test_an_empty_campaign_shows_zeros(db):
    c = campaigns.create_campaign("Empty")
    m = _metrics(c.id)
    assert (m.discovered, m.processed, m.processed_percent, m.valid_emails, m.reviewed) == (0, 0, 0, 0, 0)


def test_lifecycle_persists(db):
    c = campaigns.create_campaign("  Q3   Spain ")
    assert c.name == "Q3 Spain" and c.status == "active"
    campaigns.rename_campaign(c.id, "Q4 Spain")
    campaigns.set_status(c.id, "paused")
    assert campaigns.get_campaign(c.id).status == "paused"
    campaigns.set_status(c.id, "active")
    campaigns.set_status(c.id, "archived")
    assert [(i.name, i.status) for i in campaigns.list_campaigns()] == [("Q4 Spain", "archived")]
    assert campaigns.campaign_metrics() == []  # archived are hidden unless asked for
    assert [m.name for m in campaigns.campaign_metrics(include_archived=True)] == ["Q4 Spain"]
    campaigns.set_status(c.id, "active")
    assert campaigns.get_campaign(c.id).status == "active"


def test_names_are_unique_regardless_of_case_and_never_blank(db):
    first = campaigns.create_campaign("Spain")
    second = campaigns.create_campaign("France")
    with pytest.raises(CampaignError, match="already exists"):
        campaigns.create_campaign("SPAIN")
    with pytest.raises(CampaignError, match="already exists"):
        campaigns.rename_campaign(second.id, "spain")
    with pytest.raises(CampaignError, match="name"):
        campaigns.create_campaign("   ")
    campaigns.rename_campaign(first.id, "SPAIN")  # its own name in other letters is fine
    assert sorted(i.name for i in campaigns.list_campaigns()) == ["France", "SPAIN"]
    with pytest.raises(CampaignError, match="status"):
        campaigns.set_status(first.id, "done")


def test_delete_removes_memberships_and_keeps_leads(db):
    doomed = campaigns.create_campaign("Doomed")
    kept = campaigns.create_campaign("Kept")
    a = _lead(doomed.id, first_name="A")
    _lead(doomed.id, first_name="B")
    Membership.create(campaign=kept.id, lead=a)
    assert campaigns.membership_count(doomed.id) == 2
    assert campaigns.delete_campaign(doomed.id) == 2
    assert [i.name for i in campaigns.list_campaigns()] == ["Kept"]
    assert Lead.select().count() == 2
    assert Membership.select().count() == 1
    with pytest.raises(CampaignError, match="no longer exists"):
        campaigns.delete_campaign(doomed.id)


def test_targets_round_trip_normalized(db):
    c = campaigns.create_campaign("Targets")
    saved = campaigns.set_targets(
        c.id, CampaignTargets(countries=(" Spain", "spain", ""), headcounts=("51-200", "1-10"), keywords=("cto ",))
    )
    assert saved == CampaignTargets(("Spain",), ("1-10", "51-200"), ("cto",))
    assert campaigns.get_targets(c.id) == saved
    assert saved.describe() == "Spain · 1-10, 51-200 · cto"
    with pytest.raises(CampaignError, match="headcount"):
        campaigns.set_targets(c.id, CampaignTargets(headcounts=("lots",)))
    assert campaigns.get_targets(c.id) == saved  # a refused change loses nothing


def test_only_active_campaigns_take_new_leads(db):
    active = campaigns.create_campaign("Active")
    paused = campaigns.create_campaign("Paused")
    archived = campaigns.create_campaign("Archived")
    campaigns.set_status(paused.id, "paused")
    campaigns.set_status(archived.id, "archived")
    campaigns.require_active([])
    campaigns.require_active([active.id])
    with pytest.raises(CampaignInactiveError, match="Paused"):
        campaigns.require_active([active.id, paused.id])
    with pytest.raises(CampaignInactiveError, match="Archived"):
        campaigns.require_active([archived.id])
    campaigns.set_status(paused.id, "active")
    campaigns.require_active([active.id, paused.id])
    with pytest.raises(CampaignInactiveError, match="no longer exists"):
        campaigns.require_active([9999])
