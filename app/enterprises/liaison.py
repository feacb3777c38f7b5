"""警企联络: the liaison log, and the enterprise's requests (诉求) tracked to an answer by a due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import UserError
from app.core.records import living, refuse_first
from app.core.vocab import LIAISON_KINDS
from app.enterprises.common import check_day, check_text
from app.today import SOON_DAYS, AgendaItem, page_days
from db.engine import Database
from db.models import Enterprise, EnterpriseRequest, LiaisonVisit, Officer

CONTENT_LIMIT = 2000
MET_LIMIT = 100
MAX_DUE_DAYS = 366  # a request answered more than a year on is a typo in the year


@dataclass
class LiaisonValues:
    kind: str  # LIAISON_KINDS
    visited_on: date
    content: str
    met: str = ""  # people met (张三（保卫科长）、李四)


@dataclass
class RequestValues:
    raised_on: date
    content: str
    due_on: date
    liaison_visit_id: str | None = None  # the contact it was raised at


@dataclass(frozen=True)
class LiaisonLine:
    id: str
    visited_on: date
    kind: str  # label ("" on older rows)
    content: str
    met: str
    officer: str


@dataclass(frozen=True)
class RequestLine:
    id: str
    enterprise_id: str
    enterprise: str
    raised_on: date
    content: str
    due_on: date
    answered_on: date | None
    answer: str
    officer: str

    def state(self, on: date) -> str:
        if self.answered_on is not None:
            return "已答复"
        days = (on - self.due_on).days
        return f"逾期{days}天" if days > 0 else ("今日到期" if days == 0 else "待答复")


def liaison_problems(values: LiaisonValues, *, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    if values.kind not in LIAISON_KINDS:
        problems["kind"] = "请选择联络事项"
    check_day(problems, "visited_on", values.visited_on, label="联络日期", today=today)
    check_text(problems, "content", values.content, limit=CONTENT_LIMIT, required="请写明联络内容")
    check_text(problems, "met", values.met, limit=MET_LIMIT)
    return problems


def add_liaison(db: Database, *, enterprise_id: str, values: LiaisonValues, officer_id: str | None = None,
                today: date | None = None) -> str:
    """Log one contact with the enterprise, made by ``officer_id`` (or the officer logged in)."""
    refuse_first(liaison_problems(values, today=today or date.today()))
    with db.session(officer_id=officer_id) as session:
        living(session, Enterprise, enterprise_id, "企业")
        row = LiaisonVisit(enterprise_id=enterprise_id, visited_on=values.visited_on, kind=values.kind,
                           officer_id=officer_id or db.officer_id, contact=values.met.strip() or None,
                           notes=values.content.strip())
        session.add(row)
        session.commit()
        return row.id


def liaison_log(db: Database, *, enterprise_id: str) -> list[LiaisonLine]:
    """The enterprise's contacts, newest first."""
    v, o = LiaisonVisit.__table__.c, Officer.__table__.c
    query = (select(v.id, v.visited_on, v.kind, v.notes, v.contact, o.name)
             .outerjoin(Officer.__table__, o.id == v.officer_id)
             .where(v.enterprise_id == enterprise_id, v.deleted.is_(False))
             .order_by(v.visited_on.desc(), v.created_at.desc()))
    with db.connect() as conn:
        return [LiaisonLine(r.id, r.visited_on, LIAISON_KINDS.get(r.kind, r.kind or ""), r.notes or "",
                            r.contact or "", r.name or "") for r in conn.execute(query)]


def request_problems(values: RequestValues, *, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_day(problems, "raised_on", values.raised_on, label="提出日期", today=today)
    check_text(problems, "content", values.content, limit=CONTENT_LIMIT, required="请写明企业的诉求")
    if values.due_on is None:
        problems["due_on"] = "请填写答复期限"
    elif values.raised_on is not None and values.due_on < values.raised_on:
        problems["due_on"] = "答复期限不能早于提出日期"
    elif values.raised_on is not None and (values.due_on - values.raised_on).days > MAX_DUE_DAYS:
        problems["due_on"] = "答复期限不能超过一年，请核对年份"
    return problems


def answer_problems(*, answered_on: date | None, answer: str, raised_on: date | None, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_day(problems, "answered_on", answered_on, label="答复日期", today=today)
    if "answered_on" not in problems and raised_on is not None and answered_on < raised_on:
        problems["answered_on"] = "答复日期不能早于提出日期"
    check_text(problems, "answer", answer, limit=CONTENT_LIMIT, required="请写明答复内容")
    return problems


def add_request(db: Database, *, enterprise_id: str, values: RequestValues, officer_id: str | None = None,
                today: date | None = None) -> str:
    """Record a 诉求; it stays on the 工作台 until it is answered."""
    refuse_first(request_problems(values, today=today or date.today()))
    with db.session(officer_id=officer_id) as session:
        living(session, Enterprise, enterprise_id, "企业")
        if values.liaison_visit_id is not None:
            visit = living(session, LiaisonVisit, values.liaison_visit_id, "联络记录")
            if visit.enterprise_id != enterprise_id:
                raise UserError("这条联络记录不属于该企业")
        row = EnterpriseRequest(enterprise_id=enterprise_id, raised_on=values.raised_on,
                                content=values.content.strip(), due_on=values.due_on,
                                officer_id=officer_id or db.officer_id, liaison_visit_id=values.liaison_visit_id)
        session.add(row)
        session.commit()
        return row.id


def answer_request(db: Database, *, request_id: str, answered_on: date, answer: str,
                   officer_id: str | None = None, today: date | None = None) -> None:
    """Record the answer to a 诉求 (once: a second answer is refused, correct the first instead)."""
    with db.session(officer_id=officer_id) as session:
        row = living(session, EnterpriseRequest, request_id, "诉求")
        if row.answered_on is not None:
            raise UserError(f"该诉求已于{row.answered_on.isoformat()}答复")
        refuse_first(answer_problems(answered_on=answered_on, answer=answer, raised_on=row.raised_on,
                                     today=today or date.today()))
        row.answered_on, row.answer = answered_on, answer.strip()
        session.commit()


def _request_query():
    q, e, o = EnterpriseRequest.__table__.c, Enterprise.__table__.c, Officer.__table__.c
    return (select(q.id, q.enterprise_id, e.name.label("enterprise"), q.raised_on, q.content, q.due_on,
                   q.answered_on, q.answer, o.name.label("officer"))
            .join(Enterprise.__table__, e.id == q.enterprise_id)
            .outerjoin(Officer.__table__, o.id == q.officer_id)
            .where(q.deleted.is_(False)))


def _line(r) -> RequestLine:
    return RequestLine(r.id, r.enterprise_id, r.enterprise, r.raised_on, r.content, r.due_on, r.answered_on,
                       r.answer or "", r.officer or "")


def requests_of(db: Database, *, enterprise_id: str) -> list[RequestLine]:
    """The enterprise's requests: open ones first (by due date), then the answered, newest first."""
    q = EnterpriseRequest.__table__.c
    query = _request_query().where(q.enterprise_id == enterprise_id)
    with db.connect() as conn:
        lines = [_line(r) for r in conn.execute(query)]
    open_ = sorted((x for x in lines if x.answered_on is None), key=lambda x: (x.due_on, x.raised_on))
    done = sorted((x for x in lines if x.answered_on is not None), key=lambda x: x.answered_on, reverse=True)
    return open_ + done


def open_requests(db: Database, *, since: date | None = None, limit: int | None = None) -> list[RequestLine]:
    """Every unanswered request of living enterprises, by due date (with ``since`` and ``limit``, those a
    page of the agenda can hold: app.today.page_days)."""
    q, e = EnterpriseRequest.__table__.c, Enterprise.__table__.c
    query = (_request_query().where(q.answered_on.is_(None), e.deleted.is_(False))
             .order_by(q.due_on, q.raised_on, q.id))
    with db.connect() as conn:
        return [_line(r) for r in conn.execute(page_days(conn, query, q.due_on, since=since, limit=limit))]


def requests_due(db: Database, *, on: date | None = None, soon_days: int = SOON_DAYS, since: date | None = None,
                 limit: int | None = None) -> list[AgendaItem]:
    """The 工作台's 诉求 rows: every request not answered yet stays on it, overdue ones first
    (``on`` and ``soon_days`` are the worklists' common signature: a request is listed until answered)."""
    del on, soon_days
    return [AgendaItem("诉求", f"{line.enterprise}：{_short(line.content)}", line.due_on, line.id,
                       "enterprise_request") for line in open_requests(db, since=since, limit=limit)]


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
