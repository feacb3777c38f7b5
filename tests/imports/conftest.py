"""Fixtures of the import tests: check a made workbook the way the wizard and the CLI do."""

from __future__ import annotations

import pytest

from app.imports import mapping, reading
from app.imports.service import check, fields


@pytest.fixture
def checked(db):
    """``checked(made, kind="households", mapping=None)``: the CheckResult of ``made`` (tests/imports/files.py)
    over all its sheets, with the mapping guessed from its headers unless one is given."""

    def run(made, kind: str = "households", chosen: dict[int, str] | None = None, **options):
        info = reading.sheets(made.path)[0]
        headers = reading.headers_at(made.path, sheet=info.name, header_row=made.header_row,
                                     header_rows=made.header_rows)
        return check(db, kind=kind, path=made.path, sheets=made.sheets, header_row=made.header_row,
                     header_rows=made.header_rows, mapping=chosen or mapping.guess(headers, fields(kind)), **options)

    return run
