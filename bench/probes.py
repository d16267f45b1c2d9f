"""Qt probes the benchmarks drive the window with: wait for the list's results, measure GUI stalls.

Plain QApplication, no pytest: waiting is a QEventLoop that quits on the list model's reset or
``results_applied`` (or a timeout).
"""

import time

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QListView

WAIT_S = 60.0


class ResultWaiter(QObject):
    """Counts the list model's resets, ``count_known`` and ``results_applied``; the caller blocks until one.

    A search shows its first page (a reset) as soon as it has it, its count next (the list settled)
    and completes later (``results_applied``); "list updated" is the reset, "settled" the count,
    "complete" the last signal.
    """

    def __init__(self, source_model):
        super().__init__()
        self.count = 0
        self.counted = 0
        self.resets = 0
        self.last = (0, 0)
        self._loop: QEventLoop | None = None
        source_model.results_applied.connect(self._on_model_results_applied)
        source_model.count_known.connect(self._on_model_count_known)
        source_model.modelReset.connect(self._on_model_reset)

    @Slot(int, int)
    def _on_model_count_known(self, _matching: int, _total: int) -> None:
        self.counted += 1
        if self._loop is not None:
            self._loop.quit()

    @Slot(int, int)
    def _on_model_results_applied(self, matching: int, total: int) -> None:
        self.count += 1
        self.last = (matching, total)
        if self._loop is not None:
            self._loop.quit()

    @Slot()
    def _on_model_reset(self) -> None:
        self.resets += 1
        if self._loop is not None:
            self._loop.quit()

    def wait_beyond(self, count: int, timeout_s: float = WAIT_S) -> bool:
        """Run the event loop until more than ``count`` results were applied."""
        return self.wait_until(lambda: self.count > count, timeout_s)

    def wait_until(self, done, timeout_s: float = WAIT_S) -> bool:
        """Run the event loop until ``done()`` (checked after each reset/result) or the timeout."""
        deadline = time.perf_counter() + timeout_s
        while not done():
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            self._wait_once(left)
        return True

    def _wait_once(self, timeout_s: float) -> None:
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(max(1, int(timeout_s * 1000)))
        self._loop = loop
        loop.exec()
        self._loop = None
        timer.stop()


class Heartbeat(QObject):
    """A 1 ms QTimer on the GUI thread: the longest gap between its ticks is the longest time the event
    loop was blocked (a tick is due every millisecond, so a gap of N ms is N ms without an event turn).

    ``arm()`` starts a window (the bench's own code between two actions, which runs no event loop, is not
    the app's stall): ``max_gap_ms`` is the worst gap since, ``worst_ms`` the worst of every window.
    """

    def __init__(self, interval_ms: int = 1):
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._last = 0.0
        self.max_gap_ms = 0.0
        self.worst_ms = 0.0

    def start(self) -> None:
        self.worst_ms = 0.0
        self.arm()
        self._timer.start()

    def arm(self) -> None:
        self.max_gap_ms = 0.0
        self._last = time.perf_counter()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.max_gap_ms = max(self.max_gap_ms, (now - self._last) * 1000)
        self.worst_ms = max(self.worst_ms, self.max_gap_ms)
        self._last = now


def process_events_for(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for_layout(view: QListView, timeout_s: float = 10.0) -> None:
    """A Batched QListView lays rows out over several event-loop turns; wait for the full scroll range."""
    deadline = time.perf_counter() + timeout_s
    bar, last = view.verticalScrollBar(), -1
    while bar.maximum() != last or (bar.maximum() == 0 and view.model().rowCount() > 30):
        last = bar.maximum()
        process_events_for(30)
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{view.objectName() or 'the floor list'} never laid out its rows "
                               f"({view.model().rowCount()} rows, visible: {view.isVisible()})")
