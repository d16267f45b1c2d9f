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


# --- The metrics stay exact whatever changes the leads or the memberships ---------------------
# (campaign_metrics sums per-membership flags that database triggers maintain; these tests go
# through the app's real write paths and compare with a plain recount of the leads.)


def _recount(campaign_id):
    """(discovered, processed, valid_emails, reviewed) counted in Python, the slow obvious way."""
    targets = campaigns.get_targets(campaign_id)
    members = [m.lead for m in Membership.select().where(Membership.campaign == campaign_id)]
    live = [lead for lead in members if lead.deleted_at is None]

    def on_target(lead):
        return ((not targets.countries or lead.country_name.casefold() in {c.casefold() for c in targets.countries})
                and (not targets.headcounts or lead.company_headcount in targets.headcounts)
                and (not targets.keywords or any(k.lower() in lead.job_title.lower() for k in targets.keywords)))

    return (
        len(live),
        sum(lead.email_verification_result not in ("", "pending") for lead in live),
        sum(lead.email_verification_result == "valid" and lead.email != "" and on_target(lead) for lead in live),
        sum(lead.opened_at is not None for lead in live),
    )


def _numbers(campaign_id):
    m = _metrics(campaign_id)
    numbers = (m.discovered, m.processed, m.valid_emails, m.reviewed)
    assert numbers == _recount(campaign_id)
    return numbers


@pytest.fixture
def spain(db):
    """A campaign targeting Spanish founders, with three members and one lead outside it."""
    c = campaigns.create_campaign("Spain founders")
    campaigns.set_targets(c.id, CampaignTargets(countries=("Spain",), keywords=("founder",)))
    base = {"email_verification_result": "pending", "country_name": "Spain", "job_title": "Founder"}
    ids = [_lead(c.id, email=f"p{i}@x.es", **base).id for i in range(3)]
    outsider = _lead(None, email="o@x.es", **base).id
    return c.id, ids, outsider


def test_metrics_follow_verification_opening_and_target_fields(spain):
    from app.services import leads

    cid, (a, b, c), _ = spain
    assert _numbers(cid) == (3, 0, 0, 0)
    leads.update_field(a, "email_verification_result", "valid")  # an edit also marks the lead opened
    leads.update_field(b, "email_verification_result", "invalid")
    assert _numbers(cid) == (3, 2, 1, 2)
    leads.mark_opened(c)
    assert _numbers(cid) == (3, 2, 1, 3)
    leads.update_field(a, "country_name", "France")  # valid, but now outside the targets
    assert _numbers(cid) == (3, 2, 0, 3)
    leads.update_field(a, "country_name", "SPAIN")
    leads.update_field(a, "job_title", "Co-founder")
    assert _numbers(cid) == (3, 2, 1, 3)
    leads.update_field(a, "email", "new@x.es")  # a new address is unverified again
    assert _numbers(cid) == (3, 1, 0, 3)
    leads.update_field(a, "email_verification_result", "valid")
    campaigns.set_targets(cid, CampaignTargets(countries=("France",)))  # targets edited later
    assert _numbers(cid) == (3, 2, 0, 3)
    campaigns.set_targets(cid, CampaignTargets())
    assert _numbers(cid) == (3, 2, 1, 3)


def test_metrics_follow_trash_restore_and_purge(spain):
    from app.services import bulk, leads, trash

    cid, (a, b, c), _ = spain
    leads.update_field(a, "email_verification_result", "valid")
    leads.mark_opened(a)
    assert _numbers(cid) == (3, 1, 1, 1)
    bulk.delete_to_trash([a, b])
    assert _numbers(cid) == (1, 0, 0, 0)
    trash.restore([a])
    assert _numbers(cid) == (2, 1, 1, 1)
    bulk.delete_to_trash([a])
    assert trash.purge([a, b]) == 2  # hard delete: gone with its memberships
    assert _numbers(cid) == (1, 0, 0, 0)
    assert [m.lead_id for m in Membership.select()] == [c]


def test_metrics_follow_membership_changes(spain):
    from app.services import bulk, leads

    cid, (a, b, _), outsider = spain
    leads.update_field(outsider, "email_verification_result", "valid")
    leads.mark_opened(outsider)
    leads.set_membership(outsider, cid, True)
    assert _numbers(cid) == (4, 1, 1, 1)
    leads.set_membership(a, cid, False)
    assert _numbers(cid) == (3, 1, 1, 1)
    bulk.remove_from_campaign([outsider, b], cid)
    assert _numbers(cid) == (1, 0, 0, 0)
    bulk.assign_campaign([outsider, a], cid)  # a was opened by its membership edit
    assert _numbers(cid) == (3, 1, 1, 2)


def test_metrics_follow_an_import_and_its_undo(db, tmp_path):
    from app.services import sample
    from app.services.importing import import_file, list_import_runs, undo_import

    target = campaigns.create_campaign("Imported")
    campaigns.set_targets(target.id, CampaignTargets(headcounts=("11-50", "51-200")))
    existing = _lead(target.id, email="keep@x.com", email_verification_result="valid", company_headcount="11-50")
    report = import_file(sample.write_leads_csv(tmp_path / "leads.csv", 120, seed=3), campaign="Imported")
    assert report.created == 120
    for c in campaigns.campaign_metrics(include_archived=True):  # the file's own campaigns too
        _numbers(c.id)
    m = _metrics(target.id)
    assert m.discovered == 121 and 0 < m.valid_emails < m.processed
    undo_import(list_import_runs()[0].id)
    assert _numbers(target.id) == (1, 1, 1, 0)
    assert existing.id in [row.lead_id for row in Membership.select()]


def test_metrics_follow_undo_and_redo(spain):
    from app.services import bulk, leads, undo

    cid, (a, b, _), _ = spain
    edit = undo.edit("Edit status", a, leads.update_field, a, "email_verification_result", "valid")
    assert _numbers(cid) == (3, 1, 1, 1)
    undo.undo(edit)
    assert _numbers(cid) == (3, 0, 0, 0)
    undo.redo(edit)
    assert _numbers(cid) == (3, 1, 1, 1)

    # Undo puts back a membership row as snapshotted; the lead changed meanwhile, and the
    # restored row must show the lead as it is now, not as it was then.
    removed = bulk.remove_from_campaign([b], cid)
    assert _numbers(cid) == (2, 1, 1, 1)
    leads.update_field(b, "email_verification_result", "valid")
    undo.undo(removed)
    assert _numbers(cid) == (3, 2, 2, 2)
    undo.redo(removed)
    assert _numbers(cid) == (2, 1, 1, 1)

    trashed = bulk.delete_to_trash([a])
    assert _numbers(cid) == (1, 0, 0, 0)
    undo.undo(trashed)
    assert _numbers(cid) == (2, 1, 1, 1)


def test_a_name_with_the_list_separator_is_refused(db):
    # ";" separates a lead's campaigns in an exported cell: such a name would split on re-import.
    with pytest.raises(CampaignError, match="can't contain"):
        campaigns.create_campaign("Spain; Q3")
    spain = campaigns.create_campaign("Spain Q3")
    with pytest.raises(CampaignError, match="can't contain"):
        campaigns.rename_campaign(spain.id, "Spain;Q3")
    assert [c.name for c in campaigns.list_campaigns()] == ["Spain Q3"]
