"""The SQL statements a piece of work runs, as SQLite receives them: for EXPLAIN QUERY PLAN on the very
statements a service runs, so a rewritten query is checked as it is."""

from __future__ import annotations

from sqlalchemy import event


def statements_run(db, run) -> list[tuple[str, object]]:
    """(SQL, parameters) of every statement ``run()`` executes on ``db``, in order."""
    statements = []

    def keep(_conn, _cursor, sql, parameters, _context, _many) -> None:
        statements.append((sql, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return statements
