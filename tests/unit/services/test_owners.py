"""Owners: an import's new leads spread across reps round-robin; leads reassigned, with history and the queued push."""

import json

import pytest

from app.db.connection import database
from app.db.models import Campaign, Lead, Membership
from app.services.importing import import_file
from app.services.owners import REASSIGN_SOURCE, leads_to_reassign, parse_owners, reassign_owner, spread_new_leads
from app.services.sync import replica


def _import(tmp_path, rows: str):
    csv = tmp_path / "leads.csv"
    csv.write_text("first_name,email\n" + rows)
    return import_file(csv)


def test_owner_names_are_trimmed_and_deduplicated():
    assert parse_owners(" ann, bob,,ann ,cy") == ["ann", "bob", "cy"]
    with pytest.raises(ValueError, match="at least one rep"):
        parse_owners(" , ")


def test_new_leads_go_round_robin_and_updated_leads_keep_their_owner(db, tmp_path):
    _import(tmp_path, "Ada,ada@example.com\n")
    database.execute_sql("UPDATE lead SET owner = 'zoe'")
    report = _import(tmp_path, "Ada,ada@example.com\nB,b@example.com\nC,c@example.com\nD,d@example.com\n")
    assert spread_new_leads(report.run_id, ["ann", "bob"]) == {"ann": 2, "bob": 1}
    owners = [r[0] for r in database.execute_sql("SELECT owner FROM lead ORDER BY id")]
    assert owners == ["zoe", "ann", "bob", "ann"]


def test_the_queued_new_leads_carry_their_owner(db, tmp_path):
    replica.enable("postgresql:///team", "ann")
    report = _import(tmp_path, "Ada,ada@example.com\nB,b@example.com\n")
    spread_new_leads(report.run_id, ["ann", "bob"])
    queued = [json.loads(r[0])["owner"] for r in database.execute_sql(
        "SELECT new FROM outbox WHERE kind = 'lead_new' ORDER BY id")]
    assert queued == ["ann", "bob"]


def test_reassigning_writes_history_and_changes_only_other_owners_leads(db):
    ids = [Lead.create(first_name=name, owner=owner).id for name, owner in (("A", "ann"), ("B", "bob"), ("C", ""))]
    assert reassign_owner(ids, " bob ") == 2
    assert [r[0] for r in database.execute_sql("SELECT owner FROM lead ORDER BY id")] == ["bob"] * 3
    history = database.execute_sql("SELECT lead_id, source, field, old, new FROM lead_history ORDER BY lead_id")
    assert history.fetchall() == [(ids[0], REASSIGN_SOURCE, "owner", "ann", "bob"), (ids[2], REASSIGN_SOURCE, "owner", "", "bob")]
    assert replica.waiting() == 0, "no team, nothing queued"
    with pytest.raises(ValueError, match="rep name"):
        reassign_owner(ids, "  ")


def test_with_a_team_the_owner_change_is_queued_with_the_old_owner_as_its_base(db):
    lead = Lead.create(first_name="Ada", owner="ann")
    replica.enable("postgresql:///team", "boss")
    database.execute_sql("DELETE FROM outbox")
    reassign_owner([lead.id], "bob")
    [mutation], _ = replica.outbox_batch(10)
    assert (mutation["kind"], mutation["field"], mutation["base"], mutation["new"]) == ("field", "owner", "ann", "bob")


def test_the_leads_to_reassign_by_campaign_by_owner_or_all(db):
    ids = [Lead.create(first_name=name, owner=owner).id for name, owner in (("A", "ann"), ("B", "bob"), ("C", "ann"))]
    fair = Campaign.create(name="Fair")
    Membership.create(campaign=fair, lead=ids[1])
    assert leads_to_reassign(campaign="fair") == [ids[1]]
    assert leads_to_reassign(owner="ann") == [ids[0], ids[2]]
    assert leads_to_reassign() == ids
    with pytest.raises(ValueError, match="no campaign"):
        leads_to_reassign(campaign="Nope")
