"""义警服务时长积分台账: one row per volunteer over a period, from confirmed shifts: teams, shifts,
attendance, hours, points and star level."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.core.timeutil import day_range
from app.core.vocab import TEAM_ROLES, VOLUNTEER_STATUSES
from app.output.xlsx import LedgerColumn, save_ledger
from app.patrol.points import Tally, volunteer_tallies
from app.patrol.settings import STAR_NAMES, read_settings
from db.engine import Database
from db.models import Volunteer, VolunteerMembership, VolunteerTeam

TITLE = "义警服务时长积分台账"
COLUMNS = [LedgerColumn(header, width) for header, width in (
    ("序号", 6), ("姓名", 10), ("性别", 6), ("所属义警队", 34), ("状态", 8), ("排班次数", 10),
    ("出勤次数", 10), ("出勤率", 9), ("服务时长（小时）", 16), ("本期积分", 10), ("累计积分", 10), ("星级", 8),
)]
V, T, M = Volunteer.__table__.c, VolunteerTeam.__table__.c, VolunteerMembership.__table__.c


def ledger_rows(db: Database, *, start: date, end: date) -> list[list]:
    """Volunteers who served in the period (confirmed shifts) and every volunteer 在队, most points first."""
    day_range(start, end)  # the one check of a period
    period = {t.id: t for t in volunteer_tallies(db, start=start, end=end)}
    lifetime = {t.id: t for t in volunteer_tallies(db)}
    with db.connect() as conn:
        settings = read_settings(conn)
        people = conn.execute(select(V.id, V.name, V.gender, V.status, T.name.label("team"))
                              .join(VolunteerTeam.__table__, T.id == V.team_id)
                              .where(V.deleted.is_(False))).all()
        teams: dict[str, list[str]] = {}
        for vid, team, role in conn.execute(select(M.volunteer_id, T.name, M.role)
                                            .join(VolunteerTeam.__table__, T.id == M.team_id)
                                            .where(M.deleted.is_(False), T.deleted.is_(False))
                                            .order_by(M.volunteer_id, M.created_at, T.name)):
            teams.setdefault(vid, []).append(team + (f"（{TEAM_ROLES[role]}）" if role != "member" else ""))
    listed = [p for p in people if p.id in period or p.status == "active"]
    listed.sort(key=lambda p: (-_of(period, p.id).points, -_of(period, p.id).hours, p.team, p.name, p.id))
    rows = []
    for n, p in enumerate(listed, 1):
        tally, total = _of(period, p.id), _of(lifetime, p.id).points
        rows.append([n, p.name, p.gender or "", "、".join(teams.get(p.id, [p.team])),
                     VOLUNTEER_STATUSES.get(p.status, p.status), tally.shifts, tally.attended,
                     f"{tally.rate:.0%}" if tally.shifts else "", tally.hours, tally.points, total,
                     STAR_NAMES[settings.stars(total)]])
    return rows


def _of(tallies: dict[str, Tally], volunteer_id: str) -> Tally:
    return tallies.get(volunteer_id) or Tally(volunteer_id, "")


def write_ledger(db: Database, *, start: date, end: date, path: Path) -> int:
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=ledger_rows(db, start=start, end=end),
                       start=start, end=end)
