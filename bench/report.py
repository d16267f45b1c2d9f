"""Benchmark results: each figure next to its floor, the ratio, the target and PASS/FAIL.

Absolute times drift on shared machines, so every figure carries a floor measured in the same
run on the same data; the ratio is the part LeadDesk itself is responsible for.
"""

import json
import platform
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

# figure key → (label, unit, target at ≤100k, target at 1M, "max" or "min")
TARGETS = {
    "open": ("open: process start → first page painted", "s", 0.8, 1.2, "max"),
    "keystroke_p50": ("keystroke → list painted, p50", "ms", 50, 100, "max"),
    "keystroke_p95": ("keystroke → list painted, p95 (3+ chars)", "ms", 50, 100, "max"),
    "keystroke_short_p95": ("keystroke → list painted, p95 (1–2 chars)", "ms", 50, 200, "max"),
    "keystroke_settled_p50": ("keystroke → count shown and list painted, p50", "ms", 50, 50, "max"),
    "keystroke_settled_max": ("keystroke → count shown and list painted, max", "ms", 100, 100, "max"),
    "stall": ("longest GUI-thread stall while typing", "ms", 50, 50, "max"),
    "filter_p95": ("structured filter change → painted, p95", "ms", 50, 150, "max"),
    "select": ("select a lead → form filled, p95", "ms", 16, 16, "max"),
    "save": ("edit + save one field (FTS included), p95", "ms", 20, 20, "max"),
    "scroll": ("scroll: page-down through 1,000 rows, worst frame", "ms", 16, 16, "max"),
    "campaigns_page": ("campaigns page open", "ms", 300, 1000, "max"),
    "campaign_metrics": ("campaign_metrics() alone", "ms", 300, 1000, "max"),
    "import": ("CSV import, MassProspecting, empty DB", "rows/s", 50_000, 50_000, "min"),
    "rss": ("resident memory after the sequence", "MB", 150, 250, "max"),
}


@dataclass
class Figure:
    key: str
    value: float | None  # None: could not be measured (reason in note)
    floor: float | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return TARGETS[self.key][0]

    @property
    def unit(self) -> str:
        return TARGETS[self.key][1]

    def target(self, size: int) -> float:
        _, _, small, large, _ = TARGETS[self.key]
        return large if size > 100_000 else small

    def passed(self, size: int) -> bool | None:
        if self.value is None:
            return None
        if TARGETS[self.key][4] == "min":
            return self.value >= self.target(size)
        return self.value <= self.target(size)

    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        if TARGETS[self.key][4] == "min":  # a rate: how many times slower than the floor
            return self.floor / self.value if self.value else None
        return self.value / self.floor


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.0f}"
    return f"{value:.2f}" if value < 1 else f"{value:.1f}"


def markdown(size_label: str, size: int, figures: list[Figure]) -> str:
    """The results as a markdown table."""
    op = {"max": "≤", "min": "≥"}
    lines = [
        f"### {size_label} leads",
        "",
        "| figure | value | floor | ratio | target | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for f in figures:
        verdict = {True: "PASS", False: "FAIL", None: "n/a"}[f.passed(size)]
        ratio = f.ratio()
        note = f" ({f.note})" if f.note else ""
        lines.append(
            f"| {f.label}{note} | {_num(f.value)} {f.unit} | {_num(f.floor)} | "
            f"{'—' if ratio is None else f'{ratio:.1f}×'} | {op[TARGETS[f.key][4]]} {_num(f.target(size))} {f.unit} "
            f"| {verdict} |"
        )
    return "\n".join(lines)


def write_json(path: Path, size: int, figures: list[Figure], extra: dict) -> None:
    data = {
        "size": size,
        "machine": {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform()},
        **extra,
        "figures": [
            {**asdict(f), "label": f.label, "unit": f.unit, "target": f.target(size),
             "ratio": f.ratio(), "passed": f.passed(size)}
            for f in figures
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
