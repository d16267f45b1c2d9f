"""Data events have one path: ``DataEvents.broadcast``; nobody emits its signal or invents another."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "app" / "qtmodels" / "events.py"


def _sources():
    return [p for p in (ROOT / "app").rglob("*.py") if p != EVENTS]


def test_only_the_broadcast_emits_data_events():
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in _sources()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"events\.changed\.emit|_changed\.emit\(\)|leads_added_or_removed\.emit", line)]
    assert offenders == []


def test_no_everything_changed_signal_triples_remain():
    pattern = re.compile(r"(leads_added_or_removed|campaigns_changed|tags_changed)\.(emit|connect)")
    offenders = [str(p.relative_to(ROOT)) for p in _sources() if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_detail_panel_has_no_reentrancy_flag():
    panel = (ROOT / "app" / "ui" / "leads" / "detail" / "panel.py").read_text(encoding="utf-8")
    assert "_emitting" not in panel
