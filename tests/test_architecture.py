"""The dependency rule: ui -> app -> db, with no Qt below ui/ and nothing of app/ in db/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str, *, members: bool = False) -> dict[str, set[str]]:
    """Every module each file of ``package`` imports, anywhere in it (lazy imports too); with
    ``members``, ``from a import b`` counts ``a.b`` as well as ``a`` (b may be a module)."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names |= {node.module} | ({f"{node.module}.{alias.name}" for alias in node.names} if members else set())
        found[str(path.relative_to(ROOT))] = names
    return found


def test_app_and_db_never_import_qt():
    offenders = {
        path: sorted(n for n in names if n.split(".")[0] in {"PySide6", "shiboken6", "ui"})
        for package in ("app", "db")
        for path, names in imported_modules(package).items()
    }
    assert {p: n for p, n in offenders.items() if n} == {}


def test_the_window_is_handed_to_the_cli_by_the_launcher_in_ui():
    """``cpdesk`` is ui/shell/launch.py: app/cli/main.py runs the window it is given, and without one
    (``python -m app``) says where the window is instead of importing ui/."""
    from app.cli.main import main

    opened = []

    def window(path, *, smoke):
        opened.append((path.name, smoke))
        return 0

    assert main(["--db", "x.sqlite3", "gui", "--smoke"], open_window=window) == 0
    assert opened == [("x.sqlite3", True)]
    assert main(["--db", "x.sqlite3", "gui"]) == 1  # python -m app: one line, no window


def test_db_never_imports_app():
    offenders = {path: sorted(n for n in names if n.split(".")[0] == "app")
                 for path, names in imported_modules("db").items()}
    assert {p: n for p, n in offenders.items() if n} == {}


@pytest.mark.parametrize("entry", ["app.cli.main", "ui.shell.launch"])
def test_running_cli_commands_loads_no_qt(tmp_path, entry):
    code = (
        f"import sys; from {entry} import main; "
        f"main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'list', 'households']); "
        "print('PySide6' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "False"
