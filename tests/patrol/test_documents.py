"""巡逻排班表 and 巡逻签到表 read back with pypdf, and the 义警服务时长积分台账 read back with openpyxl."""

from __future__ import annotations

import io
import re
from datetime import time, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from app.core.errors import UserError
from app.output.pdf import Rendered
from app.patrol import volunteers as service
from app.patrol.attendance import add_finding, confirm_shift, sign_in
from app.patrol.generation import preview_roster, save_roster
from app.patrol.ledger import COLUMNS, TITLE, write_ledger
from app.patrol.roster_pdf import roster_sheet
from app.patrol.schedule import make_shifts
from app.patrol.sign_in_pdf import sign_in_sheet
from app.patrol.teams import TeamValues, save_team
from app.patrol.volunteers import VolunteerValues, add_volunteer, update_volunteer
from db.models import Shift, ShiftAssignment, Volunteer
from tests.patrol.conftest import NEXT_MONDAY, make_squad, volunteer_values

WEEK = (NEXT_MONDAY, NEXT_MONDAY + timedelta(days=6))


def text_of(rendered: Rendered) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def rostered(db, squad):
    """The squad's week made and rostered (Monday to Thursday full, Friday to Sunday empty)."""
    make_shifts(db, start=WEEK[0], end=WEEK[1], team_id=squad.team)
    save_roster(db, preview=preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=squad.team))
    return squad


def _phones(db, ids) -> dict[str, str]:
    with db.session() as s:
        return {v.id: v.phone for v in s.exec(select(Volunteer).where(Volunteer.id.in_(ids)))}


def _on(db, day) -> list[ShiftAssignment]:
    with db.session() as s:
        return list(s.exec(select(ShiftAssignment).join(Shift, Shift.id == ShiftAssignment.shift_id)
                           .where(Shift.day == day, ShiftAssignment.deleted == False)))  # noqa: E712


def test_the_roster_is_a_landscape_route_by_day_grid_with_leaders_marked_and_only_their_phones(db, rostered):
    rendered = roster_sheet(db, team_id=rostered.team, start=WEEK[0], end=WEEK[1])
    page = PdfReader(io.BytesIO(rendered.pdf)).pages[0]
    assert rendered.pages == 1 and page.mediabox.width > page.mediabox.height  # A4 landscape
    text = flat(text_of(rendered))
    assert "巡逻排班表" in text and "云栖义警队" in text and "云栖里夜巡" in text and "夜巡" in text
    day = WEEK[0]
    assert f"{day.month}月{day.day}日" in text and "周一" in text and "周日" in text
    leaders = {a.volunteer_id for a in _on(db, day) if a.as_leader}
    members = {a.volunteer_id for a in _on(db, day) if not a.as_leader}
    phones = _phones(db, leaders | members | {rostered.captain})
    assert leaders and all(phones[v] in text for v in leaders) and "★" in text
    assert not [v for v in members - {rostered.captain, rostered.leader} if phones[v] in text]
    assert text.count("缺3人") == 3  # Friday to Sunday left empty
    assert (rendered.suggested_name, rendered.audit) == (
        f"巡逻排班表-云栖义警队-{WEEK[0]:%Y%m%d}-{WEEK[1]:%Y%m%d}.pdf", ("volunteer_team", rostered.team, "巡逻排班表"))


def test_a_month_prints_week_by_week_and_the_team_may_be_named(db, rostered):
    end = WEEK[0] + timedelta(days=30)
    make_shifts(db, start=WEEK[0], end=end, team_id=rostered.team)
    rendered = roster_sheet(db, team_id="云栖义警队", start=WEEK[0], end=end)
    text = flat(text_of(rendered))
    assert "第1周" in text and "第5周" in text and f"{end.month}月{end.day}日" in text
    assert rendered.pages >= 2


@pytest.mark.parametrize("change, message", [
    (dict(end=WEEK[0] + timedelta(days=31)), "最多打印 31 天"),
    (dict(end=WEEK[0] - timedelta(days=1)), "结束日期不能早于开始日期"),
    (dict(team_id="没有的队"), "没有这个义警队"),
    (dict(start=WEEK[0] - timedelta(days=400), end=WEEK[0] - timedelta(days=394)), "没有班次"),
])
def test_the_roster_refuses_what_it_cannot_print_in_words(db, rostered, change, message):
    arguments = {"team_id": rostered.team, "start": WEEK[0], "end": WEEK[1], **change}
    with pytest.raises(UserError, match=message):
        roster_sheet(db, **arguments)


def test_the_sign_in_sheet_lists_a_days_shifts_with_time_and_signature_boxes(db, rostered, community):
    other = save_team(db, values=TeamValues(name="平安护校队", kind="school", community_id=community))
    school = make_squad(db, other, first=40, route_name="实验小学护学岗", starts_at=time(7, 10),
                        ends_at=time(8, 10), weekdays=(1, 2, 3, 4, 5))
    make_shifts(db, start=WEEK[0], end=WEEK[1], team_id=school.team)
    save_roster(db, preview=preview_roster(db, start=WEEK[0], end=WEEK[1], team_id=school.team))
    rendered = sign_in_sheet(db, on=WEEK[0])
    page = PdfReader(io.BytesIO(rendered.pdf)).pages[0]
    assert page.mediabox.width < page.mediabox.height  # A4 portrait
    text = flat(text_of(rendered))
    for word in ("巡逻签到表", "签到时间", "签退时间", "本人签名", "替班", "带班小组长签名", "巡逻发现", "小组长",
                 "队员"):
        assert word in text, word
    assert text.index("07:10-08:10") < text.index("19:00-21:00")  # in the day's order
    with db.session() as s:
        names = {v.id: v.name for v in s.exec(select(Volunteer))}
    assert all(names[a.volunteer_id] in text for a in _on(db, WEEK[0]))
    only = flat(text_of(sign_in_sheet(db, on=WEEK[0], team_id="平安护校队")))
    assert "实验小学护学岗" in only and "云栖里夜巡" not in only
    assert rendered.audit == ("shift", None, "巡逻签到表")


def test_the_sign_in_sheet_refuses_a_day_without_shifts_and_an_unknown_team(db, rostered):
    with pytest.raises(UserError, match="没有巡逻班次"):
        sign_in_sheet(db, on=WEEK[0] - timedelta(days=400))
    with pytest.raises(UserError, match="没有这个义警队"):
        sign_in_sheet(db, on=WEEK[0], team_id="没有的队")


def test_a_name_the_font_lacks_is_reported_and_marked(db, rostered):
    [leader] = [a.volunteer_id for a in _on(db, WEEK[0]) if a.as_leader]
    values = service.volunteer_values(db, volunteer_id=leader)
    update_volunteer(db, volunteer_id=leader, values=VolunteerValues(**{**values.__dict__, "name": "𠮷大勇"}))
    for rendered in (roster_sheet(db, team_id=rostered.team, start=WEEK[0], end=WEEK[1]),
                     sign_in_sheet(db, on=WEEK[0])):
        assert rendered.missing == ["𠮷"] and "〓大勇" in text_of(rendered)


def test_the_hours_ledger_counts_confirmed_shifts_only(db, rostered, officer, tmp_path):
    monday = sorted(_on(db, WEEK[0]), key=lambda a: not a.as_leader)  # the leader first
    for n, a in enumerate(monday):
        hours = {} if n == 2 else {"started": time(19), "ended": time(21)}
        sign_in(db, assignment_id=a.id, attendance="absent" if n == 2 else "present", how="leader",
                today=WEEK[1], **hours)
    add_finding(db, shift_id=monday[0].shift_id, kind="hazard", text="路灯损坏", volunteer_id=monday[0].volunteer_id)
    confirm_shift(db, shift_id=monday[0].shift_id, officer_id=officer, today=WEEK[1])
    for a in _on(db, WEEK[0] + timedelta(days=1)):  # signed in, not confirmed: not counted yet
        sign_in(db, assignment_id=a.id, attendance="present", how="leader", today=WEEK[1])
    newcomer = add_volunteer(db, team_id=rostered.team, values=volunteer_values(50, name="新队员"))
    path = tmp_path / "hours.xlsx"
    count = write_ledger(db, start=WEEK[0], end=WEEK[1], path=path)
    sheet = load_workbook(path).active
    assert sheet.title == TITLE and [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert count == len(rows) == 7  # the six of the squad and the newcomer
    with db.session() as s:
        names = {v.id: v.name for v in s.exec(select(Volunteer))}
    leader, absent = monday[0], monday[2]
    row = rows[names[leader.volunteer_id]]
    assert row[3].startswith("云栖义警队") and row[5:9] == (1, 1, "100%", 2)
    assert row[9] == row[10] == 35  # 2 hours x 10 points x 1.5 for the leader, and 5 for his finding
    assert rows[names[absent.volunteer_id]][5:10] == (1, 0, "0%", 0, 0)
    assert rows[names[newcomer]][5:12] == (0, 0, None, 0, 0, 0, None)
    assert list(rows)[0] == names[leader.volunteer_id]  # most points first

