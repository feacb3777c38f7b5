"""Reading a 50,000-resident register for import: app.imports.reading.read_rows (streamed, with
blank and repeated-header rows skipped and rows cut to the header's columns) against the plainest
way, openpyxl's own read-only iteration over the same file, in the same run. The file is the
real-looking register of tests/imports/files.py (14 columns, dates three ways, two header rows)."""

from __future__ import annotations

import statistics
import time

import pytest

from app.imports import reading
from tests.bench.conftest import report
from tests.imports.files import register_workbook

ROWS = 50_000
ROUNDS = 3
MAX_RATIO = 1.3  # the skipping and padding may cost a little over openpyxl's own parsing


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    return register_workbook(tmp_path_factory.mktemp("bench") / "register.xlsx", rows=ROWS, blank_rows=False)


def _finding(made) -> tuple[float, float, reading.SheetInfo]:
    """sheets(): the header found and the preview read, as the wizard does on choosing the file."""
    start, cpu = time.perf_counter(), time.process_time()
    info = reading.sheets(made.path)[0]
    return time.perf_counter() - start, time.process_time() - cpu, info


def _ours(made, info) -> tuple[float, float, int]:
    start, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for _ in reading.read_rows(made.path, sheet=info.name, header_row=info.header_row,
                                             header_rows=info.header_rows))
    return time.perf_counter() - start, time.process_time() - cpu, count


def _plainest(made) -> tuple[float, float, int]:
    from openpyxl import load_workbook

    start, cpu = time.perf_counter(), time.process_time()
    wb = load_workbook(made.path, read_only=True, data_only=True)
    try:
        count = sum(1 for row in wb.worksheets[0].iter_rows(min_row=made.header_row + 1, values_only=True)
                    if any(v is not None for v in row))
    finally:
        wb.close()
    return time.perf_counter() - start, time.process_time() - cpu, count


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f} s"


def test_reading_50000_rows_costs_about_what_openpyxl_alone_does(register):
    """Wall time is what the officer waits; CPU time is shown too, the machine being shared."""
    ours, ours_cpu, base, base_cpu, finding, finding_cpu = [], [], [], [], [], []
    for _ in range(ROUNDS):
        seconds, cpu, info = _finding(register)
        finding.append(seconds)
        finding_cpu.append(cpu)
        assert (info.header_row, info.headers) == (register.header_row, register.headers)
        seconds, cpu, count = _ours(register, info)
        ours.append(seconds)
        ours_cpu.append(cpu)
        assert count == ROWS
        seconds, cpu, plain_count = _plainest(register)
        base.append(seconds)
        base_cpu.append(cpu)
        assert plain_count == ROWS
    report(f"import reading: {ROWS} residents x {len(register.headers)} columns, min / median / max", {
        "sheets() header + preview": _spread(finding),
        "read_rows": _spread(ours),
        "openpyxl read-only alone": _spread(base),
        "ratio (median, ours / plain)": f"{statistics.median(ours) / statistics.median(base):.2f}x",
        "read_rows CPU": _spread(ours_cpu),
        "openpyxl alone CPU": _spread(base_cpu),
        "sheets() CPU": _spread(finding_cpu),
    })
    assert statistics.median(ours_cpu) <= MAX_RATIO * statistics.median(base_cpu)
