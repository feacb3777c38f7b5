"""Volunteers from Excel: one record per person across teams, teams made as the form makes them, roles,
status, the volunteer form's rules per row, matching by ID number, undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.core.errors import UserError
from app.imports.cells import LOST_DIGITS
from app.imports.service import undo_last, write
from app.patrol.teams import members
from db.models import Volunteer, VolunteerMembership, VolunteerStatus, VolunteerTeam
from tests.imports.files import _simple_workbook, valid_id, volunteer_workbook

HEADERS = ["姓名", "身份证号", "手机", "所属义警队", "状态", "专长"]


def _book(tmp_path, rows: list[list], name: str = "v.xlsx"):
    return _simple_workbook(tmp_path / name, sheet="义警", title=None, headers=HEADERS, rows=rows)


def _volunteers(db) -> dict[str, object]:
    v = Volunteer.__table__.c
    with db.connect() as conn:
        return {row.id_number: row for row in conn.execute(select(Volunteer.__table__).where(v.deleted.is_(False)))}


def _teams(db) -> dict[str, object]:
    t = VolunteerTeam.__table__.c
    with db.connect() as conn:
        return {row.name: row for row in conn.execute(select(VolunteerTeam.__table__).where(t.deleted.is_(False)))}


def test_a_volunteer_list_becomes_volunteers_in_teams_made_with_the_forms_defaults(checked, db, officer, tmp_path):
    made = volunteer_workbook(tmp_path / "v.xlsx", rows=6)
    result = checked(made, "volunteers")
    assert result.counts == {"rows": 6, "good": 6, "bad": 0, "matched": 0}
    write(db, result=result, officer_id=officer)
    stored, teams = _volunteers(db), _teams(db)
    assert set(teams) == {"阳光社区义警队", "幸福社区义警队"}
    assert {(t.kind, t.group_size, t.group_leader) for t in teams.values()} == {("community", 3, True)}
    for _sheet, _line, values in made.rows:
        person = stored[values["身份证号"]]
        assert (person.name, person.phone, person.skills) == (values["姓名"], f"{values['手机']:.0f}", values["专长"])
        assert person.joined_on == date(1899, 12, 30) + timedelta(days=values["入队日期"])
        assert person.team_id == teams[values["所属义警队"]].id and person.status == "active"
        assert person.gender in ("男", "女") and person.birth_date is not None
        roles = {m.volunteer_id: m.role for m in members(db, team_id=person.team_id)}
        assert roles[person.id] == {"队长": "captain", "副队长": "deputy", "队员": "member"}[values["职务"]]
    captain = next(v for _s, _l, v in made.rows if v["职务"] == "队长")
    assert teams[captain["所属义警队"]].leader == captain["姓名"]


def test_one_person_in_two_teams_is_one_volunteer_with_two_memberships_and_his_status(checked, db, officer,
                                                                                      tmp_path):
    id_number = valid_id(31)
    made = _book(tmp_path, [["张伟", id_number, "13800138000", "东区巡防队（队长）、护校队", "暂停", "退役军人、急救"]])
    write(db, result=checked(made, "volunteers"), officer_id=officer)
    (person,) = _volunteers(db).values()
    teams = _teams(db)
    assert person.team_id == teams["东区巡防队"].id
    assert (person.status, person.active, person.skills) == ("paused", False, "退役军人,急救")
    m, s = VolunteerMembership.__table__.c, VolunteerStatus.__table__.c
    with db.connect() as conn:
        roles = dict(conn.execute(select(m.team_id, m.role).where(m.volunteer_id == person.id)).all())
        history = conn.execute(select(s.status).where(s.volunteer_id == person.id).order_by(s.created_at)).scalars()
        assert list(history) == ["active", "paused"]
    assert roles == {teams["东区巡防队"].id: "captain", teams["护校队"].id: "member"}
    assert teams["东区巡防队"].leader == "张伟" and teams["护校队"].leader is None


def test_each_bad_row_says_what_is_wrong_in_the_volunteer_forms_words(checked, db, tmp_path):
    good = valid_id(40)
    rows = [["王芳", good, None, "东区巡防队", None, None],
            ["李娜", 330106198001010013.0, None, "东区巡防队", None, None],
            ["赵敏", valid_id(41), None, "东区巡防队", None, "唱歌"],
            ["钱强", valid_id(42), None, None, None, None],
            ["孙丽", valid_id(43), None, "东区巡防队", "休息", None],
            ["王芳", good, None, "护校队", None, None],
            [None, valid_id(44), "12345", "东区巡防队", None, None]]
    result = checked(_book(tmp_path, rows), "volunteers")
    assert [row.problems for row in result.rows] == [
        [],
        [LOST_DIGITS],
        ["没有这项专长：唱歌"],
        ["请填写所属义警队"],
        ["状态：“休息”不是可选的值（可选：在队、暂停、退出）"],
        ["与第 2 行重复"],
        ["电话应为11位手机号（1开头）或带区号的固定电话（如 0571-87654321）", "请填写姓名"],
    ]


def test_a_registered_person_is_matched_by_id_number_and_an_update_joins_his_new_team(checked, db, officer,
                                                                                       tmp_path):
    id_number = valid_id(50)
    write(db, result=checked(_book(tmp_path, [["张伟", id_number, None, "东区巡防队", None, None]]), "volunteers"),
          officer_id=officer)
    (person,) = _volunteers(db).values()
    again = checked(_book(tmp_path, [["张伟", id_number, "13900139000", "护校队（副队长）", "退出", None]], "v2.xlsx"),
                    "volunteers")
    assert (again.rows[0].match_id, again.rows[0].match_label, again.rows[0].action) == \
        (person.id, "张伟（东区巡防队）", "skip")
    again.set_matched("update")
    write(db, result=again, officer_id=officer)
    (updated,) = _volunteers(db).values()
    teams = _teams(db)
    assert (updated.id, updated.phone, updated.status, updated.team_id) == \
        (person.id, "13900139000", "left", teams["东区巡防队"].id)
    assert {m.name: m.role for m in [*members(db, team_id=teams["护校队"].id)]} == {"张伟": "deputy"}


def test_keeping_both_of_one_person_is_refused_as_the_form_refuses_a_second_registration(checked, db, officer,
                                                                                         tmp_path):
    made = _book(tmp_path, [["张伟", valid_id(60), None, "东区巡防队", None, None]])
    write(db, result=checked(made, "volunteers"), officer_id=officer)
    result = checked(made, "volunteers")
    result.set_matched("both")
    with pytest.raises(UserError, match="一个人只登记一次"):
        write(db, result=result, officer_id=officer)
    assert len(_volunteers(db)) == 1


def test_undo_takes_back_the_volunteers_their_teams_and_memberships(checked, db, officer, tmp_path):
    write(db, result=checked(volunteer_workbook(tmp_path / "v.xlsx", rows=4), "volunteers"), officer_id=officer)
    undo_last(db, officer_id=officer)
    with db.connect() as conn:
        for model in (Volunteer, VolunteerTeam, VolunteerMembership, VolunteerStatus):
            t = model.__table__
            assert conn.execute(select(func.count()).select_from(t).where(t.c.deleted.is_(False))).scalar() == 0


def test_a_new_team_is_made_in_the_community_of_the_rows_naming_it_as_their_home_team(checked, db, officer,
                                                                                      tmp_path):
    from db.models import Community

    headers = ["姓名", "身份证号", "所属义警队", "所属社区"]
    rows = [["李娜", valid_id(31), "幸福巡防队、护校队", "幸福社区"],  # 护校队 is her second team: 幸福社区 is not its
            ["王芳", valid_id(32), "护校队", "和平社区"],  # ... its own members' community is
            ["赵敏", valid_id(33), "和平巡防队、夜巡队", None],  # no community on the row: says nothing of 夜巡队
            ["刘洋", valid_id(34), "东区巡防队、夜巡队", "阳光社区"],  # only ever a second team: the first row saying
            ["陈静", valid_id(35), "西区巡防队、夜巡队", "和平社区"]]
    result = checked(_simple_workbook(tmp_path / "v.xlsx", sheet="义警", title=None, headers=headers, rows=rows),
                     "volunteers")
    assert [row.problems for row in result.rows] == [[]] * 5
    write(db, result=result, officer_id=officer)
    t, c = VolunteerTeam.__table__.c, Community.__table__.c
    with db.connect() as conn:
        where = dict(conn.execute(select(t.name, c.name).outerjoin(Community.__table__, c.id == t.community_id)).all())
    assert where == {"幸福巡防队": "幸福社区", "护校队": "和平社区", "和平巡防队": None, "夜巡队": "阳光社区",
                     "东区巡防队": "阳光社区", "西区巡防队": "和平社区"}
