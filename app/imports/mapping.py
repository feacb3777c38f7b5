"""Which spreadsheet column holds which field: the fields an import kind takes, the guess from
the header texts officers use, and the CLI's ``--map 列=字段`` options."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.errors import UserError


@dataclass(frozen=True)
class Field:
    key: str  # e.g. "id_number"
    label: str  # e.g. "身份证号"
    required: bool = False
    aliases: tuple[str, ...] = ()  # other header texts meaning this field (公民身份号码, 身份证号码 …)


_REQUIRED_MARKS = re.compile(r"[*＊※]|必填|必须填写|选填")
_BRACKETED = re.compile(r"[(\[{【<《][^)\]}】>》]*[)\]}】>》]")
_BRACKETS = re.compile(r"[()\[\]{}【】<>《》]")
_BLANKS = re.compile(r"\s+")
_COLUMN_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")


def normalise_header(header: str) -> str:
    """A header as compared: NFKC, no spaces or line breaks, no '*' or '（必填）', no bracketed
    note ('出生日期(yyyy-mm-dd)' -> '出生日期') unless the brackets hold all of it."""
    value = unicodedata.normalize("NFKC", str(header or ""))
    value = _BLANKS.sub("", _REQUIRED_MARKS.sub("", value))
    outside = _BRACKETED.sub("", value)
    value = outside if outside.strip("/:：") else value
    return _BRACKETS.sub("", value).strip("/:：").upper()


def _names(field: Field) -> list[str]:
    names = [normalise_header(name) for name in (field.label, field.key, *field.aliases)]
    return [name for name in dict.fromkeys(names) if name]


def guess(headers: Sequence[str], fields: Sequence[Field]) -> dict[int, str]:
    """Column index -> field key: exact label or alias first (the whole header, then the part
    under a two-row parent, '住址/小区' -> '小区'), then containment ('户主身份证号码' holds
    '身份证号码'; the longest name wins). Each field and column used once; unknown columns left out."""
    normal = [normalise_header(header) for header in headers]
    names = {field.key: _names(field) for field in fields}
    mapping: dict[int, str] = {}

    def free(key: str) -> bool:
        return key not in mapping.values()

    passes = (
        lambda text, name: text == name,
        lambda text, name: text.rsplit("/", 1)[-1] == name,
        lambda text, name: len(name) >= 2 and name in text.rsplit("/", 1)[-1],
        lambda text, name: len(name) >= 2 and name in text,
        lambda text, name: len(text) >= 2 and "/" not in text and text in name,
    )
    for matches in passes:
        for index, text in enumerate(normal):
            if index in mapping or not text:
                continue
            # the longest name wins; on a tie the one said first ('户主姓名' is about the 户主)
            best: tuple[int, int, str] | None = None
            for field in fields:
                if not free(field.key):
                    continue
                for name in names[field.key]:
                    rank = (len(name), -text.find(name))
                    if matches(text, name) and (best is None or rank > best[:2]):
                        best = (*rank, field.key)
            if best is not None:
                mapping[index] = best[2]
    return dict(sorted(mapping.items()))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as Excel names columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def parse_map_options(options: Sequence[str], headers: Sequence[str], fields: Sequence[Field]) -> dict[int, str]:
    """The CLI's ``--map 列=字段``: 列 a header text (as shown, or as compared) or a column letter
    A/B/…; 字段 a field key or label. UserError naming the option that is wrong."""
    by_name: dict[str, str] = {}
    for field in fields:
        for name in (field.key, field.label):
            by_name.setdefault(name, field.key)
            by_name.setdefault(normalise_header(name), field.key)
    normal = [normalise_header(header) for header in headers]
    mapping: dict[int, str] = {}
    for option in options:
        column, sep, field_name = option.partition("=")
        column, field_name = column.strip(), field_name.strip()
        if not sep or not column or not field_name:
            raise UserError(f"--map 应写成 列=字段（如 公民身份号码=id_number）：{option}")
        index = _find_column(column, headers, normal)
        if index is None:
            raise UserError(f"表头里没有这一列：{column}（可用列名或列字母 A、B…）")
        key = by_name.get(field_name) or by_name.get(normalise_header(field_name))
        if key is None:
            known = "、".join(f"{f.key}（{f.label}）" for f in fields)
            raise UserError(f"没有这个字段：{field_name}（可选：{known}）")
        if index in mapping:
            raise UserError(f"第 {column_letter(index)} 列被指定了两次：{option}")
        if key in mapping.values():
            raise UserError(f"字段 {field_name} 被指定给了两列：{option}")
        mapping[index] = key
    return dict(sorted(mapping.items()))


def _find_column(column: str, headers: Sequence[str], normal: Sequence[str]) -> int | None:
    for index, header in enumerate(headers):
        if header == column:
            return index
    wanted = normalise_header(column)
    hits = [index for index, text in enumerate(normal) if wanted and text == wanted]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise UserError(f"有几列表头都是“{column}”，请用列字母（如 {column_letter(hits[0])}）指定")
    if _COLUMN_LETTERS.match(column):
        index = _column_index(column)
        if index < len(headers):
            return index
    return None
