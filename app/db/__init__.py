"""Persistence: Peewee models over one local SQLite file, its pragmas, migrations and search SQL.

Nothing here imports Qt. SQLite-only features (FTS5, pragmas) stay inside this package.
"""
