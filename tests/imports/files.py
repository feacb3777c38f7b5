"""Real-looking Excel/CSV ledgers for the import tests, made with openpyxl in a tmp folder.

Like what officers bring: a merged title row, two header rows (住址 merged over 小区/楼栋/单元/
房号), one sheet per community, dates typed three ways and as Excel serials, full-width digits
and spaces, blank rows; and, on request, the damage the report must name (``damage=``). Every
maker returns what it wrote (which person is on which line) so tests compare with it.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from app.core.validation import id_check_char, uscc_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞")
ESTATES = {"阳光社区": "阳光小区", "幸福社区": "幸福家园", "和平社区": "和平苑", "友谊社区": "友谊新村"}
RELATIONS = ("户主", "配偶", "子女", "父母", "子女", "孙子女")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
DAMAGES = ("id_as_number", "bad_checksum", "impossible_birth", "impossible_date", "bad_phone", "duplicate",
           "missing_name")


def valid_id(n: int, *, born: date | None = None, region: str = "330106") -> str:
    """A valid 18-digit ID number, different for each ``n`` (sequence digits) and ``born``."""
    born = born or date(1950, 1, 1) + timedelta(days=(n * 397) % 20000)
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def valid_credit_code(n: int) -> str:
    first17 = f"91330106MA{n:07d}"
    return first17 + uscc_check_char(first17)


def name_of(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7 + n // len(SURNAMES)) % len(GIVEN)]


def excel_serial(day: date) -> int:
    """The 1900-system serial Excel shows when a date cell is formatted as a number."""
    return (day - date(1899, 12, 30)).days


@dataclass
class Person:
    sheet: str
    line: int  # the row number Excel shows
    name: str
    gender: str
    id_number: str
    born: date
    phone: str | None
    estate: str
    building: str
    unit: str
    room: str
    head: str
    relation: str
    registered: date


@dataclass
class Made:
    path: Path
    sheets: list[str]
    header_row: int  # 1-based, the last header row
    header_rows: int
    headers: list[str]  # as reading.py should join them
    people: list[Person] = field(default_factory=list)
    damaged: dict[str, tuple[str, int]] = field(default_factory=dict)  # damage -> (sheet, line)
    rows: list[tuple[str, int, dict]] = field(default_factory=list)  # (sheet, line, values) for other ledgers


def _date_three_ways(day: date, n: int):
    """A date as officers' files hold it: a date cell, text typed three ways, or a bare serial."""
    return (datetime.combine(day, datetime.min.time()), f"{day.year}-{day.month}-{day.day}",
            f"{day.year}年{day.month}月{day.day}日", f"{day:%Y/%m/%d}", excel_serial(day))[n % 5]


def _styled(ws, value, number_format: str | None = None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value)
    if number_format:
        cell.number_format = number_format
    return cell


def register_workbook(path: Path, *, communities=("阳光社区", "幸福社区"), households: int = 4,
                      residents_per: int = 3, two_header_rows: bool = True, title: bool = True,
                      address_in_one_cell: bool = False, messy: bool = True, blank_rows: bool = True,
                      damage=(), rows: int | None = None) -> Made:
    """A 实有人口 register: one sheet per community, ``households`` x ``residents_per`` rows each
    (or ``rows`` residents in one sheet, for the big files). ``damage``: names from DAMAGES,
    each put on one row of the first sheet (where: ``Made.damaged``)."""
    from openpyxl import Workbook

    unknown = set(damage) - set(DAMAGES)
    assert not unknown, f"unknown damage {unknown}"
    if rows is not None:
        communities, households, residents_per = communities[:1], -(-rows // residents_per), residents_per
    address_headers = ["现住址"] if address_in_one_cell else ["小区", "楼栋", "单元", "房号"]
    before = ["序号", "姓名", "性别", "公民身份号码", "出生日期", "联系电话"]
    after = ["户主", "与户主关系", "登记日期", "备注"]
    width = len(before) + len(address_headers) + len(after)
    joined = before + ([f"住址/{h}" for h in address_headers] if two_header_rows and not address_in_one_cell
                       else address_headers) + after
    two = two_header_rows and not address_in_one_cell
    first_header = 2 if title else 1
    made = Made(path=Path(path), sheets=list(communities), header_row=first_header + (1 if two else 0),
                header_rows=2 if two else 1, headers=joined)
    wb = Workbook(write_only=True)
    serial = 0
    for sheet_no, community in enumerate(communities):
        ws = wb.create_sheet(community)
        line = 0

        def put(values):
            nonlocal line
            ws.append(values)
            line += 1

        if title:
            ws.merged_cells.add(f"A1:{_letter(width - 1)}1")
            put([f"{community}实有人口登记表"])
        if two:
            upper = before + ["住址", None, None, None] + after
            lower = [None] * len(before) + address_headers + [None] * len(after)
            start = len(before)
            ws.merged_cells.add(f"{_letter(start)}{line + 1}:{_letter(start + 3)}{line + 1}")
            for col in [*range(len(before)), *range(start + 4, width)]:
                ws.merged_cells.add(f"{_letter(col)}{line + 1}:{_letter(col)}{line + 2}")
            put(upper)
            put(lower)
        else:
            put(before + address_headers + after)
        estate = ESTATES.get(community, community.removesuffix("社区") + "小区")
        count = 0
        for h in range(households):
            if blank_rows and h and h % 3 == 0:
                put([None] * width)  # a blank row between groups, as officers leave them
            building, unit, room = str(h // 8 + 1), str(h // 4 % 2 + 1), f"{h % 4 + 1}0{h % 2 + 1}"
            head = None
            for r in range(residents_per):
                if rows is not None and count >= rows:
                    break
                serial += 1
                count += 1
                n = sheet_no * 100000 + serial
                born = date(1950, 1, 1) + timedelta(days=(n * 397) % 20000) if r == 0 else \
                    date(1985, 1, 1) + timedelta(days=(n * 131) % 12000)
                person = Person(sheet=community, line=line + 1, name=name_of(n), gender="男" if n % 2 else "女",
                                id_number=valid_id(n, born=born), born=born,
                                phone=f"138{n % 100000000:08d}" if r == 0 else None, estate=estate,
                                building=building, unit=unit, room=room, head="", relation=RELATIONS[min(r, 5)],
                                registered=date(2023, 1, 1) + timedelta(days=n % 600))
                head = head or person.name
                person.head = head
                values = _register_values(ws, person, n, address_in_one_cell, messy)
                put(values)
                made.people.append(person)
        if sheet_no == 0:
            _damage(ws, made, damage, width, line, put)
        if blank_rows:
            for _ in range(3):
                put([None] * width)  # trailing formatted blank rows, as WPS leaves them
    save_as_excel_does(wb, path)
    return made


def _register_values(ws, p: Person, n: int, one_cell: bool, messy: bool) -> list:
    id_text = p.id_number
    name = p.name
    room = p.room
    if messy and n % 4 == 1:
        id_text = id_text.translate(FULL_WIDTH)  # typed with a Chinese input method
        name = f"\u3000{name} "
        room = room.translate(FULL_WIDTH)
    born = _date_three_ways(p.born, n)
    born_cell = _styled(ws, born, "yyyy-mm-dd") if isinstance(born, datetime) else born
    phone: object = p.phone
    if p.phone and n % 3 == 0:
        phone = float(p.phone)  # a phone column left as numbers: harmless
    address = ([f"{p.estate}{p.building}栋{p.unit}单元{room}室"] if one_cell else [p.estate, p.building, p.unit, room])
    registered = _date_three_ways(p.registered, n + 2)
    registered_cell = _styled(ws, registered, "yyyy-mm-dd") if isinstance(registered, datetime) else registered
    return [n, name, p.gender, id_text, born_cell, phone, *address, p.head, p.relation, registered_cell, None]


def _damage(ws, made: Made, damage, width: int, line: int, put) -> None:
    """One damaged resident per damage kind, appended to the first sheet (a new household)."""
    for i, kind in enumerate(damage):
        n = 90000 + i
        born = date(1980, 5, 17)
        id_number = valid_id(n, born=born)
        values: list = [n, name_of(n), "男", id_number, "1980-5-17", f"139{n:08d}", "阳光小区", "9", "1", f"{i + 1}01",
                        name_of(n), "户主", "2024-1-2", "损坏示例"]
        if len(values) != width:  # the one-cell address layout
            values = values[:6] + [f"阳光小区9栋1单元{i + 1}01室"] + values[10:]
        if kind == "id_as_number":
            values[3] = int(id_number[:15] + "000")  # Excel kept 15 digits
        elif kind == "bad_checksum":
            values[3] = id_number[:17] + ("1" if id_number[17] != "1" else "2")
        elif kind == "impossible_birth":
            first17 = "33010619800230" + "123"
            values[3] = first17 + id_check_char(first17)
        elif kind == "impossible_date":
            values[-2] = "2024-02-30"
        elif kind == "bad_phone":
            values[5] = "12345"
        elif kind == "duplicate":
            values = [n, *_first_row_values(made)]
        elif kind == "missing_name":
            values[1] = None
        made.damaged[kind] = (made.sheets[0], line + i + 1)
        put(values)


def _first_row_values(made: Made) -> list:
    p = made.people[0]
    if "现住址" in made.headers:
        address = [f"{p.estate}{p.building}栋{p.unit}单元{p.room}室"]
    else:
        address = [p.estate, p.building, p.unit, p.room]
    return [p.name, p.gender, p.id_number, p.born.isoformat(), p.phone, *address, p.head, p.relation,
            p.registered.isoformat(), None]


_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S)
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def save_as_excel_does(wb, path: Path) -> None:
    """Save, then store the text the way Excel and WPS do (a shared-strings table) rather than
    openpyxl's inline strings: readers take a different, faster path for it."""
    wb.save(path)
    with zipfile.ZipFile(path) as src:
        parts = {item.filename: src.read(item.filename) for item in src.infolist()}
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = strings.setdefault(match[3], len(strings))
        return f'<c {match[1]}t="s"{match[2]}><v>{index}</v></c>'

    total = 0
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        xml, count = _INLINE.subn(shared, parts[name].decode("utf-8"))
        parts[name] = _with_dimension(xml).encode("utf-8")
        total += count
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{total}" '
        f'uniqueCount="{len(strings)}">{items}</sst>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>'.encode())
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSharedStrings" Type="{_SST_REL}" Target="sharedStrings.xml"/></Relationships>'.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def _with_dimension(xml: str) -> str:
    """Excel writes the used range first; openpyxl's streaming writer does not (and a reader
    without it walks the whole sheet once more just to size it)."""
    rows = re.findall(r'<row r="(\d+)"', xml)
    columns = set(re.findall(r'<c r="([A-Z]+)\d', xml))
    if not rows or "<dimension" in xml:
        return xml
    last = max(columns, key=lambda letters: (len(letters), letters))
    return xml.replace("<sheetViews>", f'<dimension ref="A1:{last}{rows[-1]}"/><sheetViews>', 1)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _simple_workbook(path: Path, *, sheet: str, title: str | None, headers: list[str], rows: list[list]) -> Made:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    header_row = 1
    if title:
        ws.merged_cells.add(f"A1:{_letter(len(headers) - 1)}1")
        ws.append([title])
        header_row = 2
    ws.append(headers)
    made = Made(path=Path(path), sheets=[sheet], header_row=header_row, header_rows=1, headers=list(headers))
    for i, values in enumerate(rows):
        cells = [_styled(ws, v, "yyyy-mm-dd hh:mm" if v.time() != datetime.min.time() else "yyyy-mm-dd")
                 if isinstance(v, datetime) else v for v in values]
        ws.append(cells)
        made.rows.append((sheet, header_row + 1 + i, dict(zip(headers, values, strict=False))))
    save_as_excel_does(wb, path)
    return made


DISPUTE_HEADERS = ["序号", "纠纷类型", "发生时间", "发生地点", "当事人", "联系电话", "纠纷简要情况", "风险等级",
                   "调处结果", "办结日期"]


def dispute_workbook(path: Path, *, rows: int = 5, title: str | None = "矛盾纠纷排查化解台账") -> Made:
    """A 矛盾纠纷 ledger: parties in one cell (申请人、被申请人), times typed and as date cells."""
    kinds = ("邻里", "家庭", "物业", "经济债务", "劳资")
    results = ("已化解", "调处中", "待调处", "已化解", "移交矛调中心")
    data = []
    for i in range(rows):
        at = datetime(2024, 3, 1 + i % 28, 9 + i % 10, 30)
        when = at if i % 2 == 0 else f"{at.year}年{at.month}月{at.day}日 {at.hour}:{at.minute:02d}"
        settled = (at.date() + timedelta(days=3)).isoformat() if results[i % 5] == "已化解" else None
        data.append([i + 1, kinds[i % 5], when, f"阳光小区{i % 9 + 1}栋楼下", f"{name_of(i)}、{name_of(i + 50)}",
                     f"138{i:08d}", f"因{kinds[i % 5]}问题发生争执", ("低", "中", "高")[i % 3], results[i % 5],
                     settled])
    return _simple_workbook(path, sheet="纠纷台账", title=title, headers=DISPUTE_HEADERS, rows=data)


VOLUNTEER_HEADERS = ["序号", "姓名", "身份证号", "手机", "所属义警队", "职务", "专长", "入队日期"]


def volunteer_workbook(path: Path, *, rows: int = 6, title: str | None = "平安义警队员名册") -> Made:
    """A 义警 list: two teams, an ID column of text, phones as numbers, join dates as serials."""
    roles = ("队长", "队员", "队员", "副队长", "队员", "队员")
    data = [[i + 1, name_of(i + 200), valid_id(200 + i), float(f"139{i:08d}"),
             ("阳光社区义警队", "幸福社区义警队")[i % 2], roles[i % 6], ("退役军人", "快递员", "医护")[i % 3],
             excel_serial(date(2023, 5, 1) + timedelta(days=i * 7))] for i in range(rows)]
    return _simple_workbook(path, sheet="义警名册", title=title, headers=VOLUNTEER_HEADERS, rows=data)


ENTERPRISE_HEADERS = ["序号", "企业名称", "统一社会信用代码", "法定代表人", "联系电话", "企业地址", "行业",
                      "企业类别", "职工人数", "包企民警"]


def enterprise_workbook(path: Path, *, rows: int = 4, title: str | None = "辖区企业一企一警名单",
                        liaison: str = "张警官") -> Made:
    """A 企业 list with credit codes and the liaison officer (包企民警) by name."""
    data = [[i + 1, f"杭州{name_of(i + 300)}贸易有限公司", valid_credit_code(i + 1), name_of(i + 300),
             f"0571-8765{i:04d}", f"幸福路{i + 10}号", ("批发零售", "制造业", "餐饮")[i % 3],
             ("一般", "重点", "涉危化")[i % 3], 10 + i * 5, liaison] for i in range(rows)]
    return _simple_workbook(path, sheet="企业名单", title=title, headers=ENTERPRISE_HEADERS, rows=data)


def register_csv(path: Path, *, rows: int = 6, encoding: str = "utf-8-sig", delimiter: str = ",") -> Made:
    """The register as CSV (one header row), as an Excel 'save as CSV' writes it: utf-8 with a BOM,
    or gb18030 from an older WPS."""
    headers = ["姓名", "性别", "公民身份号码", "出生日期", "联系电话", "小区", "楼栋", "单元", "房号", "与户主关系"]
    made = Made(path=Path(path), sheets=[Path(path).stem], header_row=1, header_rows=1, headers=headers)
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(headers)
        for i in range(rows):
            born = date(1960, 1, 1) + timedelta(days=i * 1000)
            values = [name_of(i + 400), "男" if i % 2 else "女", valid_id(400 + i, born=born), f"{born:%Y/%m/%d}",
                      f"137{i:08d}", "阳光小区", str(i // 4 + 1), "1", f"{i % 4 + 1}01",
                      "户主" if i % 3 == 0 else "子女"]
            writer.writerow(values)
            made.rows.append((made.sheets[0], i + 2, dict(zip(headers, values, strict=True))))
    return made


BIG_HEADERS = ["姓名", "公民身份号码", "住址"]


def big_register(path: Path, *, rows: int) -> Made:
    """A lean register of ``rows`` residents on one sheet (three text columns, one header row),
    for the memory and speed checks: openpyxl writes it in a few seconds."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("实有人口")
    ws.append(BIG_HEADERS)
    for n in range(rows):
        ws.append([name_of(n), valid_id(n), f"阳光小区{n % 40 + 1}栋{n % 2 + 1}单元{n % 200 + 101}室"])
    save_as_excel_does(wb, path)
    return Made(path=Path(path), sheets=["实有人口"], header_row=1, header_rows=1, headers=list(BIG_HEADERS))
