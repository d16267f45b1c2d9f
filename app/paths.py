"""Where LeadDesk keeps its files: the platform's per-user data folder, owner-only."""

import os
from pathlib import Path

import platformdirs

from app import APP_NAME

DATABASE_NAME = "leaddesk.db"


def data_dir() -> Path:
    """The per-user data folder, created owner-only (0700) on first use."""
    path = Path(os.environ.get("LEADDESK_DATA_DIR") or platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def default_database_path() -> Path:
    return data_dir() / DATABASE_NAME


def resource_path(name: str) -> Path:
    """A bundled file from resources/, both from a checkout and from a PyInstaller bundle."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources" / name
