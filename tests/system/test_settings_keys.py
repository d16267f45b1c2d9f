"""Every settings key is named once, in app/ui/common/settings.py."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A module-level constant holding a QSettings key ("group/name").
KEY = re.compile(r'^[A-Z_]+ = "[a-z_]+/[a-z_/]*"$', re.M)


def test_settings_keys_live_in_the_settings_module():
    strays = [f"{path.relative_to(ROOT)}: {match}" for path in sorted((ROOT / "app").rglob("*.py"))
              if path != ROOT / "app/ui/common/settings.py" for match in KEY.findall(path.read_text(encoding="utf-8"))]
    assert not strays
