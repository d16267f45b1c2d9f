"""Python's cyclic garbage collector, run on the GUI thread only.

Left to itself, Python collects cycles in whichever thread happens to allocate when a collection
is due. An import allocates a lot on its worker thread, so cycles of Qt objects left by closed
dialogs were destroyed there, from the wrong thread, which crashes Qt (seen as a segfault in the
next collection). So automatic collection is turned off, and a timer on the GUI thread collects
instead: the young generation on every tick, an older one when Python's own thresholds say so.
"""

import gc

from PySide6.QtCore import QObject, QTimer, Slot

CHECK_MS = 250


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects on the GUI thread instead (see the module)."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        gc.disable()
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self, interval=CHECK_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        # Python would collect the young generation whenever allocations outnumber frees by 700;
        # a tick can't see such peaks (a worker's batch comes and goes between ticks), so the
        # young generation, cheap to collect, is collected every tick. Older generations follow
        # Python's schedule: after enough collections of the generation below them.
        _, young_runs, middle_runs = gc.get_count()
        if middle_runs > self._thresholds[2]:
            gc.collect(2)
        elif young_runs > self._thresholds[1]:
            gc.collect(1)
        else:
            gc.collect(0)
