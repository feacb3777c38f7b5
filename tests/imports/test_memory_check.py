"""The check's memory does not grow with the file: good rows wait in a temporary file sealed with a key
only this process holds, checked in chunks (duplicates, matches and the write work across them), and the
file is gone when the result is."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import select

from app.imports import checking, mapping
from app.imports.service import check, fields, write
from app.imports.spill import temp_dir
from db.models import Resident
from tests.imports.files import (
    BIG_HEADERS,
    Made,
    dispute_workbook,
    name_of,
    register_workbook,
    save_as_excel_does,
    valid_id,
)

FEW, MANY = 2_000, 6_000  # rows traced (tracemalloc makes the check ~4x slower); the 100,000-row check
# is measured in tests/bench/test_import_xlsx.py
KEPT_PER_ROW = 500  # the file keys of earlier rows (the repeat check: ~150-300 bytes with the dict's growth)
# are all a check keeps per good row; keeping each row's result, values and draft took ~1,500 here


def unique_register(path: Path, *, rows: int) -> Made:
    """A lean register whose every ID number differs (tests/imports/files.py's repeats after 20,000)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("实有人口")
    ws.append(BIG_HEADERS)
    for n in range(rows):
        ws.append([name_of(n), valid_id(n, region=f"{330106 + n // 20_000:06d}"),
                   f"阳光小区{n % 40 + 1}栋{n % 2 + 1}单元{n % 200 + 101}室"])
    save_as_excel_does(wb, path)
    return Made(path=Path(path), sheets=["实有人口"], header_row=1, header_rows=1, headers=list(BIG_HEADERS))


@pytest.fixture(scope="module")
def registers(tmp_path_factory) -> dict[int, Made]:
    folder = tmp_path_factory.mktemp("memory")
    return {rows: unique_register(folder / f"{rows}.xlsx", rows=rows) for rows in (FEW, MANY)}


def _traced_check(db, made: Made):
    chosen = mapping.guess(made.headers, fields("households"))
    gc.collect()
    tracemalloc.start()
    try:
        result = check(db, kind="households", path=made.path, sheets=made.sheets, header_row=1, mapping=chosen)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_the_checks_peak_memory_barely_grows_with_the_number_of_rows(db, registers):
    made = registers[FEW]  # what the first check imports and caches is not per row: not traced
    check(db, kind="households", path=made.path, sheets=made.sheets, header_row=1,
          mapping=mapping.guess(made.headers, fields("households"))).close()
    few, few_peak = _traced_check(db, registers[FEW])
    many, many_peak = _traced_check(db, registers[MANY])
    assert (few.counts["good"], many.counts["good"]) == (FEW, MANY)
    grown = many_peak - few_peak
    assert grown < (MANY - FEW) * KEPT_PER_ROW, f"{grown / (MANY - FEW):.0f} bytes a row"
    assert many_peak < 40 * 1024 * 1024, f"peak {many_peak / 1e6:.1f} MB"


def test_rows_duplicates_matches_and_the_write_are_the_same_across_small_chunks(db, checked, tmp_path, monkeypatch):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区", "幸福社区"), households=3,
                             residents_per=3, damage=("bad_checksum", "duplicate", "missing_name"))
    stored = register_workbook(tmp_path / "stored.xlsx", communities=("阳光社区",), households=1, residents_per=3)
    write(db, result=checked(stored), officer_id=None)

    def seen(result):
        return [(row.sheet, row.line, row.values, row.problems, row.match_id, row.action) for row in result.rows]

    whole = checked(made)
    monkeypatch.setattr(checking, "CHUNK", 2)
    chunked = checked(made)
    assert len(chunked.spill.starts) > 10
    assert seen(chunked) == seen(whole)
    assert chunked.counts == whole.counts and chunked.counts["matched"] == 3 and chunked.counts["bad"] == 3
    assert [row.line for row in chunked.rows[-2:]] == [row.line for row in whole.rows[-2:]]
    chunked.set_matched("update")
    write(db, result=chunked, officer_id=None)
    with db.connect() as conn:
        living = conn.execute(select(Resident.id_number).where(Resident.deleted.is_(False))).scalars().all()
    assert sorted(living) == sorted(person.id_number for person in made.people)  # the stored ones updated


def test_the_spilled_rows_are_sealed_and_a_changed_byte_is_refused(db, checked, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=2, residents_per=2,
                             messy=False)
    result = checked(made)
    handle = result.spill._file
    handle.seek(0)
    sealed = handle.read()
    assert sealed and result.counts["good"] == len(made.people)
    for person in made.people:  # neither as text nor as the bytes pickle stores a text in
        assert person.id_number.encode() not in sealed and person.name.encode() not in sealed
    assert [row.line for row in result.rows] == [person.line for person in made.people]  # read back
    offset, length = result.spill._places[0][checking.DRAFTS]  # the drafts the write would take
    handle.seek(offset + length // 2)
    handle.write(bytes([sealed[offset + length // 2] ^ 1]))
    with pytest.raises(InvalidTag):  # refused before pickle sees a byte of it
        list(result.planned())


def test_the_temporary_file_is_closed_when_the_result_is_dropped_or_closed(checked, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=1, residents_per=2)
    first, second = checked(made), checked(made)
    first_file, second_file = first.spill._file, second.spill._file
    assert not first_file.closed and not second_file.closed
    first.close()
    del second
    gc.collect()
    assert first_file.closed and second_file.closed
    assert list(temp_dir().iterdir()) == []  # nothing left behind in the data folder


def test_every_row_of_a_big_check_comes_back_from_the_spill_in_order(db, registers):
    made = registers[FEW]
    result = check(db, kind="households", path=made.path, sheets=made.sheets, header_row=1,
                   mapping=mapping.guess(made.headers, fields("households")))
    rows = result.rows
    assert len(rows) == FEW and [rows[i].line for i in (0, 1, FEW - 1)] == [2, 3, FEW + 1]
    assert rows[FEW - 1].values[1] == valid_id(FEW - 1) and rows[-1].action == "add"
    assert len(result.planned()) == FEW and result.planned()[FEW - 1].draft.resident.id_number == valid_id(FEW - 1)


@pytest.mark.parametrize("whole_file", [False, True])
def test_a_kind_is_checked_a_chunk_at_a_time_unless_its_refuse_compares_rows(checked, tmp_path, monkeypatch,
                                                                             whole_file):
    from app.imports.kinds import disputes

    made = dispute_workbook(tmp_path / "d.xlsx", rows=5)
    calls, refuse = [], disputes.refuse
    monkeypatch.setattr(disputes, "refuse", lambda conn, drafts: calls.append(len(drafts)) or refuse(conn, drafts))
    if whole_file:
        monkeypatch.setattr(disputes, "WHOLE_FILE", True, raising=False)
    monkeypatch.setattr(checking, "CHUNK", 2)
    result = checked(made, "disputes")
    assert result.counts == {"rows": 5, "good": 5, "bad": 0, "matched": 0}
    assert calls == ([5] if whole_file else [2, 2, 1])
