"""Revisits (回访): one-click scheduling, results that can reopen a dispute, due and overdue reminders."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, func, or_, select, union_all

from app.core.errors import UserError
from app.core.timeutil import moment_of
from app.core.vocab import DISPUTE_KINDS, DISPUTE_STATUSES, REVISIT_RESULTS
from app.disputes.status import CLOSED, apply_transition, living_dispute, record_event
from app.today import SOON_DAYS, AgendaItem, Tally
from db.engine import Database
from db.models import Community, Dispute, DisputeParty, Officer, Revisit

QUICK_DAYS = (1, 2, 7, 30)  # the one-click buttons: +1, +2, +7, +30 days
REOPENING = ("relapsed", "escalated")  # 反复 / 升级 put a settled dispute back into mediation
HORIZON_DAYS = 366
NOTES_LIMIT = 1000

D, R, P = Dispute.__table__.c, Revisit.__table__.c, DisputeParty.__table__.c


def schedule_revisit(db: Database, *, dispute_id: str, due_on: date | None = None, days: int | None = None,
                     officer_id: str | None = None, today: date | None = None) -> str:
    """Plan a revisit ``days`` from today or on ``due_on``; the same open date twice is one revisit."""
    today = today or date.today()
    if (due_on is None) == (days is None):
        raise ValueError("give due_on or days")
    due_on = due_on or today + timedelta(days=days)
    if due_on < today:
        raise UserError("回访日期不能早于今天")
    if due_on > today + timedelta(days=HORIZON_DAYS):
        raise UserError("回访日期太远：请安排在一年以内")
    with db.session(officer_id=officer_id) as session:
        dispute = living_dispute(session, dispute_id)
        same = session.execute(select(Revisit.id).where(
            Revisit.dispute_id == dispute_id, Revisit.due_on == due_on, Revisit.done_on.is_(None),
            Revisit.deleted.is_(False))).scalar()
        if same:  # a double click must not plan two visits
            return same
        row = Revisit(dispute_id=dispute_id, due_on=due_on, officer_id=officer_id or dispute.officer_id)
        session.add(row)
        session.commit()
        return row.id


def result_problems(*, result: str, done_on: date | None, notes: str, today: date | None = None,
                    occurred_on: date | None = None) -> dict[str, str]:
    today = today or date.today()
    problems: dict[str, str] = {}
    if result not in REVISIT_RESULTS:
        problems["result"] = "请选择回访结果"
    if done_on is None:
        problems["done_on"] = "请填写回访日期"
    elif done_on > today:
        problems["done_on"] = "回访日期不能晚于今天"
    elif occurred_on is not None and done_on < occurred_on:
        problems["done_on"] = "回访日期不能早于纠纷发生日期"
    if result in REOPENING and not notes.strip():
        problems["notes"] = "反复或升级时请写明情况"
    elif len(notes) > NOTES_LIMIT:
        problems["notes"] = f"最多{NOTES_LIMIT}个字"
    return problems


@dataclass(frozen=True)
class ResultOutcome:
    reopened: bool  # the dispute went back to 调处中
    status: str  # the dispute's status now


def record_result(db: Database, *, revisit_id: str, result: str, notes: str = "", done_on: date | None = None,
                  officer_id: str | None = None, today: date | None = None) -> ResultOutcome:
    """Close a revisit with 稳定/反复/升级. 反复 and 升级 reopen a settled dispute; 升级 also makes it high risk."""
    today = today or date.today()
    done_on = done_on or today
    with db.session(officer_id=officer_id) as session:
        revisit = session.get(Revisit, revisit_id)
        if revisit is None or revisit.deleted:
            raise UserError("该回访不存在或已被删除")
        if revisit.done_on is not None:
            raise UserError(f"这次回访已在{revisit.done_on:%Y-%m-%d}记录结果")
        dispute = session.get(Dispute, revisit.dispute_id)
        problems = result_problems(result=result, done_on=done_on, notes=notes, today=today,
                                   occurred_on=dispute.occurred_at.astimezone().date())
        if problems:
            raise UserError(next(iter(problems.values())))
        revisit.result, revisit.done_on, revisit.notes = result, done_on, notes.strip() or None
        revisit.officer_id = officer_id or revisit.officer_id
        reopened = False
        label = REVISIT_RESULTS[result]
        reason = f"回访结果：{label}" + (f"，{notes.strip()}" if notes.strip() else "")
        at = moment_of(done_on, today=today, not_before=dispute.occurred_at)
        if result == "escalated" and dispute.risk_level != "high":
            record_event(session, dispute_id=dispute.id, action="risk", from_value=dispute.risk_level,
                         to_value="high", reason=reason, officer_id=officer_id, at=at, revisit_id=revisit.id)
            dispute.risk_level = "high"
        if result in REOPENING and dispute.status in CLOSED:
            apply_transition(session, dispute, to="mediating", reason=reason, officer_id=officer_id, at=at,
                             revisit_id=revisit.id)
            reopened = True
        session.commit()
        return ResultOutcome(reopened, dispute.status)


@dataclass(frozen=True)
class RevisitReminder:
    revisit_id: str
    dispute_id: str
    number: str
    kind: str  # label
    status: str  # label
    risk_level: str  # code
    due_on: date
    days_overdue: int  # 0 when due today
    parties: str
    community: str
    officer: str


@dataclass(frozen=True)
class UnplannedDispute:
    """A settled dispute with no revisit planned since it was settled."""

    dispute_id: str
    number: str
    kind: str
    settled_on: date
    parties: str
    officer: str


@dataclass(frozen=True)
class Reminders:
    on: date
    due_today: list[RevisitReminder]
    overdue: list[RevisitReminder]  # most overdue first
    unplanned: list[UnplannedDispute]
    coming: list[RevisitReminder] = field(default_factory=list)  # due within the next days asked for

    def to_dict(self) -> dict:
        return {"on": self.on.isoformat(), "due_today": [asdict(r) for r in self.due_today],
                "overdue": [asdict(r) for r in self.overdue], "coming": [asdict(r) for r in self.coming],
                "unplanned": [asdict(u) for u in self.unplanned],
                "counts": {"due_today": len(self.due_today), "overdue": len(self.overdue),
                           "coming": len(self.coming), "unplanned": len(self.unplanned)}}


def party_names():
    """A dispute's party names joined by 、 (a scalar subquery over D.id)."""
    return (select(func.group_concat(P.name, "、"))
            .where(P.dispute_id == D.id, P.deleted.is_(False)).scalar_subquery())


def _until(on: date, days: int) -> date:
    try:
        return on + timedelta(days=days)
    except OverflowError:
        raise UserError(f"日期超出范围：{on}") from None


def _open_on(on: date):
    """A revisit still open on ``on``: not done, or done later."""
    return or_(R.done_on.is_(None), R.done_on > on)


def _open_due(on: date, until: date):
    """The revisits on the worklist: open on ``on``, of living disputes, due by ``until`` (the one rule
    that _due_query lists, and reminder_counts and revisit_tally count; their joins add no condition)."""
    return R.deleted.is_(False), D.deleted.is_(False), R.due_on <= until, _open_on(on)


def _due_query(*, on: date, until: date, since: date | None = None):
    """Open revisits of living disputes due by ``until`` (from ``since``), by due day and case number."""
    c, o = Community.__table__.c, Officer.__table__.c
    query = (
        select(R.id, R.dispute_id, R.due_on, D.number, D.kind, D.status, D.risk_level,
               party_names().label("parties"), c.name.label("community"), o.name.label("officer"))
        .join(Dispute.__table__, D.id == R.dispute_id)
        .outerjoin(Community.__table__, c.id == D.community_id)
        .outerjoin(Officer.__table__, o.id == D.officer_id)
        .where(*_open_due(on, until))
        .order_by(R.due_on, D.number, R.id)
    )
    return query if since is None else query.where(R.due_on >= since)


def _nth_due(*, on: date, until: date, since: date | None, n: int):
    """The due day of the ``n``-th revisit ``_due_query`` lists (None when fewer): read in due order from
    ix_revisit_open_due, one branch per side of ``_open_on`` (their OR would sort every open revisit)."""
    branches = [select(R.due_on).join(Dispute.__table__, D.id == R.dispute_id)
                .where(R.deleted.is_(False), D.deleted.is_(False), R.due_on <= until, open_)
                for open_ in (R.done_on.is_(None), R.done_on > on)]
    if since is not None:
        branches = [branch.where(R.due_on >= since) for branch in branches]
    return union_all(*branches).order_by("due_on").offset(n - 1).limit(1)


def reminders(db: Database, *, on: date, officer_id: str | None = None, coming_days: int = 0) -> Reminders:
    """Revisits due on ``on`` and overdue (open then: not done, or done later), those due in the
    next ``coming_days``, and settled disputes without a planned revisit. ``officer_id`` narrows
    to one officer's disputes."""
    until = _until(on, coming_days)
    o = Officer.__table__.c
    query = _due_query(on=on, until=until)
    planned = exists().where(R.dispute_id == D.id, R.deleted.is_(False), R.due_on >= D.settled_on)
    unplanned_query = (
        select(D.id, D.number, D.kind, D.settled_on, party_names().label("parties"), o.name.label("officer"))
        .outerjoin(Officer.__table__, o.id == D.officer_id)
        .where(D.deleted.is_(False), D.status == "resolved", D.settled_on <= on, ~planned)
        .order_by(D.settled_on.desc(), D.number)
    )
    if officer_id:
        query = query.where(D.officer_id == officer_id)
        unplanned_query = unplanned_query.where(D.officer_id == officer_id)
    with db.connect() as conn:
        rows = conn.execute(query).all()
        unplanned = [UnplannedDispute(r.id, r.number, DISPUTE_KINDS.get(r.kind, r.kind), r.settled_on,
                                      r.parties or "", r.officer or "") for r in conn.execute(unplanned_query)]
    items = [RevisitReminder(r.id, r.dispute_id, r.number, DISPUTE_KINDS.get(r.kind, r.kind),
                             DISPUTE_STATUSES.get(r.status, r.status), r.risk_level, r.due_on,
                             (on - r.due_on).days, r.parties or "", r.community or "", r.officer or "")
             for r in rows]
    return Reminders(on, [i for i in items if i.days_overdue == 0], [i for i in items if i.days_overdue > 0],
                     unplanned, [i for i in items if i.days_overdue < 0])


def reminder_counts(db: Database, *, on: date) -> tuple[int, int]:
    """(due today, overdue) revisits: the tray notification and the 工作台 badge."""
    tally = revisit_tally(db, on=on, soon_days=0)
    return tally.due, tally.overdue


def revisit_tally(db: Database, *, on: date, soon_days: int = SOON_DAYS) -> Tally:
    """What revisits_due lists, counted without listing it (the 工作台's cards: a city has tens of
    thousands overdue)."""
    query = (select(func.count().filter(R.due_on < on), func.count().filter(R.due_on == on),
                    func.count().filter(R.due_on > on))
             .join(Dispute.__table__, D.id == R.dispute_id)
             .where(*_open_due(on, _until(on, soon_days))))
    with db.connect() as conn:
        overdue, due, soon = conn.execute(query).one()
    return Tally(overdue=overdue, due=due, soon=soon)


def revisits_due(db: Database, *, on: date, soon_days: int = SOON_DAYS, since: date | None = None,
                 limit: int | None = None) -> list[AgendaItem]:
    """The 工作台's revisits (this area's worklist): overdue, due today or within ``soon_days``; with
    ``limit``, only the whole days from ``since`` on that hold the first ``limit`` (app.today.whole_days)."""
    until = _until(on, soon_days)
    with db.connect() as conn:
        if limit is not None:  # a city has tens of thousands overdue: read the page's days only
            until = min(until, conn.execute(_nth_due(on=on, until=until, since=since, n=limit)).scalar() or until)
        rows = conn.execute(_due_query(on=on, until=until, since=since)).all()
    return [AgendaItem("回访", f"{r.number} {DISPUTE_KINDS.get(r.kind, r.kind)}纠纷 {r.parties or ''}"
                               f"（{r.officer or '未指定民警'}）", r.due_on, r.dispute_id, "dispute") for r in rows]
