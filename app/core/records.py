"""Two refusals every area's services share: a form's first problem, and a record that is gone."""

from __future__ import annotations

from app.core.errors import UserError


def refuse_first(problems: dict[str, str]) -> None:
    """A UserError with the first problem, if any (the form shows each one next to its field)."""
    if problems:
        raise UserError(next(iter(problems.values())))


def living(session, model, record_id: str | None, what: str):
    """The row, or a UserError when it does not exist or was deleted."""
    row = session.get(model, record_id) if record_id else None
    if row is None or row.deleted:
        raise UserError(f"找不到这个{what}（可能已被删除）")
    return row
