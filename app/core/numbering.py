"""Device-scoped document numbers (文号) every area hands out: one past the highest with the prefix.

A number is ``<year>-<device code>-<letter?><4 digits>``: the laptop's short code means two laptops
never hand out the same one, and counting from the highest stored (deleted rows included, the other
laptops' too) means a number, once handed out, is never reused (app.core.device)."""

from __future__ import annotations

from sqlalchemy import Integer, cast, func, select


def next_number(conn_or_session, column, prefix: str) -> str:
    """``prefix`` and the next free 4-digit sequence number of ``column``, e.g. ``2026-A03-Z0007``.

    GLOB keeps other sequences out (agreements ``…-T0001`` are not disputes ``…-0001``), and odd
    imports too. Works on a Core connection or an ORM session; call it in the inserting transaction."""
    highest = conn_or_session.execute(
        select(func.max(cast(func.substr(column, len(prefix) + 1), Integer))).where(
            column.op("GLOB")(prefix + "[0-9]*"))
    ).scalar()
    return f"{prefix}{(highest or 0) + 1:04d}"
