"""Check that Qt can start here; name the missing system libraries if it cannot.

Run by `make` after installing: a fresh Linux machine may lack a library Qt links
against. Installs them with apt-get when running as root, else stops with their names.
With --bundle (run by `make bundle`), every platform plugin's libraries must be here too:
PyInstaller bundles the ones it finds, so a bundle built without libxcb-icccm (a server has
none) would start offscreen but show no window on a desktop that lacks it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# Debian packages providing the libraries PySide6's widgets and offscreen platform load.
DEBIAN_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
}
BUNDLE_PLATFORM = ("Qt/plugins/platforms/libqxcb.so",)
PROBE = "from PySide6.QtWidgets import QApplication; QApplication([])"


def qt_starts() -> bool:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True).returncode == 0


def missing_libraries(patterns=("Qt/lib/libQt6*.so.6", "Qt/plugins/platforms/*.so")) -> set[str]:
    import PySide6

    root = Path(PySide6.__file__).parent
    missing = set()
    for lib in [path for pattern in patterns for path in root.glob(pattern)]:
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True).stdout
        missing |= {line.split()[0] for line in out.splitlines() if "not found" in line}
    return missing


def ready(bundle: bool) -> bool:
    """Qt starts; for a bundle, the X11 platform (the desktop's) finds its libraries as well."""
    return qt_starts() and not (bundle and missing_libraries(BUNDLE_PLATFORM))


def main(bundle: bool) -> int:
    if ready(bundle):
        return 0
    missing = set() if qt_starts() else missing_libraries()
    if bundle:
        missing |= missing_libraries(BUNDLE_PLATFORM)
    packages = sorted({DEBIAN_PACKAGES.get(lib, lib) for lib in missing})
    if packages and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing system libraries Qt needs: {' '.join(packages)}")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True)
        if ready(bundle):
            return 0
    print(f"Qt cannot start{' on X11' if bundle else ''}: install these system packages first: "
          f"{' '.join(packages) or '(unknown)'}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(bundle="--bundle" in sys.argv))
