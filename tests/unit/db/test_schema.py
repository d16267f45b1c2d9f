"""The database file: pragmas, permissions, migrations and the newer-schema refusal."""

import os
import sqlite3
import stat

import pytest

from app.db.connection import SchemaTooNewError, close_database, open_database
from app.db.schema import SCHEMA_VERSION


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
    from app.db.schema import MIGRATIONS, V2_FINGERPRINT

    earlier = MIGRATIONS[:MIGRATIONS.index(V2_FINGERPRINT)]
    monkeypatch.setattr(connection, "MIGRATIONS", earlier)
    monkeypatch.setattr(connection, "SCHEMA_VERSION", len(earlier))
    open_database(db_path)
    connection.database.execute_sql("INSERT INTO lead (first_name, created_at, updated_at) VALUES ('Ada', '', '')")
    close_database()
    monkeypatch.undo()
    database = open_database(db_path)
    try:
        rows = database.execute_sql("SELECT first_name, fingerprint FROM lead").fetchall()
        assert rows == [("Ada", None)]
        plan = database.execute_sql("EXPLAIN QUERY PLAN SELECT id FROM lead WHERE fingerprint IN ('a', 'b')").fetchall()
        assert "lead_fingerprint" in str(plan)
    finally:
        close_database()
