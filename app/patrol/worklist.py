"""The patrol area's part of the 工作台: today's shifts (short ones say how short), past shifts awaiting
sign-in or confirmation, and volunteers whose training is missing or whose leave ends soon."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from sqlalchemy import and_, func, select

from app.patrol.common import shift_label
from app.patrol.listing import AWAY
from app.patrol.settings import read_settings
from app.today import SOON_DAYS, AgendaItem, page_days
from db.engine import Database
from db.models import PatrolRoute, Shift, ShiftAssignment, Volunteer, VolunteerLeave, VolunteerTeam

S, P, A = Shift.__table__.c, PatrolRoute.__table__.c, ShiftAssignment.__table__.c
V, L, T = Volunteer.__table__.c, VolunteerLeave.__table__.c, VolunteerTeam.__table__.c
SHIFT, VOLUNTEER = "巡逻", "义警"  # the agenda's kinds
TRAINING_DAYS = 30  # a new volunteer is trained within this many days of joining


def patrol_worklist(db: Database, *, on: date, soon_days: int = SOON_DAYS, since: date | None = None,
                    limit: int | None = None) -> list[AgendaItem]:
    """What the patrol area has for the officer on ``on``. Today's shifts are appointments (not due);
    a past shift not yet confirmed is due on its day; an untrained volunteer is due ``TRAINING_DAYS``
    after joining and a leave on its last day, listed from ``soon_days`` before. With ``since`` and
    ``limit``, the days a page of the agenda can hold (app.today.page_days): a city's shifts awaiting
    confirmation run to a thousand."""
    with db.connect() as conn:
        today = _today(conn, on) if since is None or since <= on else []
        return (today + _awaiting(conn, on, since=since, limit=limit) + _untrained(conn, on, soon_days)
                + _leave_ending(conn, on, soon_days, since=since, limit=limit))


def shifts_on(db: Database, *, on: date) -> list[AgendaItem]:
    """The shifts of the day ``on``, with how many are on each of how many needed (a shortage said first)."""
    with db.connect() as conn:
        return _today(conn, on)


def _counts():
    """People on the shift, of them those coming (not on leave or absent) and leaders coming, and the
    sign-ins recorded."""
    living = and_(A.shift_id == S.id, A.deleted.is_(False))
    coming = and_(living, A.attendance.not_in(AWAY))
    return (select(func.count()).where(living).scalar_subquery().label("assigned"),
            select(func.count()).where(coming).scalar_subquery().label("coming"),
            select(func.count()).where(coming, A.as_leader.is_(True)).scalar_subquery().label("leaders"),
            select(func.count()).where(living, A.attendance != "planned").scalar_subquery().label("signed"))


def _today(conn, on: date) -> list[AgendaItem]:
    rows = conn.execute(select(S.id, S.starts_at, S.ends_at, S.needed, S.needs_leader, P.name, *_counts())
                        .join(PatrolRoute.__table__, P.id == S.route_id)
                        .where(S.deleted.is_(False), S.day == on).order_by(S.starts_at, P.name, S.id)).all()
    items = []
    for r in rows:
        short = [f"缺{r.needed - r.coming}人"] if r.coming < r.needed else []
        short += ["缺小组长"] if r.needs_leader and r.coming and not r.leaders else []
        what = f"{r.name} {r.starts_at:%H:%M}-{r.ends_at:%H:%M}（已排{r.coming}/需{r.needed}人）"
        # the shortage first: a narrow column (cpdesk reminders) cuts the end off
        items.append(AgendaItem(SHIFT, f"{'、'.join(short)}：{what}" if short else what, on, r.id, "shift",
                                deadline=False))
    return items


def _awaiting(conn, on: date, *, since: date | None = None, limit: int | None = None) -> list[AgendaItem]:
    """Past shifts not confirmed: to sign in (paper sheets to enter) or to confirm."""
    query = (select(S.id, S.day, S.starts_at, S.ends_at, P.name, *_counts())
             .join(PatrolRoute.__table__, P.id == S.route_id)
             .where(S.deleted.is_(False), S.day < on, S.confirmed_at.is_(None))
             .order_by(S.day, S.starts_at, P.name, S.id))
    rows = conn.execute(page_days(conn, query, S.day, since=since, limit=limit)).all()
    items = []
    for r in rows:
        state = ("无人排班，待确认" if not r.assigned else
                 f"待签到（已录{r.signed}/{r.assigned}人）" if r.signed < r.assigned else "已签到，待确认")
        items.append(AgendaItem(SHIFT, f"{state}：{shift_label(r.day, r.starts_at, r.ends_at, r.name)}", r.day, r.id,
                                "shift"))
    return items


def _untrained(conn, on: date, soon_days: int) -> list[AgendaItem]:
    """Volunteers 在队 not yet trained: with training first (the setting) a roster leaves them out."""
    if not read_settings(conn)["train_first"]:
        return []
    rows = conn.execute(select(V.id, V.name, V.joined_on, V.created_at, T.name.label("team"))
                        .join(VolunteerTeam.__table__, T.id == V.team_id)
                        .where(V.deleted.is_(False), V.status == "active", V.trained_on.is_(None))
                        .order_by(V.name, V.id)).all()
    items = []
    for r in rows:
        joined = r.joined_on or r.created_at.replace(tzinfo=UTC).astimezone().date()
        due = joined + timedelta(days=TRAINING_DAYS)
        if due <= on + timedelta(days=soon_days):
            items.append(AgendaItem(VOLUNTEER, f"尚未培训：{r.name}（{r.team}）{joined.month}月{joined.day}日入队，"
                                               "培训后才能排班", due, r.id, "volunteer"))
    return items


def _leave_ending(conn, on: date, soon_days: int, *, since: date | None = None,
                  limit: int | None = None) -> list[AgendaItem]:
    """Leave ending from ``on`` to ``soon_days`` ahead: he can be rostered again after it."""
    query = (select(V.id, V.name, L.ends_on, T.name.label("team"))
             .join(Volunteer.__table__, V.id == L.volunteer_id)
             .join(VolunteerTeam.__table__, T.id == V.team_id)
             .where(L.deleted.is_(False), V.deleted.is_(False), V.status == "active",
                    L.ends_on >= on, L.ends_on <= on + timedelta(days=soon_days))
             .order_by(L.ends_on, V.name, L.id))
    rows = conn.execute(page_days(conn, query, L.ends_on, since=since, limit=limit)).all()
    return [AgendaItem(VOLUNTEER, f"请假将结束：{r.name}（{r.team}）请假至{r.ends_on.month}月{r.ends_on.day}日，"
                                  "之后可恢复排班", r.ends_on, r.id, "volunteer") for r in rows]
