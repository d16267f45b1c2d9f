"""docs/ARCHITECTURE.md names only paths that exist (a guide that points nowhere misleads)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ARCHITECTURE.md"


def _named_paths() -> list[str]:
    quoted = re.findall(r"`([^`\s]+)`", DOC.read_text(encoding="utf-8"))
    # A placeholder such as tests/ui/<screen>/ names a pattern, not a path.
    return [q.rstrip("/") for q in quoted if ("/" in q or q.endswith((".py", ".md"))) and "<" not in q]


def test_the_document_names_paths():
    assert len(_named_paths()) > 30


def test_every_path_it_names_exists():
    missing = [p for p in _named_paths() if not (ROOT / p).exists()]
    assert missing == []
