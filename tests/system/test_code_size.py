"""Sizes a newcomer can read: no module over 450 lines, no function over 60 (app/, bench/).

The exceptions below are a shrink-only list of what is still too long, each with its current size:
a listed item may shrink (then lower or delete its entry), never grow, and nothing new may join.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60

MODULE_EXCEPTIONS = {
    "bench/driver.py": 463,
}
FUNCTION_EXCEPTIONS = {
    "bench/import_cli.py:write_csv": 67,
    "bench/soak.py:soak": 98,
}


def _modules() -> list[Path]:
    return sorted([*(ROOT / "app").rglob("*.py"), *(ROOT / "bench").rglob("*.py")])


def _functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node.end_lineno - node.lineno + 1


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_too_long():
    too_long = {_name(p): n for p in _modules()
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_EXCEPTIONS.get(_name(p), MAX_MODULE_LINES)}
    assert too_long == {}


def test_no_function_is_too_long():
    too_long = {f"{_name(p)}:{name}": n for p in _modules() for name, n in _functions(p)
                if n > FUNCTION_EXCEPTIONS.get(f"{_name(p)}:{name}", MAX_FUNCTION_LINES)}
    assert too_long == {}


@pytest.mark.parametrize("key", sorted(MODULE_EXCEPTIONS) + sorted(FUNCTION_EXCEPTIONS))
def test_every_exception_is_still_needed(key):
    path, _, function = key.partition(":")
    file = ROOT / path
    if not file.exists():
        pytest.fail(f"{key}: the file is gone; delete its exception")
    if function:
        sizes = [n for name, n in _functions(file) if name == function]
        assert sizes and max(sizes) > MAX_FUNCTION_LINES, f"{key} is short now; delete its exception"
    else:
        assert len(file.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES, f"{key} fits now; delete it"
