"""巡逻签到表: a day's shifts (of a team, or all) on A4, each with its people, 签到/签退 time boxes,
signature boxes, spare lines for stand-ins and room for what the patrol found, for paper sign-in on site."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select

from app.core.errors import UserError
from app.core.vocab import ATTENDANCE
from app.output.pdf import Rendered, chinese_date, render, styles
from app.patrol.eligibility import weekday_name
from app.patrol.listing import find_team
from app.patrol.roster_pdf import WIDE_BLANK, Marker, route_title
from db.engine import Database
from db.models import PatrolRoute, Shift, ShiftAssignment, Volunteer, VolunteerTeam

TITLE = "巡逻签到表"
SPARE_ROWS = 2  # blank lines for stand-ins (替班) signing in on the spot
WIDTHS_MM = (12, 26, 16, 24, 24, 36, 28)  # 166 mm between the margins
HEADERS = ("序号", "姓名", "职责", "签到时间", "签退时间", "本人签名", "备注")
ROW_MM, FINDINGS_MM = 10, 18
TIME_BOX = "&nbsp;" * 7 + ":" + "&nbsp;" * 7  # hour before, minutes after
SHADE = colors.HexColor("#EDEDED")
S, P, A = Shift.__table__.c, PatrolRoute.__table__.c, ShiftAssignment.__table__.c
V, T = Volunteer.__table__.c, VolunteerTeam.__table__.c


def sign_in_sheet(db: Database, *, on: date, team_id: str | None = None) -> Rendered:
    """The 巡逻签到表 of the day ``on``: every shift that day, or the shifts of ``team_id`` (its id or name)."""
    team_name = ""
    with db.connect() as conn:
        if team_id is not None:
            team_id, team_name = find_team(conn, team_id)
        query = (select(S.id, S.starts_at, S.ends_at, S.needed, P.name.label("route"), P.kind, P.waypoints,
                        T.name.label("team"))
                 .join(PatrolRoute.__table__, P.id == S.route_id)
                 .outerjoin(VolunteerTeam.__table__, T.id == S.team_id)
                 .where(S.deleted.is_(False), S.day == on))
        if team_id is not None:
            query = query.where(S.team_id == team_id)
        shifts = conn.execute(query.order_by(S.starts_at, T.name, P.name, S.id)).all()
        people = defaultdict(list)
        ids = [s.id for s in shifts]
        for n in range(0, len(ids), 500):
            for r in conn.execute(select(A.shift_id, V.name, A.as_leader, A.attendance)
                                  .join(Volunteer.__table__, V.id == A.volunteer_id)
                                  .where(A.shift_id.in_(ids[n:n + 500]), A.deleted.is_(False))
                                  .order_by(A.as_leader.desc(), V.name, A.id)):
                people[r.shift_id].append(r)
    if not shifts:
        raise UserError(f"{team_name}{'在' if team_name else ''}{on} 没有巡逻班次")
    mark = Marker()
    subtitle = f"{chinese_date(on)}　{weekday_name(on)}" + (f"　{team_name}" if team_name else "")
    story = [Paragraph(TITLE, styles()["title"]), Paragraph(mark(subtitle), styles()["subtitle"])]
    for shift in shifts:
        story.append(KeepTogether(_shift_part(shift, people[shift.id], mark)))
    story.append(Paragraph(mark("说明：本人到岗时填写签到时间并签名，离岗时填写签退时间；替班人员写在空行。"
                                "带班小组长核对后签名，交社区民警录入（纸质签到表录入）。"), styles()["small"]))
    name = f"{TITLE}-{team_name + '-' if team_name else ''}{on:%Y%m%d}.pdf"
    return Rendered.of(render(story, title=TITLE), missing=mark.missing, suggested_name=name,
                       title=f"{TITLE}　{on}" + (f"　{team_name}" if team_name else ""),
                       audit=("volunteer_team" if team_id else "shift", team_id, TITLE))


def _shift_part(shift, people: list, mark: Marker) -> list:
    body, small = styles()["body"], styles()["small"]
    cell = ParagraphStyle("sign-cell", parent=styles()["cell"], fontSize=10, leading=13)
    centred = ParagraphStyle("sign-centre", parent=cell, alignment=TA_CENTER)
    route = route_title(shift.route, shift.kind, inline=True)
    heading = (f"<b>{shift.starts_at:%H:%M}-{shift.ends_at:%H:%M}　{mark(route)}</b>　{mark(shift.team or '')}"
               f"　需 {shift.needed} 人")
    heading = heading.replace("　", WIDE_BLANK)
    waypoints = "→".join(p for p in (shift.waypoints or "").splitlines() if p)
    data = [[Paragraph(h, centred) for h in HEADERS]]
    for n, person in enumerate(people, 1):
        note = ATTENDANCE[person.attendance] if person.attendance == "leave" else ""
        data.append([Paragraph(str(n), centred), Paragraph(mark(person.name), cell),
                     Paragraph("小组长" if person.as_leader else "队员", centred),
                     Paragraph(TIME_BOX, centred), Paragraph(TIME_BOX, centred), "", Paragraph(note, cell)])
    for n in range(len(people) + 1, len(people) + SPARE_ROWS + 1):
        data.append([Paragraph(str(n), centred), "", Paragraph("替班", centred), Paragraph(TIME_BOX, centred),
                     Paragraph(TIME_BOX, centred), "", ""])
    found = Paragraph("巡逻发现（安全隐患、可疑线索、矛盾纠纷、群众求助）：", small)
    data.append([found, "", "", "", "", "", ""])
    table = Table(data, colWidths=[w * mm for w in WIDTHS_MM],
                  rowHeights=[8 * mm] + [ROW_MM * mm] * (len(data) - 2) + [FINDINGS_MM * mm])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -2), "MIDDLE"), ("VALIGN", (0, -1), (-1, -1), "TOP"),
        ("SPAN", (0, -1), (-1, -1)),
    ]))
    signed = Paragraph(f"带班小组长签名：{'＿' * 8}{WIDE_BLANK * 3}民警确认：{'＿' * 8}", body)
    part = [Paragraph(heading, body)]
    if waypoints:
        part.append(Paragraph(mark(f"途经：{waypoints}"), small))
    return [*part, Spacer(1, 2 * mm), table, Spacer(1, 3 * mm), signed, Spacer(1, 7 * mm)]
