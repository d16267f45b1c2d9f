"""The system libraries LeadDesk's window needs on Linux, installed by ``make run`` and ``make bundle`` when missing.

PySide6's wheels carry Qt itself, but its X11 platform plugin (``libqxcb.so``: the window on an X11 or
XWayland desktop) links to X libraries that a fresh install may lack: since Qt 6.5 ``libxcb-cursor0``,
absent from many desktops, and on minimal systems several more. Without them Qt aborts at start-up. This
asks ``ldd`` what the plugin cannot load and installs the Debian/Ubuntu packages that hold it (through sudo
when not root); elsewhere it names the libraries and stops. The double-click bundle carries the copies it
finds when it is built, so it runs on desktops that lack them.

    .venv/bin/python build/linux/qt_system_libs.py
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

_NOT_FOUND = re.compile(r"^\s*(\S+) => not found", re.MULTILINE)
_SONAME = re.compile(r"^(lib.+?)\.so\.(\d+)")


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` reports as not found."""
    return sorted(set(_NOT_FOUND.findall(ldd_output)))


def debian_package(soname: str) -> str:
    """The Debian package of a shared library, by Debian's naming policy: ``libxcb-cursor.so.0`` ->
    ``libxcb-cursor0``; a name ending in a digit takes a hyphen: ``libxkbcommon-x11.so.0`` -> ``libxkbcommon-x11-0``."""
    match = _SONAME.match(soname)
    if match is None:
        return soname
    name, version = match.group(1).lower(), match.group(2)
    return f"{name}{'-' if name[-1].isdigit() else ''}{version}"


def plugin_path() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def _ldd(path: Path) -> str:
    return subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False).stdout


def main() -> int:
    """0 when the window's libraries are all there (or now installed, or not needed here), else 1."""
    platform = (os.environ.get("QT_QPA_PLATFORM") or "xcb").split(":")[0]
    plugin = plugin_path()
    if not sys.platform.startswith("linux") or platform != "xcb" or not plugin.exists() or not shutil.which("ldd"):
        return 0
    missing = missing_libraries(_ldd(plugin))
    if not missing:
        return 0
    packages = sorted({debian_package(soname) for soname in missing})
    print(f"LeadDesk's window needs system libraries this machine lacks: {', '.join(missing)}.", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if not shutil.which("apt-get") or sudo and not shutil.which("sudo"):
        print(f"Install them (on Debian or Ubuntu: apt-get install {' '.join(packages)}), then run make run again.",
              file=sys.stderr)
        return 1
    print(f"Installing {' '.join(packages)} with {' '.join([*sudo, 'apt-get'])}…", file=sys.stderr)
    for command in ([*sudo, "apt-get", "update", "-qq"], [*sudo, "apt-get", "install", "-y", "-qq", *packages]):
        if subprocess.run(command, check=False).returncode != 0:
            print(f"“{' '.join(command)}” failed: install {' '.join(packages)}, then run make run again.",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
