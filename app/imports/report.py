"""The check's report as .xlsx: the rows the officer must look at (a problem, or a record already
stored) with their row number, the original columns and why, so he fixes them in Excel and imports
them again; the good rows are counted in the note above the table, not listed (they go in as they are,
and listing 100,000 of them would bury the few that need work)."""

from __future__ import annotations

import io
from pathlib import Path

from app.core.errors import UserError
from app.output.files import check_folder, write_atomically

ACTION_LABELS = {"add": "新增", "update": "更新", "skip": "跳过", "both": "都保留"}


def save_report(result, path: Path) -> None:
    """A note with the counts, then the flagged rows: 工作表 (when several), 行号, the file's columns as
    read, 问题, 已有记录, 处理."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"报告请保存为 .xlsx 文件：{path.name}")
    check_folder(path)  # before any work is done
    several = len(result.sheets) > 1
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入检查报告")
    headers = (["工作表"] if several else []) + ["行号"] + [h or f"第{i + 1}列" for i, h in
                                                          enumerate(result.headers)] + ["问题", "已有记录", "处理"]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    head = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = bold, fill
        head.append(cell)
    counts = result.counts
    note = WriteOnlyCell(sheet, value=(
        f"导入检查报告：共 {counts['rows']} 行；检查无误、将新增的 {counts['good'] - counts['matched']} 行未列出；"
        f"下面是有问题的 {counts['bad']} 行和已有记录的 {counts['matched']} 行"))
    note.font = bold
    sheet.freeze_panes = "A3"
    sheet.append([note])
    sheet.append(head)
    width = len(result.headers)
    warn, wrap = Font(color="C00000"), Alignment(wrap_text=True)
    for row in result.flagged.values():
        values = list(row.values[:width]) + [None] * (width - len(row.values))
        problem = WriteOnlyCell(sheet, value="；".join(row.problems) or None)
        problem.font, problem.alignment = warn, wrap
        sheet.append(([row.sheet] if several else []) + [row.line] + values +
                     [problem, row.match_label, ACTION_LABELS.get(row.action, row.action)])
    data = io.BytesIO()
    book.save(data)
    write_atomically(path, data.getvalue())
