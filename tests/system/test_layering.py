"""The layering rule: ui/qtmodels never touch peewee or app.db; services/db never touch Qt widgets."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _files(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["ui", "qtmodels"])
def test_qt_layers_do_not_touch_the_database(package):
    for path in _files(package):
        bad = {n for n in _imports(path) if n == "peewee" or n.startswith("app.db") or n.startswith("playhouse")}
        assert not bad, f"{path.relative_to(APP)} imports {bad}"


@pytest.mark.parametrize("package", ["services", "db"])
def test_data_layers_do_not_touch_qt(package):
    for path in _files(package):
        bad = {n for n in _imports(path) if n.startswith("PySide6") or n.startswith("app.ui") or n.startswith("app.qtmodels")}
        assert not bad, f"{path.relative_to(APP)} imports {bad}"
