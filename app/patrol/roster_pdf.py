"""巡逻排班表: a team's week or month as a route x day grid on A4 landscape, leaders marked ★ with
their phones (no one else's), short seats said; and the text helper the patrol documents share."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select

from app.core.errors import UserError
from app.core.vocab import ATTENDANCE, ROUTE_KINDS, TEAM_KINDS
from app.output.pdf import Rendered, chinese_date, missing_glyphs, register_font, render, styles
from app.patrol.eligibility import weekday_name
from app.patrol.grid import GridShift, Seat, roster_grid
from app.patrol.listing import AWAY, find_team
from db.engine import Database
from db.models import PatrolRoute, Volunteer, VolunteerTeam

TITLE = "巡逻排班表"
LEADER = "★"
PLACEHOLDER = "〓"  # a character the font lacks: written in by hand
WIDE_BLANK = "&nbsp;" * 3  # U+3000 as Paragraph markup
MAX_DAYS = 31  # a week or a month
WEEK = 7
ROUTE_MM, PAGE_MM = 33, 267  # A4 landscape less 15 mm margins
SHADE = colors.HexColor("#EDEDED")
SHORT = colors.HexColor("#C00000")
P, V, T = PatrolRoute.__table__.c, Volunteer.__table__.c, VolunteerTeam.__table__.c


class Marker:
    """Text ready for a Paragraph: characters the font lacks marked and collected, markup escaped."""

    def __init__(self) -> None:
        register_font()
        self.missing: dict[str, None] = {}

    def __call__(self, value: str | None) -> str:
        value = value or ""
        for char in missing_glyphs([value]):
            self.missing.setdefault(char)
            value = value.replace(char, PLACEHOLDER)
        # reportlab takes U+3000 for a break and drops it: the wide blank becomes non-breaking spaces
        return escape(value).replace("\n", "<br/>").replace("　", WIDE_BLANK)


def roster_sheet(db: Database, *, team_id: str, start: date, end: date) -> Rendered:
    """The 巡逻排班表 of a team (its id or name) from ``start`` to ``end`` (up to a month): the roster grid
    (app.patrol.grid) on paper."""
    if end < start:
        raise UserError("结束日期不能早于开始日期")
    if (end - start).days >= MAX_DAYS:
        raise UserError(f"排班表一次最多打印 {MAX_DAYS} 天（一周或一个月）")
    with db.connect() as conn:
        team_id, _name = find_team(conn, team_id)
        team = conn.execute(select(VolunteerTeam.__table__).where(T.id == team_id)).first()
    grid = roster_grid(db, team_id=team_id, start=start, end=end)
    if not grid.shifts:
        raise UserError(f"{team.name}在 {start} 至 {end} 没有班次：请先用班次模板生成班次")
    leaders = {seat.volunteer_id for cell in grid.shifts.values() for shift in cell for seat in shift.people
               if seat.as_leader}
    with db.connect() as conn:
        phones = dict(conn.execute(select(V.id, V.phone).where(V.id.in_(leaders))).all())
        kinds = dict(conn.execute(select(P.id, P.kind).where(P.id.in_([rid for rid, _name in grid.routes]))).all())
    mark = Marker()
    cell = ParagraphStyle("roster-cell", parent=styles()["small"], fontSize=8.5, leading=11)
    head = ParagraphStyle("roster-head", parent=cell, alignment=TA_CENTER)
    captain = f"队长：{team.leader}" + (f"　电话：{team.leader_phone}" if team.leader_phone else "") \
        if team.leader else ""
    about = "　".join(x for x in (TEAM_KINDS.get(team.kind, team.kind), captain,
                                  f"联系方式：{team.contact}" if team.contact else "") if x)
    story = [Paragraph(TITLE, styles()["title"]),
             Paragraph(mark(f"{team.name}　{chinese_date(start)}至{chinese_date(end)}"), styles()["subtitle"]),
             Paragraph(mark(about), ParagraphStyle("about", parent=styles()["small"], alignment=TA_CENTER)),
             Spacer(1, 3 * mm)]
    routes = [(rid, route_title(name, kinds.get(rid, ""))) for rid, name in grid.routes]
    days = grid.days
    weeks = [days[n:n + WEEK] for n in range(0, len(days), WEEK)]
    for n, week in enumerate(weeks, 1):
        rows = [[Paragraph(mark(title), cell)] + [
            Paragraph("<br/>".join(_shift_lines(s, phones, mark) for s in grid.shifts.get((rid, d), ())), cell)
            for d in week] for rid, title in routes]
        part = [_week_table(week, rows, head), Spacer(1, 4 * mm)]
        if len(weeks) > 1:
            part.insert(0, Paragraph(mark(f"第 {n} 周　{week[0].month}月{week[0].day}日至"
                                          f"{week[-1].month}月{week[-1].day}日"), styles()["small"]))
        story.append(KeepTogether(part))
    story.append(Paragraph(mark(f"说明：{LEADER} 为带班小组长，附其联系电话，其他队员电话不在表上列出；"
                                "红字为缺人的班次，请队长安排替班。请假、换班请提前告知队长。"), styles()["small"]))
    return Rendered.of(render(story, title=TITLE, landscape=True), missing=mark.missing,
                       suggested_name=f"{TITLE}-{team.name}-{start:%Y%m%d}-{end:%Y%m%d}.pdf",
                       title=f"{TITLE}　{team.name}", audit=("volunteer_team", team_id, TITLE))


def _week_table(week: list[date], rows: list[list], head: ParagraphStyle) -> Table:
    """Routes down, the week's days across; days past the period's end shaded."""
    day_mm = (PAGE_MM - ROUTE_MM) / WEEK
    pad = [""] * (WEEK - len(week))
    data = [[Paragraph("路线", head)] + [Paragraph(f"{d.month}月{d.day}日<br/>{weekday_name(d)}", head)
                                         for d in week] + pad]
    data += [row + pad for row in rows]
    table = Table(data, colWidths=[ROUTE_MM * mm] + [day_mm * mm] * WEEK, repeatRows=1)
    commands = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("BACKGROUND", (0, 1), (0, -1), SHADE),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if pad:
        commands.append(("BACKGROUND", (len(week) + 1, 0), (-1, -1), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def _shift_lines(shift: GridShift, phones: dict[str, str | None], mark: Marker) -> str:
    """"<b>19:00-21:00</b> ★张三 13800000000 李四、王五 缺1人" as Paragraph markup; one on leave (or absent)
    is named so and leaves his seat short."""
    def name(seat: Seat) -> str:
        away = f"({ATTENDANCE[seat.attendance]})" if seat.attendance in AWAY else ""  # "）" would hang out
        return mark(seat.name) + away

    lines = [f"<b>{shift.starts_at:%H:%M}-{shift.ends_at:%H:%M}</b>"]
    for seat in shift.people:
        if seat.as_leader:
            phone = phones.get(seat.volunteer_id) if seat.attendance not in AWAY else None
            lines.append(f"{LEADER}{name(seat)}" + (f"<br/>{mark(phone)}" if phone else ""))
    others = [name(seat) for seat in shift.people if not seat.as_leader]
    if others:
        lines.append("、".join(others))
    coming = [seat for seat in shift.people if seat.attendance not in AWAY]
    short = [f"缺{shift.needed - len(coming)}人"] if len(coming) < shift.needed else []
    if shift.needs_leader and coming and not any(seat.as_leader for seat in coming):
        short.append("缺小组长")
    if short:
        lines.append(f'<font color="{SHORT.hexval().replace("0x", "#")}"><b>{"，".join(short)}</b></font>')
    return "<br/>".join(lines)


def route_title(name: str, kind: str, *, inline: bool = False) -> str:
    """A route's name with its kind where the name does not say it: "滨河路\n夜巡" (inline: "滨河路（夜巡）");
    "云栖里夜巡线" as it is."""
    label = ROUTE_KINDS.get(kind, kind)
    if label in name:
        return name
    return f"{name}（{label}）" if inline else f"{name}\n{label}"
