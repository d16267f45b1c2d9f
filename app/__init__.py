"""LeadDesk: an offline desktop workspace for reviewing sales leads."""

import importlib
import sys

__version__ = "0.1.0"
APP_NAME = "LeadDesk"


def _import_peewee_without_psycopg() -> None:
    """Import peewee with psycopg hidden, unless either is imported already.

    peewee tries each PostgreSQL driver it knows when it is imported, and importing psycopg took 130-420 ms
    here: of every start of the window, of each command, and of an import's file reader. Only team sync
    uses it, and ``app.db.server`` hands it to peewee then. A None in ``sys.modules`` makes an import fail
    at once; this runs first because every module of the app is imported through this package.
    """
    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None
    try:
        importlib.import_module("peewee")
    finally:
        del sys.modules["psycopg"]


_import_peewee_without_psycopg()
