"""The Excel import at station scale: 50,000 residents from one sheet checked in <= 10 s and written in
<= 20 s into a copy of the station demo, against openpyxl's read-only iteration of the same file (the
plainest way to read it) measured in the same run; min/median/max of three runs each. Then 100,000 rows
once: checked and written within twice those limits, and the check's peak memory (RSS, in a fresh
process) at 100,000 rows hardly above that at 50,000 (the good rows wait in an encrypted temporary file).

The file is made as Excel and WPS save one: text in the shared-strings table (openpyxl writes every
text inline, which costs its reader about three times as much per cell as real files do)."""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.validation import id_check_char
from app.imports import mapping, reading
from app.imports.service import check, fields, undo_last, write
from db.engine import Database
from db.models import Resident
from tests.bench.conftest import report
from tests.imports.files import name_of

pytestmark = pytest.mark.bench
ROWS = 50_000
BIG_ROWS = 100_000  # the "a 100,000-row file within the limits"
RUNS = 3
GROWTH_LIMIT_MB = 40  # the check's peak at 100,000 rows above its peak at 50,000 (all rows in memory: ~120)
CHECK_LIMIT, WRITE_LIMIT = 10.0, 20.0
HEADERS = ["序号", "小区", "楼栋", "单元", "房号", "户主", "姓名", "性别", "公民身份号码", "出生日期", "与户主关系",
           "联系电话", "民族", "户籍地", "备注"]
RELATIONS = ("户主", "配偶", "子女")
_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>([^<]*)</t></is></c>')
_SS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _register(path: Path, rows: int = ROWS) -> None:
    """A 实有人口 register of ``rows`` residents in households of three, every ID number different."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("阳光社区")
    sheet.append(["阳光社区实有人口登记表"])
    sheet.append(HEADERS)
    head = ""
    for n in range(rows):
        household, member = divmod(n, 3)
        born = date(1950, 1, 1) + timedelta(days=(n * 397) % 20000)
        first17 = f"{650100 + n // 1000 % 100:06d}{born:%Y%m%d}{n % 1000:03d}"  # far from the demo's people
        name = name_of(n) + ("" if n < 400 else str(n // 400))  # names repeat less than in life: no matter
        head = name if member == 0 else head
        sheet.append([n + 1, f"阳光{household // 2000}区", str(household // 40 % 50 + 1), str(household // 10 % 4 + 1),
                      f"{household % 10 + 1}0{household % 2 + 1}", head, name, "男" if n % 2 else "女",
                      first17 + id_check_char(first17), born.isoformat(), RELATIONS[member],
                      f"138{n:08d}" if member == 0 else None, "汉族", "浙江省杭州市", None])
    book.save(path)
    _share_strings(path)


def _share_strings(path: Path) -> None:
    """Move the sheet's inline text into a shared-strings table, as Excel stores it."""
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = strings.setdefault(match[3], len(strings))
        return f'<c {match[1]}t="s"{match[2]}><v>{index}</v></c>'

    with zipfile.ZipFile(path) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = _INLINE.sub(shared, parts[sheet].decode()).encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)  # already escaped in the sheet
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SS_TYPE}"/></Types>'.encode())
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>", f'<Relationship Type="{_SS}" Target="sharedStrings.xml" Id="rIdSS"/>'
                             f"</Relationships>".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


@pytest.fixture(scope="module")
def big_register(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("import") / "register-50k.xlsx"
    _register(path)
    return path


@pytest.fixture(scope="module")
def bigger_register(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("import") / "register-100k.xlsx"
    _register(path, BIG_ROWS)
    return path


# The check alone in a fresh process: its resident memory, sampled every 20 ms (Linux: /proc/self/statm),
# above where it stood just before the check. Not ru_maxrss: opening the station database peaks higher
# than the whole check, so a high-water mark would hide the check's growth (it read "+0 MB").
_CHILD = """
import json, os, sys, threading, time
from pathlib import Path
from app.imports import mapping, reading
from app.imports.service import check, fields
from db.engine import Database

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

db, path = Database.open(Path(sys.argv[1])), Path(sys.argv[2])
info = reading.sheets(path)[0]
chosen = mapping.guess(info.headers, fields("households"))
before, peak, done = rss(), [0], threading.Event()

def watch():
    while not done.wait(0.02):
        peak[0] = max(peak[0], rss())

watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
start = time.perf_counter()
result = check(db, kind="households", path=path, sheets=[info.name], header_row=info.header_row, mapping=chosen)
seconds = time.perf_counter() - start
done.set()
watcher.join()
print(json.dumps({"rows": result.counts["rows"], "seconds": seconds, "before": before, "peak": max(peak[0], rss())}))
"""


def _check_in_child(db_path: Path, path: Path) -> dict | None:
    """{rows, seconds, before, peak} (bytes) of one check in a new process; None without /proc (not Linux)."""
    if not Path("/proc/self/statm").exists():
        return None
    done = subprocess.run([sys.executable, "-c", _CHILD, str(db_path), str(path)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], check=True, timeout=900)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mb(seen: dict | None) -> str:
    if seen is None:
        return "n/a (no /proc/self/statm here)"
    return (f"peak RSS {seen['peak'] / 2**20:.0f} MB, {(seen['peak'] - seen['before']) / 2**20:+.0f} MB over "
            f"the process before the check ({seen['seconds']:.1f} s)")


def _spread(times: list[float]) -> str:
    return f"min {min(times):.2f} s  median {statistics.median(times):.2f} s  max {max(times):.2f} s"


def _openpyxl_read(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


@pytest.mark.timeout(1800)  # three imports of 50,000 rows, each undone; more than the suite's 300 s
def test_fifty_thousand_residents_are_checked_and_written_within_the_limits(big_register, station_db, scratch):
    info = reading.sheets(big_register)[0]
    assert (info.header_row, info.headers) == (2, HEADERS)
    chosen = mapping.guess(info.headers, fields("households"))
    path = scratch / "station.sqlite3"
    shutil.copy(station_db, path)
    baseline, checks, writes, undos = [], [], [], []
    db = Database.open(path)
    try:
        with db.connect() as conn:
            before = conn.execute(select(func.count()).select_from(Resident).where(~Resident.deleted)).scalar()
        for _run in range(RUNS):
            start = time.perf_counter()
            assert _openpyxl_read(big_register) == ROWS + 2
            baseline.append(time.perf_counter() - start)

            start = time.perf_counter()
            result = check(db, kind="households", path=big_register, sheets=[info.name], header_row=2,
                           mapping=chosen)
            checks.append(time.perf_counter() - start)
            counts = result.counts
            assert (counts["rows"], counts["bad"]) == (ROWS, 0) and counts["matched"] < ROWS // 1000
            start = time.perf_counter()
            write(db, result=result, officer_id=None)
            writes.append(time.perf_counter() - start)
            with db.connect() as conn:
                after = conn.execute(select(func.count()).select_from(Resident).where(~Resident.deleted)).scalar()
            assert after - before == ROWS - counts["matched"]  # a person already registered is skipped
            start = time.perf_counter()
            undo_last(db, officer_id=None)  # the next run imports into the same station again
            undos.append(time.perf_counter() - start)
    finally:
        db.close()
    report(f"Excel import, {ROWS:,} residents in one sheet, into the station demo", {
        "openpyxl read-only (baseline)": _spread(baseline),
        "check (read+convert+match)": _spread(checks),
        "write (one transaction)": _spread(writes),
        "undo": _spread(undos),
        "check / baseline (median)": f"{statistics.median(checks) / statistics.median(baseline):.1f}x",
    })
    assert statistics.median(checks) <= CHECK_LIMIT
    assert statistics.median(writes) <= WRITE_LIMIT


@pytest.mark.timeout(1800)
def test_a_hundred_thousand_residents_are_checked_in_bounded_memory_and_written(big_register, bigger_register,
                                                                               station_db, scratch):
    """The check's memory at 50,000 and 100,000 rows (each in a fresh process), then 100,000 rows checked
    and written once here, within twice the 50,000-row limits."""
    info = reading.sheets(bigger_register)[0]
    chosen = mapping.guess(info.headers, fields("households"))
    path = scratch / "station.sqlite3"
    shutil.copy(station_db, path)
    fifty, hundred = _check_in_child(path, big_register), _check_in_child(path, bigger_register)
    db = Database.open(path)
    try:
        start = time.perf_counter()
        result = check(db, kind="households", path=bigger_register, sheets=[info.name], header_row=2, mapping=chosen)
        checked = time.perf_counter() - start
        counts = result.counts
        assert (counts["rows"], counts["bad"]) == (BIG_ROWS, 0) and counts["matched"] < BIG_ROWS // 1000
        start = time.perf_counter()
        summary = write(db, result=result, officer_id=None)
        written = time.perf_counter() - start
        assert summary.added >= BIG_ROWS - counts["matched"]
        undo_last(db, officer_id=None)
    finally:
        db.close()
    report(f"Excel import, {BIG_ROWS:,} residents in one sheet, into the station demo (one run)", {
        f"check memory, {ROWS:,} rows": _mb(fifty),
        f"check memory, {BIG_ROWS:,} rows": _mb(hundred),
        "check (read+convert+match)": f"{checked:.2f} s (limit {2 * CHECK_LIMIT:.0f} s)",
        "write (one transaction)": f"{written:.2f} s (limit {2 * WRITE_LIMIT:.0f} s)",
    })
    if fifty is not None:
        assert (fifty["rows"], hundred["rows"]) == (ROWS, BIG_ROWS)
        grown = (hundred["peak"] - hundred["before"]) - (fifty["peak"] - fifty["before"])
        assert grown < GROWTH_LIMIT_MB * 2**20, f"the check's peak grew {grown / 2**20:.0f} MB for 50,000 more rows"
    assert checked <= 2 * CHECK_LIMIT
    assert written <= 2 * WRITE_LIMIT
