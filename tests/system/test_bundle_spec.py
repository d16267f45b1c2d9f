"""Packaging inputs: the spec's promises, the .desktop entry, and install/uninstall for one user.

Building the bundle itself takes a minute; CI does it after the tests (``.ci/run``) and runs
``LeadDesk --smoke`` on the result.
"""

import configparser
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "build" / "linux" / "install.sh"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def test_spec_builds_a_windowed_onedir_bundle_without_upx():
    spec = (ROOT / "installer.spec").read_text(encoding="utf-8")
    compile(spec, "installer.spec", "exec")
    assert "console=False" in spec
    assert "upx=False" in spec and "upx=True" not in spec
    assert "exclude_binaries=True" in spec  # onedir
    assert "BUNDLE(" in spec and "VSVersionInfo(" in spec  # macOS and Windows sections
    assert "__version__" in spec
    assert '"PySide6.QtSql"' in spec  # never a second SQLite in the process


def test_icons_exist_at_every_size():
    from PySide6.QtGui import QImage

    for size in SIZES:
        image = QImage(str(ROOT / "resources" / "icons" / f"leaddesk-{size}.png"))
        assert (image.width(), image.height()) == (size, size)
    assert (ROOT / "resources" / "icons" / "leaddesk.svg").read_text().startswith("<svg")


def test_desktop_entry_is_complete():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "build" / "linux" / "leaddesk.desktop")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "LeadDesk"
    assert desktop["Icon"] == "leaddesk"
    assert desktop["Terminal"] == "false"
    assert "@EXEC@" in desktop["Exec"]


@pytest.fixture
def fake_bundle(tmp_path):
    """A stand-in for build/dist/LeadDesk: the executable and the bundled icons."""
    bundle = tmp_path / "dist" / "LeadDesk"
    icons = bundle / "_internal" / "resources" / "icons"
    shutil.copytree(ROOT / "resources" / "icons", icons)
    exe = bundle / "LeadDesk"
    exe.write_text("#!/bin/sh\necho LeadDesk\n")
    exe.chmod(0o755)
    return bundle


def _run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env["HOME"] = str(home)
    return subprocess.run(["sh", str(INSTALL), *args], env=env, capture_output=True, text=True, check=False)


def test_install_puts_leaddesk_in_the_menu_and_uninstall_takes_it_out(tmp_path, fake_bundle):
    home = tmp_path / "home"
    share = home / ".local" / "share"
    data = share / "LeadDesk"  # the rep's data folder: uninstall must leave it alone
    data.mkdir(parents=True)
    (data / "leaddesk.db").write_bytes(b"leads")

    result = _run(home, "install", str(fake_bundle))
    assert result.returncode == 0, result.stderr
    installed = share / "leaddesk" / "LeadDesk"
    assert os.access(installed, os.X_OK)
    desktop = (share / "applications" / "leaddesk.desktop").read_text()
    assert f'Exec="{installed}"' in desktop and "@EXEC@" not in desktop
    assert stat.S_IMODE((share / "applications" / "leaddesk.desktop").stat().st_mode) == 0o644
    for size in SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "leaddesk.png").exists()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "leaddesk.svg").exists()

    # Installing again (an update) replaces the old copy.
    (fake_bundle / "LeadDesk").write_text("#!/bin/sh\necho LeadDesk 2\n")
    assert _run(home, "install", str(fake_bundle)).returncode == 0
    assert "LeadDesk 2" in installed.read_text()

    result = _run(home, "uninstall")
    assert result.returncode == 0, result.stderr
    assert not (share / "leaddesk").exists()
    assert not (share / "applications" / "leaddesk.desktop").exists()
    assert not list((share / "icons").rglob("leaddesk.*"))
    assert (data / "leaddesk.db").read_bytes() == b"leads"


def test_install_without_a_bundle_says_what_to_do(tmp_path):
    result = _run(tmp_path / "home", "install", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "make bundle" in result.stderr
    assert not (tmp_path / "home" / ".local" / "share" / "applications").exists()


@pytest.mark.slow
def test_smoke_passes_from_the_source_tree(tmp_path):
    """The same --smoke CI runs on the bundle, run from source: it must pass before we freeze."""
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "app", "--smoke"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke OK" in result.stdout and "SQLite FTS5" in result.stdout and "main window shown" in result.stdout


def test_windows_and_macos_icons_hold_the_rendered_pngs():
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(ROOT / "resources" / "icons" / "leaddesk.ico"))
    assert reader.imageCount() == len(SIZES)
    assert reader.read().width() in SIZES
    icns = (ROOT / "resources" / "icons" / "leaddesk.icns").read_bytes()
    assert icns[:4] == b"icns" and int.from_bytes(icns[4:8], "big") == len(icns)
    assert b"ic08" in icns and b"\x89PNG" in icns


def test_bundle_if_built_is_within_budget_and_has_no_dangling_links():
    """Checks a bundle left by ``make bundle`` (CI builds one after the tests and re-checks size)."""
    dist = ROOT / "build" / "dist" / "LeadDesk"
    if not (dist / "LeadDesk").exists():
        pytest.skip("no bundle built in this checkout (make bundle)")
    files = [p for p in dist.rglob("*") if p.is_file() and not p.is_symlink()]
    assert sum(p.stat().st_size for p in files) <= 150 * 1024 * 1024  # .ci/run's budget (Qt, libpq, keyring)
    assert not [p for p in dist.rglob("*") if p.is_symlink() and not p.exists()]
    plugins = dist / "_internal" / "PySide6" / "Qt" / "plugins"
    assert {p.name for p in (plugins / "platforms").iterdir()} >= {"libqxcb.so", "libqwayland.so", "libqoffscreen.so"}
    assert not (plugins / "sqldrivers").exists()
    assert not list(dist.rglob("qtbase_*.qm"))  # no Qt translations
