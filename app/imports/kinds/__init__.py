"""The protocol every import kind follows (one module per kind), and the shapes it shares.

A kind module (``app/imports/kinds/households.py`` is the worked example) turns one spreadsheet
row into a *draft* of the records it stands for, and later writes the drafts the officer kept.
The machinery around it (``checking.py``, ``writing.py``, ``undo.py``) is the same for every kind.
A kind module exposes exactly these names:

``KIND: str``
    The key used by the CLI and ``service.KINDS`` ("households").
``TITLE: str``
    What the officer reads ("住户与居民").
``TABLES: tuple[str, ...]``
    The tables ``write`` adds to or changes (and ``audit_entry``): the open tabs showing them refresh.
``FIELDS: tuple[app.imports.mapping.Field, ...]``
    The fields a column can be mapped to, with the header names that mean each one (``aliases``);
    ``required=True`` for those without which no row can be imported.
``convert(values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[draft | None, list[str]]``
    ``values`` maps field key -> the raw cell value (str/int/float/date/datetime/None; unmapped
    fields are absent). Read each cell with ``app.imports.cells`` (a ``CellProblem``'s text is a
    reason), then check with the SAME functions the area's forms use (e.g. ``resident_problems``,
    ``household_problems``), so an import accepts exactly what a form accepts. Returns the draft
    (any frozen dataclass the kind's ``write`` understands) and no problems, or ``None`` and the
    plain Chinese reasons (each one short, without the "行 12：" prefix, which checking adds).
    ``sheet`` is the sheet's name (one sheet per community: a kind may take the community from it).
``file_key(draft) -> Hashable | None``
    Two rows of one file with the same key are the same record: the second is refused as
    "与第 N 行重复". ``None``: the row cannot be told apart (never a duplicate).
``match(conn, drafts: Sequence[draft]) -> dict[int, tuple[str, str]]``
    Which drafts are already in the database: draft index -> (record id, label the officer reads,
    e.g. "张伟（阳光小区3栋2单元501）"). One or a few set-based queries over a Core connection,
    never one query per row (50,000 rows are checked in seconds). Only living rows match.
    Called once per chunk of the file (``checking.CHUNK`` rows, so the check's memory stays bounded),
    never with rows of two chunks: indexes are within the chunk.
``refuse(conn, drafts: Sequence[draft]) -> dict[int, list[str]]`` (optional)
    Good rows the database refuses (a name with no officer account here, an enterprise not imported
    yet): draft index -> reasons. Called per chunk, before ``match``, like it. A kind whose ``refuse``
    compares rows with each other sets ``WHOLE_FILE = True`` and is checked as one chunk (its memory
    then grows with the file).
``write(writer: BulkWriter, planned: Sequence[Planned]) -> None``
    ``planned`` is read back from the check's encrypted spill file each time it is iterated: loop over
    it once or twice, not per row. Inserts (``writer.add``) and updates (``writer.update``) for the
    rows kept, in order. It runs inside the one transaction ``writing.py`` opened; ``writer.conn``
    reads what it needs. Each ``Planned.action`` is "add" (a new record), "update" (change the
    matched record ``match_id`` to the draft's non-empty values) or "both" (keep the matched one and
    add another). The writer
    stamps every row for sync and remembers what was added and the old values of what was changed,
    which is what undo needs; a kind never stamps, audits or commits by itself.

A kind with parent records (a household for its residents, a dispute for its parties) finds or
makes the parent in ``write``: one living parent per key (the household's address), reused by
later rows of the same file and by rows matching one already stored.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Protocol

KIND_MODULES = {  # in the order the wizard offers them: an area's registers, then the work recorded on them
    "households": "app.imports.kinds.households",
    "visits": "app.imports.kinds.visits",
    "disputes": "app.imports.kinds.disputes",
    "volunteers": "app.imports.kinds.volunteers",
    "enterprises": "app.imports.kinds.enterprises",
    "inspections": "app.imports.kinds.inspections",
    "rectifications": "app.imports.kinds.rectifications",
}


@dataclass(frozen=True)
class Planned:
    """One row the officer kept, as handed to a kind's ``write``."""

    index: int  # position among the checked rows (stable: the report and the undo list refer to it)
    draft: Any
    action: str  # "add" | "update" | "both"
    match_id: str | None = None  # the record matched in the database (update: the one changed)


@dataclass
class Changes:
    """What one import did: rows added (table, id) and rows updated (table, id, old values of the
    fields changed), in the order done; undo soft-deletes the first and puts the second back."""

    added: list[tuple[str, str]] = field(default_factory=list)
    updated: list[tuple[str, str, dict]] = field(default_factory=list)


class BulkWriter(Protocol):
    """What ``writing.py`` hands a kind's ``write`` (the class is ``writing.Writer``)."""

    conn: Any  # the Core connection of the one transaction

    def add(self, model: type, row: dict) -> str:
        """Queue an insert of ``row`` (column -> value; sync columns are filled in); returns its id."""

    def update(self, model: type, record_id: str, values: dict) -> bool:
        """Change the columns in ``values`` that differ from the stored row (stamped per field like a
        form's save); returns whether anything changed."""


class KindModule(Protocol):
    KIND: str
    TITLE: str
    FIELDS: tuple

    def convert(self, values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[Any, list[str]]: ...
    def file_key(self, draft: Any) -> Any: ...
    def match(self, conn: Any, drafts: list) -> dict[int, tuple[str, str]]: ...
    def write(self, writer: BulkWriter, planned: list[Planned]) -> None: ...


def kind_module(kind: str) -> KindModule:
    """The module of ``kind`` (imported on first use: the CLI's --help stays instant)."""
    from app.core.errors import UserError

    if kind not in KIND_MODULES:
        raise UserError(f"不能导入“{kind}”（可导入：{'、'.join(KIND_MODULES)}）")
    return importlib.import_module(KIND_MODULES[kind])
