"""``cpdesk export`` and ``cpdesk import`` under the area contract (handlers in app.sync.commands)."""

from __future__ import annotations

from app.commands.common import db_path


def add_parsers(commands, *, reports, ledgers) -> None:
    from app.sync import commands as sync  # argparse-only at import time

    sync.add_parsers(commands)
    commands.choices["export"].set_defaults(handler=lambda args: sync.cmd_export(args, db_path(args)))
    commands.choices["import"].set_defaults(handler=lambda args: sync.cmd_import(args, db_path(args)))
