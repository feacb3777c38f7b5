"""Reading a sync file's payload: a checking pass over all of it, then its tables again one by one.

The payload is JSON lines: per table a header line ``{"table": …, "columns": […]}`` and its
rows (lists), then one ``{"manifest": …}`` line. The import reads the authenticated body twice
(app.sync.container keeps it compressed), never holding more than a batch of rows:

1. ``check``: every row parsed and checked batch by batch (app.sync.rows), no two with one id,
   the counts against the manifest; what it keeps is small: where each table starts (a Mark),
   the newest stamp, and the references the file leaves to rows it does not carry. A bad row
   stops the reading where it is, before the rest is inflated.
2. ``batches``: a table's rows from its mark, parsed again, unchecked: they are the bytes the
   first pass checked (the body was authenticated whole before either pass).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from app.sync.container import Body, Mark, Point, SyncError
from app.sync.rows import RowRefusal, check_rows, shown
from app.sync.tables import HLC, ID, SPECS

Progress = Callable[[str, int, int], None]
MAX_LINE = 16 << 20  # bytes: a row far beyond any column's limit is still read, to be refused by name
_BATCH = 2000  # rows parsed by one json call (and checked together)


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


class _Lines:
    """The lines of the inflated body, without their newlines (it must end with one); ``mark()``
    is where the line read last begins, so a later reading can start there."""

    def __init__(self, pieces: Iterable[tuple[Point, bytes]]) -> None:
        self._pieces = pieces
        self._k = 0

    def __iter__(self) -> Iterator[bytes]:
        tail, start = b"", None  # the unfinished line, and where it begins
        for point, piece in self._pieces:
            text = tail + piece if tail else piece
            parts = text.split(b"\n")
            rest = parts.pop()
            if len(rest) > MAX_LINE:
                raise _invalid(f"一行超过 {MAX_LINE >> 20} MB")
            self._point, self._parts, self._shift = point, parts, len(tail)
            self._first = start if tail else (point, 0)
            if parts:
                start = (point, len(text) - len(rest) - len(tail))
            elif not tail:
                start = (point, 0)
            tail = rest
            for self._k, line in enumerate(parts):
                yield line
        if tail:
            raise _invalid("没有以换行结束")

    def mark(self) -> Mark:
        k = self._k
        if k == 0:
            point, offset = self._first
        else:  # line k of this piece: after k newlines, less the tail carried into it
            point, offset = self._point, sum(map(len, self._parts[:k])) + k - self._shift
        return point.mark(offset)


@dataclass
class Checked:
    """What the checking pass found out, for the merging pass and its checks."""

    manifest: dict = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, in the file's order
    marks: dict[str, Mark] = field(default_factory=dict)  # where each table's section begins
    top: str | None = None  # the newest stamp of any row
    wanted: dict[str, set[str]] = field(default_factory=dict)  # parent table -> ids referred to, not in the file

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


class _Section:
    """One table's section in the checking pass: lines waiting to be parsed and checked, and
    what the rows so far told (how many, their ids, their references)."""

    def __init__(self, name: str, ids: dict[str, set], refs: dict[str, set]) -> None:
        self.spec = SPECS[name]
        self.count = 0
        self.ids = ids.setdefault(name, set())
        self.all_ids, self.refs = ids, refs
        self.top = ""
        self.batch: list[bytes] = []

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
                    raise RowRefusal(f"同步文件有误：{self.spec.name} 第 {self.count + n + 1} 行："
                                     "不是有效的 JSON") from None
        check_rows(self.spec, rows, first=self.count, escapes=b"\\u" in joined)
        ids = self.ids
        for row in rows:
            if row[ID] in ids:
                raise RowRefusal(f"同步文件有误：{self.spec.name} 行 {row[ID]}：同一记录出现了两次")
            ids.add(row[ID])
        self.top = max(self.top, max(row[HLC] for row in rows))
        for i, parent in self.spec.fks:  # only what the file itself does not (yet) carry is kept
            refs = {row[i] for row in rows}
            refs.discard(None)
            refs -= self.all_ids.get(parent, set())
            if refs:
                self.refs.setdefault(parent, set()).update(refs)
        self.count += len(rows)


def check(body: Body, progress: Progress | None = None) -> Checked:
    """Read the whole payload once, checking every row; SyncError on the first thing wrong."""
    progress = progress or (lambda _stage, _done, _total: None)
    found = Checked()
    ids: dict[str, set] = {}  # every id of the file, by table: dropped when the pass is over
    refs: dict[str, set] = {}
    lines = _Lines(body.pieces())
    manifest = current = None
    for line in lines:
        if manifest is not None:
            raise _invalid("清单之后还有内容")
        if line[:1] == b"[":
            if current is None:
                raise _invalid("表头之前有数据")
            current.add(line)
            continue
        if current is not None and line[:1] != b"{":  # a table's line that is not a row (null, "x", 5)
            raise RowRefusal(f"同步文件有误：{current.spec.name} 第 {current.count + len(current.batch) + 1} 行："
                             "应为一行数据（列表）")
        if current is not None:
            _close(current, found)
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
        if name in found.counts:
            raise _invalid(f"表 {name} 出现了两次")
        if columns != list(SPECS[name].columns):
            raise _invalid(f"表 {name} 的列与本程序不同")
        progress("检查数据", len(found.counts), len(SPECS))
        found.marks[name] = lines.mark()
        found.counts[name] = 0
        current = _Section(name, ids, refs)
    if manifest is None:
        raise _invalid("没有清单")
    if type(manifest) is not dict or manifest.get("tables") != found.counts:
        raise SyncError("invalid", "同步包内容与清单不符，没有导入任何数据")
    found.manifest = manifest
    for parent, referred in refs.items():  # a parent's section may come after its children's
        referred -= ids.get(parent, set())
        if referred:
            found.wanted[parent] = referred
    return found


def _close(section: _Section, found: Checked) -> None:
    section.flush()
    found.counts[section.spec.name] = section.count
    if section.top and (found.top is None or section.top > found.top):
        found.top = section.top


def batches(body: Body, mark: Mark, size: int = _BATCH) -> Iterator[list[list]]:
    """The rows of the table whose section begins at ``mark``, ``size`` at a time, as they were
    checked by ``check`` (which must have passed on this body: they are not checked again)."""
    lines = iter(_Lines(body.pieces(mark)))
    next(lines)  # the section's header
    batch: list[bytes] = []
    for line in lines:
        if line[:1] != b"[":
            break
        batch.append(line)
        if len(batch) >= size:
            yield _parsed(batch)
            batch = []
    if batch:
        yield _parsed(batch)


def _parsed(batch: list[bytes]) -> list[list]:
    rows = _load(b"[" + b",".join(batch) + b"]")
    if len(rows) != len(batch):  # cannot happen: each line parsed alone as one row in the first pass
        raise _invalid("两次读取的内容不同")
    return rows


class TableRows:
    """A table's rows, read afresh from the body each time they are iterated."""

    def __init__(self, body: Body, mark: Mark) -> None:
        self._body, self._mark = body, mark

    def __iter__(self) -> Iterator[list]:
        for batch in batches(self._body, self._mark):
            yield from batch
