"""Checking an import before anything is written: every row read, converted, compared with the
rows above it and with the database, with its reasons in plain Chinese. Writes nothing to the database.

Memory follows the rows the officer must look at, not the file (100,000 rows took 240 MB when every
row's result and draft stayed): rows go through in chunks, and the good ones wait in an encrypted
temporary file (app/imports/spill.py) until the write streams them back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import UserError
from app.imports.kinds import Planned, kind_module
from app.imports.spill import Spill

Progress = Callable[[str, int, int], None]  # (stage text, done, total), as app/sync reports
STEP = 500  # rows between progress reports and looks at the cancel button
MATCHED_DEFAULT = "skip"  # a row already in the database is left alone unless the officer says otherwise
CHUNK = 2_000  # rows matched against the database and spilled together (the kinds query in 500s)
WRITTEN = ("add", "update", "both")  # the row actions that write
ROWS, DRAFTS = 0, 1  # the parts of a spilled chunk: what the check page shows, what the write takes


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


class CheckResult:
    """What a check found. ``flagged``: the rows the officer must look at (a problem, or a stored record
    matched, whose 处理 he chooses), in memory with their values; every other row is good, written as
    新增, and waits in an encrypted temporary file (``spill``) with its draft until the write, so the
    check's memory is bounded by the flagged rows, not by the file. ``rows`` shows them all in order."""

    def __init__(self, *, kind: str, path: Path, sheets: list[str], headers: list[str], mapping: dict[int, str],
                 total: int, flagged: dict[int, RowResult], spill: Spill) -> None:
        self.kind, self.path, self.sheets, self.headers, self.mapping = kind, path, sheets, headers, mapping
        self.total = total  # rows checked
        self.flagged = flagged  # row index -> RowResult, in file order
        self.spill = spill  # per chunk: ROWS (index, sheet, line, values) of the good rows not matched;
        # DRAFTS (index, draft) of every good row, matched ones too

    @property
    def rows(self) -> Sequence[RowResult]:
        """Every row in file order; a good row is rebuilt from the spill when asked for (choices are
        made only on flagged rows, which are the same objects each time)."""
        return Rows(self)

    @property
    def counts(self) -> dict[str, int]:
        bad = sum(1 for row in self.flagged.values() if row.problems)
        matched = sum(1 for row in self.flagged.values() if row.match_id and not row.problems)
        return {"rows": self.total, "good": self.total - bad, "bad": bad, "matched": matched}

    def actions(self) -> dict[str, int]:
        """How many rows each action takes (add/update/both/skip), as the write will do them."""
        out = dict.fromkeys(("add", "update", "both", "skip"), 0)
        for row in self.flagged.values():
            out[row.action] = out.get(row.action, 0) + 1
        out["add"] += self.total - len(self.flagged)
        return out

    def writing(self) -> int:
        """Rows the write would write (new, update or keep both)."""
        done = self.actions()
        return done["add"] + done["update"] + done["both"]

    def set_matched(self, action: str) -> None:
        """The same choice (update, skip or both) for every good row that matched a stored record."""
        if action not in ("update", "skip", "both"):
            raise UserError(f"已有记录的处理方式应为 update、skip 或 both：{action}")
        for row in self.flagged.values():
            if row.match_id and not row.problems:
                row.action = action

    def planned(self) -> Sequence[Planned]:
        """The rows to write, as a kind's ``write`` takes them, read back from the spill as iterated."""
        return PlannedRows(self)

    def close(self) -> None:
        """Delete the temporary file now (it goes anyway when the result is dropped)."""
        self.spill.close()


class Rows(Sequence):
    """``CheckResult.rows``: flagged rows from memory, good rows from the spill (one chunk decoded)."""

    def __init__(self, result: CheckResult) -> None:
        self._result = result
        self._chunk: tuple[int, dict[int, tuple]] | None = None

    def __len__(self) -> int:
        return self._result.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if (row := self._result.flagged.get(index)) is not None:
            return row
        spill = self._result.spill
        number = spill.chunk_of(index)
        if self._chunk is None or self._chunk[0] != number:
            self._chunk = (number, {item[0]: item for item in spill.chunk(number, ROWS)})
        _index, sheet, line, values = self._chunk[1][index]
        return RowResult(sheet=sheet, line=line, values=values, problems=[], match_id=None, match_label=None,
                         action="add")

    def __iter__(self) -> Iterator[RowResult]:
        for index in range(len(self)):
            yield self[index]


class PlannedRows(Sequence):
    """``CheckResult.planned()``: each iteration streams the spill again (a kind may look twice)."""

    def __init__(self, result: CheckResult) -> None:
        self._result = result
        self._length = result.writing()

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Planned]:
        flagged = self._result.flagged
        for index, draft in self._result.spill.items(DRAFTS):
            row = flagged.get(index)
            if row is None:
                yield Planned(index, draft, "add")
            elif row.action in WRITTEN and not row.problems:
                yield Planned(index, draft, row.action, row.match_id)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return list(self)[position]
        if position < 0:
            position += len(self)
        for n, item in enumerate(self):
            if n == position:
                return item
        raise IndexError(position)


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
    repeated in the file and rows already stored. Each sheet has its header at ``header_row``.
    Rows go through in chunks of CHUNK: converted, compared with the database (the kind's set-based
    ``refuse``/``match``), then the good ones spilled; only the flagged rows and the file keys stay."""
    from app.imports import reading

    module = kind_module(kind)
    path = Path(path)
    report = progress or (lambda _stage, _done, _total: None)
    stop = should_stop or (lambda: False)
    if not mapping:
        raise UserError("还没有指定任何列对应的字段")
    spill = Spill()
    try:
        with reading.open_book(path) as book, db.connect() as conn:
            sheets = list(sheets) or book.names[:1]
            if unknown := [name for name in sheets if name not in book.names]:
                raise UserError(f"文件里没有这个工作表：{'、'.join(unknown)}（有：{'、'.join(book.names)}）")
            first = book.headers(sheet=sheets[0], header_row=header_row, header_rows=header_rows)
            checker = _Chunks(module, conn, spill)
            for sheet in sheets:
                headers = first if sheet == sheets[0] else \
                    book.headers(sheet=sheet, header_row=header_row, header_rows=header_rows)
                columns = sorted(_sheet_mapping(headers, first, mapping).items())
                for source in book.rows(sheet=sheet, header_row=header_row, header_rows=header_rows):
                    values = source.values
                    cells = {key: values[index] for index, key in columns if index < len(values)}
                    draft, problems = module.convert(cells, sheet=sheet, epoch_1904=book.epoch_1904)
                    checker.add(sheet, source.line, values, draft, problems)
                    if checker.total % STEP == 0:
                        if stop():
                            raise ImportCancelled("已取消检查，未写入任何数据")
                        report("检查各行", checker.total, 0)
            checker.flush()
        report("检查各行", checker.total, checker.total)
        if stop():
            raise ImportCancelled("已取消检查，未写入任何数据")
    except BaseException:
        spill.close()
        raise
    return CheckResult(kind=kind, path=path, sheets=sheets, headers=first, mapping=dict(mapping),
                       total=checker.total, flagged=checker.flagged, spill=spill)


class _Chunks:
    """The rows of a check gathered CHUNK at a time, then compared with the file's earlier rows and
    the database; flagged rows kept, good rows spilled."""

    def __init__(self, module, conn, spill: Spill) -> None:
        self.module, self.conn, self.spill = module, conn, spill
        self.refuse = getattr(module, "refuse", None)  # optional: checks against stored records (an officer)
        # A kind whose refuse compares rows with each other (rectifications: the rows of one inspection must
        # agree) says so, and is checked as one chunk; every other kind CHUNK rows at a time.
        self.size = None if getattr(module, "WHOLE_FILE", False) else CHUNK
        self.seen: dict = {}  # file key -> (sheet number << 32 | line) of its first row: one int
        self.sheets: list[str] = []
        self.flagged: dict[int, RowResult] = {}
        self.pending: list[list] = []  # [index, sheet, line, values, draft, problems]
        self.start = self.total = 0

    def add(self, sheet: str, line: int, values: tuple, draft, problems: list[str]) -> None:
        if draft is not None and (key := self.module.file_key(draft)) is not None:
            if (other := self.seen.get(key)) is not None:
                other_sheet, other_line = self.sheets[other >> 32], other & 0xFFFFFFFF
                where = f"第 {other_line} 行" if other_sheet == sheet else f"“{other_sheet}”第 {other_line} 行"
                problems, draft = [f"与{where}重复"], None
            else:
                if not self.sheets or self.sheets[-1] != sheet:
                    self.sheets.append(sheet)
                self.seen[key] = (len(self.sheets) - 1) << 32 | line
        self.pending.append([self.total, sheet, line, values, draft, problems])
        self.total += 1
        if self.size is not None and len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        good = [item for item in pending if item[4] is not None]
        if good and self.refuse:
            for position, reasons in self.refuse(self.conn, [item[4] for item in good]).items():
                good[position][4], good[position][5] = None, reasons
            good = [item for item in good if item[4] is not None]
        found = self.module.match(self.conn, [item[4] for item in good]) if good else {}
        matched = {good[position][0]: stored for position, stored in found.items()}
        for index, sheet, line, values, draft, problems in pending:  # in file order
            if draft is None:
                self.flagged[index] = RowResult(sheet=sheet, line=line, values=values, problems=problems,
                                                match_id=None, match_label=None, action="skip")
            elif index in matched:
                record_id, label = matched[index]
                self.flagged[index] = RowResult(sheet=sheet, line=line, values=values, problems=[],
                                                match_id=record_id, match_label=label, action=MATCHED_DEFAULT)
        flagged = self.flagged
        self.spill.add(self.start, ([item[:4] for item in good if item[0] not in flagged],
                                    [(item[0], item[4]) for item in good]))
        self.start = self.total
