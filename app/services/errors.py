"""Turn SQLite/Peewee/OS failures into plain sentences a sales rep can act on.

Peewee masks a full disk: SQLite rolls the transaction back by itself, then ``atomic()`` tries to
roll back again and raises "cannot rollback - no transaction is active". The real error is still
on the exception chain (``__context__``), so we walk the chain and read SQLite's error name.
"""

import errno
import sqlite3

from app.db.connection import error_chain

DISK_FULL = "LeadDesk could not save: the disk is full. Free some space and try again — everything saved before is safe."
READ_ONLY = (
    "LeadDesk could not save: the database file is read-only. "
    "Check the file's permissions or move it to a folder you can write to."
)
BUSY = "LeadDesk could not save: the database is in use by another program. Close other copies of LeadDesk and try again."
DAMAGED = "LeadDesk could not read the database: the file is damaged. Restart LeadDesk to restore the latest backup."
CANNOT_OPEN = "LeadDesk could not open the database file: the folder is missing or you are not allowed to use it."
IO_ERROR = "LeadDesk could not save: the disk could not be read or written. Check that the drive is still connected."
NOT_SAVED = "LeadDesk could not save: the change was not written (the disk may be full or unavailable). Nothing already saved was lost."

# SQLite extended error names start with the primary name (SQLITE_IOERR_WRITE -> SQLITE_IOERR).
# A failed write is nearly always a full disk or quota (SQLite reports ENOSPC as FULL and EFBIG,
# a file-size limit, as IOERR_WRITE), so both get the disk-full sentence.
_BY_SQLITE_NAME = (
    ("SQLITE_FULL", DISK_FULL),
    ("SQLITE_IOERR_WRITE", DISK_FULL),
    ("SQLITE_IOERR_SHORT_WRITE", DISK_FULL),
    ("SQLITE_IOERR_TRUNCATE", DISK_FULL),
    ("SQLITE_READONLY", READ_ONLY),
    ("SQLITE_PERM", READ_ONLY),
    ("SQLITE_BUSY", BUSY),
    ("SQLITE_LOCKED", BUSY),
    ("SQLITE_CORRUPT", DAMAGED),
    ("SQLITE_NOTADB", DAMAGED),
    ("SQLITE_CANTOPEN", CANNOT_OPEN),
    ("SQLITE_IOERR", IO_ERROR),
)

_BY_ERRNO = {
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.EFBIG: DISK_FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
    errno.EIO: IO_ERROR,
}

# Fallbacks for errors that lost their SQLite error name (e.g. re-wrapped by Peewee).
_BY_TEXT = (
    ("database or disk is full", DISK_FULL),
    ("readonly database", READ_ONLY),
    ("database is locked", BUSY),
    ("malformed", DAMAGED),
    ("file is not a database", DAMAGED),
    ("unable to open database file", CANNOT_OPEN),
    ("disk i/o error", IO_ERROR),
    ("cannot rollback - no transaction is active", NOT_SAVED),
)


def user_message(exc: BaseException) -> str | None:
    """A plain sentence for a storage failure, or None when ``exc`` is not one (a programming bug)."""
    chain = list(error_chain(exc))
    for item in chain:
        name = getattr(item, "sqlite_errorname", None)
        if isinstance(item, sqlite3.Error) and name:
            for prefix, message in _BY_SQLITE_NAME:
                if name.startswith(prefix):
                    return message
    for item in chain:
        if isinstance(item, OSError) and item.errno in _BY_ERRNO:
            return _BY_ERRNO[item.errno]
    for item in chain:
        if type(item).__module__ in ("sqlite3", "peewee"):
            text = str(item).lower()
            for needle, message in _BY_TEXT:
                if needle in text:
                    return message
    return None
