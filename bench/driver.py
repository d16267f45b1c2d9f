"""Drives the real LeadDesk widgets offscreen and measures what a user would feel.

Plain QApplication, no pytest: waiting is done with a QEventLoop that quits on the list model's
reset or ``results_applied`` (or a timeout). "List updated and painted" is the first reset after
the action (a search shows its first page before the full result) followed by a synchronous
``viewport().repaint()``. Every figure comes with its floor (``floors.py``) measured in the same
run, on the same data.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSlider,
    QApplication,
    QLineEdit,
    QListView,
    QWidget,
)

from app.qtmodels.events import Changes
from bench import floors
from bench.probes import Heartbeat, ResultWaiter, wait_for_layout
from bench.report import Figure

# A rep who last worked on the leads page (with campaigns, a new profile opens on Campaigns).
_SEED_LEADS_PAGE = "from app.ui.common import settings; s = settings.open_settings(); s.setValue(settings.LAST_PAGE, 'leads'); s.sync()"

# The typing script, one keystroke at a time: a str types its characters, "\b" is Backspace, None
# clears the box (its clear button). Covers 1, 2, 3+ characters, narrowing, widening, clearing.
TYPING = (
    "müller", "\b\b\b\b", None,
    "vp sales", None,
    "sarah", "\b\b\b", None,
    "berlin", None,
    "ch", "en", None,
    "founder & ceo", None,
    "lumen analytics", "\b" * 10, None,
)


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Bench:
    """One benchmark run over one database; ``run()`` returns the figures."""

    def __init__(self, db_path: Path, size: int, log=print, import_rows: int | None = None,
                 open_runs: int = 3):
        self.db_path = Path(db_path)
        self.open_runs = open_runs  # app launches timed for "open"; 0 skips them
        self.size = size
        self.log = log
        self.import_rows = import_rows if import_rows is not None else min(size, 100_000)
        self.figures: list[Figure] = []
        self.extra: dict = {}
        self.settled_ms: list[float] = []  # action → first rows painted and the count shown
        self.complete_ms: list[float] = []  # action → every row of the result in the list
        self._floor_jobs: list[tuple[int, object]] = []

    # -- plumbing ------------------------------------------------------------------------------
    def _figure(self, key: str, value, floor=None, note: str = "") -> None:
        """Record a figure; a callable ``floor`` is measured after the app's figures (see run)."""
        if callable(floor):
            self._floor_jobs.append((len(self.figures), floor))
            floor = None
        self.figures.append(Figure(key, value, floor, note))
        self.log(f"  {key}: {value if value is None else round(value, 2)} (floor {floor if floor is None else round(floor, 2)}) {note}")

    def _guard(self, key: str, func) -> None:
        """Run one measurement; a missing feature or an error becomes a visible n/a, not a crash."""
        try:
            func()
        except Exception as exc:  # noqa: BLE001 - reported in the table
            self._figure(key, None, note=f"not measured: {type(exc).__name__}: {exc}"[:160])

    def run(self) -> list[Figure]:
        app = QApplication.instance() or QApplication(sys.argv[:1])
        # Memory floor: Python + Qt with an application object, plus the id array the list must hold.
        self.extra["rss_floor_mb"] = floors.rss_mb() + 8 * self.size / 2**20
        if self.open_runs:
            self._guard("open", self.measure_open_subprocess)
        from app.services import storage

        start = time.perf_counter()
        storage.open(self.db_path)
        from app.ui.shell.main_window import MainWindow

        self.window = MainWindow(self.db_path)
        self.window.resize(1280, 800)
        self.window.show_page("leads")
        self.window.show()
        self.view: QListView = self.window.findChild(QListView, "leadList")
        self.search: QLineEdit = self.window.findChild(QLineEdit, "leadSearch")
        self.proxy = self.view.model()
        self.source = self.proxy.sourceModel()
        self.waiter = ResultWaiter(self.source)
        if not self.source.is_settled() or self.source.rowCount() == 0:
            self.waiter.wait_beyond(0)
        self.view.viewport().repaint()
        self.extra["open_in_process_ms"] = _ms(start)
        self.log(f"  open in-process (storage.open → first page painted): {self.extra['open_in_process_ms']:.0f} ms")
        self.bare_view, self.bare_model = floors.bare_list()
        self.bare_view.show()
        from app.db.connection import open_reader

        self.reader = open_reader(self.db_path)
        try:
            self._guard("keystroke_p50", self.measure_typing)
            self._guard("filter_p95", self.measure_filters)
            self._guard("scroll", self.measure_scroll)
            self._guard("select", self.measure_select)
            self._guard("save", self.measure_save)
            self._guard("campaigns_page", self.measure_campaigns_page)
            self._guard("campaign_metrics", self.measure_campaign_metrics)
            self._figure("rss", floors.rss_mb(), self.extra.get("rss_floor_mb"))
            # Floors that read through their own SQLite connection run last, so its page cache
            # counts in neither the app's memory nor its GUI-thread stalls.
            for position, job in self._floor_jobs:
                try:
                    self.figures[position].floor = job()
                except Exception as exc:  # noqa: BLE001 - a floor that fails leaves the figure standing
                    self.figures[position].note += f" (floor failed: {type(exc).__name__})"
        finally:
            self.reader.close()
            self.bare_view.close()
            self.window.close()
            shutdown = getattr(self.source, "shutdown", None)
            if shutdown is not None:
                shutdown()
            self.window.deleteLater()
            app.processEvents()
            storage.close()
        self._guard("import", self.measure_import)
        self.figures.sort(key=lambda f: list(_ORDER).index(f.key))
        return self.figures

    def _apply_and_paint(self, action) -> float:
        """Time ``action`` until the list shows its new rows, painted; also time the count and the complete result."""
        waiter = self.waiter
        before, resets, counted = waiter.count, waiter.resets, waiter.counted
        start = time.perf_counter()
        action()
        if not waiter.wait_until(lambda: waiter.resets > resets or waiter.count > before):
            raise TimeoutError("the list never showed a result")
        self.view.viewport().repaint()
        painted = _ms(start)
        if not waiter.wait_until(lambda: waiter.counted > counted):
            raise TimeoutError("the list never showed a count")
        self.settled_ms.append(_ms(start))
        if not waiter.wait_beyond(before):
            raise TimeoutError("the list never completed a result")
        self.complete_ms.append(_ms(start))
        return painted

    # -- figures -------------------------------------------------------------------------------
    def measure_open_subprocess(self) -> None:
        from app.ui.shell.main_window import BENCH_FIRST_PAINT_ENV, BENCH_FIRST_PAINT_MARKER

        root = Path(__file__).parents[1]
        env = dict(os.environ, **{BENCH_FIRST_PAINT_ENV: "1", "QT_QPA_PLATFORM": "offscreen"})
        with tempfile.TemporaryDirectory() as data_dir:
            env["LEADDESK_DATA_DIR"] = data_dir
            env["XDG_CONFIG_HOME"] = data_dir
            subprocess.run([sys.executable, "-c", _SEED_LEADS_PAGE], env=env, cwd=root, check=True, timeout=60)
            times = []
            for _ in range(self.open_runs):
                start = time.perf_counter()
                out = subprocess.run([sys.executable, "-m", "app", "--db", str(self.db_path)], env=env, check=False,
                                     capture_output=True, text=True, timeout=60, cwd=root)
                elapsed = time.perf_counter() - start
                if BENCH_FIRST_PAINT_MARKER not in out.stdout:
                    raise RuntimeError(f"no first-paint marker (exit {out.returncode}) {out.stderr.strip()[-200:]}")
                times.append(elapsed)
        floor = min(floors.open_s() for _ in range(self.open_runs))
        self._figure("open", min(times), floor, f"best of {self.open_runs}")

    def measure_typing(self) -> None:
        # Warm both paths once (first-query page cache, SQLite cache) like a rep's second search.
        self._apply_and_paint(lambda: self.search.setText("warm"))
        self._apply_and_paint(self.search.clear)
        short, long_, all_, seen = [], [], [], []
        floor_short, floor_long = [], []
        heartbeat = Heartbeat()
        heartbeat.start()
        for keys in TYPING:
            steps = [None] if keys is None else list(keys)
            for key in steps:
                if key is None:
                    action = self.search.clear
                elif key == "\b":
                    action = lambda: QTest.keyClick(self.search, Qt.Key.Key_Backspace)
                elif key.isascii():
                    action = lambda k=key: QTest.keyClicks(self.search, k)
                else:  # QTest only synthesises ASCII keys; insert() edits the box the same way
                    action = lambda k=key: self.search.insert(k)
                elapsed = self._apply_and_paint(action)
                text = self.search.text()
                all_.append(elapsed)
                self.extra.setdefault("keystroke_ms", []).append((text, round(elapsed, 1)))
                is_short = bool(text.split()) and max(len(t) for t in text.split()) <= 2
                (short if is_short else long_).append(elapsed)
                seen.append((is_short, self.proxy.lead_filter()))
        heartbeat.stop()

        def floor_lists() -> tuple[list[float], list[float]]:
            if not floor_short and not floor_long:
                for is_short, flt in seen:
                    (floor_short if is_short else floor_long).append(floors.query_ms(self.reader, flt))
            return floor_short, floor_long
        self.extra["keystrokes"] = len(all_)
        self.extra["keystroke_complete_p95_ms"] = p95(self.complete_ms[-len(all_):])
        self.log(f"  keystroke → every row in the list, p95: {self.extra['keystroke_complete_p95_ms']:.0f} ms")
        settled = self.settled_ms[-len(all_):]
        slowest = max(range(len(settled)), key=settled.__getitem__)
        self._figure("keystroke_settled_p50", statistics.median(settled), note=f"{len(all_)} keystrokes")
        self._figure("keystroke_settled_max", settled[slowest], note=f"at {self.extra['keystroke_ms'][slowest][0]!r}")
        self._figure("keystroke_p50", statistics.median(all_), lambda: statistics.median(sum(floor_lists(), [])),
                     f"{len(all_)} keystrokes")
        self._figure("keystroke_p95", p95(long_), lambda: p95(floor_lists()[1]), f"{len(long_)} keystrokes, incl. clearing")
        self._figure("keystroke_short_p95", p95(short), lambda: p95(floor_lists()[0]), f"{len(short)} keystrokes")
        self._figure("stall", heartbeat.worst_ms, 1.0, "1 ms heartbeat")

    def _campaign_ids(self) -> list[int]:
        return [r[0] for r in self.reader.execute("SELECT id FROM campaign ORDER BY id LIMIT 3")]

    def measure_filters(self) -> None:
        c1, c2, _ = self._campaign_ids()
        p = self.proxy
        steps = [
            lambda: p.change(campaign_ids=(c1,)),
            lambda: p.change(vip=True),
            lambda: p.change(vip=None),
            lambda: p.change(headcounts=("51-200", "201-500")),
            lambda: p.change(email_statuses=("valid",)),
            lambda: p.change(campaign_ids=(c1, c2)),
            lambda: p.change(campaign_ids=()),
            lambda: p.change(vip=True),
            lambda: p.change(headcounts=()),
            lambda: p.change(email_statuses=("catchall", "unknown")),
            lambda: p.change(vip=None),
            lambda: p.change(email_statuses=()),
            lambda: p.change(campaign_ids=(c2,)),
            lambda: p.change(campaign_ids=()),
        ]
        times, seen = [], []
        for step in steps:
            times.append(self._apply_and_paint(step))
            seen.append(p.lead_filter())
        self.extra["filter_complete_p95_ms"] = p95(self.complete_ms[-len(times):])
        self._figure("filter_p95", p95(times), lambda: p95([floors.query_ms(self.reader, f) for f in seen]),
                     f"{len(times)} changes")

    def measure_scroll(self) -> None:
        rows = self.proxy.rowCount()
        self.view.scrollToTop()
        bar = self.view.verticalScrollBar()
        wait_for_layout(self.view)
        frames = []
        top = lambda: self.view.indexAt(self.view.viewport().rect().topLeft()).row()
        start_row = top()
        while top() - start_row < 1000 and bar.value() < bar.maximum():
            start = time.perf_counter()
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
            self.view.viewport().repaint()
            frames.append(_ms(start))
        self.bare_model.set_rows(rows)
        floor = max(floors.scroll_frames_ms(self.bare_view))
        self._figure("scroll", max(frames), floor, f"worst of {len(frames)} frames, p50 {statistics.median(frames):.1f} ms")
        self.view.scrollToTop()
        # The bare list's reset is the floor of every "painted" figure; recorded for the JSON.
        self.extra["bare_list_reset_ms"] = floors.list_reset_ms(self.bare_view, self.bare_model, rows)

    def measure_select(self) -> None:
        detail = self.window.findChild(QWidget, "leadDetail")
        rows = self.proxy.rowCount()
        picks = [(rows * i) // 31 for i in range(1, 31)]
        times, selected = [], []
        for row in picks:
            # Scroll first: selecting is measured, not the list's page fetch for a far row.
            self.view.scrollTo(self.proxy.index(row, 0))
            self.view.viewport().repaint()
            index = self.proxy.index(row, 0)
            start = time.perf_counter()
            self.view.setCurrentIndex(index)
            QApplication.processEvents()
            detail.repaint()
            times.append(_ms(start))
            selected.append(self.proxy.lead_id(row))
        self.extra["select_widget"] = detail.objectName()
        self._figure("select", p95(times), lambda: p95([floors.select_ms(self.reader, i) for i in selected]),
                     f"{len(times)} leads, form: {detail.objectName() or '?'}")

    def measure_save(self) -> None:
        from app.services import leads

        events = self.window.events
        rows = self.proxy.rowCount()
        times, floor_times = [], []
        for i in range(20):
            lead_id = self.proxy.lead_id((rows * (i + 1)) // 23)
            value = f"Head of Benchmarks {i} at Lumen"
            start = time.perf_counter()
            leads.update_field(lead_id, "job_title", value)
            events.broadcast(Changes(lead_ids=(lead_id,)))
            QApplication.processEvents()
            times.append(_ms(start))
            floor_times.append(floors.save_ms(self.db_path, lead_id, value + " (floor)"))
        self._figure("save", p95(times), p95(floor_times), "leads.update_field + broadcast")

    def measure_campaigns_page(self) -> None:
        from app.ui.campaigns.page import CampaignsPage

        start = time.perf_counter()
        page = CampaignsPage(self.window.events)
        page.resize(1000, 700)
        # "Open" ends when the cards show their numbers: they are counted off the GUI thread.
        loop = QEventLoop()
        page.metrics_updated.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        page.show()
        loop.exec()
        page.repaint()
        elapsed = _ms(start)
        page.close()
        # Gone now, not at some later loop turn: a page left alive hears later data events and
        # refreshes from a database the bench has closed by then.
        shiboken6.delete(page)
        self._figure("campaigns_page", elapsed, lambda: floors.campaign_metrics_ms(self.reader))

    def measure_campaign_metrics(self) -> None:
        from app.services.campaigns import campaign_metrics

        start = time.perf_counter()
        campaign_metrics()
        self._figure("campaign_metrics", _ms(start), lambda: floors.campaign_metrics_ms(self.reader))

    def measure_import(self) -> None:
        from app.services import storage
        from app.services.importing import import_file

        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            csv_path = tmp / "massprospecting.csv"
            floors.write_massprospecting_csv(self.db_path, csv_path, self.import_rows)
            floor = floors.import_rows_per_s(csv_path, tmp / "floor.db")
            storage.open(tmp / "import.db")
            try:
                start = time.perf_counter()
                import_file(csv_path, campaign="Bench import")
                rate = self.import_rows / (time.perf_counter() - start)
            finally:
                storage.close()
        self._figure("import", rate, floor, f"{self.import_rows:,} rows")


_ORDER = ("open", "keystroke_p50", "keystroke_p95", "keystroke_short_p95", "keystroke_settled_p50",
          "keystroke_settled_max", "stall", "filter_p95", "select",
          "save", "scroll", "campaigns_page", "campaign_metrics", "import", "rss")
