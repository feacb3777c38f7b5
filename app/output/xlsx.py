"""Ledgers (台账) to .xlsx: one sheet with Chinese headers, a frozen header row, sensible widths.

Every area's ``<area>/ledger.py`` has the same entry point, ``write_ledger(db, *, start, end,
path) -> int`` (the rows written); it checks its period with ``app.core.timeutil.day_range`` and
writes and logs through ``save_ledger`` here, so every ledger leaves the program the same way."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.output.files import check_folder, write_atomically

if TYPE_CHECKING:
    from db.engine import Database


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    width: float  # in Excel character units; a Chinese character is about 2


def write_sheet(path: Path, *, title: str, columns: Sequence[LedgerColumn], rows: Iterable[Sequence]) -> int:
    """Write ``rows`` under ``columns`` to a new .xlsx at ``path``; returns the row count."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    check_folder(path)
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for sheet names
    book.properties.title = title
    sheet.append([c.header for c in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    count = 0
    for row in rows:
        sheet.append(list(row))
        count += 1
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    data = io.BytesIO()
    book.save(data)
    write_atomically(path, data.getvalue())
    return count


def save_ledger(db: Database, *, ledger: str, path: Path, columns: Sequence[LedgerColumn], rows: Iterable[Sequence],
                start: date | None = None, end: date | None = None, sheet_title: str | None = None,
                **detail) -> int:
    """Write the ledger named ``ledger`` and log it (which ledger, its period, the file, how many
    rows left the program, and ``detail``); returns the row count."""
    from app.audit.log import record_ledger

    count = write_sheet(Path(path), title=sheet_title or ledger, columns=columns, rows=rows)
    record_ledger(db, ledger=ledger, start=start, end=end, path=Path(path).absolute(), rows=count, **detail)
    return count
