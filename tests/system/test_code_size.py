"""Sizes a newcomer can read: no module over 450 lines, no function over 60 (app/, bench/), no exceptions."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60


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
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert too_long == {}


def test_no_function_is_too_long():
    too_long = {f"{_name(p)}:{name}": n for p in _modules() for name, n in _functions(p) if n > MAX_FUNCTION_LINES}
    assert too_long == {}
