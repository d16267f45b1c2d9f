"""Colours are defined once, in ``app/ui/common/style.py``: no other screen or Qt model module writes one."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STYLE = ROOT / "app" / "ui" / "common" / "style.py"
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgba?\(|QColor\(\d")


def test_only_the_style_module_writes_colours():
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in sorted([*(ROOT / "app" / "ui").rglob("*.py"), *(ROOT / "app" / "qtmodels").rglob("*.py")]) if p != STYLE
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if COLOUR.search(line)]
    assert offenders == []
