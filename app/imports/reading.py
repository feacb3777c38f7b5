"""Reading officers' spreadsheets row by row (never a whole sheet in memory): the sheets, their
header row(s) found below any title, and the data rows with the line numbers Excel shows.

.xlsx/.xlsm through openpyxl's streaming reader; .csv as utf-8 (with or without BOM), else
gb18030 (older WPS and Excel save CSV in the system's Chinese code page). .xls needs xlrd,
which is not installed: the officer is asked to save as .xlsx.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import UserError
from app.imports.cells import text as cell_text

SCAN_ROWS = 15  # the header is within the first rows (below a title, a note or two)
PREVIEW_ROWS = 8
_MAX_HEADER_TEXT = 30
_MAX_PARENT_TEXT = 12
_LABELLED = re.compile(r"[:：]")
_NUMBERISH = re.compile(r"^[\d\s.,:/年月日号+\-E]+$", re.IGNORECASE)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SAVE_AS_XLSX = "请在 Excel/WPS 中另存为 .xlsx 后再导入"


@dataclass(frozen=True)
class SheetInfo:
    name: str
    header_row: int  # 1-based row number of the (last) header row, guessed
    header_rows: int  # 1 or 2 (two header rows, the upper one merged over several columns)
    headers: list[str]  # one text per column ("住址/小区" when two rows), "" for an empty header
    preview: list[list[str]]  # up to 8 data rows below the header, as text, for the officer to confirm
    epoch_1904: bool


@dataclass(frozen=True)
class SourceRow:
    sheet: str
    line: int  # the row number Excel shows (1-based), for "行 12：…"
    values: tuple  # raw cell values (str/int/float/datetime/date/None), one per header column


def sheets(path: Path) -> list[SheetInfo]:
    """Every sheet holding anything, with its header guessed and a preview to confirm."""
    path = Path(path)
    found = []
    with _open(path) as book:
        for name in book.names:
            top = _rows_until(book, name, SCAN_ROWS + 2)
            if not any(_filled(row) for _, row in top):
                continue  # the empty Sheet2/Sheet3 a new workbook comes with
            header_row, header_rows = _find_header(top)
            headers = _join_headers(top, header_row, header_rows)
            preview = []
            for row in _data_rows(book, name, header_row, header_rows, headers, top):
                preview.append([_as_text(v) for v in row.values])
                if len(preview) >= PREVIEW_ROWS:
                    break
            found.append(SheetInfo(name=name, header_row=header_row, header_rows=header_rows, headers=headers,
                                   preview=preview, epoch_1904=book.epoch_1904))
    if not found:
        raise UserError(f"文件里没有数据：{path.name}")
    return found


def headers_at(path: Path, *, sheet: str, header_row: int, header_rows: int = 1) -> list[str]:
    """The header texts at a row the officer chose (the guess was wrong)."""
    with open_book(path) as book:
        return book.headers(sheet=sheet, header_row=header_row, header_rows=header_rows)


def read_rows(path: Path, *, sheet: str, header_row: int, header_rows: int = 1) -> Iterator[SourceRow]:
    """The rows after the header, streamed; fully blank rows and repeated header or title rows
    (sheets glued together) skipped. Values padded or cut to the header's columns."""
    with open_book(path) as book:
        yield from book.rows(sheet=sheet, header_row=header_row, header_rows=header_rows)


def workbook_epoch_1904(path: Path) -> bool:
    """Whether a workbook counts serial days from 1904 (old Mac Excel)."""
    with _open(Path(path)) as book:
        return book.epoch_1904


class OpenBook:
    """A workbook opened once for a whole check (added by the import service, engineer B): opening an
    .xlsx parses its shared-strings table, seconds for a 50,000-row register, so a check reads every
    sheet's headers and rows through one opening. Same results as ``headers_at`` and ``read_rows``."""

    def __init__(self, book, path: Path) -> None:
        self._book, self.path = book, path
        self.epoch_1904: bool = book.epoch_1904
        self.names: list[str] = list(book.names)

    def headers(self, *, sheet: str, header_row: int, header_rows: int = 1) -> list[str]:
        _check_header_choice(header_row, header_rows)
        top = _rows_until(self._book, _sheet_name(self._book, sheet, self.path), header_row)
        return _join_headers(top, header_row, header_rows)

    def rows(self, *, sheet: str, header_row: int, header_rows: int = 1) -> Iterator[SourceRow]:
        _check_header_choice(header_row, header_rows)
        name = _sheet_name(self._book, sheet, self.path)
        top = _rows_until(self._book, name, header_row)
        headers = _join_headers(top, header_row, header_rows)
        yield from _data_rows(self._book, name, header_row, header_rows, headers, top)


@contextmanager
def open_book(path: Path) -> Iterator[OpenBook]:
    """``with open_book(path) as book:`` — the file opened once, closed however the block ends."""
    path = Path(path)
    with _open(path) as book:
        yield OpenBook(book, path)


# -- header detection -------------------------------------------------------------------------


def _filled(row: tuple) -> bool:
    return any(_as_text(v) for v in row)


def _as_text(value) -> str:
    return cell_text(value) or ""


def _headerish(value) -> bool:
    """A cell that looks like a column title: short text, not a number, date or ID."""
    if not isinstance(value, str):
        return False
    squeezed = unicodedata.normalize("NFKC", value).strip()
    return 0 < len(squeezed) <= _MAX_HEADER_TEXT and not _NUMBERISH.match(squeezed)


def _width(rows: list[tuple[int, tuple]]) -> int:
    return max((max((i + 1 for i, v in enumerate(row) if _as_text(v)), default=0) for _, row in rows), default=0)


def _looks_like_header(row: tuple, width: int) -> bool:
    cells = [v for v in row[:width] if _as_text(v)]
    if len(cells) < 2 or len(cells) * 2 < width:
        return False  # a title (one merged cell) or a note
    return sum(_headerish(v) for v in cells) * 5 >= len(cells) * 4


def _second_row_below(upper: tuple, lower: tuple, width: int) -> bool:
    """``lower`` continues ``upper``'s header: short texts under blanks of ``upper`` that sit right
    of an upper text (a parent merged over several columns), and elsewhere nothing but blanks (a
    column merged down both rows) or the same text again; a data row has values everywhere."""
    up = [_as_text(upper[i]) if i < len(upper) else "" for i in range(width)]
    low = [lower[i] if i < len(lower) else None for i in range(width)]
    texts = [v for v in low if _as_text(v)]
    if not texts or not all(_headerish(v) for v in texts):
        return False
    children = 0
    for i in range(width):
        below = _as_text(low[i])
        if not below or below == up[i]:
            continue
        if not up[i] and any(up[:i]):
            children += 1
        elif not (up[i] and i + 1 < width and not up[i + 1] and _as_text(low[i + 1])):
            return False  # text under a header of its own: a data row
    return children > 0


def _second_row_above(upper: tuple, width: int) -> bool:
    """The row above a found header is its parent row: a few texts, each with blanks to its right."""
    up = [_as_text(upper[i]) if i < len(upper) else "" for i in range(width)]
    starts = [i for i, v in enumerate(up) if v]
    if not starts or len(starts) * 2 >= width:
        return False
    if not all(_headerish(upper[i]) and len(up[i]) <= _MAX_PARENT_TEXT and not _LABELLED.search(up[i])
               for i in starts):
        return False  # "填报单位：阳光社区" and the like are notes, not parents
    return any(i + 1 < width and not up[i + 1] for i in starts) and len(starts) > 1 or (
        len(starts) == 1 and 0 < starts[0])  # one parent over some, not a title starting at A


def _find_header(top: list[tuple[int, tuple]]) -> tuple[int, int]:
    """(header_row, header_rows): the first row that looks like column titles, with its parent
    row above it or its child row below it when the header takes two rows."""
    width = _width(top)
    for k, (line, row) in enumerate(top[:SCAN_ROWS]):
        if not _looks_like_header(row, width):
            continue
        below = top[k + 1] if k + 1 < len(top) else None
        if below and below[0] == line + 1 and _second_row_below(row, below[1], width):
            return line + 1, 2
        above = top[k - 1] if k else None
        if above and above[0] == line - 1 and _second_row_above(above[1], width):
            return line, 2
        return line, 1
    first = next((line for line, row in top if _filled(row)), 1)
    return first, 1


def _join_headers(top: list[tuple[int, tuple]], header_row: int, header_rows: int) -> list[str]:
    """One text per column; with two rows a child under a merged parent reads "住址/小区", a
    column merged down both rows keeps its one text."""
    rows = dict(top)
    lower = rows.get(header_row, ())
    upper = rows.get(header_row - 1, ()) if header_rows == 2 else ()
    width = max(_last_filled(lower), _last_filled(upper))
    low = [_as_text(lower[i]) if i < len(lower) else "" for i in range(width)]
    up = [_as_text(upper[i]) if i < len(upper) else "" for i in range(width)]
    headers = []
    parent = ""
    for i in range(width):
        if up[i]:
            parent = up[i]
        elif not low[i]:
            parent = ""  # a gap ends the merged parent
        if header_rows == 1 or not low[i]:
            headers.append(low[i] or up[i])
        elif up[i] or parent:
            headers.append(f"{up[i] or parent}/{low[i]}")
        else:
            headers.append(low[i])
    return headers


def _last_filled(row: tuple) -> int:
    return max((i + 1 for i, v in enumerate(row) if _as_text(v)), default=0)


def _check_header_choice(header_row: int, header_rows: int) -> None:
    if header_rows not in (1, 2) or header_row < header_rows:
        raise UserError(f"表头行不对：第 {header_row} 行，{header_rows} 行表头")


def _rows_until(book, name: str, last: int) -> list[tuple[int, tuple]]:
    top = []
    with closing(book.rows(name)) as rows:  # closes the sheet's stream at once (Windows holds it)
        for line, row in rows:
            if line > last:
                break
            top.append((line, row))
    return top


def _data_rows(book, name: str, header_row: int, header_rows: int, headers: list[str],
               top: list[tuple[int, tuple]]) -> Iterator[SourceRow]:
    width = len(headers)
    # rows seen above the data (title, header rows) come back when sheets were pasted together;
    # a cheap look at one column first, the whole row's texts only when it matches
    above = [row for line, row in top if line <= header_row and _filled(row)]
    key = next((i for i in range(width) if any(i < len(r) and _as_text(r[i]) for r in above)), 0)
    keys = {_as_text(r[key]).replace(" ", "") for r in above if key < len(r)}
    seen = {_signature(row, width) for row in above}
    with closing(book.rows(name)) as rows:
        for line, row in rows:
            if line <= header_row:
                continue
            values = row[:width] if len(row) >= width else row + (None,) * (width - len(row))
            if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
                continue
            first = values[key] if key < width else None
            if isinstance(first, str) and _as_text(first).replace(" ", "") in keys \
                    and _signature(values, width) in seen:
                continue
            yield SourceRow(sheet=name, line=line, values=values)


def _signature(row: tuple, width: int) -> tuple[str, ...]:
    texts = [_as_text(v).replace(" ", "") for v in row[:width]]
    return tuple(texts) + ("",) * (width - len(texts))


def _sheet_name(book, sheet: str, path: Path) -> str:
    if sheet in book.names:
        return sheet
    raise UserError(f"{path.name} 里没有工作表“{sheet}”（有：{'、'.join(book.names)}）")


# -- files --------------------------------------------------------------------------------------


@contextmanager
def _open(path: Path):
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UserError(f"不能直接读取旧版 .xls 文件，{SAVE_AS_XLSX}：{path.name}")
    if suffix not in (*XLSX_SUFFIXES, ".csv"):
        raise UserError(f"只能导入 .xlsx、.xlsm 或 .csv 文件：{path.name}")
    try:
        if not path.is_file():
            raise UserError(f"找不到文件：{path}")
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise UserError(_unreadable(path, exc)) from exc
    if suffix == ".csv":
        book = _CsvBook(path)
        yield book
        return
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: a renamed .xls, or an xlsx with a password
        raise UserError(f"{path.name} 是旧版 .xls 或设了打开密码的文件：请去掉密码，{SAVE_AS_XLSX}")
    book = _XlsxBook(path)
    try:
        yield book
    finally:
        book.close()


def _unreadable(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"打不开 {path.name}：文件正被其他程序打开或没有权限，请关闭 Excel/WPS 后重试"
    return f"打不开 {path.name}：{exc.strerror or exc}"


class _XlsxBook:
    """An .xlsx opened for streaming; ``rows`` yields (line, values) with Excel's row numbers."""

    def __init__(self, path: Path):
        import zipfile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self.path = path
        try:
            self._wb = load_workbook(path, read_only=True, data_only=True)
        except OSError as exc:
            raise UserError(_unreadable(path, exc)) from exc
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
            raise UserError(f"{path.name} 不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）") from exc
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        self.epoch_1904 = self._wb.epoch == CALENDAR_MAC_1904
        self.names = [ws.title for ws in self._wb.worksheets]  # chartsheets have no rows

    def rows(self, name: str) -> Iterator[tuple[int, tuple]]:
        ws = self._wb[name]
        # WPS and some exporters write a wrong <dimension>; openpyxl would cut rows to it
        ws.reset_dimensions()
        try:
            # missing rows come back empty, so the count is the row number Excel shows
            yield from enumerate(ws.iter_rows(values_only=True), start=1)
        except OSError as exc:
            raise UserError(_unreadable(self.path, exc)) from exc

    def close(self) -> None:
        self._wb.close()


class _CsvBook:
    """A CSV file as a one-sheet book named after the file."""

    epoch_1904 = False

    def __init__(self, path: Path):
        self.path = path
        self.names = [path.stem]
        self.encoding = _sniff_encoding(path)
        with path.open(encoding=self.encoding, newline="") as f:
            sample = f.read(8192)
        try:
            self.dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        except csv.Error:
            self.dialect = csv.excel

    def rows(self, name: str) -> Iterator[tuple[int, tuple]]:
        try:
            with self.path.open(encoding=self.encoding, newline="") as f:
                for reader_line, row in enumerate(csv.reader(f, self.dialect), start=1):
                    yield reader_line, tuple(_csv_value(v) for v in row)
        except (OSError, csv.Error) as exc:
            raise UserError(f"读不了 {self.path.name}：{exc}") from exc


def _csv_value(value: str):
    """None for a blank; ="0571…" (how systems keep Excel from turning digits into a number) unwrapped."""
    if not value.strip():
        return None
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        return value[2:-1]
    return value


def _sniff_encoding(path: Path) -> str:
    """utf-8 (a BOM or not) if the whole file decodes so, else gb18030; read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    except OSError as exc:
        raise UserError(_unreadable(path, exc)) from exc
    return "utf-8-sig"
