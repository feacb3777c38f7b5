"""CLI commands of each area, registered by ``app.cli``.

Contract: an area module exposes ``add_parsers(commands, *, reports, ledgers)`` adding its
sub-commands to the top-level ``commands``, its document kinds to ``cpdesk report`` and its
ledger kinds to ``cpdesk ledger``; each parser names its handler with
``set_defaults(handler=fn)``, ``fn(args) -> int``. At import time an area module imports
nothing but argparse and ``app.commands.common``: building the parser must stay instant.
"""
