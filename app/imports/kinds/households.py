"""Households with their residents, one row per resident: the worked example of the kind protocol.

Rows sharing an address (社区 + 小区/楼栋/单元/房号, or one 住址 cell split by app.imports.address)
become one household; its head comes from a 户主 column or the row whose 与户主关系 is 本人/户主.
The community comes from a column or else the sheet's name (one sheet per community). A row without
a name stands for the household alone (the 走访台账 read back gives addresses). Rows are checked by
the household and resident forms' own rules (``household_problems``, ``resident_problems``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

from sqlalchemy import select

from app.core.text import format_address
from app.core.validation import id_birth_date, id_gender
from app.core.vocab import HOUSEHOLD_KINDS, HOUSEHOLD_TAGS
from app.households.residents import ResidentValues, resident_problems
from app.households.service import HouseholdValues, household_problems
from app.imports import cells
from app.imports.kinds import Planned
from app.imports.mapping import Field
from db.models import Community, Grid, Household, Resident

KIND = "households"
TITLE = "住户与居民"
TABLES = ("household", "resident", "community", "grid", "audit_entry")

FIELDS: tuple[Field, ...] = (
    Field("community", "社区", aliases=("所属社区", "社区名称", "社区(村)", "社区居委会", "村(社区)")),
    Field("grid", "网格", aliases=("所属网格", "网格名称")),
    Field("address", "住址", aliases=("现住址", "居住地址", "详细地址", "家庭住址", "地址", "现居住地址",
                                      "实际居住地址")),
    Field("estate", "小区", aliases=("小区名称", "街巷", "小区/街巷", "小区(街巷)", "街路巷")),
    Field("building", "楼栋", aliases=("楼号", "栋", "幢", "楼幢", "栋号")),
    Field("unit", "单元", aliases=("单元号",)),
    Field("room", "房号", aliases=("室", "门牌号", "房间号", "户室号", "室号")),
    Field("kind", "住户类型", aliases=("房屋类型", "居住类型", "房屋性质", "户类型")),
    Field("household_tags", "住户标签", aliases=("标签", "住户类别")),
    Field("head_name", "户主", aliases=("户主姓名",)),
    Field("household_phone", "住户电话", aliases=("户主电话", "户主联系电话", "家庭电话")),
    Field("name", "姓名", aliases=("人员姓名", "居民姓名", "名字")),
    Field("id_number", "身份证号", aliases=("公民身份号码", "身份证号码", "证件号码", "身份证", "身份号码")),
    Field("gender", "性别"),
    Field("birth_date", "出生日期", aliases=("出生年月日", "出生年月", "生日")),
    Field("phone", "联系电话", aliases=("手机", "手机号", "手机号码", "电话", "联系方式", "电话号码")),
    Field("relation", "与户主关系", aliases=("关系", "家庭关系")),
    Field("ethnicity", "民族"),
    Field("hukou_place", "户籍地", aliases=("户籍地址", "户籍所在地", "户口所在地", "籍贯")),
    Field("occupation", "职业", aliases=("工作单位", "职业/工作单位")),
    Field("notes", "备注"),
)

HEAD_RELATIONS = ("本人", "户主")
# Sheet names Excel/WPS give on their own: not a community's name.
_DEFAULT_SHEET = re.compile(r"^(sheet|工作表|表)\s*\d*$", re.IGNORECASE)
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")
_HOUSEHOLD_FIELDS = ("grid", "kind", "tags", "head_name", "phone")  # what an update may change


@dataclass(frozen=True)
class Draft:
    """One row: the household it belongs to and the person it names (None: the household alone).
    ``given``: the fields the row filled in (an update changes only those)."""

    household: HouseholdValues
    resident: ResidentValues | None
    is_head: bool
    given: frozenset[str]

    @property
    def address_key(self) -> tuple[str, str, str, str, str]:
        h = self.household
        return h.community, h.estate, h.building, h.unit, h.room

    @property
    def address(self) -> str:
        h = self.household
        return format_address(h.estate, h.building, h.unit, h.room)


_TEXT_KEYS = ("community", "grid", "address", "estate", "building", "unit", "room", "head_name", "name", "gender",
              "relation", "ethnicity", "hukou_place", "occupation", "notes", "household_tags")
# A row with any of these says something of a person: without a name it cannot be imported.
_PERSON_KEYS = ("gender", "relation", "ethnicity", "hukou_place", "occupation")
_PERSON_TYPED = ("id_number", "birth_date", "phone")
_LABELS = {f.key: f.label for f in FIELDS}
_HOUSEHOLD_CACHE: dict[HouseholdValues, list[str]] = {}  # rows of one household repeat its values


def _read(values: dict, key: str, reader, problems: list[str], **options):
    if key not in values:
        return None
    try:
        return reader(values[key], **options)
    except cells.CellProblem as problem:
        text, label = str(problem), _LABELS[key]
        problems.append(text if label in text or "身份证" in text else f"{label}：{text}")
        return None


def _household_problems(household: HouseholdValues) -> list[str]:
    """The household form's problems (app.households.service.household_problems), once per household."""
    found = _HOUSEHOLD_CACHE.get(household)
    if found is None:
        if len(_HOUSEHOLD_CACHE) > 10_000:
            _HOUSEHOLD_CACHE.clear()
        found = _HOUSEHOLD_CACHE[household] = list(household_problems(household).values())
    return found


def convert(values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[Draft | None, list[str]]:
    problems: list[str] = []
    raw = {key: cells.text(values.get(key)) or "" for key in _TEXT_KEYS}
    kind = _read(values, "kind", cells.choice, problems, labels=HOUSEHOLD_KINDS)
    id_number = _read(values, "id_number", cells.id_number, problems) or ""
    phone = _read(values, "phone", cells.phone, problems) or ""
    household_phone = _read(values, "household_phone", cells.phone, problems) or ""
    birth = _read(values, "birth_date", cells.day, problems, epoch_1904=epoch_1904)

    community = raw["community"] or ("" if _DEFAULT_SHEET.match(sheet.strip()) else sheet.strip())
    if not community:
        problems.append("没有社区：请加一列“社区”，或把工作表命名为社区名")
    estate, building, unit, room = raw["estate"], raw["building"], raw["unit"], raw["room"]
    if not estate and raw["address"]:
        from app.imports.address import split_address  # A's module, loaded only for a one-cell address

        split = split_address(raw["address"])
        if split is None:
            problems.append(f"住址无法拆分为小区/楼栋/单元/房号，请分列填写：{raw['address']}")
        else:
            estate, building, unit, room = split.estate, split.building or "", split.unit or "", split.room or ""
    elif not estate:
        problems.append("没有住址：请填写小区（或住址）")
    relation = raw["relation"]
    is_head = relation in HEAD_RELATIONS or bool(raw["name"] and raw["name"] == raw["head_name"])
    if relation == "本人":
        relation = "户主"  # the form's word for it (app.core.vocab.RELATIONS)
    person = any(raw[key] for key in _PERSON_KEYS) or any(cells.text(values.get(key)) for key in _PERSON_TYPED)
    if not raw["name"] and (person or not raw["head_name"]):  # a row naming only a household is one
        problems.append("请填写姓名")
    head_name = raw["head_name"] or (raw["name"] if is_head else "")
    tags = tuple(t for t in _TAG_SPLIT.split(raw["household_tags"]) if t)
    household = HouseholdValues(community=community, grid=raw["grid"], estate=estate, building=building, unit=unit,
                                room=room, kind=kind or "owner", tags=tags, head_name=head_name,
                                phone=household_phone, notes="" if raw["name"] else raw["notes"])
    if community and estate:  # else already said above, in the file's words
        problems += _household_problems(household)
    resident = None
    if raw["name"]:
        gender = raw["gender"]
        if id_number:  # valid (cells.id_number checked it): gender and birth date come from it, as in the form
            gender, birth = id_gender(id_number), id_birth_date(id_number)
        # cells already trimmed and normalised each value: this is what residents.consistent would give
        resident = ResidentValues(
            name=raw["name"], id_number=id_number, gender=gender, birth_date=birth, phone=phone,
            relation=relation, hukou_place=raw["hukou_place"], ethnicity=raw["ethnicity"],
            occupation=raw["occupation"], notes=raw["notes"])
        problems += [_labelled(field, message) for field, message in resident_problems(resident).items()]
    if problems:
        return None, list(dict.fromkeys(problems))
    typed = {"kind": kind, "id_number": id_number, "phone": phone, "household_phone": household_phone,
             "birth_date": birth}
    given = {key for key in values if (raw[key] if key in raw else typed.get(key))}
    if is_head:
        given.add("head_name")
    return Draft(household=household, resident=resident, is_head=is_head, given=frozenset(given)), []


def _labelled(field: str, message: str) -> str:
    label = {"name": "姓名", "relation": "与户主关系", "hukou_place": "户籍地", "ethnicity": "民族",
             "occupation": "职业", "phone": "联系电话", "gender": "性别", "birth_date": "出生日期"}.get(field)
    return f"{label}：{message}" if label and label not in message else message


def file_key(draft: Draft):
    """A person by ID number, else by name at the address; a household-only row is never a duplicate."""
    if draft.resident is None:
        return None
    if draft.resident.id_number:
        return ("id", draft.resident.id_number)
    return ("name", draft.address_key, draft.resident.name)


def match(conn, drafts: Sequence[Draft]) -> dict[int, tuple[str, str]]:
    """A person by ID number (anywhere) or by name in the household at the same address; a
    household-only row by its address."""
    found: dict[int, tuple[str, str]] = {}
    r, h = Resident.__table__.c, Household.__table__.c
    numbers = {d.resident.id_number for d in drafts if d.resident and d.resident.id_number}
    by_number: dict[str, tuple[str, str]] = {}
    chunk = list(numbers)
    for start in range(0, len(chunk), 500):  # SQLite's bound-parameter limit
        rows = conn.execute(
            select(r.id, r.name, r.id_number, h.estate, h.building, h.unit, h.room)
            .outerjoin(Household.__table__, h.id == r.household_id)
            .where(r.id_number.in_(chunk[start:start + 500]), r.deleted.is_(False))
            .order_by(r.updated_at))
        for row in rows:  # the newest wins, as the form's duplicate-person offer does
            where = format_address(row.estate, row.building, row.unit, row.room) if row.estate else "未登记住址"
            by_number[row.id_number] = (row.id, f"{row.name}（{where}）")
    households = _stored_households(conn, {d.address_key for d in drafts})
    named: dict[tuple, str] = {}
    if households:
        ids = [hid for hid, _label in households.values()]
        key_of = {hid: key for key, (hid, _label) in households.items()}
        for start in range(0, len(ids), 500):
            for row in conn.execute(select(r.id, r.name, r.household_id)
                                    .where(r.household_id.in_(ids[start:start + 500]), r.deleted.is_(False))):
                named[(key_of[row.household_id], row.name)] = row.id
    for index, draft in enumerate(drafts):
        person = draft.resident
        if person is None:
            if draft.address_key in households:
                found[index] = households[draft.address_key]
        elif person.id_number and person.id_number in by_number:
            found[index] = by_number[person.id_number]
        elif not person.id_number and (draft.address_key, person.name) in named:
            found[index] = (named[(draft.address_key, person.name)], f"{person.name}（{draft.address}）")
    return found


def _stored_households(conn, keys: set[tuple]) -> dict[tuple, tuple[str, str]]:
    """Address key -> (id, label) of the living households at those addresses."""
    h, c = Household.__table__.c, Community.__table__.c
    estates = sorted({key[1] for key in keys})
    stored: dict[tuple, tuple[str, str]] = {}
    for start in range(0, len(estates), 500):
        rows = conn.execute(
            select(h.id, c.name, h.estate, h.building, h.unit, h.room, h.head_name)
            .join(Community.__table__, c.id == h.community_id)
            .where(h.estate.in_(estates[start:start + 500]), h.deleted.is_(False)).order_by(h.created_at))
        for row in rows:
            key = (row.name, row.estate, row.building, row.unit, row.room)
            if key in keys and key not in stored:
                head = f" 户主{row.head_name}" if row.head_name else ""
                stored[key] = (row.id, f"{format_address(*key[1:])}{head}")
    return stored


def write(writer, planned: Sequence[Planned]) -> None:
    """Per address: the household (found, or made once), then its residents in file order. Queued
    together, a household and its residents land in one flush (writing.FLUSH_ORDER)."""
    places = _Places(writer)
    groups: dict[tuple, list[Planned]] = {}
    for item in planned:
        groups.setdefault(item.draft.address_key, []).append(item)
    stored = _stored_households(writer.conn, set(groups))
    for key, items in groups.items():
        values, given = _household_values([item.draft for item in items])
        community_id = places.community(values.community)
        grid_id = places.grid(values.grid, community_id) if values.grid else None
        row = {"grid_id": grid_id, "kind": values.kind, "tags": ",".join(t for t in HOUSEHOLD_TAGS if t in values.tags),
               "head_name": values.head_name or None, "phone": values.phone or None}
        if key in stored:
            household_id = stored[key][0]
            if any(item.action == "update" for item in items):
                changes = {_COLUMN[field]: row[_COLUMN[field]] for field in _HOUSEHOLD_FIELDS if field in given}
                writer.update(Household, household_id, {k: v for k, v in changes.items() if v is not None})
        else:
            household_id = writer.add(Household, {
                "community_id": community_id, "estate": values.estate, "building": values.building,
                "unit": values.unit, "room": values.room, "notes": values.notes or None, **row})
        for item in items:
            if item.draft.resident is not None:
                _write_resident(writer, item, household_id)


def _write_resident(writer, item: Planned, household_id: str) -> None:
    person = item.draft.resident
    columns = {name: getattr(person, name) for name in _RESIDENT_FIELDS}
    columns = {k: (v if k == "name" else v or None) for k, v in columns.items()}
    if item.action == "update" and item.match_id:
        changes = {k: v for k, v in columns.items() if v is not None and _given(k, item.draft.given)}
        writer.update(Resident, item.match_id, {**changes, "household_id": household_id})
    else:
        writer.add(Resident, {**columns, "household_id": household_id, "tags": ""})


_RESIDENT_FIELDS = tuple(field.name for field in fields(ResidentValues))
_COLUMN = {"grid": "grid_id", "kind": "kind", "tags": "tags", "head_name": "head_name", "phone": "phone"}
_GIVEN = {"grid": "grid", "kind": "kind", "tags": "household_tags", "head_name": "head_name",
          "phone": "household_phone"}


def _given(column: str, given: frozenset[str]) -> bool:
    """Whether the row filled the resident's ``column`` in (gender and birth come with an ID number)."""
    if column in ("gender", "birth_date"):
        return column in given or "id_number" in given
    return column in given


def _household_values(drafts: list[Draft]) -> tuple[HouseholdValues, set[str]]:
    """One household from its rows: each field from the first row that filled it in."""
    first = drafts[0].household
    merged: dict[str, object] = {}
    given: set[str] = set()
    for field in _HOUSEHOLD_FIELDS:
        for draft in drafts:
            value = getattr(draft.household, field)
            if _GIVEN[field] in draft.given and value:
                merged[field] = value
                given.add(field)
                break
    return replace(first, **merged), given


class _Places:
    """Communities and grids by name: the living one, else made once (as the household form does)."""

    def __init__(self, writer) -> None:
        self.writer = writer
        c, g = Community.__table__.c, Grid.__table__.c
        self.communities: dict[str, str] = {}
        for row in writer.conn.execute(select(c.id, c.name).where(c.deleted.is_(False)).order_by(c.created_at)):
            self.communities.setdefault(row.name, row.id)
        self.grids: dict[tuple[str, str], str] = {}
        for row in writer.conn.execute(select(g.id, g.name, g.community_id).where(g.deleted.is_(False))
                                       .order_by(g.created_at)):
            self.grids.setdefault((row.community_id, row.name), row.id)

    def community(self, name: str) -> str:
        if name not in self.communities:
            self.communities[name] = self.writer.add(Community, {"name": name})
        return self.communities[name]

    def grid(self, name: str, community_id: str) -> str:
        if (community_id, name) not in self.grids:
            self.grids[(community_id, name)] = self.writer.add(Grid, {"name": name, "community_id": community_id})
        return self.grids[(community_id, name)]
