"""Visits from Excel (the 走访台账 kind): the household found by its address or made, officers by name,
the visit form's rules per row, people met, campaigns, disputes by number, duplicates, matching, undo."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from app.disputes.register import DisputeValues, PartyValues, register_dispute
from app.households.campaigns import list_campaigns
from app.imports.service import undo_last, write
from db.models import Community, Dispute, Household, Resident, Visit, VisitResident
from tests.imports.files import _simple_workbook

HEADERS = ["走访日期", "时间", "社区", "住址", "户主", "走访民警", "同行人员", "走访事由", "见面人员", "发现情况",
           "社情民意", "安全隐患", "需跟进事项", "矛盾纠纷编号", "走访计划"]


def _row(**given) -> list:
    values = {"走访日期": "2026-11-05", "时间": "14:30", "社区": "阳光社区", "住址": "阳光花园2栋1单元101室",
              "户主": "张伟", "走访民警": "王警官", "同行人员": "辅警王强", "走访事由": "反诈宣传、日常走访",
              "见面人员": None, "发现情况": "家中情况正常", "社情民意": None, "安全隐患": None, "需跟进事项": None,
              "矛盾纠纷编号": None, "走访计划": None} | given
    return [values[h] for h in HEADERS]


def _file(tmp_path, rows: list[list], *, sheet: str = "走访台账"):
    return _simple_workbook(tmp_path / "v.xlsx", sheet=sheet, title="走访台账（2026-11-01至2026-11-30）",
                            headers=HEADERS, rows=rows)


def _visits(db) -> list:
    v = Visit.__table__.c
    with db.connect() as conn:
        return conn.execute(select(Visit.__table__).where(v.deleted.is_(False)).order_by(v.visited_at)).all()


def _met(db, visit_id: str) -> list[str]:
    vr, r = VisitResident.__table__.c, Resident.__table__.c
    with db.connect() as conn:
        return sorted(conn.execute(select(r.name).join(VisitResident.__table__, vr.resident_id == r.id)
                                   .where(vr.visit_id == visit_id, vr.met.is_(True))).scalars())


def _count(db, model) -> int:
    with db.connect() as conn:
        return len(conn.execute(select(model.__table__.c.id).where(model.__table__.c.deleted.is_(False))).all())


def test_a_visit_row_is_recorded_on_the_household_at_its_address_with_the_people_met(checked, db, officer,
                                                                                     sample_households, tmp_path):
    before = _visits(db)
    households, residents = _count(db, Household), _count(db, Resident)
    result = checked(_file(tmp_path, [_row(**{"见面人员": "张伟、张小明", "需跟进事项": "一周后回访"})]), "visits")
    assert [row.problems for row in result.rows] == [[]]
    write(db, result=result, officer_id=officer)
    [visit] = [v for v in _visits(db) if v.id not in {b.id for b in before}]
    assert visit.household_id == sample_households[0] and visit.officer_id == officer
    assert visit.visited_at.astimezone().replace(tzinfo=None) == datetime(2026, 11, 5, 14, 30)
    assert (visit.purposes, visit.companions, visit.findings, visit.follow_up, visit.requests) == \
        ("日常走访,反诈宣传", "辅警王强", "家中情况正常", "一周后回访", None)
    # 张伟 is the household's own resident; 张小明 was not registered there, so he is added (name only)
    assert _met(db, visit.id) == ["张伟", "张小明"]
    assert (_count(db, Household), _count(db, Resident)) == (households, residents + 1)


def test_a_new_address_makes_the_household_and_a_new_campaign_which_undo_takes_back(checked, db, officer, tmp_path):
    rows = [_row(**{"社区": None, "住址": "幸福家园5幢2单元301", "户主": None, "走访计划": "冬季敲门行动",
                    "走访日期": "2026/11/3", "时间": None}),
            _row(**{"社区": None, "住址": "幸福家园5幢2单元302", "户主": "刘洋", "走访计划": "冬季敲门行动",
                    "走访日期": datetime(2026, 11, 4, 9, 15), "时间": None, "见面人员": "刘洋"})]
    result = checked(_file(tmp_path, rows, sheet="幸福社区"), "visits")  # the community from the sheet's name
    assert [row.problems for row in result.rows] == [[], []]
    write(db, result=result, officer_id=officer)
    first, second = _visits(db)
    assert first.visited_at.astimezone().replace(tzinfo=None) == datetime(2026, 11, 3)
    assert second.visited_at.astimezone().replace(tzinfo=None) == datetime(2026, 11, 4, 9, 15)
    h = Household.__table__.c
    with db.connect() as conn:
        made = conn.execute(select(h.estate, h.building, h.unit, h.room, h.head_name, Community.__table__.c.name)
                            .join(Community.__table__).order_by(h.room)).all()
    assert [tuple(row) for row in made] == [("幸福家园", "5", "2", "301", None, "幸福社区"),
                                           ("幸福家园", "5", "2", "302", "刘洋", "幸福社区")]
    [campaign] = list_campaigns(db)
    assert (campaign.name, campaign.starts_on.isoformat(), campaign.total, campaign.visited) == \
        ("冬季敲门行动", "2026-11-03", 2, 2)
    assert first.campaign_id == second.campaign_id == campaign.id and _met(db, second.id) == ["刘洋"]
    undo_last(db, officer_id=officer)
    assert (_visits(db), list_campaigns(db), _count(db, Household), _count(db, Resident)) == ([], [], 0, 0)


def test_each_bad_row_says_what_is_wrong_in_the_visit_forms_words(checked, db, officer, sample_households, tmp_path):
    future = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d")
    rows = [_row(**{"走访日期": "2026-13-01"}),
            _row(**{"走访日期": future}),
            _row(**{"时间": "25:70"}),
            _row(**{"时间": "上午"}),
            _row(**{"走访民警": "李警官"}),
            _row(**{"走访民警": None}),
            _row(**{"走访事由": "查户口"}),
            _row(**{"走访事由": None}),
            _row(**{"发现情况": "情" * 1001}),
            _row(**{"住址": "阳光花园某处"}),
            _row(**{"矛盾纠纷编号": "2026-A01-0099"})]
    result = checked(_file(tmp_path, rows), "visits")
    assert [row.problems for row in result.rows] == [
        ["走访日期：日期不存在：2026-13-01"],
        ["走访时间不能晚于现在"],
        ["时间不存在：25:70"],
        ["时间看不懂：上午"],
        ["走访民警“李警官”不是本机的民警账户（请先在账户管理中添加，或改成已有民警的姓名）"],
        ["请填写走访民警"],
        ["没有这个走访事由：查户口"],
        ["请至少选择一项走访事由"],
        ["发现情况：最多1000个字"],
        ["住址无法拆分为小区/楼栋/单元/房号，请分列填写：阳光花园某处"],
        ["矛盾纠纷编号“2026-A01-0099”不在本机：请先导入矛盾纠纷台账，或清空该格"],
    ]
    assert result.counts["good"] == 0


def test_the_same_visit_twice_in_one_file_is_a_duplicate_but_a_second_visit_that_day_is_not(checked, db, officer,
                                                                                           sample_households,
                                                                                           tmp_path):
    rows = [_row(), _row(**{"发现情况": "又写了一遍"}), _row(**{"时间": time(16, 0)}),  # a time cell
            _row(**{"住址": "阳光花园10栋1单元101室", "户主": "李娜"})]
    result = checked(_file(tmp_path, rows), "visits")
    assert [row.problems for row in result.rows] == [[], ["与第 3 行重复"], [], []]
    assert next(p.draft for p in result.planned() if p.index == 2).visit.visited_at.strftime("%H:%M") == "16:00"


def test_a_stored_visit_of_the_same_household_day_and_officer_is_matched_and_updated(checked, db, officer,
                                                                                     sample_households, tmp_path):
    first = checked(_file(tmp_path, [_row()]), "visits")
    write(db, result=first, officer_id=officer)
    stored = {v.id for v in _visits(db)}
    rows = [_row(**{"时间": "15:00", "发现情况": "复核：情况正常", "见面人员": "张伟"}),  # same day, same officer
            _row(**{"走访日期": "2026-11-06"})]  # another day: a new visit
    result = checked(_file(tmp_path, rows), "visits")
    [matched, new] = result.rows
    assert matched.match_id in stored and "阳光花园2栋1单元101室" in matched.match_label
    assert "2026-11-05 14:30 王警官" in matched.match_label and matched.action == "skip"
    assert new.match_id is None and new.action == "add"
    result.set_matched("update")
    summary = write(db, result=result, officer_id=officer)
    assert (summary.added, summary.updated) == (2, 1)  # the new visit, 张伟 noted as met; the visit changed
    visit = next(v for v in _visits(db) if v.id == matched.match_id)
    assert visit.findings == "复核：情况正常" and visit.visited_at.astimezone().strftime("%H:%M") == "15:00"
    assert visit.companions == "辅警王强" and _met(db, visit.id) == ["张伟"]
    assert len(_visits(db)) == len(stored) + 1


def test_keeping_both_adds_a_second_visit_beside_the_matched_one(checked, db, officer, sample_households, tmp_path):
    write(db, result=checked(_file(tmp_path, [_row()]), "visits"), officer_id=officer)
    count = len(_visits(db))
    result = checked(_file(tmp_path, [_row(**{"时间": "18:00"})]), "visits")
    result.set_matched("both")
    write(db, result=result, officer_id=officer)
    assert len(_visits(db)) == count + 1


def test_a_dispute_number_links_the_stored_dispute_to_the_visit_and_its_household(checked, db, officer,
                                                                                 sample_households, tmp_path):
    registered = register_dispute(db, officer_id=officer, values=DisputeValues(
        source="visit", kind="neighbour", occurred_at=datetime(2026, 11, 5, 14, 0).astimezone(), place="阳光花园",
        facts="楼上噪音扰民", risk_level="low",
        parties=[PartyValues(role="applicant", name="张伟"), PartyValues(role="respondent", name="楼上住户")]))
    result = checked(_file(tmp_path, [_row(**{"矛盾纠纷编号": registered.number.lower()})]), "visits")
    assert [row.problems for row in result.rows] == [[]]
    write(db, result=result, officer_id=officer)
    visit = _visits(db)[-1]
    d = Dispute.__table__.c
    with db.connect() as conn:
        linked = conn.execute(select(d.visit_id, d.household_id).where(d.id == registered.id)).one()
    assert tuple(linked) == (visit.id, sample_households[0])
