"""A database file written by LeadDesk as it was before a migration, for the tests of that migration."""

from contextlib import contextmanager

from app.db import connection
from app.db.schema import MIGRATIONS


@contextmanager
def database_before(db_path, migration: str, monkeypatch):
    """Open ``db_path`` with the migrations before ``migration`` only; what the block writes lands in that
    older schema. On exit the file is closed and the patches undone, so the next open migrates it."""
    earlier = MIGRATIONS[:MIGRATIONS.index(migration)]
    monkeypatch.setattr(connection, "MIGRATIONS", earlier)
    monkeypatch.setattr(connection, "SCHEMA_VERSION", len(earlier))
    connection.open_database(db_path)
    try:
        yield
    finally:
        connection.close_database()
        monkeypatch.undo()
