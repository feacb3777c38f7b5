"""Errors meant for the officer: the message says what is wrong in plain words."""

from __future__ import annotations


class UserError(Exception):
    """Refused input or an impossible request; the CLI prints it as one line and exits 1."""
