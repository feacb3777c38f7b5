"""安全检查 records from Excel: the inspection form's rules per row, the enterprise found among those
already here (else a plain reason), the first 检查人员 an account, items from 检查项目明细 or from
the 不合格项目 and the checklists, matching by enterprise, day and 检查人员, undo."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.enterprises.checklists import BUILT_IN, edit_checklist
from app.enterprises.inspections import inspection_record, inspections_of
from app.enterprises.rectifications import rectifications_of
from app.enterprises.register import add_enterprise
from app.imports.service import undo_last, write
from db.models import Inspection, Officer
from tests.enterprises.conftest import credit_code, enterprise_values
from tests.imports.files import _simple_workbook

DAY = date.today() - timedelta(days=20)
DUE = DAY + timedelta(days=15)
HEADERS = ["检查日期", "企业名称", "统一社会信用代码", "检查类别", "检查人员", "不合格项目", "检查结果",
           "整改或处罚意见", "改正期限", "检查项目明细"]
CODE = credit_code()
DETAIL = "\n".join(["人防｜值班制度落实，有值班记录｜不合格｜夜间值班记录缺失",
                    "人防｜巡查制度落实，巡查记录完整｜合格",
                    "技防｜出入口控制（门禁）系统运行正常｜不适用｜无门禁系统"])


def _row(**given) -> list:
    values = {"检查日期": DAY, "企业名称": "杭州恒信化工有限公司", "统一社会信用代码": CODE, "检查类别": "人防、技防",
              "检查人员": "王警官、李警官", "不合格项目": None, "检查结果": "不合格", "整改或处罚意见": "限期整改",
              "改正期限": DUE, "检查项目明细": DETAIL, **given}
    return [values[header] for header in HEADERS]


def _book(tmp_path, rows: list[list], headers: list[str] = HEADERS, name: str = "i.xlsx"):
    return _simple_workbook(tmp_path / name, sheet="安全检查", title="安全检查台账", headers=headers, rows=rows)


def _firm(db, officer, **overrides) -> str:
    return add_enterprise(db, values=enterprise_values(**overrides), liaison_officer_id=officer,
                          liaison_from=DAY - timedelta(days=100), officer_id=officer)


def test_a_row_becomes_the_inspection_with_its_items_and_a_rectification_per_failed_item(checked, db, officer,
                                                                                         tmp_path):
    firm = _firm(db, officer)
    result = checked(_book(tmp_path, [_row()]), "inspections")
    assert result.counts == {"rows": 1, "good": 1, "bad": 0, "matched": 0}
    write(db, result=result, officer_id=officer)
    (line,) = inspections_of(db, enterprise_id=firm)
    record = inspection_record(db, inspection_id=line.id)
    assert (record.inspected_on, record.inspectors, record.categories, record.result, record.opinion) == (
        DAY, ("王警官", "李警官"), ("人防", "技防"), "issues", "限期整改")
    assert [(i.category, i.item, i.result, i.note) for i in record.items] == [
        ("人防", "值班制度落实，有值班记录", "fail", "夜间值班记录缺失"),
        ("人防", "巡查制度落实，巡查记录完整", "pass", ""),
        ("技防", "出入口控制（门禁）系统运行正常", "na", "无门禁系统")]
    (rectification,) = rectifications_of(db, inspection_id=line.id)
    assert (rectification.problem, rectification.deadline) == ("值班制度落实，有值班记录：夜间值班记录缺失", DUE)
    with db.connect() as conn:  # recorded by the first 检查人员, as the form keeps who saved it
        assert conn.execute(select(Inspection.__table__.c.officer_id)).scalar() == officer


def test_without_the_detail_column_the_failed_items_fail_and_the_current_checklists_pass(checked, db, officer,
                                                                                         tmp_path):
    edited = ("视频监控覆盖出入口", "录像保存不少于30天")
    with db.session() as session:
        session.add(Officer(username="boss", name="张所长", role="admin"))
        session.commit()
        boss = session.execute(select(Officer.id).where(Officer.username == "boss")).scalar()
    edit_checklist(db, category="技防", items=edited, officer_id=boss)
    firm = _firm(db, officer, credit_code="", name="杭州小商店")
    headers = HEADERS[:-1]
    failed = "值班制度落实，有值班记录：夜间值班记录缺失；录像保存不少于30天：仅7天"
    row = _row(统一社会信用代码=None, 企业名称="杭州小商店", 不合格项目=failed)
    result = checked(_book(tmp_path, [row[:-1]], headers), "inspections")
    assert result.counts["good"] == 1, [r.problems for r in result.rows]
    write(db, result=result, officer_id=officer)
    (line,) = inspections_of(db, enterprise_id=firm)
    items = inspection_record(db, inspection_id=line.id).items
    assert [(i.item, i.result) for i in items] == [
        *((text, "fail" if text == "值班制度落实，有值班记录" else "pass") for text in BUILT_IN["人防"]),
        ("视频监控覆盖出入口", "pass"), ("录像保存不少于30天", "fail")]
    assert {i.checklist_version for i in items if i.category == "技防"} == {2}
    assert len(rectifications_of(db, inspection_id=line.id)) == 2


def test_each_bad_row_says_what_is_wrong_in_the_inspection_forms_words(checked, db, officer, tmp_path):
    _firm(db, officer)
    rows = [_row(检查日期="2024-02-30"),
            _row(检查日期=date.today() + timedelta(days=3), 改正期限=date.today() + timedelta(days=20)),
            _row(检查人员="王警官"),
            _row(改正期限=DAY - timedelta(days=1)),
            _row(检查结果="合格"),
            _row(整改或处罚意见=None),
            _row(检查类别="人防、安保", 检查项目明细=DETAIL.rsplit("\n", 1)[0]),
            _row(检查项目明细="人防｜值班制度落实，有值班记录｜坏了"),
            _row()]
    result = checked(_book(tmp_path, rows), "inspections")
    problems = [row.problems for row in result.rows]
    assert problems[0] == ["检查日期：日期不存在：2024-02-30"]
    assert problems[1] == ["检查日期不能晚于今天"]
    assert problems[2] == ["检查人员至少两名（请写明姓名，用“、”分隔）"]
    assert problems[3] == ["整改期限应晚于检查日期"]
    assert problems[4] == ["有不合格项目，检查结果应为不合格"]
    assert problems[5] == ["请填写整改或处罚意见"]
    assert problems[6] == ["检查类别：没有“安保”这类检查"]
    assert problems[7][0].startswith("检查项目明细第1行“人防｜值班制度落实，有值班记录｜坏了”看不懂")
    assert problems[8] == []


def test_an_enterprise_not_here_yet_or_an_unknown_inspector_is_refused_plainly(checked, db, officer, tmp_path):
    _firm(db, officer)
    other = credit_code("91330106MA2B3C4D6")
    rows = [_row(统一社会信用代码=other, 企业名称="杭州未登记有限公司"),
            _row(统一社会信用代码=None, 企业名称="杭州未登记有限公司"),
            _row(检查人员="赵警官、王警官"),
            _row(统一社会信用代码=None)]
    result = checked(_book(tmp_path, rows), "inspections")
    assert [row.problems for row in result.rows] == [
        [f"统一社会信用代码为 {other} 的企业（杭州未登记有限公司）不在本机的企业名录中："
         "请先导入企业（企业基本情况台账），再导入安全检查"],
        ["企业“杭州未登记有限公司”不在本机的企业名录中：请先导入企业（企业基本情况台账），再导入安全检查"],
        ["第一位检查人员“赵警官”不是本机的民警账户（请先在账户管理中添加，或改成已有民警的姓名）"],
        [],  # by name, when the row has no code
    ]


def test_the_same_inspection_twice_in_a_file_is_a_duplicate_and_one_already_here_is_matched(checked, db, officer,
                                                                                           tmp_path):
    firm = _firm(db, officer)
    later = DAY + timedelta(days=1)
    rows = [_row(), _row(), _row(检查日期=later), _row(检查日期=later, 检查人员="王警官、赵辅警")]
    result = checked(_book(tmp_path, rows), "inspections")
    assert [row.problems for row in result.rows] == [[], ["与第 3 行重复"], [], []]
    write(db, result=result, officer_id=officer)
    assert len(inspections_of(db, enterprise_id=firm)) == 3
    again = checked(_book(tmp_path, [_row(整改或处罚意见="责令限期整改，逾期不改依法处理")], name="again.xlsx"),
                    "inspections")
    (row,) = again.rows
    assert (row.action, row.match_label) == (
        "skip", f"杭州恒信化工有限公司 {DAY.isoformat()} 的安全检查（王警官、李警官）")
    again.set_matched("update")
    write(db, result=again, officer_id=officer)
    first = next(line for line in inspections_of(db, enterprise_id=firm) if line.inspected_on == DAY)
    record = inspection_record(db, inspection_id=first.id)
    assert record.opinion == "责令限期整改，逾期不改依法处理" and len(record.items) == 3  # items untouched
    assert len(inspections_of(db, enterprise_id=firm)) == 3


def test_undo_removes_the_imported_inspections_items_and_rectifications(checked, db, officer, tmp_path):
    firm = _firm(db, officer)
    write(db, result=checked(_book(tmp_path, [_row()]), "inspections"), officer_id=officer)
    (line,) = inspections_of(db, enterprise_id=firm)
    assert rectifications_of(db, inspection_id=line.id)
    undo_last(db, officer_id=officer)
    assert inspections_of(db, enterprise_id=firm) == []
    assert rectifications_of(db, enterprise_id=firm) == []
