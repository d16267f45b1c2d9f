"""The log file and the last-resort exception hooks.

LeadDesk logs to a rotating file in the data folder (1 MB x 3, owner-only). Logs are for
diagnosing the program, never a copy of the rep's data: an uncaught exception is logged as its
class, its traceback frames (file, line, function) and a scrubbed message in which email
addresses and quoted values (where Python puts the offending value, e.g. ``invalid literal for
int(): 'Durand'``) are masked. Code that logs must likewise never pass names or emails.

A windowed PyInstaller build has ``sys.stderr = None``; nothing here writes to it then.
"""

import logging
import logging.handlers
import os
import re
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from app.paths import data_dir

LOG_NAME = "leaddesk.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Anchored at the start of a token (the lookbehind) so a long line is scanned once, not once
# per character.
_EMAIL = re.compile(r"(?<![^\s'\"<>(),;:])[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+")
# A quoted fragment: '...', "..." or “...” (how Python and our messages quote values).
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”")

# Called (on whatever thread failed) with the scrubbed report after it is logged; the GUI sets
# it to something that shows the error dialog on the GUI thread.
Reporter = Callable[[str], None]
_reporter: Reporter | None = None

log = logging.getLogger("app")


def log_dir() -> Path:
    return data_dir() / "logs"


def scrub(text: str) -> str:
    """``text`` with email addresses and quoted values masked."""
    return _QUOTED.sub("'…'", _EMAIL.sub("<email>", text))


class _ScrubFilter(logging.Filter):
    """Masks emails and quoted values in every record, a safety net behind careful callers."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        if record.exc_info:
            # log.exception(): replace the stock traceback (it carries the raw message).
            message += "\n" + format_exception(*record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = message
        record.args = None
        return True


class _OwnerOnlyHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files (the rotated ones too) are created 0600."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return os.fdopen(fd, self.mode, encoding=self.encoding)


def setup_logging(directory: Path | None = None) -> Path:
    """Send the ``app`` loggers to the rotating log file; returns the file's path. Idempotent."""
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / LOG_NAME
    for handler in list(log.handlers):
        if isinstance(handler, _OwnerOnlyHandler):
            log.removeHandler(handler)
            handler.close()
    handler = _OwnerOnlyHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(_ScrubFilter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    # The file is the record; don't also echo to a (possibly missing) stderr via the root logger.
    log.propagate = False
    return path


def current_log_file() -> Path | None:
    for handler in log.handlers:
        if isinstance(handler, _OwnerOnlyHandler):
            return Path(handler.baseFilename)
    return None


def format_exception(exc_type, exc, tb) -> str:
    """A traceback without personal data: frames, the exception class, a scrubbed message."""
    lines = ["Traceback (most recent call last):"]
    for frame in traceback.extract_tb(tb):
        # No quotes around the path: the scrubber would mask it.
        lines.append(f"  File {_short_path(frame.filename)}, line {frame.lineno}, in {frame.name}")
    name = f"{exc_type.__module__}.{exc_type.__qualname__}" if exc_type.__module__ != "builtins" else exc_type.__qualname__
    message = scrub(str(exc)) if exc is not None else ""
    lines.append(f"{name}: {message}" if message else name)
    return "\n".join(lines)


def _short_path(filename: str) -> str:
    # Paths under the user's home name the user; keep only the part from the package on.
    parts = Path(filename).parts
    for anchor in ("app", "PySide6", "peewee.py"):
        if anchor in parts:
            return str(Path(*parts[parts.index(anchor):]))
    return Path(filename).name


def report_exception(exc_type, exc, tb) -> str:
    """Log an uncaught exception and hand the report to the reporter; returns the report."""
    report = format_exception(exc_type, exc, tb)
    log.error("Uncaught exception\n%s", report)
    if sys.stderr is not None:
        print(report, file=sys.stderr)
    if _reporter is not None:
        try:
            _reporter(report)
        except Exception:  # noqa: BLE001 - e.g. at shutdown, when the dialog's QObject is gone
            log.error("Could not show the error to the user")
    return report


def _sys_hook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report_exception(exc_type, exc, tb)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    report_exception(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthooks(reporter: Reporter | None = None) -> None:
    """Route uncaught exceptions (main thread, Qt slots, worker threads) to the log + reporter."""
    global _reporter
    _reporter = reporter
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook
