"""Typed access to the user's settings (QSettings); a corrupt or stale value reads as its default.

Settings live in an INI file in the platform's per-user config folder (``LeadDesk/LeadDesk.conf``
on Linux), the same format on every OS. Every getter validates what it reads: a hand-edited,
truncated or older-version value must never crash the app or change what it opens.
"""

import json
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from app import APP_NAME

# Every settings key, in one place (a key read by one module and written by another must not drift).
WINDOW_GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
SPLITTER_STATE = "window/splitter"
LAST_PAGE = "window/page"
LAST_FILTER = "leads/filter"
DATABASE_PATH = "database/path"
CAMPAIGN_SORT = "campaigns/sort"
CAMPAIGN_SHOW_ARCHIVED = "campaigns/show_archived"
# Review mode: "1" while it is on, when it started, and the filter it started from.
REVIEW_ACTIVE = "review/active"
REVIEW_SINCE = "review/since"
REVIEW_FILTER = "review/filter"
# + header_key(header): the column mapping the rep last chose for files with that header.
IMPORT_MAPPING_PREFIX = "import/mapping/"


def settings_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / f"{APP_NAME}.conf"


def open_settings() -> QSettings:
    # An explicit file, not QSettings(org, app): Qt caches the config folder per process, while
    # this follows XDG_CONFIG_HOME (and so each test's private folder).
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def read_bytes(key: str) -> bytes:
    """A saved geometry/state blob, or b"" (which restoreGeometry/restoreState simply refuse)."""
    value = open_settings().value(key)
    if isinstance(value, QByteArray):
        return bytes(value.data())
    if isinstance(value, bytes):
        return value
    return b""


def read_str(key: str, default: str = "", allowed=None) -> str:
    """A string setting; ``default`` unless it is a string (and one of ``allowed``, if given)."""
    value = open_settings().value(key)
    if not isinstance(value, str) or (allowed is not None and value not in allowed):
        return default
    return value


def read_int(key: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    value = open_settings().value(key)
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return default
    return number


def read_bool(key: str, default: bool) -> bool:
    # INI files hand booleans back as the strings "true"/"false".
    value = open_settings().value(key)
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    return default


def read_json(key: str, default):
    """A JSON setting; ``default`` if missing, unparsable or not of the default's type."""
    value = open_settings().value(key)
    if not isinstance(value, str):
        return default
    try:
        data = json.loads(value)
    except ValueError:
        return default
    if default is not None and not isinstance(data, type(default)):
        return default
    return data


def write(key: str, value) -> None:
    """Store ``value`` (str, int, bool or bytes); dicts and lists go through write_json."""
    store = open_settings()
    store.setValue(key, QByteArray(value) if isinstance(value, bytes) else value)
    store.sync()


def write_json(key: str, value) -> None:
    write(key, json.dumps(value, sort_keys=True))


def remembered_database() -> Path | None:
    """The database the app used last, or None if none was remembered (or the value is junk)."""
    value = read_str(DATABASE_PATH)
    return Path(value) if value.strip() else None


def remember_database(path: Path) -> None:
    value = str(Path(path).resolve())
    # Only when it changed: writing the settings file costs tens of ms on every start-up.
    if read_str(DATABASE_PATH) != value:
        write(DATABASE_PATH, value)
