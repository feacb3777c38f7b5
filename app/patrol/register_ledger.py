"""义警名册: one row per living volunteer with his teams and roles, to .xlsx, in the columns the Excel
import reads back (app/imports/kinds/volunteers.py).

A register is the state of today, not of a period: ``start``/``end`` are checked like every ledger's
period and named in the audit entry and the sheet's title, but every living volunteer is listed
(在队, 暂停 and 退出 alike) whenever he joined. 所属义警队 lists his home team first, each team with his
role as the import reads it ("东区巡防队（队长）、护校队"); 所属社区 is the home team's, which is where
the import makes a team it does not have (the first row whose home team it is). ID numbers and phones
are in full (the register is what the import reads back); leaving the program is audited like every
ledger.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.core.timeutil import day_range
from app.core.vocab import TEAM_ROLES, VOLUNTEER_STATUSES
from app.output.xlsx import LedgerColumn, save_ledger
from db.engine import Database
from db.models import Community, Volunteer, VolunteerMembership, VolunteerTeam

TITLE = "义警名册"
COLUMNS = tuple(LedgerColumn(header, width) for header, width in (
    ("序号", 6), ("姓名", 10), ("性别", 6), ("身份证号", 21), ("手机", 14), ("所属义警队", 34), ("状态", 8),
    ("专长", 20), ("入队日期", 11), ("培训日期", 11), ("每周班次上限", 12), ("所属社区", 12),
))
V, T, M = Volunteer.__table__.c, VolunteerTeam.__table__.c, VolunteerMembership.__table__.c


def register_rows(db: Database):
    """Yield the register's rows: living volunteers by home team and name."""
    community = Community.__table__.c
    with db.connect() as conn:
        teams: dict[str, list[tuple[bool, str]]] = {}
        for row in conn.execute(select(M.volunteer_id, M.team_id, M.role, T.name,
                                       V.team_id.label("home"))
                                .join(VolunteerTeam.__table__, T.id == M.team_id)
                                .join(Volunteer.__table__, V.id == M.volunteer_id)
                                .where(M.deleted.is_(False), T.deleted.is_(False))
                                .order_by(M.volunteer_id, M.created_at, T.name)):
            label = row.name + (f"（{TEAM_ROLES[row.role]}）" if row.role != "member" else "")
            teams.setdefault(row.volunteer_id, []).append((row.team_id != row.home, label))
        people = conn.execute(select(V.id, V.name, V.gender, V.id_number, V.phone, V.status, V.skills, V.joined_on,
                                     V.trained_on, V.weekly_cap, T.name.label("team"),
                                     community.name.label("community"))
                              .join(VolunteerTeam.__table__, T.id == V.team_id)
                              .outerjoin(Community.__table__, community.id == T.community_id)
                              .where(V.deleted.is_(False)).order_by(T.name, V.name, V.id)).all()
    for n, p in enumerate(people, 1):
        listed = [label for _other, label in sorted(teams.get(p.id, []), key=lambda team: team[0])]
        yield [n, p.name, p.gender or "", p.id_number or "", p.phone or "", "、".join(listed or [p.team]),
               VOLUNTEER_STATUSES.get(p.status, p.status), "、".join(s for s in p.skills.split(",") if s),
               p.joined_on.isoformat() if p.joined_on else "", p.trained_on.isoformat() if p.trained_on else "",
               p.weekly_cap, p.community or ""]


def write_ledger(db: Database, *, start: date, end: date, path: Path) -> int:
    """Write the register to ``path`` and log it; returns the rows written (the period is not a filter)."""
    day_range(start, end)  # the one check of a period every ledger makes
    return save_ledger(db, ledger=TITLE, path=path, columns=COLUMNS, rows=register_rows(db), start=start,
                       end=end, sheet_title=f"{TITLE}（截至{date.today().isoformat()}）")
