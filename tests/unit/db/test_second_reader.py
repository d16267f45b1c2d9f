"""A big result counted and read on two cores (``search.SecondReader``): the halves give the one answer, in the
list's order, and a query that stops on one connection stops on both."""

import sqlite3

import pytest

from app.db import query_plan, search
from app.db.connection import database
from app.services import bulk
from app.services.lead_filter import LeadFilter
from tests.helpers.leadgen import add_campaign, add_lead, add_membership, add_tag


@pytest.fixture
def second(db, db_path):
    reader = search.SecondReader(db_path)
    statements: list[str] = []
    reader.conn.set_trace_callback(statements.append)
    reader.statements = statements
    yield reader
    reader.close()


def _leads() -> dict[str, int]:
    """40 leads: a campaign of the first 30 and one of the last 20, a tag on every third, valid every other one,
    a few in the Trash; "Sam" in most names."""
    ids = [add_lead(first_name="Sam" if n % 5 else "Bo", last_name=f"Berg{n:02}", company_name=f"Co{39 - n:02}",
                    email_verification_result="valid" if n % 2 else "invalid") for n in range(40)]
    first, last = add_campaign("First"), add_campaign("Last")
    for n, lead in enumerate(ids):
        if n < 30:
            add_membership(lead, first)
        if n >= 20:
            add_membership(lead, last)
    tag = add_tag("Hot", lead_ids=ids[::3])
    bulk.delete_to_trash([ids[7], ids[24]])
    return {"first": first, "last": last, "tag": tag}


FILTERS = [
    {"text": "sam"},
    {"text": "sam", "campaign_ids": ("first",)},
    {"text": "sam", "tag_ids": ("tag",), "email_statuses": ("valid",)},
    {"campaign_ids": ("first",)},
    {"campaign_ids": ("first", "last")},  # a lead in both is counted once
    {"campaign_ids": ("last",), "email_statuses": ("valid",)},
    {"tag_ids": ("tag",), "email_statuses": ("valid",)},  # beside the tag, the valid leads' index drives
]


@pytest.mark.parametrize("fields", FILTERS)
@pytest.mark.parametrize("sort", ["newest", "oldest", "name", "company"])
def test_the_halves_answer_as_one_connection_does(second, monkeypatch, fields, sort):
    named = _leads()
    monkeypatch.setattr(query_plan, "SMALL_SET", 0)  # every driving set is big: each result is split in halves
    flt = LeadFilter(sort=sort, **{k: tuple(named[v] for v in value) if k.endswith("_ids") else value
                                   for k, value in fields.items()})
    conn = database.connection()
    ids, count = list(search.lead_ids(conn, flt)), search.count_ids(conn, flt)
    assert ids and count == len(ids)
    search.forget_plans()
    assert search.count_ids(conn, flt, second) == count
    assert list(search.lead_ids(conn, flt, second)) == ids  # the display order, across both halves
    halves = [s for s in second.statements if s.startswith(("SELECT count(", "SELECT json_group_array("))]
    assert len(halves) == (2 if sort in ("newest", "oldest") else 1)  # the count, and the ids when in id order


def test_without_criteria_one_connection_answers(second, monkeypatch):
    """The leads' own order drives: a range of ids would be new to the query and could change the index SQLite
    takes, so nothing is split."""
    _leads()
    monkeypatch.setattr(query_plan, "SMALL_SET", 0)
    conn = database.connection()
    assert search.count_ids(conn, LeadFilter(), second) == 38
    assert len(search.lead_ids(conn, LeadFilter(), second)) == 38
    assert not [s for s in second.statements if s.startswith("SELECT")]


def test_a_half_that_fails_stops_the_other_and_the_error_is_raised(second):
    """A newer query interrupts the list's connection: the half on the second reader is stopped too, and the
    reader is free for the next query."""
    endless = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n", [])
    with pytest.raises(sqlite3.OperationalError, match="no such column"):
        search._on_both(database.connection(), second, ("SELECT nope", []), endless)
    assert second.value("SELECT 7", []).result() == 7
    with pytest.raises(sqlite3.OperationalError, match="no such column"):
        search._on_both(database.connection(), second, ("SELECT 1", []), ("SELECT nope", []))
