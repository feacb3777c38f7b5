"""The Excel import as the CLI and the wizard use it: kinds and their fields, check, report, write, undo.

Reading and mapping are app.imports.reading/mapping; what a row means is the kind module's
(app/imports/kinds/); this facade only names the steps, so both doors call the same ones.
"""

from __future__ import annotations

from app.imports.checking import CheckResult, ImportCancelled, Progress, RowResult, check
from app.imports.kinds import KIND_MODULES, kind_module
from app.imports.mapping import Field
from app.imports.report import save_report
from app.imports.undo import last_import, undo_last
from app.imports.writing import ImportSummary, write

# What the officer chooses from, in KIND_MODULES' order, named by each kind's own TITLE.
KINDS: dict[str, str] = {key: kind_module(key).TITLE for key in KIND_MODULES}


def fields(kind: str) -> tuple[Field, ...]:
    """The fields a column of ``kind`` can be mapped to."""
    return kind_module(kind).FIELDS


__all__ = ["KINDS", "CheckResult", "Field", "ImportCancelled", "ImportSummary", "Progress", "RowResult", "check",
           "fields", "last_import", "save_report", "undo_last", "write"]
