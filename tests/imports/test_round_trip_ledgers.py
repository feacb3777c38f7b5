"""The round trip: a ledger the program exports, imported into an EMPTY database, gives back the same
records on every field the ledger carries.

The small demo is built once for the module; each ledger is written with its area's ``write_ledger``
and imported (mapping guessed from its own headers, as the wizard guesses it) into a fresh database
that has only the officers' accounts (an import names officers, it does not make accounts). The
target is then exported with the same ledger function and compared column by column.

What a ledger cannot bring back, and so is not compared:
- 矛盾纠纷排查化解台账: 调解协议, 移交流转 and 回访情况 (read as text only by an officer; the import
  makes just the transfer the source or status implies), and the parties' details beyond role and
  name (the ledger prints neither ID numbers nor phones). Mediation sessions come back with their
  day, kind, host and record, not their hour (the ledger prints the day). A dispute whose level was
  set below the program's suggestion would be refused: the ledger does not print the officer's reason
  (the demo has none such).
- 义警服务时长积分台账: it has no 身份证号, which the volunteer form requires, so as exported every
  row is refused (tested below); with the ID numbers added in a column (as an officer would type
  them) it gives back names, gender, teams with roles and status. Shifts, hours and points are
  work records, not the register: they are not imported.
- 企业基本情况台账: 期内联络次数, 期内检查次数, 最近检查日期, 未整改隐患 count the liaison log and
  inspections, which are not imported.
"""

from __future__ import annotations

from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from app.disputes import ledger as dispute_ledger
from app.enterprises import ledger as enterprise_ledger
from app.patrol import ledger as patrol_ledger
from db.engine import Database
from db.models import Volunteer, VolunteerMembership, VolunteerTeam
from tests.support.cli import DEMO_DAY
from tests.support.imports import START
from tests.support.imports import import_ledger as _import


def _columns(rows: list[list], headers: list[str], keep: list[str]) -> list[tuple]:
    at = [headers.index(name) for name in keep]
    return [tuple(row[i] for i in at) for row in rows]


def test_the_dispute_ledger_imports_back_to_the_same_disputes(empty, demo, tmp_path):
    db, officer_id = empty
    path = tmp_path / "disputes.xlsx"
    exported = dispute_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=path, on=DEMO_DAY)
    result, summary = _import(db, "disputes", path, officer_id)
    assert [(row.line, row.problems) for row in result.rows if row.problems] == []
    assert result.counts["good"] == exported > 0
    headers = [c.header for c in dispute_ledger.COLUMNS]
    carried = ["序号", "纠纷编号", "发生时间", "发生地点", "来源", "类型", "当事人", "纠纷简要情况", "风险等级",
               "预警提示", "调处经过", "当前状态", "办结日期", "民转刑", "责任民警", "所属社区"]
    before = dispute_ledger.ledger_rows(demo, start=START, end=DEMO_DAY, on=DEMO_DAY)
    after = dispute_ledger.ledger_rows(db, start=START, end=DEMO_DAY, on=DEMO_DAY)
    assert _columns(after, headers, carried) == _columns(before, headers, carried)
    # the demo has every status, sessions, closed cases and three-party disputes: the comparison means something
    statuses = {row[headers.index("当前状态")] for row in before}
    assert len(statuses) == 6 and any("第三人" in row[headers.index("当事人")] for row in before)
    assert summary.added > exported


def test_the_enterprise_ledger_imports_back_to_the_same_enterprises_and_liaison_officers(empty, demo, tmp_path):
    db, officer_id = empty
    path = tmp_path / "enterprises.xlsx"
    start = DEMO_DAY - timedelta(days=365 * 4)
    exported = enterprise_ledger.write_ledger(demo, start=start, end=DEMO_DAY, path=path)
    result, _summary = _import(db, "enterprises", path, officer_id)
    assert [(row.line, row.problems) for row in result.rows if row.problems] == []
    assert result.counts["good"] == exported > 0
    headers = [c.header for c in enterprise_ledger.COLUMNS]
    carried = ["序号", "企业名称", "统一社会信用代码", "类别", "行业", "地址", "所属社区", "法定代表人", "联系电话",
               "保卫负责人", "保卫负责人电话", "职工人数", "保安人数", "包企民警", "标签", "备注"]
    before = enterprise_ledger.ledger_rows(demo, start=start, end=DEMO_DAY)
    after = enterprise_ledger.ledger_rows(db, start=start, end=DEMO_DAY)
    assert _columns(after, headers, carried) == _columns(before, headers, carried)
    assert len({row[headers.index("类别")] for row in before}) > 2


def test_the_hours_ledger_as_exported_is_refused_for_want_of_id_numbers(empty, demo, tmp_path):
    db, officer_id = empty
    path = tmp_path / "volunteers.xlsx"
    exported = patrol_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=path)
    result, summary = _import(db, "volunteers", path, officer_id)
    assert exported > 0 and summary is None
    assert {tuple(row.problems) for row in result.rows} == {("请填写身份证号",)}
    with db.connect() as conn:
        assert conn.execute(select(Volunteer.__table__.c.id)).first() is None


def test_the_hours_ledger_with_id_numbers_added_imports_back_to_the_same_volunteers_and_teams(empty, demo, tmp_path):
    db, officer_id = empty
    path = tmp_path / "volunteers.xlsx"
    patrol_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=path)
    before = _volunteers(demo)
    book = load_workbook(path)
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(1, sheet.max_column + 1, "身份证号")
    listed = []
    for line in range(2, sheet.max_row + 1):
        name = sheet.cell(line, headers.index("姓名") + 1).value
        teams = sheet.cell(line, headers.index("所属义警队") + 1).value
        # the officer types each person's number; here it is found by name and teams (one person each)
        (id_number,) = [n for n, v in before.items() if (v["name"], v["teams"]) == (name, teams)]
        sheet.cell(line, sheet.max_column, id_number)
        listed.append(id_number)
    book.save(path)
    result, _summary = _import(db, "volunteers", path, officer_id)
    assert [(row.line, row.problems) for row in result.rows if row.problems] == []
    after = _volunteers(db)
    assert {n: after[n] for n in listed} == {n: before[n] for n in listed}
    assert set(after) == set(listed)
    assert any("（队长）" in before[n]["teams"] for n in listed) and any("、" in before[n]["teams"] for n in listed)
    assert {before[n]["status"] for n in listed} >= {"active"}


def _volunteers(db: Database) -> dict[str, dict]:
    """ID number -> what the hours ledger prints of a volunteer (name, gender, teams with roles, status)."""
    v, t, m = Volunteer.__table__.c, VolunteerTeam.__table__.c, VolunteerMembership.__table__.c
    with db.connect() as conn:
        rows = conn.execute(select(v.id, v.name, v.gender, v.status, v.id_number).where(v.deleted.is_(False))).all()
        teams: dict[str, list[str]] = {row.id: [] for row in rows}
        for row in conn.execute(select(m.volunteer_id, t.name, m.role).join(VolunteerTeam.__table__, t.id == m.team_id)
                                .where(m.deleted.is_(False), t.deleted.is_(False))
                                .order_by(m.volunteer_id, m.created_at, t.name)):
            if row.volunteer_id in teams:
                teams[row.volunteer_id].append(row.name + (f"（{patrol_ledger.TEAM_ROLES[row.role]}）"
                                                           if row.role != "member" else ""))
    return {row.id_number: {"name": row.name, "gender": row.gender, "status": row.status,
                            "teams": "、".join(teams[row.id])} for row in rows}


def test_what_the_ledgers_brought_in_travels_to_another_laptop_by_sync(empty, demo, tmp_path, _template_db):
    """Imported rows are stamped like typed ones: a full sync file carries them, and the other laptop
    (which checks every row by the forms' rules) ends with the same ledgers."""
    from tests.support.sync import Courier, make_device

    db, officer_id = empty
    start = DEMO_DAY - timedelta(days=365 * 4)
    dispute_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=tmp_path / "d.xlsx", on=DEMO_DAY)
    enterprise_ledger.write_ledger(demo, start=start, end=DEMO_DAY, path=tmp_path / "e.xlsx")
    _import(db, "disputes", tmp_path / "d.xlsx", officer_id)
    _import(db, "enterprises", tmp_path / "e.xlsx", officer_id)
    other = make_device(_template_db, tmp_path, "B02")
    try:
        courier = Courier(tmp_path)
        summary = courier.bring(other, courier.export(db, full=True))
        assert summary.tables["dispute"].added > 0 and summary.tables["mediation_session"].added > 0
        assert dispute_ledger.ledger_rows(other, start=START, end=DEMO_DAY, on=DEMO_DAY) == \
            dispute_ledger.ledger_rows(db, start=START, end=DEMO_DAY, on=DEMO_DAY)
        assert enterprise_ledger.ledger_rows(other, start=start, end=DEMO_DAY) == \
            enterprise_ledger.ledger_rows(db, start=start, end=DEMO_DAY)
    finally:
        other.close()
