"""Importing a ledger the program exported, as the wizard does it (the round-trip tests share it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.imports import mapping, reading
from app.imports.service import check, fields, write
from db.engine import Database

START = date(2000, 1, 1)  # a period that holds every demo record


def import_ledger(db: Database, kind: str, path: Path, officer_id: str):
    """Check ``path``'s first sheet with the mapping guessed from its headers and write the good rows;
    returns (CheckResult, ImportSummary or None when no row was good)."""
    info = reading.sheets(path)[0]
    headers = reading.headers_at(path, sheet=info.name, header_row=info.header_row, header_rows=info.header_rows)
    result = check(db, kind=kind, path=path, sheets=[info.name], header_row=info.header_row,
                   header_rows=info.header_rows, mapping=mapping.guess(headers, fields(kind)))
    return result, (write(db, result=result, officer_id=officer_id) if result.counts["good"] else None)
