"""隐患整改 progress from Excel: each row finds its inspection's failed item; the rows of one inspection
bring back its notice and re-check by the flow's rules; imported numbers are kept and never met by
the local numbering; matching by the notice already here; undo."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.errors import UserError
from app.enterprises.inspections import record_inspection
from app.enterprises.notices import NoticeValues, flow_state, issue_notice, notice_of, recheck_of
from app.enterprises.rectifications import rectifications_of
from app.enterprises.register import add_enterprise
from app.imports.service import undo_last, write
from tests.enterprises.conftest import DEADLINE, INSPECTED, LATER, TODAY, enterprise_values, failing_inspection
from tests.imports.files import _simple_workbook

HEADERS = ["企业名称", "统一社会信用代码", "发现日期", "隐患内容", "整改期限", "整改通知书编号", "整改日期", "复查日期",
           "复查结论", "状态", "下发日期", "签发人", "复查人员", "复查意见", "意见书编号"]
FIRST, SECOND = "值班制度落实，有值班记录：夜间值班记录缺失", "录像保存不少于30天：录像仅保存7天"
ISSUED, RECHECKED = INSPECTED + timedelta(days=1), LATER + timedelta(days=2)
FOREIGN = f"{INSPECTED.year}-B07-Z0031"  # a notice numbered on another laptop


def _row(problem: str = FIRST, **given) -> list:
    values = {"企业名称": "杭州恒信化工有限公司", "统一社会信用代码": None, "发现日期": INSPECTED, "隐患内容": problem,
              "整改期限": DEADLINE if problem == FIRST else LATER, "整改通知书编号": FOREIGN,
              "整改日期": INSPECTED + timedelta(days=5), "复查日期": RECHECKED, "复查结论": "复查通过",
              "状态": "整改到位",
              "下发日期": ISSUED, "签发人": "陈所长", "复查人员": "王警官、李警官", "复查意见": "均已整改",
              "意见书编号": f"{RECHECKED.year}-B07-F0009", **given}
    return [values[header] for header in HEADERS]


def _open(problem: str = FIRST, **given) -> list:
    """A row of an inspection whose notice is out and nothing re-checked yet."""
    return _row(problem, **{"整改日期": None, "复查日期": None, "复查结论": None, "状态": "整改中", "复查人员": None,
                            "复查意见": None, "意见书编号": None, **given})


@pytest.fixture
def firm(db, officer) -> str:
    return add_enterprise(db, values=enterprise_values(), liaison_officer_id=officer,
                          liaison_from=TODAY - timedelta(days=400), officer_id=officer, today=TODAY)


@pytest.fixture
def inspection(db, officer, firm) -> str:
    """Two failed items (the second with its own later deadline) and one 不适用, no notice yet."""
    return record_inspection(db, enterprise_id=firm, values=failing_inspection(), officer_id=officer, today=TODAY)


def _book(tmp_path, rows: list[list], name: str = "r.xlsx"):
    return _simple_workbook(tmp_path / name, sheet="隐患整改", title=None, headers=HEADERS, rows=rows)


def test_the_rows_of_an_inspection_bring_back_its_items_notice_and_recheck(checked, db, officer, inspection,
                                                                          tmp_path):
    result = checked(_book(tmp_path, [_row(), _row(SECOND, 整改日期=LATER + timedelta(days=1))]), "rectifications")
    assert result.counts == {"rows": 2, "good": 2, "bad": 0, "matched": 0}
    write(db, result=result, officer_id=officer)
    assert flow_state(db, inspection_id=inspection) == "recheck_passed"
    notice = notice_of(db, inspection_id=inspection)
    # the imported number is kept; the notice's deadline is the latest item's, as issue_notice sets it
    assert (notice.number, notice.issued_on, notice.issuer, notice.deadline) == (FOREIGN, ISSUED, "陈所长", LATER)
    recheck = recheck_of(db, inspection_id=inspection)
    assert (recheck.number, recheck.rechecked_on, recheck.inspectors, recheck.outcome) == (
        f"{RECHECKED.year}-B07-F0009", RECHECKED, ("王警官", "李警官"), "passed")
    lines = rectifications_of(db, inspection_id=inspection)
    assert [(x.problem, x.deadline, x.done_on, x.verified, x.closed_on, x.state(TODAY)) for x in lines] == [
        (FIRST, DEADLINE, INSPECTED + timedelta(days=5), True, RECHECKED, "整改到位"),
        (SECOND, LATER, LATER + timedelta(days=1), True, RECHECKED, "整改到位")]


def test_an_enforcement_recheck_closes_the_item_not_put_right(checked, db, officer, inspection, tmp_path):
    enforced = dict(复查结论="逾期未改，转执法办案", 意见书编号=None)
    rows = [_row(**enforced), _row(SECOND, 整改日期=None, 状态="逾期未改，已转执法办案", **enforced)]
    write(db, result=checked(_book(tmp_path, rows), "rectifications"), officer_id=officer)
    assert flow_state(db, inspection_id=inspection) == "enforcement"
    assert [(x.verified, x.state(TODAY)) for x in rectifications_of(db, inspection_id=inspection)] == [
        (True, "整改到位"), (False, "逾期未改，已转执法办案")]
    # no number in the file: the next of this laptop's own sequence
    assert recheck_of(db, inspection_id=inspection).number == f"{RECHECKED.year}-{db.device.short_code}-F0001"


def test_an_imported_number_of_this_laptops_sequence_moves_the_local_numbering_past_it(checked, db, officer,
                                                                                      firm, inspection,
                                                                                      tmp_path):
    code = db.device.short_code
    kept = f"{ISSUED.year}-{code}-Z0005"
    write(db, result=checked(_book(tmp_path, [_open(整改通知书编号=kept), _open(SECOND, 整改通知书编号=kept)]),
                             "rectifications"), officer_id=officer)
    assert notice_of(db, inspection_id=inspection).number == kept
    another = record_inspection(db, enterprise_id=firm, officer_id=officer, today=TODAY,
                                values=failing_inspection(inspected_on=ISSUED))
    issued = issue_notice(db, inspection_id=another, today=TODAY,
                          values=NoticeValues(issued_on=ISSUED, issuer="陈所长"))
    assert issued.number == f"{ISSUED.year}-{code}-Z0006"


def test_each_bad_row_says_what_is_wrong_in_the_flows_words(checked, db, officer, firm, inspection,
                                                           tmp_path):
    rows = [_open(发现日期=INSPECTED - timedelta(days=1)),
            _open(企业名称="杭州未登记有限公司"),
            _open("消防通道堵塞：堆放杂物"),
            _open(整改日期=INSPECTED - timedelta(days=1)),
            _open(下发日期=None, 签发人=None, 整改通知书编号=None, 复查日期=RECHECKED),
            _open(复查结论="另行处理"),
            _open(FIRST),
            _row(SECOND, 整改日期=None, 状态="逾期1天")]
    result = checked(_book(tmp_path, rows), "rectifications")
    assert [row.problems for row in result.rows] == [
        [f"杭州恒信化工有限公司在{(INSPECTED - timedelta(days=1)).isoformat()}没有安全检查记录："
         "请先导入安全检查台账，再导入隐患整改台账"],
        ["企业“杭州未登记有限公司”不在本机的企业名录中：请先导入企业（企业基本情况台账），再导入隐患整改"],
        [f"{INSPECTED.isoformat()}的安全检查中没有“消防通道堵塞：堆放杂物”这一不合格项目"],
        ["整改日期不能早于检查日期"],
        ["尚未下发责令限期整改通知书，不能复查（请填写整改通知书编号、下发日期和签发人）",
         "复查人员至少两名（请写明姓名，用“、”分隔）", "请填写复查意见",
         "请选择复查结论：复查通过或逾期未改转执法办案"],
        ["复查结论：“另行处理”不是可选的值（可选：复查通过、逾期未改，转执法办案）"],
        [],
        ["复查通过的检查中每一项都应整改到位（状态：逾期1天）"],
    ]


def test_rows_of_one_inspection_must_agree_and_a_number_is_never_used_twice(checked, db, officer, firm,
                                                                           inspection, tmp_path):
    other = record_inspection(db, enterprise_id=firm, officer_id=officer, today=TODAY,
                              values=failing_inspection(inspected_on=ISSUED, deadline=LATER))
    issue_notice(db, inspection_id=other, today=TODAY, values=NoticeValues(issued_on=ISSUED, issuer="陈所长"))
    taken = notice_of(db, inspection_id=other).number
    disagreeing = [_open(), _open(SECOND, 签发人="李所长")]
    result = checked(_book(tmp_path, disagreeing), "rectifications")
    assert [row.problems for row in result.rows] == [[], ["与同一次检查的其他行所填的整改通知书或复查不一致"]]
    result = checked(_book(tmp_path, [_open(整改通知书编号=taken), _open(SECOND, 整改通知书编号=taken)], "taken.xlsx"),
                     "rectifications")
    assert {tuple(row.problems) for row in result.rows} == {(f"整改通知书编号 {taken} 已用于另一次检查",)}


def test_the_same_item_twice_is_a_duplicate_and_an_inspection_with_its_notice_here_is_matched(
        checked, db, officer, inspection, tmp_path):
    result = checked(_book(tmp_path, [_open(), _open(整改期限=LATER)]), "rectifications")
    assert [row.problems for row in result.rows] == [[], ["与第 2 行重复"]]
    issued = issue_notice(db, inspection_id=inspection, today=TODAY,
                          values=NoticeValues(issued_on=ISSUED, issuer="陈所长"))
    result = checked(_book(tmp_path, [_open(整改日期=DEADLINE)], "again.xlsx"), "rectifications")
    (row,) = result.rows
    assert (row.action, row.match_label) == (
        "skip", f"杭州恒信化工有限公司 {INSPECTED.isoformat()} 检查的整改通知书 {issued.number}")
    result.set_matched("both")
    with pytest.raises(UserError, match="一次检查只有一份整改通知书"):
        write(db, result=result, officer_id=officer)
    result.set_matched("update")
    write(db, result=result, officer_id=officer)
    first = rectifications_of(db, inspection_id=inspection)[0]
    assert (first.problem, first.done_on) == (FIRST, DEADLINE)
    assert notice_of(db, inspection_id=inspection).number == issued.number  # the notice here stays


def test_undo_takes_back_the_notice_and_recheck_and_the_items_progress(checked, db, officer, inspection,
                                                                      tmp_path):
    before = rectifications_of(db, inspection_id=inspection)
    write(db, result=checked(_book(tmp_path, [_row(), _row(SECOND)]), "rectifications"), officer_id=officer)
    assert flow_state(db, inspection_id=inspection) == "recheck_passed"
    undo_last(db, officer_id=officer)
    assert flow_state(db, inspection_id=inspection) == "notice_due"
    assert rectifications_of(db, inspection_id=inspection) == before
