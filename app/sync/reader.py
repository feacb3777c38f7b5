"""Reading a sync file's payload: one pass over all of it that checks every row and hands each
checked batch on, and a table's rows again from where its section begins.

The payload is JSON lines: per table a header line ``{"table": …, "columns": […]}`` and its
rows (lists), then one ``{"manifest": …}`` line. The body was authenticated whole before it is
read (app.sync.container keeps it compressed), and a reading never holds more than a batch:

1. ``Reading``: every row parsed and checked batch by batch (app.sync.rows), no two with one id,
   the counts against the manifest; each batch is handed on only once it passed, so the import
   merges it straight away (inside its transaction, rolled back if a later row is refused).
   What it keeps is small: where each table starts (a Mark), the newest stamp, and the
   references the file leaves to rows it does not carry. A bad row stops the reading where it
   is, before the rest is inflated. ``check`` is a reading that keeps nothing of the rows;
   ``ahead`` runs a reading on a thread of its own, a batch or two ahead of the writing.
2. ``batches``: a table's rows from its mark, parsed again, unchecked: they are the bytes a
   reading checked (only a refusal's message and a small file's preview read them again).
"""

from __future__ import annotations

import json
import math
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from queue import Empty, Queue
from typing import TypeVar

from app.sync.container import Body, Mark, Point, SyncError
from app.sync.rows import RowRefusal, check_rows, shown
from app.sync.tables import HLC, ID, SPECS

Progress = Callable[[str, int, int], None]
T = TypeVar("T")
MAX_LINE = 16 << 20  # bytes: a row far beyond any column's limit is still read, to be refused by name
BATCH = 2000  # rows parsed by one json call (and checked together)
_SWITCH = 0.0005  # seconds a thread may hold the GIL while another waits for it, during ``ahead``


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

    @property
    def chunk(self) -> int:
        """The sealed chunk the line read last came from (for progress)."""
        return self._point.chunk

    def mark(self) -> Mark:
        k = self._k
        if k == 0:
            point, offset = self._first
        else:  # line k of this piece: after k newlines, less the tail carried into it
            point, offset = self._point, sum(map(len, self._parts[:k])) + k - self._shift
        return point.mark(offset)


@dataclass
class Checked:
    """What a reading found out, for the checks that need the whole file and for the merge."""

    manifest: dict = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, in the file's order
    marks: dict[str, Mark] = field(default_factory=dict)  # where each table's section begins
    top: str | None = None  # the newest stamp of any row
    wanted: dict[str, set[str]] = field(default_factory=dict)  # parent table -> ids referred to, not in the file

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


class _Section:
    """One table's section of a reading: lines waiting to be parsed and checked, and what the
    rows so far told (how many, their ids, their references)."""

    def __init__(self, name: str, ids: dict[str, set], refs: dict[str, set]) -> None:
        self.spec = SPECS[name]
        self.count = 0
        self.ids = ids.setdefault(name, set())
        self.all_ids, self.refs = ids, refs
        self.top = ""
        self.batch: list[bytes] = []

    def flush(self) -> list[list]:
        """The waiting lines' rows, parsed and checked (RowRefusal on the first bad one)."""
        batch, self.batch = self.batch, []
        if not batch:
            return []
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
        self.top = max(self.top, max([row[HLC] for row in rows]))
        for i, parent in self.spec.fks:  # only what the file itself does not (yet) carry is kept
            refs = {row[i] for row in rows}
            refs.discard(None)
            refs -= self.all_ids.get(parent, set())
            if refs:
                self.refs.setdefault(parent, set()).update(refs)
        self.count += len(rows)
        return rows


class Reading:
    """One reading of the whole payload: iterating it yields ``(table, rows, chunk)``, each batch
    checked before it is handed on (``chunk``: sealed chunks read so far, of ``chunks``), and
    raises SyncError on the first thing wrong; ``found`` is complete (manifest included) once
    the iteration ended."""

    def __init__(self, body: Body) -> None:
        self._body = body
        self.chunks = body.chunks
        self.found = Checked()

    def __iter__(self) -> Iterator[tuple[str, list[list], int]]:
        found = self.found
        ids: dict[str, set] = {}  # every id of the file, by table: dropped when the reading is over
        refs: dict[str, set] = {}
        lines = _Lines(self._body.pieces())
        manifest = current = None
        for line in lines:
            if manifest is not None:
                raise _invalid("清单之后还有内容")
            if line[:1] == b"[":
                if current is None:
                    raise _invalid("表头之前有数据")
                current.batch.append(line)
                if len(current.batch) >= BATCH:
                    yield current.spec.name, current.flush(), lines.chunk
                continue
            if current is not None and line[:1] != b"{":  # a table's line that is not a row (null, "x", 5)
                raise RowRefusal(f"同步文件有误：{current.spec.name} 第 {current.count + len(current.batch) + 1} 行："
                                 "应为一行数据（列表）")
            if current is not None:
                rows = current.flush()
                if rows:
                    yield current.spec.name, rows, lines.chunk
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


def check(body: Body, progress: Progress | None = None) -> Checked:
    """Read the whole payload once, checking every row and keeping none; SyncError on the first thing wrong."""
    progress = progress or (lambda _stage, _done, _total: None)
    reading = Reading(body)
    for _name, _rows, chunk in reading:
        progress("检查数据", chunk, reading.chunks)
    return reading.found


def ahead(items: Iterable[T], depth: int = 1) -> Iterator[T]:
    """``items`` made on a thread of their own, at most ``depth`` ahead of the one taking them: a
    reading's parsing and checking (Python) go on while the import writes the batch before
    (SQLite lets go of the GIL while it works). What the making raises is raised here, in turn;
    a taker that stops early stops the making too."""
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()
    # Each time a SQLite call returns, the writer must win the GIL back from the maker: by
    # default it waits up to 5 ms for it, while SQLite, the slower side, sits idle.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, _SWITCH))

    def make() -> None:
        try:
            for item in items:
                queue.put((True, item))
                if stop.is_set():
                    return
            queue.put((False, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the taker, which raises it
            queue.put((False, exc))

    maker = threading.Thread(target=make, name="sync-reading", daemon=True)
    maker.start()
    try:
        while True:
            more, item = queue.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
            item = None  # not held while the next one is waited for
    finally:
        stop.set()
        while maker.is_alive():  # let a waiting put through, so the maker sees the stop
            try:
                queue.get(timeout=0.05)
            except Empty:
                pass
        maker.join()
        sys.setswitchinterval(interval)


def _close(section: _Section, found: Checked) -> None:
    found.counts[section.spec.name] = section.count
    if section.top and (found.top is None or section.top > found.top):
        found.top = section.top


def batches(body: Body, mark: Mark, size: int = BATCH) -> Iterator[list[list]]:
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
