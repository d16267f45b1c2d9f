"""Floors: the cheapest possible version of each benchmarked operation, on the same data.

A floor is what the work costs with nothing of LeadDesk around it (raw ``sqlite3`` for the same
filter, ``csv.reader`` + ``executemany`` for an import, a bare QListView over a constant model),
so a figure's ratio to its floor shows LeadDesk's own overhead however fast the machine is today.
"""

import csv
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from app.db import criteria, query_plan
from app.db.connection import _split_sql as split_sql
from app.db.connection import close_database, open_database
from app.db.schema import FTS_COLUMNS, FTS_TRIGGER_NAMES, FTS_TRIGGERS
from app.services.importing import IMPORT_CACHE_SIZE

MASSPROSPECTING_COLUMNS = (
    "id_lead", "first_name", "last_name", "job_title", "email", "email_verification_result", "phone",
    "linkedin", "country_name", "location_name", "company_name", "company_domain", "company_headcount",
    "all_industries", "company_industries", "posts",
)
AI_COLUMNS = ("ai:5-word summary of post", "ai:10-word use-case")


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def query_ms(conn: sqlite3.Connection, flt) -> float:
    """Raw sqlite3: the ids of the leads matching ``flt``, in display order."""
    where, params = criteria.compile_filter(flt)
    order = query_plan.ORDER_BY.get(flt.sort, query_plan.ORDER_BY["newest"])
    start = time.perf_counter()
    conn.execute(f"SELECT l.id FROM lead l WHERE {where} ORDER BY {order}", params).fetchall()
    return _ms(start)


def select_ms(conn: sqlite3.Connection, lead_id: int) -> float:
    """Raw sqlite3: one lead's row, its campaigns and its tags."""
    start = time.perf_counter()
    conn.execute("SELECT * FROM lead WHERE id = ?", (lead_id,)).fetchone()
    conn.execute("SELECT c.id, c.name, m.stage FROM membership m JOIN campaign c ON c.id = m.campaign_id"
                 " WHERE m.lead_id = ?", (lead_id,)).fetchall()
    conn.execute("SELECT tag_id FROM lead_tag WHERE lead_id = ?", (lead_id,)).fetchall()
    return _ms(start)


def save_ms(db_path: Path, lead_id: int, value: str) -> float:
    """Raw sqlite3: one durable (synchronous=FULL) update of an FTS-indexed column."""
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE lead SET job_title = ? WHERE id = ?", (value, lead_id))
        conn.execute("COMMIT")
        return _ms(start)
    finally:
        conn.close()


def campaign_metrics_ms(conn: sqlite3.Connection) -> float:
    """Raw sqlite3: per campaign, leads discovered / opened / valid email."""
    start = time.perf_counter()
    conn.execute(
        "SELECT m.campaign_id, count(*), sum(l.opened_at IS NOT NULL),"
        " sum(l.email_verification_result = 'valid')"
        " FROM membership m JOIN lead l ON l.id = m.lead_id WHERE l.deleted_at IS NULL GROUP BY m.campaign_id"
    ).fetchall()
    return _ms(start)


def write_massprospecting_csv(source_db: Path, path: Path, rows: int) -> None:
    """Export ``rows`` bench leads as a MassProspecting CSV (with ``ai:*`` columns)."""
    conn = sqlite3.connect(str(source_db))
    try:
        cursor = conn.execute(f"SELECT {', '.join(MASSPROSPECTING_COLUMNS)}, custom FROM lead LIMIT ?", (rows,))
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(MASSPROSPECTING_COLUMNS + AI_COLUMNS)
            for row in cursor:
                custom = json.loads(row[-1])
                writer.writerow(row[:-1] + tuple(custom.get(c, "") for c in AI_COLUMNS))
    finally:
        conn.close()


def import_rows_per_s(csv_path: Path, db_path: Path) -> float:
    """Raw csv.reader + executemany into a fresh database with the real schema.

    Done the way docs/ARCHITECTURE.md says a big load should be: the FTS triggers are dropped for the load
    and the search index is built with one INSERT…SELECT (row-by-row word indexing through the
    triggers is ~20x slower), all in one transaction.
    """
    open_database(db_path)
    close_database()
    conn = sqlite3.connect(str(db_path), isolation_level=None)
    try:
        conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_SIZE}")  # as the app's import
        start = time.perf_counter()
        with open(csv_path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            width = len(MASSPROSPECTING_COLUMNS)
            now = "2025-01-01T00:00:00+00:00"
            rows = [
                (*r[:width], json.dumps(dict(zip(header[width:], r[width:]))), now, now)
                for r in reader
            ]
        conn.execute("BEGIN IMMEDIATE")
        for name in FTS_TRIGGER_NAMES:
            conn.execute(f"DROP TRIGGER {name}")
        conn.executemany(
            f"INSERT INTO lead({', '.join(MASSPROSPECTING_COLUMNS)}, custom, created_at, updated_at)"
            f" VALUES ({','.join('?' * (width + 3))})",
            rows,
        )
        cols = ", ".join(FTS_COLUMNS)
        conn.execute(f"INSERT INTO lead_fts(rowid, {cols}) SELECT id, {cols} FROM lead")
        for statement in split_sql(FTS_TRIGGERS):
            conn.execute(statement)
        conn.execute("COMMIT")
        return len(rows) / (time.perf_counter() - start)
    finally:
        conn.close()


_BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QAbstractListModel, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QListView
class M(QAbstractListModel):
    def rowCount(self, parent=None): return 0 if parent is not None and parent.isValid() else 50
    def data(self, index, role=Qt.DisplayRole): return "Lead" if role == Qt.DisplayRole else None
class F(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print("PAINTED", flush=True), app.quit()))
        return False
app = QApplication(sys.argv[:1])
view = QListView(); view.setModel(M()); f = F(); view.viewport().installEventFilter(f)
view.resize(400, 600); view.show(); app.exec()
"""


def open_s() -> float:
    """A bare Python + Qt process: start → a QListView painted."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _BARE_WINDOW], capture_output=True, text=True, timeout=60, check=False)
    elapsed = time.perf_counter() - start
    if "PAINTED" not in out.stdout:
        raise RuntimeError(f"bare window did not paint: {out.stderr[-500:]}")
    return elapsed


def bare_list():
    """A QListView over a constant model whose row count can be reset (the list floor)."""
    from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
    from PySide6.QtWidgets import QListView

    class ConstantModel(QAbstractListModel):
        def __init__(self):
            super().__init__()
            self.rows = 0

        def set_rows(self, rows: int) -> None:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()

        def rowCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else self.rows

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return "Camille Durand — Head of Growth" if role == Qt.ItemDataRole.DisplayRole else None

    view = QListView()
    view.setUniformItemSizes(True)
    view.setLayoutMode(QListView.LayoutMode.Batched)
    model = ConstantModel()
    view.setModel(model)
    view.resize(420, 700)
    return view, model


def list_reset_ms(view, model, rows: int) -> float:
    """Bare QListView: reset from empty to ``rows`` rows and paint synchronously."""
    model.set_rows(0)
    start = time.perf_counter()
    model.set_rows(rows)
    view.viewport().repaint()
    return _ms(start)


def scroll_frames_ms(view, rows: int = 1000) -> list[float]:
    """Bare QListView: page down through ``rows`` rows, one synchronous paint per page."""
    from PySide6.QtWidgets import QAbstractSlider

    from bench.probes import wait_for_layout

    bar = view.verticalScrollBar()
    bar.setValue(0)
    wait_for_layout(view)
    frames = []
    start_row = view.indexAt(view.viewport().rect().topLeft()).row()
    while view.indexAt(view.viewport().rect().topLeft()).row() - start_row < rows and bar.value() < bar.maximum():
        start = time.perf_counter()
        bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
        view.viewport().repaint()
        frames.append(_ms(start))
    return frames


def rss_mb() -> float:
    """Resident memory of this process (VmRSS), in MB."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
