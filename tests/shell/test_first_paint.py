"""What runs before the window's first paint stays small: the start-up benchmark
(tests/bench/test_startup.py) holds it to 1.5 bare windows, and these checks keep its causes out."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The program as `cpdesk gui` starts it (ui.shell.app.run), its window reporting at its first paint
# which costly modules and namespaces were loaded by then; it quits at once after.
FIRST_PAINT = """
import json, os, sys
import PySide6.QtCore as QtCore
from ui.shell import app as shell_app

class Reporting(shell_app.MainWindow):
    def paintEvent(self, event):
        print(json.dumps({"qt_namespace": "Qt" in vars(QtCore),
                          "sqlalchemy": "sqlalchemy" in sys.modules}), flush=True)
        os._exit(0)

shell_app.MainWindow = Reporting
shell_app.run(sys.argv[1])
"""


def test_nothing_before_the_first_paint_creates_qts_enum_namespace_or_imports_sqlalchemy(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", FIRST_PAINT, str(tmp_path / "station.sqlite3")], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    # PySide6.QtCore.Qt makes ~100 Python enums when first touched (~14 ms); SQLAlchemy ~0.5 s.
    assert loaded == {"qt_namespace": False, "sqlalchemy": False}
