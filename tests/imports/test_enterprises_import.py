"""Enterprises from Excel: the register's rules per row (credit code check character, phones, counts),
the 包企民警 by name as a dated assignment, matching by credit code (else name), undo."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.core.errors import UserError
from app.enterprises.common import derived_id
from app.enterprises.register import liaison_history
from app.imports.service import undo_last, write
from db.models import Community, Enterprise, LiaisonAssignment, Officer
from tests.imports.files import _simple_workbook, enterprise_workbook, valid_credit_code

HEADERS = ["企业名称", "统一社会信用代码", "类别", "所属社区", "法定代表人", "联系电话", "职工人数", "包企民警"]


def _book(tmp_path, rows: list[list], name: str = "e.xlsx"):
    return _simple_workbook(tmp_path / name, sheet="企业", title=None, headers=HEADERS, rows=rows)


def _officer(db, name: str, *, active: bool = True) -> str:
    with db.session() as session:
        row = Officer(username=f"u{abs(hash(name)) % 10_000}", name=name, active=active)
        session.add(row)
        session.commit()
        return row.id


def _enterprises(db) -> dict[str, object]:
    e = Enterprise.__table__.c
    with db.connect() as conn:
        return {row.name: row for row in conn.execute(select(Enterprise.__table__).where(e.deleted.is_(False)))}


def test_an_enterprise_list_becomes_the_register_with_each_firms_liaison_officer(checked, db, officer, tmp_path):
    liaison = _officer(db, "张警官")
    made = enterprise_workbook(tmp_path / "e.xlsx", rows=4, liaison="张警官")
    result = checked(made, "enterprises")
    assert result.counts == {"rows": 4, "good": 4, "bad": 0, "matched": 0}
    write(db, result=result, officer_id=officer)
    stored = _enterprises(db)
    categories = {"一般": "general", "重点": "key", "涉危化": "chemicals"}
    for _sheet, _line, values in made.rows:
        firm = stored[values["企业名称"]]
        # the id the register derives from the code: two laptops importing the same list merge by sync
        assert firm.id == derived_id("enterprise", values["统一社会信用代码"])
        assert (firm.credit_code, firm.category, firm.legal_rep, firm.phone, firm.address, firm.industry,
                firm.employees) == (values["统一社会信用代码"], categories[values["企业类别"]], values["法定代表人"],
                                    values["联系电话"], values["企业地址"], values["行业"], values["职工人数"])
        assert firm.liaison_officer_id == liaison
        (change,) = liaison_history(db, enterprise_id=firm.id)
        assert (change.on, change.officer, change.notes) == (date.today(), "张警官", "导入时确定")


def test_each_bad_row_says_what_is_wrong_in_the_register_forms_words(checked, db, officer, tmp_path):
    _officer(db, "刘警官", active=False)
    code = valid_credit_code(9)
    bad_code = code[:-1] + ("0" if code[-1] != "0" else "1")
    rows = [["杭州甲有限公司", bad_code, "一般", None, None, None, None, None],
            ["杭州乙有限公司", valid_credit_code(10), "一般", None, None, None, None, "李警官"],
            ["杭州丙有限公司", valid_credit_code(11), "一般", None, None, None, None, "刘警官"],
            ["杭州丁有限公司", valid_credit_code(12), "特大", None, None, None, "很多", None],
            ["杭州戊有限公司", valid_credit_code(13), "一般", None, None, "12345", None, None],
            ["杭州己有限公司", valid_credit_code(10), "一般", None, None, None, None, None],
            ["甲", None, "一般", None, None, None, None, None]]
    result = checked(_book(tmp_path, rows), "enterprises")
    assert [row.problems for row in result.rows] == [
        ["统一社会信用代码校验位不对，请核对"],
        ["包企民警“李警官”不是本机的民警账户（请先在账户管理中添加，或改成已有民警的姓名）"],
        ["包企民警“刘警官”的账户已停用"],
        ["类别：“特大”不是可选的值（可选：一般、重点、涉爆、涉危化、治安保卫重点单位）", "职工人数：“很多”不是整数"],
        ["联系电话：电话应为11位手机号（1开头）或带区号的固定电话（如 0571-87654321）"],
        ["与第 3 行重复"],
        ["请填写企业名称"],
    ]


def test_a_registered_firm_is_matched_by_credit_code_and_an_update_reassigns_its_liaison_dated(checked, db, officer,
                                                                                                tmp_path):
    _officer(db, "张警官")
    code = valid_credit_code(20)
    first = _book(tmp_path, [["杭州甲有限公司", code, "一般", "阳光社区", "王五", None, 12, "张警官"]])
    write(db, result=checked(first, "enterprises"), officer_id=officer)
    (firm,) = _enterprises(db).values()
    renamed = _book(tmp_path, [["杭州甲科技有限公司", code, "重点", None, "赵六", None, None, "王警官"]], "e2.xlsx")
    result = checked(renamed, "enterprises")
    assert (result.rows[0].match_id, result.rows[0].match_label) == (firm.id, f"杭州甲有限公司（{code}）")
    result.set_matched("update")
    write(db, result=result, officer_id=officer)
    (updated,) = _enterprises(db).values()
    assert (updated.id, updated.name, updated.category, updated.legal_rep, updated.employees,
            updated.liaison_officer_id) == (firm.id, "杭州甲科技有限公司", "key", "赵六", 12, officer)
    assert [c.officer for c in liaison_history(db, enterprise_id=firm.id)] == ["张警官", "王警官"]
    with db.connect() as conn:
        assert conn.execute(select(Community.__table__.c.name)).scalars().all() == ["阳光社区"]


def test_a_firm_without_a_code_is_matched_by_its_name(checked, db, officer, tmp_path):
    made = _book(tmp_path, [["阳光小卖部", None, "一般", None, None, None, 2, None]])
    write(db, result=checked(made, "enterprises"), officer_id=officer)
    (firm,) = _enterprises(db).values()
    assert checked(made, "enterprises").rows[0].match_id == firm.id


def test_keeping_both_of_one_credit_code_is_refused_as_the_register_refuses_it(checked, db, officer, tmp_path):
    made = _book(tmp_path, [["杭州甲有限公司", valid_credit_code(30), "一般", None, None, None, None, None]])
    write(db, result=checked(made, "enterprises"), officer_id=officer)
    result = checked(made, "enterprises")
    result.set_matched("both")
    with pytest.raises(UserError, match="同一企业只登记一次"):
        write(db, result=result, officer_id=officer)
    assert len(_enterprises(db)) == 1


def test_undo_takes_back_the_firms_and_their_liaison_assignments_and_a_reimport_works(checked, db, officer,
                                                                                      tmp_path):
    made = _book(tmp_path, [["杭州甲有限公司", valid_credit_code(40), "一般", None, None, None, None, "王警官"]])
    write(db, result=checked(made, "enterprises"), officer_id=officer)
    undo_last(db, officer_id=officer)
    with db.connect() as conn:
        for model in (Enterprise, LiaisonAssignment):
            t = model.__table__
            assert conn.execute(select(func.count()).select_from(t).where(t.c.deleted.is_(False))).scalar() == 0
    # the undone firm keeps its derived id (as a deleted registration does): the new one takes another
    write(db, result=checked(made, "enterprises"), officer_id=officer)
    (firm,) = _enterprises(db).values()
    assert firm.id != derived_id("enterprise", valid_credit_code(40)) and firm.liaison_officer_id == officer
