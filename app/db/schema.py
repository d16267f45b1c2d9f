"""Schema migrations, keyed by ``PRAGMA user_version``.

Each migration is a frozen block of SQL (calibre's pattern): the models in ``models.py`` describe
the current shape, these describe how every older file gets there. Never edit a released
migration (V1 lives, frozen, in ``schema_v1.py``); append a new one.

The constants below describe the *current* full-text index; code that rebuilds it (imports, undo,
the benchmark generator) reads them. A migration that changes the index must spell out its own SQL.
"""

from app.db.schema_v1 import V1
from app.db.schema_v4 import V4_TEAM_SYNC

# The columns indexed for free-text search. Triggers keep lead_fts in step with lead.
FTS_COLUMNS = ("first_name", "last_name", "job_title", "email", "company_name", "location_name")

_FTS_COLS = ", ".join(FTS_COLUMNS)
_FTS_NEW = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
_FTS_OLD = ", ".join(f"old.{c}" for c in FTS_COLUMNS)

FTS_TRIGGERS = f"""
CREATE TRIGGER lead_fts_ai AFTER INSERT ON lead BEGIN
  INSERT INTO lead_fts(rowid, {_FTS_COLS}) VALUES (new.id, {_FTS_NEW});
END;
CREATE TRIGGER lead_fts_ad AFTER DELETE ON lead BEGIN
  INSERT INTO lead_fts(lead_fts, rowid, {_FTS_COLS}) VALUES ('delete', old.id, {_FTS_OLD});
END;
CREATE TRIGGER lead_fts_au AFTER UPDATE OF {_FTS_COLS} ON lead BEGIN
  INSERT INTO lead_fts(lead_fts, rowid, {_FTS_COLS}) VALUES ('delete', old.id, {_FTS_OLD});
  INSERT INTO lead_fts(rowid, {_FTS_COLS}) VALUES (new.id, {_FTS_NEW});
END;
"""

FTS_TRIGGER_NAMES = ("lead_fts_ai", "lead_fts_ad", "lead_fts_au")

# Position i holds the SQL that brings a file from user_version i to i + 1.
MIGRATIONS: list[str] = [V1, V4_TEAM_SYNC]

SCHEMA_VERSION = len(MIGRATIONS)
