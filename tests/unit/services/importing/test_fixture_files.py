"""Every fixture file in tests/files/import: every non-empty cell stored, a second import changes nothing."""

from pathlib import Path

import pytest

from tests.helpers.import_checks import assert_round_trip

FILES = sorted((Path(__file__).parents[3] / "files" / "import").glob("*.csv"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_round_trip(db, tmp_path, path):
    first, second = assert_round_trip(path, tmp_path, campaign="Fixtures")
    assert first.created > 0 and second.unchanged == second.rows_read
