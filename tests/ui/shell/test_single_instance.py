"""One LeadDesk per database: the raise handshake, stale-lock takeover, per-database keys."""

import socket
import subprocess
import sys

import pytest
from PySide6.QtCore import QLockFile

from app.paths import data_dir
from app.ui.shell.single_instance import SingleInstance, instance_key


@pytest.fixture
def first(qapp, db_path):
    instance = SingleInstance(db_path)
    assert instance.acquire()
    yield instance
    instance.release()


def test_second_launch_asks_the_first_to_raise_its_window(qtbot, first, db_path):
    second = SingleInstance(db_path)
    assert not second.acquire()
    with qtbot.waitSignal(first.raise_requested, timeout=3000):
        assert second.notify_running_instance()


def test_another_database_is_another_instance(first, tmp_path):
    other = SingleInstance(tmp_path / "other.db")
    assert other.key != first.key
    assert other.acquire()
    other.release()


def test_same_database_by_another_spelling_is_the_same_instance(first, db_path):
    assert instance_key(db_path.parent / "." / db_path.name) == first.key


def test_a_released_lock_can_be_taken_again(qapp, first, db_path):
    first.release()
    again = SingleInstance(db_path)
    assert again.acquire()
    again.release()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_lock_of_a_crashed_instance_is_taken_over(qapp, qtbot, db_path):
    # What a crashed LeadDesk leaves behind: QLockFile's format, pointing at a dead process.
    lock_path = data_dir() / f"{instance_key(db_path)}.lock"
    lock_path.write_text(f"{_dead_pid()}\nLeadDesk\n{socket.gethostname()}\n")
    instance = SingleInstance(db_path)
    assert instance.acquire()
    # ... and it really serves: a later launch reaches it.
    second = SingleInstance(db_path)
    assert not second.acquire()
    with qtbot.waitSignal(instance.raise_requested, timeout=3000):
        assert second.notify_running_instance()
    instance.release()


def test_garbage_lock_file_is_taken_over(qapp, db_path):
    lock_path = data_dir() / f"{instance_key(db_path)}.lock"
    lock_path.write_bytes(b"\x00\xff not a lock")
    instance = SingleInstance(db_path)
    assert instance.acquire()
    instance.release()


def test_a_live_lock_held_by_another_process_is_respected(qapp, db_path):
    # A lock really held by a running process (this test's own pid stands in for it).
    lock = QLockFile(str(data_dir() / f"{instance_key(db_path)}.lock"))
    assert lock.tryLock(0)
    try:
        assert not SingleInstance(db_path).acquire()
    finally:
        lock.unlock()


def test_notify_without_a_running_instance_reports_failure(qapp, tmp_path):
    lonely = SingleInstance(tmp_path / "nobody.db")
    assert not lonely.notify_running_instance()


def _launch(db_path, tmp_path, *extra):
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--db", str(db_path), *extra],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.slow
def test_second_real_launch_raises_the_first_and_exits_0(qtbot, tmp_path, db_path):
    log_file = data_dir() / "logs" / "leaddesk.log"
    first = _launch(db_path, tmp_path)
    try:
        qtbot.waitUntil(lambda: log_file.exists() and "window shown" in log_file.read_text(), timeout=30_000)
        second = _launch(db_path, tmp_path)
        assert second.wait(timeout=30) == 0, second.stderr.read()
        qtbot.waitUntil(lambda: "bringing the window to the front" in log_file.read_text(), timeout=10_000)
        assert first.poll() is None  # the first instance is still running
        # Another database is another instance: it starts its own window.
        other = _launch(tmp_path / "other.db", tmp_path)
        qtbot.waitUntil(lambda: log_file.read_text().count("window shown") == 2, timeout=30_000)
        assert other.poll() is None
        other.terminate()
        other.wait(timeout=10)
    finally:
        first.terminate()
        first.wait(timeout=10)
