"""Shared fixtures: every test gets a real SQLite file in tmp_path, never a mock."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def _gui_thread_collector(qapp):
    # As the app does (app.ui.shell.application): cycles are collected on the GUI thread only.
    import gc

    from app.ui.shell.collector import GuiThreadCollector

    collector = GuiThreadCollector(qapp)
    yield collector
    gc.enable()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "leads.db"


@pytest.fixture
def db(db_path):
    """An open, migrated, empty database; closed after the test."""
    from app.db.connection import close_database, open_database

    database = open_database(db_path)
    yield database
    close_database()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    # Nothing a test does may touch the real user's data folder or settings.
    monkeypatch.setenv("LEADDESK_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def opened_urls():
    """The URLs the app hands to the system (browser, mail, phone), caught instead of opened."""
    from PySide6.QtCore import QObject, Slot
    from PySide6.QtGui import QDesktopServices

    class Catcher(QObject):
        def __init__(self):
            super().__init__()
            self.urls = []

        @Slot("QUrl")
        def open(self, url):
            self.urls.append(url.toString())

    catcher = Catcher()
    schemes = ("https", "mailto", "tel")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    yield catcher.urls
    for scheme in schemes:
        QDesktopServices.unsetUrlHandler(scheme)


@pytest.fixture
def ring():
    """An in-memory keyring backend in place of the OS one for the test; yields the backend."""
    import keyring

    from tests.helpers.team import memory_keyring

    previous = keyring.get_keyring()
    backend = memory_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the whole session (unix socket only), stopped at the end."""
    from tests.helpers.pgcluster import find_bindir, start_cluster

    if find_bindir() is None:
        pytest.skip("PostgreSQL binaries are absent (/usr/lib/postgresql/*/bin); .ci/run installs them")
    cluster = start_cluster()
    yield cluster
    cluster.stop()
