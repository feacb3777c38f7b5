"""``cpdesk``: the command line (app/cli/main.py) with the program window as its default command.

This is where the two layers meet, so app/ never imports ui/ (DESIGN.md: ui -> app -> db).
No Qt is imported here: every command but ``gui`` runs without loading it (tested).
"""

from __future__ import annotations

from pathlib import Path

from app.cli.main import main as cli_main


def open_window(db_path: Path, *, smoke: bool = False) -> int:
    from ui.shell.app import run

    return run(db_path, smoke=smoke)


def main(argv: list[str] | None = None) -> int:
    return cli_main(argv, open_window=open_window)
