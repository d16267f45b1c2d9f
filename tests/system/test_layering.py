"""The layering rule: ui/qtmodels never touch peewee or app.db; services/db never touch Qt widgets; db never
imports the layers above it."""

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


def test_the_database_layer_does_not_reach_up():
    """app/db is the bottom layer: it never imports the services, the Qt models or the screens."""
    for path in _files("db"):
        bad = {n for n in _imports(path) if n.startswith(("app.services", "app.qtmodels", "app.ui"))}
        assert not bad, f"{path.relative_to(APP)} imports {bad}"


# The importing package's facade re-exports its parts for the CLI and the import dialog; it belongs
# to the import work under way and is to import them from their own modules instead.
_RE_EXPORT_EXCEPTIONS = {"services/importing/__init__.py"}


def _re_exports(path: Path) -> set[str]:
    """Names a module imports only to hand on (``__all__`` or a silenced unused-import warning)."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    imported = {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom | ast.Import)
                for alias in node.names}
    exported = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            exported |= {elt.value for elt in node.value.elts} & imported
    if "noqa: F401" in text:
        exported.add("(noqa: F401)")
    return exported


@pytest.mark.parametrize("package", ["services", "db", "qtmodels", "ui"])
def test_no_module_re_exports_another_layer(package):
    """A layer's boundary is its own modules: no shim hands on names from a lower layer."""
    for path in _files(package):
        if str(path.relative_to(APP)) in _RE_EXPORT_EXCEPTIONS:
            continue
        assert not _re_exports(path), f"{path.relative_to(APP)} re-exports {_re_exports(path)}"
