"""Routes, shift templates and the shifts made from them: one shift per template and day, whoever makes it."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from sqlmodel import select

from app.core.errors import UserError
from app.patrol.common import bands, span
from app.patrol.routes import RouteValues, delete_route, save_route
from app.patrol.schedule import (
    ShiftValues,
    TemplateValues,
    add_shift,
    cancel_shift,
    delete_template,
    make_shifts,
    save_template,
    shift_id_for,
    update_shift,
)
from app.patrol.teams import TeamValues, save_team
from db.models import RouteTeam, Shift
from tests.patrol.conftest import NEXT_MONDAY, TODAY
from tests.support.sync import dump


def _refused(db, call, said: str) -> None:
    before = dump(db)
    with pytest.raises(UserError, match=said):
        call()
    assert dump(db) == before


@pytest.mark.parametrize(("changes", "said"), [
    ({"name": ""}, "请填写路线名称"),
    ({"kind": "boat"}, "没有这种路线类型"),
    ({"minutes": 5}, "巡逻时长应在10分钟到16小时之间"),
    ({"waypoints": tuple(f"点{n}" for n in range(31))}, "途经点最多30个"),
])
def test_a_route_with_a_bad_value_is_refused(db, team, changes, said):
    values = replace(RouteValues(name="云栖里夜巡"), **changes)
    _refused(db, lambda: save_route(db, values=values, team_ids=(team,)), said)


def test_a_route_needs_a_team_and_keeps_its_teams(db, team):
    _refused(db, lambda: save_route(db, values=RouteValues(name="云栖里夜巡"), team_ids=()), "至少选择一个")
    other = save_team(db, values=TeamValues(name="新城义警队"))
    route = save_route(db, values=RouteValues(name="云栖里夜巡", minutes=120), team_ids=(team, other))
    save_route(db, values=RouteValues(name="云栖里夜巡"), team_ids=(other,), route_id=route)
    with db.session() as s:
        links = s.exec(select(RouteTeam).where(RouteTeam.route_id == route)).all()
        assert sorted((link.team_id, link.deleted) for link in links) == sorted([(team, True), (other, False)])


def _template(squad, **changes) -> TemplateValues:
    values = dict(route_id=squad.route, team_id=squad.team, weekdays=(1, 3), starts_at=time(19), ends_at=time(21),
                  valid_from=TODAY)
    values.update(changes)
    return TemplateValues(**values)


@pytest.mark.parametrize(("changes", "said"), [
    ({"weekdays": ()}, "请至少选择一天"),
    ({"weekdays": (1, 8)}, "星期应为1"),
    ({"ends_at": time(19)}, "结束时间不能与开始时间相同"),
    ({"starts_at": time(6), "ends_at": time(23)}, "一个班次最长16小时"),
    ({"headcount": 0}, "人数应在1到50之间"),
    ({"skill": "厨师"}, "没有这项专长"),
    ({"valid_to": TODAY - timedelta(days=1)}, "失效日期不能早于生效日期"),
    ({"headcount": 2}, "巡逻小组至少3人"),
    ({"needs_leader": False}, "每个巡逻小组设小组长"),
])
def test_a_template_with_a_bad_value_is_refused(db, squad, changes, said):
    _refused(db, lambda: save_template(db, values=_template(squad, **changes)), said)


def test_a_template_for_a_team_that_does_not_patrol_the_route_is_refused(db, squad):
    other = save_team(db, values=TeamValues(name="新城义警队"))
    _refused(db, lambda: save_template(db, values=_template(squad, team_id=other)), "不负责巡逻云栖里夜巡")


def test_making_shifts_again_makes_no_duplicates_and_ids_come_from_template_and_day(db, squad):
    week = (NEXT_MONDAY, NEXT_MONDAY + timedelta(days=6))
    template = save_template(db, values=_template(squad, weekdays=(1, 3), starts_at=time(8), ends_at=time(10)))
    first = make_shifts(db, start=week[0], end=week[1], template_ids=(template,))
    assert (first.made, first.existing) == (2, 0)
    again = make_shifts(db, start=week[0], end=week[1] + timedelta(days=7), template_ids=(template,))
    assert (again.made, again.existing) == (2, 2)
    with db.session() as s:
        shifts = s.exec(select(Shift).where(Shift.template_id == template).order_by(Shift.day)).all()
    assert [s.id for s in shifts] == [shift_id_for(template, week[0] + timedelta(days=d)) for d in (0, 2, 7, 9)]
    assert all(len(s.id) == 32 and s.needed == 3 and s.needs_leader for s in shifts)
    cancel_shift(db, shift_id=shifts[0].id)
    assert make_shifts(db, start=week[0], end=week[1], template_ids=(template,)).made == 0  # not made again


def test_making_shifts_outside_the_templates_validity_makes_none(db, squad):
    delete_template(db, template_id=squad.template)
    save_template(db, values=_template(squad, valid_from=NEXT_MONDAY + timedelta(days=7)))
    assert make_shifts(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6), team_id=squad.team).made == 0
    _refused(db, lambda: make_shifts(db, start=NEXT_MONDAY, end=NEXT_MONDAY - timedelta(days=1)), "结束日期不能早于")
    _refused(db, lambda: make_shifts(db, start=TODAY, end=TODAY + timedelta(days=400)), "一次最多生成一年")


def test_one_off_shifts_are_checked_and_can_change_their_headcount(db, squad):
    values = ShiftValues(route_id=squad.route, team_id=squad.team, day=NEXT_MONDAY, starts_at=time(7, 30),
                         ends_at=time(8, 30), needed=4, notes="中考护学")
    _refused(db, lambda: add_shift(db, values=replace(values, needed=0)), "人数应在1到50之间")
    _refused(db, lambda: add_shift(db, values=replace(values, skill="厨师")), "没有这项专长")
    shift = add_shift(db, values=values)
    update_shift(db, shift_id=shift, needed=2)
    _refused(db, lambda: update_shift(db, shift_id="0" * 32, needed=2), "不存在")
    cancel_shift(db, shift_id=shift)
    _refused(db, lambda: cancel_shift(db, shift_id=shift), "不存在或已取消")


def test_a_shift_needs_every_band_its_hours_touch():
    monday = NEXT_MONDAY
    assert bands(*span(monday, time(19), time(21))) == {"1e"}
    assert bands(*span(monday, time(17, 30), time(19))) == {"1a", "1e"}
    assert bands(*span(monday, time(22), time(2))) == {"1e", "2n"}  # past midnight: Tuesday's small hours
    assert span(monday, time(22), time(2))[1].date() == monday + timedelta(days=1)


def test_a_route_with_templates_is_not_deleted(db, squad):
    _refused(db, lambda: delete_route(db, route_id=squad.route), "还有班次模板")
    delete_template(db, template_id=squad.template)
    delete_route(db, route_id=squad.route)
