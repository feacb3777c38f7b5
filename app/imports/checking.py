"""Checking an import before anything is written: every row read, converted, compared with the
rows above it and with the database, with its reasons in plain Chinese. Writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import UserError
from app.imports.kinds import kind_module

Progress = Callable[[str, int, int], None]  # (stage text, done, total), as app/sync reports
STEP = 500  # rows between progress reports and looks at the cancel button
MATCHED_DEFAULT = "skip"  # a row already in the database is left alone unless the officer says otherwise


class ImportCancelled(UserError):
    """The officer cancelled; nothing was written."""


@dataclass
class RowResult:
    sheet: str
    line: int
    values: tuple  # the row as read (for the report)
    problems: list[str]  # plain Chinese reasons; empty when the row is fine
    match_id: str | None  # an existing record this row matches
    match_label: str | None  # how that record is shown ("张伟（阳光小区3栋2单元501室）")
    action: str  # "add" | "update" | "skip" | "both"


@dataclass
class CheckResult:
    kind: str
    path: Path
    sheets: list[str]
    headers: list[str]
    mapping: dict[int, str]
    rows: list[RowResult]
    drafts: list = field(default_factory=list, repr=False)  # per row: what the kind's write takes, or None

    @property
    def counts(self) -> dict[str, int]:
        bad = sum(1 for row in self.rows if row.problems)
        matched = sum(1 for row in self.rows if row.match_id and not row.problems)
        return {"rows": len(self.rows), "good": len(self.rows) - bad, "bad": bad, "matched": matched}

    def set_matched(self, action: str) -> None:
        """The same choice (update, skip or both) for every good row that matched a stored record."""
        if action not in ("update", "skip", "both"):
            raise UserError(f"已有记录的处理方式应为 update、skip 或 both：{action}")
        for row in self.rows:
            if row.match_id and not row.problems:
                row.action = action


def _sheet_mapping(headers: list[str], first: list[str], mapping: dict[int, str]) -> dict[int, str]:
    """The mapping made on the first sheet, for a sheet whose columns may sit elsewhere: by header text."""
    if headers == first:
        return mapping
    by_text = {first[index]: key for index, key in mapping.items() if index < len(first) and first[index]}
    moved = {index: by_text[text] for index, text in enumerate(headers) if text in by_text}
    return moved or mapping


def check(db, *, kind: str, path: Path, sheets: Sequence[str], header_row: int, header_rows: int = 1,
          mapping: dict[int, str], progress: Progress | None = None,
          should_stop: Callable[[], bool] | None = None) -> CheckResult:
    """Read ``sheets`` of ``path`` (streaming), convert every row with the kind's rules, find rows
    repeated in the file and rows already stored. Each sheet has its header at ``header_row``."""
    from app.imports import reading

    module = kind_module(kind)
    path = Path(path)
    report = progress or (lambda _stage, _done, _total: None)
    stop = should_stop or (lambda: False)
    if not mapping:
        raise UserError("还没有指定任何列对应的字段")
    with reading.open_book(path) as book:
        sheets = list(sheets) or book.names[:1]
        if unknown := [name for name in sheets if name not in book.names]:
            raise UserError(f"文件里没有这个工作表：{'、'.join(unknown)}（有：{'、'.join(book.names)}）")
        first = book.headers(sheet=sheets[0], header_row=header_row, header_rows=header_rows)
        rows: list[RowResult] = []
        drafts: list = []
        seen: dict = {}
        for sheet in sheets:
            headers = first if sheet == sheets[0] else \
                book.headers(sheet=sheet, header_row=header_row, header_rows=header_rows)
            columns = sorted(_sheet_mapping(headers, first, mapping).items())
            for source in book.rows(sheet=sheet, header_row=header_row, header_rows=header_rows):
                values = source.values
                cells = {key: values[index] for index, key in columns if index < len(values)}
                draft, problems = module.convert(cells, sheet=sheet, epoch_1904=book.epoch_1904)
                if draft is not None and (key := module.file_key(draft)) is not None:
                    if key in seen:
                        other_sheet, other_line = seen[key]
                        where = f"第 {other_line} 行" if other_sheet == sheet else f"“{other_sheet}”第 {other_line} 行"
                        problems, draft = [f"与{where}重复"], None
                    else:
                        seen[key] = (sheet, source.line)
                rows.append(RowResult(sheet=sheet, line=source.line, values=values, problems=problems,
                                      match_id=None, match_label=None, action="skip" if problems else "add"))
                drafts.append(draft)
                if len(rows) % STEP == 0:
                    if stop():
                        raise ImportCancelled("已取消检查，未写入任何数据")
                    report("检查各行", len(rows), 0)
    report("检查各行", len(rows), len(rows))
    if stop():
        raise ImportCancelled("已取消检查，未写入任何数据")
    good = [index for index, draft in enumerate(drafts) if draft is not None]
    report("与已有记录比对", 0, len(good))
    with db.connect() as conn:
        if refuse := getattr(module, "refuse", None):  # optional: checks against stored records (an officer's name)
            for position, reasons in refuse(conn, [drafts[index] for index in good]).items():
                row = rows[good[position]]
                row.problems, row.action, drafts[good[position]] = reasons, "skip", None
            good = [index for index in good if drafts[index] is not None]
        found = module.match(conn, [drafts[index] for index in good])
    for position, (record_id, label) in found.items():
        row = rows[good[position]]
        row.match_id, row.match_label, row.action = record_id, label, MATCHED_DEFAULT
    report("与已有记录比对", len(good), len(good))
    return CheckResult(kind=kind, path=path, sheets=sheets, headers=first, mapping=dict(mapping), rows=rows,
                       drafts=drafts)
