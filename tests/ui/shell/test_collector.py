"""Cycles are collected on the GUI thread, never on a worker that happens to allocate."""

import gc
import threading


class _Cycle:
    def __init__(self, log):
        self.me = self  # only the cyclic collector can free it
        self.log = log

    def __del__(self):
        self.log.append(threading.current_thread() is threading.main_thread())


def test_garbage_made_on_a_worker_is_collected_on_the_gui_thread(qtbot, _gui_thread_collector):
    # The suite runs with the collector the app installs (tests/conftest.py).
    collected = []

    def worker():
        _Cycle(collected)
        # Plenty of allocation: with automatic collection on, this thread would collect the cycle.
        junk = [[i] for i in range(200_000)]
        del junk

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert collected == [] and not gc.isenabled()
    qtbot.waitUntil(lambda: bool(collected), timeout=5000)
    assert collected == [True]
