"""Errors meant for the officer: the message says what is wrong in plain words."""

from __future__ import annotations

import re
from pathlib import Path


class UserError(Exception):
    """Refused input or an impossible request; the CLI prints it as one line and exits 1."""


def log_traceback(exc: BaseException) -> Path:
    """Append a bug's traceback to the error log (never shown to an officer); returns the log."""
    import traceback

    from app.core.paths import data_dir

    log = data_dir() / "cpdesk-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=f)
    except OSError:
        pass  # a full or read-only disk must not turn a bug report into a crash
    return log


def one_line(text: str) -> str:
    """A message as one line: the CLI prints exactly one line per refusal."""
    return " ".join(str(text).split())


def explain(exc: BaseException) -> str:
    """The one line an officer is shown for ``exc`` (the CLI's handler and the GUI both use it):
    a refusal's own words, a storage failure in plain words, else an internal error whose
    traceback goes to the log."""
    from app.core.oserrors import storage_problem
    from db.errors import StorageError

    problem = storage_problem(exc)
    if isinstance(exc, (UserError, StorageError)):
        text, cause = str(exc), exc.__cause__
        if problem and cause is not None and str(cause) and str(cause) in text:
            text = text.replace(str(cause), problem)  # "备份失败：database or disk is full" -> "…：磁盘已满"
        return one_line(text)
    if problem:
        return problem
    # SQLAlchemy appends the statement and a link: the log has them
    summary = re.split(r" \[SQL:| \(Background on", one_line(exc))[0] or type(exc).__name__
    return f"内部错误：{summary}（详情已记录到 {log_traceback(exc)}）"


def as_user_error(exc: BaseException) -> BaseException:
    """A storage failure as a UserError carrying its line (the GUI shows UserErrors as they are);
    anything else unchanged."""
    from app.core.oserrors import storage_problem

    if isinstance(exc, UserError) or storage_problem(exc) is None:
        return exc
    error = UserError(explain(exc))
    error.__cause__ = exc
    return error
