"""Errors meant for the officer: the message says what is wrong in plain words."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Refused input or an impossible request; the CLI prints it as one line and exits 1."""


def log_traceback(exc: BaseException) -> Path:
    """Append a bug's traceback to the error log (never shown to an officer); returns the log."""
    import traceback

    from app.paths import data_dir

    log = data_dir() / "cpdesk-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=f)
    except OSError:
        pass  # a full or read-only disk must not turn a bug report into a crash
    return log
