"""Checking the rows of a sync file before anything is written: the column rules, in one place.

A file is untrusted input, and a value the forms refuse would break every laptop it reaches
(a birth date of 2026-02-30 makes every list of residents fail to load). Each column's checks
come from its model: the type, whether it may be null, its ``max_length`` (or a cap for text
without one), dates and times that exist and stay within years 1900-2199, integers SQLite can
store, no NUL and no lone surrogate in any text (neither can be stored), JSON of the model's
shape; fixed vocabularies and the forms' own ``*_problems`` rules come from ``app.sync.rules``.
The first problem found refuses the whole file with one line naming table, row and field.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from app.sync import rules
from app.sync.container import SyncError
from app.sync.tables import CLOCKS, HLC, ID, SPECS, STAMP_RX, UPDATED, TableSpec, canonical
from db.base import ALL_FIELDS
from db.models import SYNCED_MODELS

TEXT_CAP = 100_000  # characters of a text column without a limit of its own (notes): far beyond any form's box
JSON_CAP = 1_000_000  # characters of a JSON value as stored, or of a conflict's kept and lost values
INT_RANGE = (-(1 << 63), (1 << 63) - 1)  # what SQLite stores as an integer
YEARS = ("1900", "2200")  # dates and times travel as text that sorts as it reads
# JSON columns nest a few levels (clocks 2, an audit entry's detail 3); much deeper would
# overflow the stack of whatever walks the value next (the JSON encoder, a repr).
MAX_DEPTH = 16
_FORMATS = {
    "date": re.compile(r"\d{4}-\d\d-\d\d"),
    "datetime": re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?"),
    "time": re.compile(r"\d\d:\d\d:\d\d(\.\d{1,6})?"),
}
_PARSE = {"date": date.fromisoformat, "datetime": datetime.fromisoformat, "time": time.fromisoformat}
_TYPES = {"text": {str}, "int": {int}, "bool": {int}, "float": {int, float}, "date": {str},
          "datetime": {str}, "time": {str}, "json": {dict, list, str, int, float, bool}}
_KIND_NAMES = {"text": "文字", "int": "整数", "bool": "整数 0 或 1", "float": "数字", "date": "日期",
               "datetime": "日期时间", "time": "时间", "json": "JSON"}
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")
_short = reprlib.Repr()  # a repr that is never deep or long, whatever the value
_short.maxlevel, _short.maxstring, _short.maxother, _short.maxlist, _short.maxdict = 2, 40, 40, 4, 4
_repr = _short.repr
_JSON_TEXT = {("sync_conflict", "kept_value"), ("sync_conflict", "lost_value")}  # JSON texts of any field


@dataclass(frozen=True)
class Column:
    index: int
    name: str
    kind: str  # as app.sync.tables
    nullable: bool
    limit: int | None  # characters: of the text, or of a JSON value as stored
    vocabulary: frozenset | None
    shape: type | None  # dict or list: what a JSON column holds
    is_id: bool  # the row's id or a reference to another row's


def _columns(spec: TableSpec, model) -> tuple[Column, ...]:
    refs = {i for i, _parent in spec.fks} | {ID}
    out = []
    for i, column in enumerate(model.__table__.columns):
        kind, name = spec.kinds[i], column.name
        limit = getattr(column.type, "length", None)
        if kind == "json" or (spec.name, name) in _JSON_TEXT:
            limit = JSON_CAP
        elif kind == "text" and limit is None:
            limit = TEXT_CAP
        shape = model.model_fields[name].annotation if kind == "json" else None
        vocabulary = rules.VOCABULARIES.get((spec.name, name))
        out.append(Column(i, name, kind, spec.nullable[i] or i in (UPDATED, CLOCKS), limit,
                          frozenset(vocabulary) if vocabulary is not None else None,
                          shape if shape in (dict, list) else None, i in refs))
    return tuple(out)


COLUMNS: dict[str, tuple[Column, ...]] = {m.__tablename__: _columns(SPECS[m.__tablename__], m) for m in SYNCED_MODELS}


class RowRefusal(SyncError):
    """A row of a sync file that breaks a rule; the message names table, row and field."""

    def __init__(self, message: str) -> None:
        super().__init__("invalid", message)


def refuse(table: str, row: Any, n: int, field: str, why: str) -> RowRefusal:
    """The one line for a bad value: 同步文件有误：resident 行 <id> 字段 birth_date：日期不存在（2026-02-30）."""
    return RowRefusal(f"同步文件有误：{table} {row_name(row, n)} 字段 {field}：{why}")


def row_name(row: Any, n: int) -> str:
    """行 <id> when the row has a usable id, else its position (第 n 行) in the table."""
    if type(row) is list and row and type(row[ID]) is str and 0 < len(row[ID]) <= 32 and row[ID].isalnum():
        return f"行 {row[ID]}"
    return f"第 {n + 1} 行"


def referring_row(tables: dict[str, list[list]], parent: str, missing: set[str]) -> str:
    """Where a file first refers to a ``parent`` row in ``missing``: "resident 行 <id> 字段 household_id"."""
    for name, rows in tables.items():
        for i, table in SPECS[name].fks:
            if table == parent:
                for row in rows:
                    if row[i] in missing:
                        return f"{name} 行 {row[ID]} 字段 {SPECS[name].columns[i]}"
    return parent


def shown(value: Any) -> str:
    """A value as a message can show it: on one line, at most 40 characters."""
    text = value if type(value) is str and value.isprintable() else _repr(value)
    if type(value) is str:
        text = _BAD_CHAR.sub("?", text)  # a message must itself be printable
    return text if len(text) <= 40 else text[:40] + "…"


def check_rows(spec: TableSpec, rows: list, *, first: int = 0, escapes: bool = True) -> None:
    """Check ``rows`` (numbered from ``first`` in their table) and raise on the first bad one.

    ``escapes``: whether their text may hold \\u escapes; NUL and lone surrogates can only
    arrive that way (the reader decodes UTF-8 strictly), so batches without any skip that scan."""
    if not rows:
        return
    width, table = len(spec.columns), spec.name
    if set(map(type, rows)) != {list} or set(map(len, rows)) != {width}:
        n = next(n for n, row in enumerate(rows) if type(row) is not list or len(row) != width)
        raise RowRefusal(f"同步文件有误：{table} {row_name(rows[n], first + n)}：应有 {width} 列")
    for column, values in zip(COLUMNS[table], zip(*rows)):
        problem = _column_problem(column, values)
        if problem is not None:
            n, why = problem
            raise refuse(table, rows[n], first + n, column.name, why)
    fields = {name for name, _i in spec.data_fields} | {ALL_FIELDS}
    for n, row in enumerate(rows):
        if row[CLOCKS] is not None:  # null: never edited since inserted (see tables.to_file)
            if (why := _clocks_problem(row[CLOCKS], row[HLC], fields)) is not None:
                raise refuse(table, row, first + n, why[0], why[1])
    if escapes:
        for n, row in enumerate(rows):
            for column, value in zip(COLUMNS[table], row):
                if (why := _char_problem(value)) is not None:
                    raise refuse(table, row, first + n, column.name, why)
    if table in rules.CHECKED:
        context = rules.Context.current()
        for n, row in enumerate(rows):
            problems = rules.row_problems(table, dict(zip(spec.columns, row)), context)
            if problems:
                field, why = next(iter(problems.items()))
                value = row[spec.index[field]] if field in spec.index else None
                said = f"{why}（{shown(value)}）" if type(value) is str and 0 < len(value) <= 40 else why
                raise refuse(table, row, first + n, field, said)


def _first(values, bad) -> int:
    return next(n for n, v in enumerate(values) if v is not None and bad(v))


def _column_problem(column: Column, values: tuple) -> tuple[int, str] | None:
    """(row index, why) for the first bad value of one column, or None; checks run a column at a time."""
    kind = column.kind
    allowed = _TYPES[kind] | ({type(None)} if column.nullable else set())
    if not set(map(type, values)) <= allowed:
        n = next(n for n, v in enumerate(values) if type(v) not in allowed)
        wrong = "不能为空" if values[n] is None else f"类型不对（应为{_KIND_NAMES[kind]}，实为 {shown(values[n])}）"
        return n, wrong
    present = [v for v in values if v is not None] if column.nullable else values
    if not present:
        return None
    if column.index == CLOCKS:
        return None  # checked row by row, with the row's hlc
    if kind == "json":
        if column.shape is not None and any(type(v) is not column.shape for v in present):
            n = _first(values, lambda v: type(v) is not column.shape)
            return n, f"格式不对（应为{'对象' if column.shape is dict else '列表'}）"
        if any(map(_too_deep, present)):
            return _first(values, _too_deep), f"格式不对（嵌套超过 {MAX_DEPTH} 层）"
        if any(len(canonical(v)) > column.limit for v in present):
            return _first(values, lambda v: len(canonical(v)) > column.limit), f"太长（超过 {column.limit} 字）"
        return None
    if kind == "text":
        if max(map(len, present)) > column.limit:
            n = _first(values, lambda v: len(v) > column.limit)
            return n, f"太长（{len(values[n])} 字，最多 {column.limit} 字）"
        if column.is_id and min(map(len, present)) == 0:
            return _first(values, lambda v: not v), "不能为空"
        if column.index == HLC and not all(map(STAMP_RX.fullmatch, present)):
            n = _first(values, lambda v: not STAMP_RX.fullmatch(v))
            return n, f"时钟格式不对（{shown(values[n])}）"
    elif kind in _FORMATS:
        return _moment_problem(kind, values, present)
    elif kind == "int" or kind == "float":
        low, high = INT_RANGE
        if kind == "int" and (min(present) < low or max(present) > high):
            return _first(values, lambda v: not low <= v <= high), "整数超出范围"
        if kind == "float" and any(v != v or v in (float("inf"), float("-inf")) for v in present):
            return _first(values, lambda v: v != v or v in (float("inf"), float("-inf"))), "不是有效的数字"
    elif kind == "bool" and not set(present) <= {0, 1}:
        n = _first(values, lambda v: v not in (0, 1))
        return n, f"应为 0 或 1（实为 {shown(values[n])}）"
    if column.vocabulary is not None and not set(present) <= column.vocabulary:
        n = _first(values, lambda v: v not in column.vocabulary)
        return n, f"不是可用的值（{shown(values[n])}）"
    return None


def _moment_problem(kind: str, values: tuple, present: list) -> tuple[int, str] | None:
    name = _KIND_NAMES[kind]
    rx, parse = _FORMATS[kind], _PARSE[kind]
    if not all(map(rx.fullmatch, present)):
        n = _first(values, lambda v: not rx.fullmatch(v))
        return n, f"{name}格式不对（{shown(values[n])}）"
    try:
        list(map(parse, present))
    except ValueError:
        n = _first(values, lambda v: not _parses(parse, v))
        return n, f"{name}不存在（{shown(values[n])}）"
    if kind != "time" and (min(present) < YEARS[0] or max(present) >= YEARS[1]):
        n = _first(values, lambda v: not YEARS[0] <= v < YEARS[1])
        return n, f"{name}不合理（{shown(values[n])}，应在 1900 年到 2199 年之间）"
    return None


def _parses(parse, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _clocks_problem(clocks: Any, hlc: str, fields: set[str]) -> tuple[str, str] | None:
    if type(clocks) is not dict or ALL_FIELDS not in clocks:
        return "clocks", "缺少字段时钟"
    top = ""
    for key, entry in clocks.items():
        if key not in fields:
            return "clocks", f"未知字段 {shown(key)}"
        if (type(entry) is not list or len(entry) != 2 or type(entry[0]) is not str
                or not STAMP_RX.fullmatch(entry[0])):
            return "clocks", f"字段 {key} 的时钟格式不对"
        parent = entry[1]
        if parent is not None and (type(parent) is not str or not STAMP_RX.fullmatch(parent) or parent >= entry[0]):
            return "clocks", f"字段 {key} 的上一版本不对"
        top = max(top, entry[0])
    if top != hlc:
        return "hlc", "与字段时钟不符"
    return None


def _too_deep(value: Any) -> bool:
    """Whether a JSON value nests deeper than MAX_DEPTH (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        inner = item if type(item) is list else item.values() if type(item) is dict else None
        if inner is not None:
            if depth > MAX_DEPTH:
                return True
            stack += ((v, depth + 1) for v in inner)
    return False


def _char_problem(value: Any) -> str | None:
    """NUL and lone surrogates, in text and anywhere inside a JSON value (keys too)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is str:
            found = _BAD_CHAR.search(item)
            if found is not None:
                return "含有空字符（NUL）" if found.group() == "\x00" else "含有无效的字符（不成对的代理项）"
        elif type(item) is list:
            stack += item
        elif type(item) is dict:
            stack += item.keys()
            stack += item.values()
    return None
