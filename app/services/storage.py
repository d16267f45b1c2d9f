"""Opening and closing the lead database for the app (the UI never imports app.db directly)."""

from pathlib import Path

from app.db.connection import close_database, open_database


def open(path: Path) -> None:  # noqa: A001 - reads as storage.open(path)
    open_database(path)


def close() -> None:
    close_database()
