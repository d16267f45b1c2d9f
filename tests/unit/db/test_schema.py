"""The database file: pragmas, permissions, migrations and the newer-schema refusal."""

import os
import sqlite3
import stat

import pytest

from app.db.connection import SchemaTooNewError, close_database, open_database
from app.db.schema import SCHEMA_VERSION
from tests.helpers.migrations import database_before


def test_new_database_is_owner_only_and_durable(db, db_path):
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    pragma = lambda name: db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("secure_delete") == 1
    assert pragma("busy_timeout") >= 1000
    assert pragma("user_version") == SCHEMA_VERSION


def test_newer_schema_is_refused_and_left_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer version"):
        open_database(db_path)
    close_database()
    assert db_path.read_bytes() == before


def test_released_migration_v1_is_frozen():
    """Editing V1 would silently change every database created since release: append instead."""
    import hashlib

    from app.db.schema_v1 import V1

    assert hashlib.sha256(V1.encode()).hexdigest() == "0404477daef610f5851f6fd52b27c82965c0076ea6f8e48a8afce7d231064891"


def test_fingerprint_migration_applies_to_a_database_from_before_it(db_path, monkeypatch):
    from app.db import connection
    from app.db.schema import V2_FINGERPRINT

    with database_before(db_path, V2_FINGERPRINT, monkeypatch):
        connection.database.execute_sql("INSERT INTO lead (first_name, created_at, updated_at) VALUES ('Ada', '', '')")
    database = open_database(db_path)
    try:
        rows = database.execute_sql("SELECT first_name, fingerprint FROM lead").fetchall()
        assert rows == [("Ada", None)]
        plan = database.execute_sql("EXPLAIN QUERY PLAN SELECT id FROM lead WHERE fingerprint IN ('a', 'b')").fetchall()
        assert "lead_fingerprint" in str(plan)
    finally:
        close_database()


def test_member_flags_are_what_the_membership_trigger_computes(db):
    from app.db.schema import MEMBER_FLAGS

    conn = db.connection()
    targets = ['{}', '{"countries": ["france"]}', '{"headcounts": ["11-50"], "keywords": ["50%_off"]}', 'not json',
               '{"countries": [], "keywords": ["Sales"]}']
    for n, text in enumerate(targets):
        conn.execute("INSERT INTO campaign (name, targets, created_at) VALUES (?, ?, 'now')", (f"c{n}", text))
    leads = [("a@x.io", "valid", "France", "11-50", "VP Sales", None, None),
             ("", "valid", "France", "11-50", "50%_off", None, None),
             ("b@x.io", "pending", "Spain", "1-10", "CEO", "t", None),
             ("c@x.io", "valid", "FRANCE", "11-50", "Head of 50%_off deals", None, "t"),
             ("d@x.io", "invalid", "", "", "", "t", "t")]
    for email, status, country, size, title, opened, deleted in leads:
        conn.execute("INSERT INTO lead (email, email_verification_result, country_name, company_headcount, job_title,"
                     " opened_at, deleted_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'now', 'now')",
                     (email, status, country, size, title, opened, deleted))
    conn.execute("INSERT INTO membership (campaign_id, lead_id, added_at) SELECT c.id, l.id, 'now' FROM campaign c, lead l")
    by_trigger = conn.execute("SELECT campaign_id, lead_id, live, processed, reviewed, valid_target FROM membership"
                              " ORDER BY 1, 2").fetchall()
    computed = conn.execute(f"SELECT c.id, l.id, {MEMBER_FLAGS} FROM campaign c, lead l ORDER BY 1, 2").fetchall()
    assert computed == by_trigger
    assert {row[2:] for row in by_trigger} >= {(1, 1, 0, 1), (1, 1, 0, 0), (0, 0, 0, 0)}  # the cases differ
