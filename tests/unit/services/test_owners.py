"""An import's new leads spread across reps round-robin, locally and in the queued push."""

import json

import pytest

from app.db.connection import database
from app.services.importing import import_file
from app.services.owners import parse_owners, spread_new_leads
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
