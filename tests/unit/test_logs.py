"""The log file: where it is, who can read it, and that it never holds a lead's email or name."""

import json
import logging
import stat
import sys
import threading
from pathlib import Path

import pytest

from app import logs
from app.paths import data_dir

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample_leads.csv"  # a MassProspecting export


@pytest.fixture
def log_file():
    path = logs.setup_logging()
    yield path
    for handler in list(logs.log.handlers):
        logs.log.removeHandler(handler)
        handler.close()


@pytest.fixture
def hooks():
    """Install the exception hooks with a reporter that records reports; restore afterwards."""
    reports: list[str] = []
    saved = sys.excepthook, threading.excepthook
    logs.install_excepthooks(reports.append)
    yield reports
    logs.install_excepthooks(None)
    sys.excepthook, threading.excepthook = saved


def test_log_file_is_in_the_data_folder_and_owner_only(log_file):
    logging.getLogger("app.test").info("started")
    assert log_file.parent == data_dir() / "logs"
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_file.parent.stat().st_mode) == 0o700
    assert "started" in log_file.read_text()


def test_log_rotates_at_a_megabyte_keeping_three_old_files(log_file):
    line = "x" * 10_000
    for _ in range(500):  # ~5 MB through a 1 MB x 3 rotation
        logging.getLogger("app.test").info(line)
    files = sorted(p.name for p in log_file.parent.iterdir())
    assert files == ["leaddesk.log", "leaddesk.log.1", "leaddesk.log.2", "leaddesk.log.3"]
    assert all(p.stat().st_size <= 1_100_000 for p in log_file.parent.iterdir())
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in log_file.parent.iterdir())


def test_scrub_masks_emails_and_quoted_values():
    text = logs.scrub("bad address camille.durand@lumen-analytics.fr for 'Camille Durand' and “Jonas”")
    assert "camille" not in text.lower() and "Jonas" not in text
    assert "<email>" in text


def test_uncaught_exception_is_logged_with_frames_but_without_personal_data(log_file, hooks):
    def save_lead():
        raise ValueError("cannot save jonas.becker@nordlicht.de: invalid literal for int(): 'Becker'")

    try:
        save_lead()
    except ValueError:
        sys.excepthook(*sys.exc_info())

    text = log_file.read_text()
    assert "Traceback" in text and "in save_lead" in text and "ValueError" in text
    assert "nordlicht" not in text and "Becker" not in text and "jonas" not in text
    assert hooks and "in save_lead" in hooks[0]


def test_logger_exception_calls_are_scrubbed_too(log_file):
    try:
        raise KeyError("ada@example.com")
    except KeyError:
        logging.getLogger("app.test").exception("lookup failed for %s", "ada@example.com")
    text = log_file.read_text()
    assert "ada@example.com" not in text
    assert "KeyError" in text and "lookup failed" in text


def test_exception_in_a_worker_thread_is_logged_and_reported(log_file, hooks):
    def work():
        raise RuntimeError("worker failed")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert "RuntimeError: worker failed" in log_file.read_text()
    assert len(hooks) == 1


def test_no_stderr_in_a_windowed_build_is_fine(log_file, hooks, monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)
    try:
        raise OSError("disk")
    except OSError:
        sys.excepthook(*sys.exc_info())
    assert "OSError: disk" in log_file.read_text()


def test_a_scripted_session_leaves_no_email_or_name_in_the_log(db, log_file, hooks):
    """Create, edit, search and import leads, with failures on the way: the log stays clean."""
    from app.db.models import Lead
    from app.services import leads, storage

    people = [
        ("Camille", "Durand", "camille.durand@lumen-analytics.fr"),
        ("Jonas", "Becker", "jonas.becker@nordlicht.de"),
        ("Ada", "Lovelace", "ada@example.com"),
    ]
    ids = [Lead.create(first_name=f, last_name=l, email=e, company_name="Lumen").id for f, l, e in people]
    leads.update_field(ids[0], "job_title", "Head of Growth")
    leads.update_field(ids[1], "last_name", "Becker-Schmidt")
    leads.add_note(ids[2], "Met Ada at the conference")
    assert storage.search_count("Lumen") == 3
    for bad in ("not-an-email", "Camille Durand"):
        try:
            leads.update_field(ids[0], "email", bad)
        except Exception:  # the refusal is reported the way the app reports any failure
            sys.excepthook(*sys.exc_info())
    try:
        json.loads("{'first_name': 'Ada', 'email': 'ada@example.com'")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    names = [v for person in people for v in person] + ["Becker-Schmidt"]
    from app.services.importing import import_file

    assert import_file(SAMPLE).created > 0
    names += ["Noah", "Lindqvist"]  # the sample's first lead

    logging.getLogger("app.test").info("session done")
    text = log_file.read_text()
    assert "session done" in text
    for value in names:
        assert value.lower() not in text.lower(), "a lead's personal data reached the log"
