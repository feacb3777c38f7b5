"""The dependency rule: ui -> app -> db, with no Qt below ui/ and nothing of app/ in db/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str) -> dict[str, set[str]]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_app_and_db_never_import_qt():
    offenders = {
        path: sorted(n for n in names if n.split(".")[0] in {"PySide6", "shiboken6", "ui"})
        for package in ("app", "db")
        for path, names in imported_modules(package).items()
        if path != "app/cli.py"
    }
    assert {p: n for p, n in offenders.items() if n} == {}


def test_the_cli_reaches_the_gui_only_from_its_gui_command():
    """The one door from app/ to ui/: ``cpdesk gui`` starts the window, lazily."""
    tree = ast.parse((ROOT / "app" / "cli.py").read_text(encoding="utf-8"))
    importers = {
        func.name
        for func in ast.walk(tree)
        if isinstance(func, ast.FunctionDef)
        for node in ast.walk(func)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in {"ui", "PySide6"}
    }
    top_level = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert importers == {"cmd_gui"}
    assert all((getattr(n, "module", "") or "").split(".")[0] not in {"ui", "PySide6"} for n in top_level)


def test_db_never_imports_app():
    offenders = {path: sorted(n for n in names if n.split(".")[0] == "app")
                 for path, names in imported_modules("db").items()}
    assert {p: n for p, n in offenders.items() if n} == {}


def test_running_cli_commands_loads_no_qt(tmp_path):
    code = (
        "import sys; from app.cli import main; "
        f"main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'list', 'households']); "
        "print('PySide6' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "False"
