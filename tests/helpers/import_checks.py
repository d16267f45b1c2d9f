"""Round-trip checks for imports: every non-empty source cell is stored, and a second import changes nothing."""

import csv
import re
from pathlib import Path

from app.services.exporting import export_leads
from app.services.importing import import_file
from app.services.importing.reader import Rejected, open_source

_WORD = re.compile(r"\w+")


def source_cells(path) -> list[str]:
    """Every non-empty cell of the file's readable data rows, trimmed, as the importer reads them."""
    cells = []
    with open_source(path) as source:
        for item in source.rows():
            if not isinstance(item, Rejected):
                cells += [cell.strip() for cell in item[1] if cell.strip()]
    return cells


def exported_text(db_dir: Path) -> str:
    """The raw export of every lead, as one case-folded text."""
    out = db_dir / "check-export.csv"
    export_leads(out, profile="raw")
    with open(out, encoding="utf-8", newline="") as f:
        values = [cell for row in csv.reader(f) for cell in row]
    return "\x1f".join(values).casefold()


def missing_cells(path, text: str) -> list[str]:
    """The source cells of ``path`` found nowhere in ``text``."""
    return missing_from(source_cells(path), text)


def missing_from(cells, text: str) -> list[str]:
    """The ``cells`` found nowhere in ``text`` (a name split into first/last is found by its words)."""
    missing = []
    for cell in cells:
        folded = cell.casefold()
        if folded in text:
            continue
        if all(word in text for word in _WORD.findall(folded)):
            continue
        missing.append(cell)
    return missing


def assert_round_trip(path, tmp_path: Path, **options):
    """Import ``path``, check every cell is in the raw export, import again: nothing created or updated."""
    first = import_file(path, **options)
    missing = missing_cells(path, exported_text(tmp_path))
    assert not missing, f"cells not stored: {missing[:10]}"
    second = import_file(path, **options)
    assert (second.created, second.updated) == (0, 0), second.summary()
    return first, second
