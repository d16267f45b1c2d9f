"""Texts the rep reads, when more than one screen says them: kept here so they say the same thing.

A screen's own one-off sentences stay next to the widget that shows them; anything a second screen
would repeat (file filters, the cancel notes, the crash dialog's words) lives here.
``tests/system/test_messages.py`` fails when a module types one of these texts again.
"""

from app.services.undo import plural

CANCELLED = "Cancelled: nothing was changed."
CANCELLING = "Cancelling… nothing will be changed."
CSV_FILTER = "CSV files (*.csv)"
LEAD_FILES_FILTER = "Lead files (*.csv *.tsv *.txt *.xlsx);;All files (*)"
IMPORT_TITLE = "Import leads"

# The "Something went wrong" dialog (an uncaught exception).
CRASH_TITLE = "Something went wrong."
CRASH_TEXT = ("LeadDesk hit an unexpected problem and stopped what it was doing. Your saved leads are "
              "safe and you can keep working. The details were written to the log file.")
OPEN_LOG_FOLDER = "Open log folder"


def working_on(what: str, count: int) -> str:
    """A progress dialog's label: "Approve: 12,000 leads…"."""
    return f"{what}: {plural(count)}…"
