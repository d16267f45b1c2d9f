"""``make run``'s check of the X libraries Qt's window needs (build/linux/qt_system_libs.py)."""

import importlib.util
import os
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "build" / "linux" / "qt_system_libs.py"

# ldd's report on libqxcb.so when two of its libraries are missing (the rest abridged).
LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd5e5f1000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f3f0c400000)
\tlibxcb-cursor.so.0 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-icccm.so.4 => /lib/x86_64-linux-gnu/libxcb-icccm.so.4 (0x00007f3f0c3f0000)
\tlibxcb-cursor.so.0 => not found
"""


@pytest.fixture()
def qt_libs():
    spec = importlib.util.spec_from_file_location("qt_system_libs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_libraries_ldd_cannot_find_are_named_once(qt_libs):
    assert qt_libs.missing_libraries(LDD_OUTPUT) == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]
    assert qt_libs.missing_libraries("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n") == []


@pytest.mark.parametrize("soname, package", [
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libGL.so.1", "libgl1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libglib-2.0.so.0", "libglib-2.0-0"),
])
def test_each_library_maps_to_its_debian_package(qt_libs, soname, package):
    assert qt_libs.debian_package(soname) == package


def test_the_plugin_it_checks_is_the_one_pyside6_ships(qt_libs):
    assert qt_libs.plugin_path().is_file()


def test_a_user_without_apt_get_or_sudo_is_told_what_to_install(qt_libs, monkeypatch, capsys):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(qt_libs, "_ldd", lambda path: LDD_OUTPUT)
    monkeypatch.setattr(qt_libs.shutil, "which", lambda name: f"/usr/bin/{name}" if name != "sudo" else None)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)

    assert qt_libs.main() == 1
    err = capsys.readouterr().err
    assert "libxcb-cursor.so.0, libxkbcommon-x11.so.0" in err
    assert "apt-get install libxcb-cursor0 libxkbcommon-x11-0" in err


def test_nothing_is_checked_for_another_qt_platform(qt_libs, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(qt_libs, "_ldd", lambda path: LDD_OUTPUT)
    assert qt_libs.main() == 0
