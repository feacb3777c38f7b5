"""Writing one ledger sheet: Chinese headers, a frozen header row, sensible column widths."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.output.files import check_folder, write_atomically


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    width: float  # in Excel character units; a Chinese character is about 2


def write_ledger(path: Path, *, title: str, columns: Sequence[LedgerColumn], rows: Iterable[Sequence]) -> int:
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
