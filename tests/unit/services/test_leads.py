"""Editing a lead through the services layer: what is saved, what is refused, what is recorded."""

import json

import pytest

from app.db.connection import close_database, open_database
from app.db.models import Campaign, CustomField, Lead, LeadHistory, Membership
from app.services import leads, tags
from app.services.campaigns import CampaignInactiveError
from app.services.validation import (
    ValidationError,
    clean_url,
    is_valid_email,
    normalize_linkedin,
    normalize_phone,
)


@pytest.fixture
def lead(db):
    return Lead.create(
        first_name="Ada", last_name="Lovelace", job_title="Analyst", email="ada@example.com",
        email_verification_result="valid",
        custom=json.dumps({"company_size_note": "big", "ai:10-word use-case": "Engines that weave"}),
    )


def reopen(db_path):
    close_database()
    open_database(db_path)


@pytest.mark.parametrize(
    "field, typed, stored",
    [
        ("first_name", "  Augusta ", "Augusta"),
        ("last_name", "King", "King"),
        ("job_title", "Countess of code", "Countess of code"),
        ("email", "  Ada.King@Example.COM ", "ada.king@example.com"),
        ("phone", "+44 20 7946-0018", "+44 20 7946-0018"),
        ("linkedin", "linkedin.com/in/ada", "https://linkedin.com/in/ada"),
        ("website", "https://ada.example.org/about", "https://ada.example.org/about"),
        ("twitter", "x.com/ada", "https://x.com/ada"),
        ("company_name", "Analytical Engines", "Analytical Engines"),
        ("company_headcount", "11-50", "11-50"),
        ("location_name", "London, England, United Kingdom", "London, England, United Kingdom"),
        ("timezone", "Europe/London", "Europe/London"),
    ],
)
def test_each_field_kind_persists_across_a_restart(lead, db_path, field, typed, stored):
    assert leads.update_field(lead.id, field, typed) is True
    reopen(db_path)
    assert getattr(leads.get_lead(lead.id), field) == stored


def test_saving_the_same_value_again_changes_nothing(lead):
    assert leads.update_field(lead.id, "first_name", "Ada") is False
    assert LeadHistory.select().count() == 0


def test_an_edit_is_recorded_in_history_and_marks_the_lead_opened(lead):
    leads.update_field(lead.id, "job_title", "Mathematician")
    row = LeadHistory.get()
    assert (row.source, row.field, row.old, row.new) == ("edited here", "job_title", "Analyst", "Mathematician")
    stored = Lead.get_by_id(lead.id)
    assert stored.opened_at is not None
    assert stored.updated_at >= lead.updated_at


@pytest.mark.parametrize("bad", ["ada@", "ada example.com", "@example.com", "ada@example", "a@b@c.com"])
def test_a_malformed_email_is_refused_and_nothing_is_written(lead, bad):
    with pytest.raises(ValidationError, match="not a valid email"):
        leads.update_field(lead.id, "email", bad)
    assert Lead.get_by_id(lead.id).email == "ada@example.com"
    assert LeadHistory.select().count() == 0


def test_a_new_email_is_no_longer_verified(lead):
    leads.update_field(lead.id, "email", "ada@engines.example")
    assert leads.get_lead(lead.id).email_verification_result == ""


def test_email_can_be_cleared(lead):
    assert leads.update_field(lead.id, "email", "") is True
    assert leads.get_lead(lead.id).email == ""


@pytest.mark.parametrize("bad", ["not a url", "http://", "ftp://files.example.com", "example", "https://exa mple.com"])
def test_a_url_that_is_not_one_is_refused(lead, bad):
    with pytest.raises(ValidationError, match="not a web address"):
        leads.update_field(lead.id, "linkedin", bad)
    assert Lead.get_by_id(lead.id).linkedin == ""


def test_url_validation_accepts_addresses_without_scheme():
    assert clean_url("www.linkedin.com/in/jane-doe/") == "https://www.linkedin.com/in/jane-doe/"
    assert clean_url("http://example.com") == "http://example.com"


def test_phone_keeps_what_was_typed_and_a_digits_form(lead):
    leads.update_field(lead.id, "phone", " +33 (0)6 12-34-56-78 ")
    stored = Lead.get_by_id(lead.id)
    assert stored.phone == "+33 (0)6 12-34-56-78"
    assert stored.phone_norm == "+330612345678"
    with pytest.raises(ValidationError):
        leads.update_field(lead.id, "phone", "call me maybe")


def test_normalisers():
    assert normalize_phone("(020) 7946 0018") == "02079460018"
    assert normalize_phone("") == ""
    assert normalize_linkedin("https://www.LinkedIn.com/in/Jane-Doe/?trk=abc#top") == "linkedin.com/in/jane-doe"
    assert normalize_linkedin("uk.linkedin.com/in/jane-doe") == "linkedin.com/in/jane-doe"
    assert is_valid_email("jane.doe+leads@sub.example.co.uk")


def test_linkedin_edit_updates_its_canonical_form(lead):
    leads.update_field(lead.id, "linkedin", "https://www.linkedin.com/in/Ada-L/")
    assert Lead.get_by_id(lead.id).linkedin_norm == "linkedin.com/in/ada-l"


def test_custom_fields_are_listed_ai_first_and_editable(lead, db_path):
    detail = leads.get_lead(lead.id)
    assert list(detail.custom) == ["ai:10-word use-case", "company_size_note"]
    assert detail.ai_fields() == {"ai:10-word use-case": "Engines that weave"}
    assert leads.update_custom(lead.id, "ai:10-word use-case", "Poetical science") is True
    assert leads.update_custom(lead.id, "ai:new snippet", "Hello") is True
    reopen(db_path)
    custom = leads.get_lead(lead.id).custom
    assert custom["ai:10-word use-case"] == "Poetical science"
    assert custom["company_size_note"] == "big"
    assert CustomField.select().where(CustomField.name == "ai:new snippet").exists()
    assert LeadHistory.select().where(LeadHistory.field == "ai:10-word use-case").count() == 1


def test_vip_toggle_persists(lead, db_path):
    assert leads.set_vip(lead.id, True) is True
    assert leads.set_vip(lead.id, True) is False
    reopen(db_path)
    assert leads.get_lead(lead.id).vip is True


def test_mark_opened_only_the_first_time(lead):
    assert leads.mark_opened(lead.id) is True
    first = Lead.get_by_id(lead.id).opened_at
    assert leads.mark_opened(lead.id) is False
    assert Lead.get_by_id(lead.id).opened_at == first


def test_a_deleted_lead_is_not_shown_or_edited(lead):
    Lead.update(deleted_at="2026-01-01T00:00:00+00:00").where(Lead.id == lead.id).execute()
    assert leads.get_lead(lead.id) is None
    with pytest.raises(leads.LeadNotFoundError):
        leads.update_field(lead.id, "first_name", "X")
    assert leads.mark_opened(lead.id) is False


def test_notes_add_edit_delete(lead, db_path):
    first = leads.add_note(lead.id, "Met at the conference")
    second = leads.add_note(lead.id, "Call back in May")
    assert leads.edit_note(first.id, "Met at PyCon") is True
    reopen(db_path)
    bodies = [n.body for n in leads.get_lead(lead.id).notes]
    assert sorted(bodies) == ["Call back in May", "Met at PyCon"]
    assert leads.delete_note(second.id) is True
    assert [n.body for n in leads.get_lead(lead.id).notes] == ["Met at PyCon"]
    with pytest.raises(ValidationError):
        leads.add_note(lead.id, "   ")


def test_tags_create_add_remove_rename(lead, db_path):
    hot = tags.create_tag("Hot", "#e5534b")
    with pytest.raises(ValidationError, match="already exists"):
        tags.create_tag("hot")
    with pytest.raises(ValidationError):
        tags.create_tag("Cold", "red")
    assert tags.find_tag("  HOT ") == hot
    assert leads.add_tag(lead.id, hot.id) is True
    assert leads.add_tag(lead.id, hot.id) is False
    reopen(db_path)
    assert leads.get_lead(lead.id).tags == (hot,)
    assert tags.rename_tag(hot.id, "Very hot") is True
    assert tags.recolor_tag(hot.id, "#2FA36B") is True
    assert tags.list_tags() == [tags.TagInfo(hot.id, "Very hot", "#2fa36b")]
    assert leads.remove_tag(lead.id, hot.id) is True
    assert leads.get_lead(lead.id).tags == ()


def test_memberships_add_and_remove(lead, db_path):
    spring = Campaign.create(name="Spring Outreach")
    paused = Campaign.create(name="Old Push", status="paused")
    archived = Campaign.create(name="Archive 2024", status="archived")
    assert leads.set_membership(lead.id, spring.id, True) is True
    reopen(db_path)
    assert Membership.get(lead=lead.id).stage == "discovered"
    choices = leads.campaign_choices(lead.id)
    assert [c.name for c in choices] == ["Spring Outreach", "Old Push", "Archive 2024"]
    assert [c.is_member for c in choices] == [True, False, False]
    assert leads.get_lead(lead.id).memberships[0].name == "Spring Outreach"
    for inactive in (paused, archived):
        with pytest.raises(CampaignInactiveError, match="Only active campaigns"):
            leads.set_membership(lead.id, inactive.id, True)
    assert Membership.select().count() == 1
    assert leads.set_membership(lead.id, spring.id, False) is True
    assert Membership.select().count() == 0


def test_leaving_a_paused_campaign_is_allowed(lead):
    campaign = Campaign.create(name="Paused later")
    leads.set_membership(lead.id, campaign.id, True)
    Campaign.update(status="paused").execute()
    assert leads.set_membership(lead.id, campaign.id, False) is True


def test_a_broken_url_is_refused_or_kept_as_text_never_a_crash():
    from app.services.validation import ValidationError, clean_url, normalize_linkedin

    with pytest.raises(ValidationError):
        clean_url("http://[bad")
    assert normalize_linkedin("http://[bad") == "http://[bad"


def test_a_tag_name_with_the_list_separator_is_refused(db):
    # ";" separates a lead's tags in an exported cell: such a name would split on re-import.
    with pytest.raises(ValidationError, match="can't contain"):
        tags.create_tag("hot; warm")
    hot = tags.create_tag("hot")
    with pytest.raises(ValidationError, match="can't contain"):
        tags.rename_tag(hot.id, "hot;warm")
    assert [t.name for t in tags.list_tags()] == ["hot"]
