"""Rows arriving by sync are held to the forms' rules: one bad value refuses the whole file, in one
line naming table, row and field, and the database is untouched."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest

from app.sync.container import SyncError
from app.sync.export import _read, export_changes
from app.sync.importer import import_file
from app.sync.tables import SPECS, canonical
from db.models import Community, Dispute, DisputeParty, Enterprise, Household, Resident, Visit
from tests.support.sync import FAST_KDF, PASSPHRASE, dump, file_state, make_device, plain_header, sealed, write_file

WOMAN, MAN = "11010519491231002X", "440524198001010013"  # born 1949-12-31 and 1980-01-01


@pytest.fixture
def source(tmp_path, _template_db):
    """A laptop holding one valid row of each kind of record the examples spoil."""
    db = make_device(_template_db, tmp_path, "S01")
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="阳光花园", building="2", phone="13800138000",
                              notes="独居老人，每月走访")
        s.add(household)
        s.flush()
        s.add_all([
            Resident(household_id=household.id, name="李娜", id_number=WOMAN, gender="女",
                     birth_date=date(1949, 12, 31), phone="13900139000"),
            Resident(household_id=household.id, name="张伟", id_number=MAN, gender="男",
                     birth_date=date(1980, 1, 1), phone="0571-87654321"),
            Visit(household_id=household.id, visited_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), purposes="日常走访"),
            Enterprise(name="杭州阳光物流有限公司", employees=40, community_id=community.id),
        ])
        dispute = Dispute(number="2026-S01-0001", source="walk_in", kind="neighbour",
                          occurred_at=datetime(2026, 3, 1, 8, tzinfo=UTC), place="阳光花园2栋",
                          facts="楼上漏水淹了楼下的厨房，双方争执", community_id=community.id)
        s.add(dispute)
        s.flush()
        s.add(DisputeParty(dispute_id=dispute.id, role="applicant", name="张伟", age=46, phone="13800138000"))
        s.commit()
    yield db
    db.close()


@pytest.fixture
def target(tmp_path, _template_db):
    db = make_device(_template_db, tmp_path, "T02")
    yield db
    db.close()


def rows_of(db) -> dict[str, list[list]]:
    """Every row as a full export writes it (wire form)."""
    return _read(db, full=True, progress=lambda *_: None).rows


def spoil(rows, table: str, column: str, value, n: int = 0) -> str:
    """Set one value; returns the row's id."""
    row = rows[table][n]
    row[SPECS[table].index[column]] = value
    return row[0]


def refusal(target, path) -> str:
    before = dump(target), file_state(target)
    with pytest.raises(SyncError) as caught:
        import_file(target, path=path, passphrase=PASSPHRASE)
    assert (dump(target), file_state(target)) == before
    message = str(caught.value)
    assert "\n" not in message and caught.value.kind == "invalid"
    return message


def test_a_birth_date_that_does_not_exist_is_refused_naming_table_row_and_field(source, target, tmp_path):
    rows = rows_of(source)
    rid = spoil(rows, "resident", "birth_date", "2026-02-30")
    write_file(tmp_path / "f.cpsync", rows)
    assert refusal(target, tmp_path / "f.cpsync") == \
        f"同步文件有误：resident 行 {rid} 字段 birth_date：日期不存在（2026-02-30）"


def test_an_occurred_at_that_is_not_a_time_is_refused(source, target, tmp_path):
    rows = rows_of(source)
    did = spoil(rows, "dispute", "occurred_at", "garbage")
    write_file(tmp_path / "f.cpsync", rows)
    assert refusal(target, tmp_path / "f.cpsync").startswith(f"同步文件有误：dispute 行 {did} 字段 occurred_at：")


@pytest.mark.parametrize(("table", "column", "value", "said"), [
    ("resident", "id_number", "12345", "身份证号应为18位"),
    ("resident", "id_number", "110105194912310021", "校验码不对"),
    ("resident", "phone", "abc", "电话应为11位手机号"),
    ("household", "phone", "abc", "电话应为11位手机号"),
    ("dispute_party", "phone", "abc", "电话应为11位手机号"),
    ("dispute", "status", "hacked", "不是可用的值（hacked）"),
    ("dispute", "risk_level", "extreme", "不是可用的值（extreme）"),
    ("household", "kind", "castle", "不是可用的值（castle）"),
    ("dispute", "source", "", "不是可用的值"),
    ("visit", "purposes", "日常走访,打牌", "没有这个走访事由：打牌"),
    ("dispute_party", "age", 130, "年龄应在0到120岁之间"),
    ("resident", "name", "张" * 33, "太长（33 字，最多 32 字）"),
    ("resident", "deleted", 2, "应为 0 或 1"),
    ("visit", "visited_at", "2099-01-01 00:00:00.000000", "走访时间不能晚于现在"),
])
def test_a_value_the_form_refuses_is_refused_by_sync(source, target, tmp_path, table, column, value, said):
    rows = rows_of(source)
    rid = spoil(rows, table, column, value)
    write_file(tmp_path / "f.cpsync", rows)
    message = refusal(target, tmp_path / "f.cpsync")
    assert message.startswith(f"同步文件有误：{table} 行 {rid} 字段 {column}：") and said in message, message


def test_a_gender_that_contradicts_the_id_number_is_refused(source, target, tmp_path):
    rows = rows_of(source)
    row = rows["resident"][0]
    gender = SPECS["resident"].index["gender"]
    rid = spoil(rows, "resident", "gender", {"男": "女", "女": "男"}[row[gender]])
    write_file(tmp_path / "f.cpsync", rows)
    assert refusal(target, tmp_path / "f.cpsync").startswith(
        f"同步文件有误：resident 行 {rid} 字段 gender：性别与身份证号不符")


def test_a_10_mb_note_is_refused(source, target, tmp_path):
    rows = rows_of(source)
    hid = spoil(rows, "household", "notes", os.urandom(5 << 20).hex())  # barely compressible: not a zip bomb
    write_file(tmp_path / "f.cpsync", rows)
    message = refusal(target, tmp_path / "f.cpsync")
    assert message.startswith(f"同步文件有误：household 行 {hid} 字段 notes：太长（10485760 字")


@pytest.mark.parametrize("escape", [False, True])
def test_a_nul_byte_in_text_is_refused(source, target, tmp_path, escape):
    rows = rows_of(source)
    rid = spoil(rows, "resident", "name", "李\x00娜")
    write_file(tmp_path / "f.cpsync", rows, escape=escape)
    assert refusal(target, tmp_path / "f.cpsync") == f"同步文件有误：resident 行 {rid} 字段 name：含有空字符（NUL）"


def test_a_lone_surrogate_is_refused_not_an_internal_error(source, target, tmp_path):
    rows = rows_of(source)
    rid = spoil(rows, "resident", "name", "李\ud800娜")
    write_file(tmp_path / "f.cpsync", rows, escape=True)  # "\ud800" in the JSON: decodes to a lone surrogate
    message = refusal(target, tmp_path / "f.cpsync")
    assert message.startswith(f"同步文件有误：resident 行 {rid} 字段 name：含有无效的字符")


def test_a_lone_surrogate_written_as_utf_8_bytes_is_refused(source, target, tmp_path):
    rows = rows_of(source)
    spoil(rows, "resident", "name", "李\ud800娜")
    lines = [canonical({"table": name, "columns": list(SPECS[name].columns)}) + "\n"
             + "".join(canonical(row) + "\n" for row in table) for name, table in rows.items()]
    lines.append(canonical({"manifest": {"export_id": "f" * 32, "tables": {n: len(t) for n, t in rows.items()}}}))
    body = ("".join(lines) + "\n").encode("utf-8", "surrogatepass")  # ED A0 80: not UTF-8
    (tmp_path / "f.cpsync").write_bytes(sealed(plain_header(export_id="f" * 32), body))
    assert "resident 第 1 行：不是有效的 JSON" in refusal(target, tmp_path / "f.cpsync")


@pytest.mark.parametrize("value", [10**30, -(2**63) - 1])
def test_an_integer_beyond_what_sqlite_stores_is_refused_not_an_internal_error(source, target, tmp_path, value):
    rows = rows_of(source)
    eid = spoil(rows, "enterprise", "employees", value)
    write_file(tmp_path / "f.cpsync", rows)
    assert refusal(target, tmp_path / "f.cpsync") == f"同步文件有误：enterprise 行 {eid} 字段 employees：整数超出范围"


def test_a_json_value_nested_far_too_deep_is_refused_not_an_internal_error(source, target, tmp_path):
    rows = rows_of(source)
    deep: list = []
    for _ in range(900):
        deep = [deep]
    aid = spoil(rows, "audit_entry", "detail", {"fields": deep})
    write_file(tmp_path / "f.cpsync", rows)
    message = refusal(target, tmp_path / "f.cpsync")
    assert message.startswith(f"同步文件有误：audit_entry 行 {aid} 字段 detail：格式不对")


def test_a_row_resent_with_equal_stamps_cannot_rewrite_created_at(source, target, tmp_path):
    export_changes(source, out=tmp_path / "first.cpsync", passphrase=PASSPHRASE, kdf=FAST_KDF)
    import_file(target, path=tmp_path / "first.cpsync", passphrase=PASSPHRASE)
    rows = rows_of(source)
    cid = spoil(rows, "community", "created_at", "2001-01-01 00:00:00.000000")  # valid, earlier, same stamps
    with target.session() as s:
        before = s.get(Community, cid).created_at
    write_file(tmp_path / "again.cpsync", rows)
    import_file(target, path=tmp_path / "again.cpsync", passphrase=PASSPHRASE)
    with target.session() as s:
        assert s.get(Community, cid).created_at == before


def test_a_created_at_of_year_zero_is_refused(source, target, tmp_path):
    rows = rows_of(source)
    cid = spoil(rows, "community", "created_at", "0000-01-01 00:00:00")
    write_file(tmp_path / "f.cpsync", rows)
    assert refusal(target, tmp_path / "f.cpsync") == \
        f"同步文件有误：community 行 {cid} 字段 created_at：日期时间不存在（0000-01-01 00:00:00）"


def test_a_reference_to_a_row_neither_in_the_file_nor_here_is_refused(source, target, tmp_path):
    rows = rows_of(source)
    rid = spoil(rows, "resident", "household_id", "0" * 32)
    write_file(tmp_path / "f.cpsync", rows)
    before = dump(target)
    with pytest.raises(SyncError) as caught:
        import_file(target, path=tmp_path / "f.cpsync", passphrase=PASSPHRASE)
    assert caught.value.kind == "missing"
    assert f"resident 行 {rid} 字段 household_id，household 表共 1 条" in str(caught.value)
    assert dump(target) == before


def test_a_field_left_empty_is_the_forms_business_not_a_refusal(source, target, tmp_path):
    rows = rows_of(source)
    spoil(rows, "visit", "purposes", "")  # the form asks for one; an empty one breaks nothing
    write_file(tmp_path / "f.cpsync", rows)
    assert import_file(target, path=tmp_path / "f.cpsync", passphrase=PASSPHRASE).tables["visit"].added == 1


def test_the_small_demo_passes_every_check_and_arrives_whole(tmp_path, _template_db):
    from app.demo.build import build_demo

    a, b = make_device(_template_db, tmp_path, "A01"), make_device(_template_db, tmp_path, "B02")
    try:
        build_demo(a, scale="small", seed=1)
        export_changes(a, out=tmp_path / "full.cpsync", passphrase=PASSPHRASE, full=True, kdf=FAST_KDF)
        summary = import_file(b, path=tmp_path / "full.cpsync", passphrase=PASSPHRASE)
        assert summary.rows > 5000 and summary.changed == summary.rows
        assert dump(a) == dump(b)
    finally:
        a.close()
        b.close()
