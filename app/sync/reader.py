"""Reading a sync file's payload as it is inflated: a line at a time, rows checked batch by batch.

The payload is JSON lines: per table a header line ``{"table": …, "columns": […]}`` and its
rows (lists), then one ``{"manifest": …}`` line. Only the rows are kept: the decoded body is
never held whole, and a bad row stops the reading where it is, before the rest is inflated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator

from app.sync.container import SyncError
from app.sync.rows import RowRefusal, check_rows, shown
from app.sync.tables import ID, SPECS

Progress = Callable[[str, int, int], None]
MAX_LINE = 16 << 20  # bytes: a row far beyond any column's limit is still read, to be refused by name
_BATCH = 2000  # rows parsed by one json call and checked together


def _invalid(why: str) -> SyncError:
    return SyncError("invalid", f"同步包内容无效（{why}），没有导入任何数据")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


_decode = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite).decode


def _load(data: bytes):
    """Strict UTF-8 (no encoded surrogates) and strict JSON (no NaN, no 1e999); ValueError otherwise."""
    try:
        return _decode(data.decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deeply") from None


def lines(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of a stream of byte pieces, without their newlines; the stream must end with one."""
    tail = b""
    for piece in pieces:
        parts = (tail + piece).split(b"\n")
        tail = parts.pop()
        if len(tail) > MAX_LINE:
            raise _invalid(f"一行超过 {MAX_LINE >> 20} MB")
        yield from parts
    if tail:
        raise _invalid("没有以换行结束")


class _Table:
    """One table's section: its rows so far, and a batch of lines waiting to be parsed."""

    def __init__(self, name: str) -> None:
        self.spec = SPECS[name]
        self.rows: list[list] = []
        self.ids: set = set()
        self.batch: list[bytes] = []

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.batch)

    def add(self, line: bytes) -> None:
        self.batch.append(line)
        if len(self.batch) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        joined = b"[" + b",".join(batch) + b"]"
        try:
            rows = _load(joined)
        except ValueError:
            rows = None
        if type(rows) is not list or len(rows) != len(batch):  # find the line (one may hold two rows)
            rows = []
            for n, line in enumerate(batch):
                try:
                    rows.append(_load(line))
                except ValueError:
                    raise RowRefusal(f"同步文件有误：{self.spec.name} 第 {len(self.rows) + n + 1} 行："
                                     "不是有效的 JSON") from None
        check_rows(self.spec, rows, first=len(self.rows), escapes=b"\\u" in joined)
        for row in rows:
            if row[ID] in self.ids:
                raise RowRefusal(f"同步文件有误：{self.spec.name} 行 {row[ID]}：同一记录出现了两次")
            self.ids.add(row[ID])
        self.rows += rows


def read_payload(pieces: Iterable[bytes], progress: Progress | None = None) -> tuple[dict, dict[str, list[list]]]:
    """The manifest and the checked rows of each table; SyncError on the first thing wrong."""
    progress = progress or (lambda _stage, _done, _total: None)
    tables: dict[str, list[list]] = {}
    manifest = current = None
    for line in lines(pieces):
        if manifest is not None:
            raise _invalid("清单之后还有内容")
        if line[:1] == b"[":
            if current is None:
                raise _invalid("表头之前有数据")
            current.add(line)
            continue
        if current is not None and line[:1] != b"{":  # a table's line that is not a row (null, "x", 5)
            raise RowRefusal(f"同步文件有误：{current.spec.name} 第 {current.count + 1} 行：应为一行数据（列表）")
        if current is not None:
            current.flush()
            tables[current.spec.name] = current.rows
            current = None
        try:
            section = _load(line)
            if type(section) is not dict:
                raise TypeError("not a section")
            if "manifest" in section:
                manifest = section["manifest"]
                continue
            name = section["table"]
            columns = section["columns"]
        except (ValueError, KeyError, TypeError):
            raise _invalid("格式不对") from None
        if type(name) is not str or name not in SPECS:
            raise _invalid(f"未知的表 {shown(name)}")
        if name in tables:
            raise _invalid(f"表 {name} 出现了两次")
        if columns != list(SPECS[name].columns):
            raise _invalid(f"表 {name} 的列与本程序不同")
        progress("检查数据", len(tables), len(SPECS))
        current = _Table(name)
    if manifest is None:
        raise _invalid("没有清单")
    counts = {name: len(rows) for name, rows in tables.items()}
    if type(manifest) is not dict or manifest.get("tables") != counts:
        raise SyncError("invalid", "同步包内容与清单不符，没有导入任何数据")
    return manifest, tables
