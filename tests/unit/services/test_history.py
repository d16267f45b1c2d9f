"""A lead's history: newest first, in plain words, from edits, bulk actions, merges and undo."""

from app.services import bulk, history, leads, undo
from tests.helpers.leadgen import add_leads


def test_history_lists_changes_newest_first(db):
    lead = add_leads(1, job_title="Sales")[0]
    leads.update_field(lead, "job_title", "Head of Sales")
    op = bulk.set_vip([lead], True)
    undo.undo(op)
    entries = history.lead_history(lead)
    assert [(e.source, e.field) for e in entries] == [
        ("undo", "vip"), ("bulk: mark vip", "vip"), ("edited here", "job_title")]
    assert entries[0].describe() == "VIP: yes → no"
    assert entries[2].describe() == "Job title: “Sales” → “Head of Sales”"


def test_descriptions_of_links_and_clearing(db):
    lead = add_leads(1)[0]
    bulk.add_tag([lead], "hot")
    leads.update_field(lead, "first_name", "")
    entries = history.lead_history(lead)
    assert entries[0].describe().startswith("First name: cleared")
    assert entries[1].describe() == "Tags: added “hot”"
    assert history.field_label("ai:10-word use-case") == "ai:10-word use-case"
