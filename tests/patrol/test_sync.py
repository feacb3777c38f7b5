"""Two laptops rostering the same team: shifts made on both merge, the last seat filled on both keeps both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from app.patrol.attendance import overfilled_shifts
from app.patrol.changes import assign
from app.patrol.generation import preview_roster, save_roster
from app.patrol.schedule import make_shifts, shift_id_for
from app.patrol.teams import TeamValues, save_team
from app.sync.container import SyncError
from app.sync.export import _read
from app.sync.importer import import_file
from app.sync.tables import SPECS
from db.models import Shift, ShiftAssignment, SyncConflict
from tests.patrol.conftest import NEXT_MONDAY, make_squad
from tests.support.sync import PASSPHRASE, Courier, dump, file_state, make_device, write_file

WEEK = (NEXT_MONDAY, NEXT_MONDAY + timedelta(days=6))


@pytest.fixture
def laptops(tmp_path, _template_db):
    """The station's laptop with a team, its volunteers, a route and a template, and an officer's laptop
    that has imported all of it."""
    station = make_device(_template_db, tmp_path, "A01")
    officer = make_device(_template_db, tmp_path, "B02")
    courier = Courier(tmp_path)
    squad = make_squad(station, save_team(station, values=TeamValues(name="云栖义警队")))
    courier.bring(officer, courier.export(station))
    yield station, officer, courier, squad
    station.close()
    officer.close()


def _count(db, model) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(model.deleted == False)).one()  # noqa: E712


def _exchange(courier: Courier, first, second) -> None:
    courier.bring(second, courier.export(first))
    courier.bring(first, courier.export(second))


def test_shifts_made_on_both_laptops_merge_and_the_last_seat_filled_on_both_is_kept_and_flagged(laptops):
    station, officer, courier, squad = laptops
    for db in (station, officer):  # each makes next week's shifts from the same template
        assert make_shifts(db, start=WEEK[0], end=WEEK[1], team_id=squad.team).made == 7
    monday = shift_id_for(squad.template, WEEK[0])
    assign(station, shift_id=monday, volunteer_id=squad.leader)
    assign(station, shift_id=monday, volunteer_id=squad.members[0])
    _exchange(courier, station, officer)
    assert _count(station, Shift) == _count(officer, Shift) == 7  # merged, not doubled
    # the last seat, filled on each laptop before they meet again
    assign(station, shift_id=monday, volunteer_id=squad.members[1])
    assign(officer, shift_id=monday, volunteer_id=squad.members[2])
    assign(station, shift_id=shift_id_for(squad.template, WEEK[0] + timedelta(days=2)), volunteer_id=squad.captain)
    assign(officer, shift_id=shift_id_for(squad.template, WEEK[0] + timedelta(days=2)), volunteer_id=squad.captain)
    _exchange(courier, station, officer)
    assert dump(station) == dump(officer)
    for db in (station, officer):
        with db.session() as s:
            people = s.exec(select(ShiftAssignment.volunteer_id).where(
                ShiftAssignment.shift_id == monday, ShiftAssignment.deleted == False)).all()  # noqa: E712
            assert sorted(people) == sorted([squad.leader, *squad.members[:3]])  # neither one dropped
            open_conflicts = s.exec(select(SyncConflict).where(SyncConflict.deleted == False)).all()  # noqa: E712
            assert open_conflicts == []
        [line] = overfilled_shifts(db, start=WEEK[0], end=WEEK[1])
        assert (line.shift_id, line.needed, line.assigned) == (monday, 3, 4)
    assert _count(station, ShiftAssignment) == 5  # the captain's Wednesday, made on both, is one row


def test_rosters_generated_on_both_laptops_from_the_same_data_converge(laptops):
    station, officer, courier, squad = laptops
    for db in (station, officer):
        make_shifts(db, start=WEEK[0], end=WEEK[1], team_id=squad.team)
        save_roster(db, preview=preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team))
    _exchange(courier, station, officer)
    assert dump(station) == dump(officer)
    assert _count(station, ShiftAssignment) == 12 and overfilled_shifts(station, start=WEEK[0], end=WEEK[1]) == []


@pytest.mark.parametrize(("table", "column", "value", "said"), [
    ("volunteer", "availability", "1e,9x", "可排时段格式不对：9x"),
    ("volunteer", "skills", "厨师", "没有这项专长：厨师"),
    ("volunteer", "id_number", "330106198505010010", "校验码不对"),
    ("volunteer", "status", "gone", "不是可用的值（gone）"),
    ("volunteer_team", "group_size", 2, "巡逻小组至少3人"),
    ("volunteer_membership", "role", "general", "不是可用的值（general）"),
    ("patrol_route", "kind", "boat", "不是可用的值（boat）"),
    ("shift_template", "weekdays", "1,9", "格式不对"),
    ("shift_template", "headcount", 0, "人数应在1到50之间"),
    ("shift", "ends_at", "19:00:00.000000", "结束时间不能与开始时间相同"),
    ("shift_assignment", "checked_in_at", "2026-01-01 11:00:00.000000", "待签到不填签到、签退时间"),
])
def test_a_patrol_row_the_services_refuse_is_refused_by_sync(laptops, tmp_path, table, column, value, said):
    station, officer, _courier, squad = laptops
    make_shifts(station, start=WEEK[0], end=WEEK[1], team_id=squad.team)
    assign(station, shift_id=shift_id_for(squad.template, WEEK[0]), volunteer_id=squad.leader)
    rows = _read(station, full=True, progress=lambda *_: None).rows
    row = rows[table][0]
    row[SPECS[table].index[column]] = value
    write_file(tmp_path / "bad.cpsync", rows)
    before = dump(officer), file_state(officer)
    with pytest.raises(SyncError) as caught:
        import_file(officer, path=tmp_path / "bad.cpsync", passphrase=PASSPHRASE)
    message = str(caught.value)
    assert message.startswith(f"同步文件有误：{table} 行 {row[0]} 字段 {column}：") and said in message, message
    assert (dump(officer), file_state(officer)) == before
