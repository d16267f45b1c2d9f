"""app.memory: a heap left fragmented by a peak goes back to the OS when the window asks."""

import pytest

from app import memory
from bench.floors import rss_mb


@pytest.mark.skipif(memory._LIBC is None, reason="glibc only")
def test_freed_heap_memory_goes_back_to_the_os():
    memory.release_free_memory()
    # A peak of ~80 MB in 1 KB blocks (each its own malloc), then all but every 50th freed: the
    # survivors pin the heap, so glibc keeps the free blocks between them.
    blocks = [bytearray(1024) for _ in range(80_000)]
    survivors = blocks[::50]
    del blocks
    fragmented = rss_mb()
    memory.release_free_memory()
    assert fragmented - rss_mb() > 40
    assert len(survivors) == 1600 and all(len(b) == 1024 for b in survivors)  # untouched


def test_the_window_releases_memory_regularly(qtbot, db_path, db):
    from app.ui.shell.main_window import RELEASE_MEMORY_MS, MainWindow

    window = MainWindow(db_path)
    qtbot.addWidget(window)
    assert window.memory_timer.isActive() and window.memory_timer.interval() == RELEASE_MEMORY_MS
