"""Reading 一企一警 for the tab: the paged, searchable, sortable list with its views, one enterprise's
whole page (register, liaison, requests, inspections with where each stands, rectifications, hire
checks), the enterprise a record belongs to, and the choices the forms offer. Sorting and filtering
happen in SQL; a page's ids are chosen on the sort keys alone and only its rows are then dressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from app.core.text import search_terms
from app.core.vocab import ENTERPRISE_CATEGORIES, INSPECTION_RESULTS
from app.enterprises.hire_checks import HireCheckLine, hire_checks_of
from app.enterprises.liaison import LiaisonLine, RequestLine, liaison_log, requests_of
from app.enterprises.notices import FLOW_STATES
from app.enterprises.rectifications import RectificationLine, rectifications_of
from app.enterprises.register import EnterpriseDetail, _filtered, enterprise_detail, normalize_code
from db.engine import Database
from db.models import (
    Community,
    Enterprise,
    EnterpriseRequest,
    HireCheck,
    Inspection,
    InspectionItem,
    Officer,
    Recheck,
    Rectification,
    RectificationNotice,
)

PAGE_SIZE = 100
E, OFF, C = Enterprise.__table__.c, Officer.__table__.c, Community.__table__.c
INS, T, R = Inspection.__table__.c, InspectionItem.__table__.c, Rectification.__table__.c
Q, N, K = EnterpriseRequest.__table__.c, RectificationNotice.__table__.c, Recheck.__table__.c
KEY_CATEGORIES = ("key", "explosives", "chemicals", "security_key")  # the 重点/涉爆/涉危化 view
VIEWS = {
    "all": "全部",
    "key": "重点/涉爆/涉危化",
    "open": "有未整改",
    "overdue": "整改逾期",
    "requests": "诉求未答复",
    "mine": "我包的企业",
}
_OPEN = (R.deleted.is_(False), R.done_on.is_(None), R.closed_on.is_(None))  # not put right, not closed

# Per-enterprise figures as one grouped pass each: what a sort on them joins (a correlated
# subquery in ORDER BY would run per comparison).
_LAST_BY = (select(INS.enterprise_id, func.max(INS.inspected_on).label("last"))
            .where(INS.deleted.is_(False)).group_by(INS.enterprise_id).subquery("last_inspections"))
_OPEN_BY = (select(R.enterprise_id, func.count().label("n"))
            .where(*_OPEN).group_by(R.enterprise_id).subquery("open_rectifications"))
# The same figures for the few rows of a page, by the index on enterprise_id.
_LAST = select(func.max(INS.inspected_on)).where(INS.enterprise_id == E.id, INS.deleted.is_(False)).scalar_subquery()
_OPEN_COUNT = select(func.count()).where(R.enterprise_id == E.id, *_OPEN).scalar_subquery()
_REQUESTS = (select(func.count()).where(Q.enterprise_id == E.id, Q.deleted.is_(False), Q.answered_on.is_(None))
             .scalar_subquery())
_CATEGORY_RANK = case({"explosives": 0, "chemicals": 1, "security_key": 2, "key": 3}, value=E.category, else_=4)
_NAME = ((E.name, False), (E.id, False))
# Sort keys as (expression, reversed) for choosing the page, and the same for ordering its rows.
_PAGE_KEYS = {
    "name": _NAME,
    "category": ((_CATEGORY_RANK, False), *_NAME),
    "liaison": ((OFF.name.is_(None), False), (OFF.name, False), *_NAME),
    "community": ((C.name.is_(None), False), (C.name, False), *_NAME),
    "last_inspection": ((_LAST_BY.c.last.is_(None), False), (_LAST_BY.c.last, False), *_NAME),
    "open": ((func.coalesce(_OPEN_BY.c.n, 0), True), *_NAME),  # most open first
}
_ROW_KEYS = {**_PAGE_KEYS,
             "last_inspection": ((_LAST.is_(None), False), (_LAST, False), *_NAME),
             "open": ((_OPEN_COUNT, True), *_NAME)}


@dataclass(frozen=True)
class EnterpriseListRow:
    id: str
    name: str
    credit_code: str
    category: str  # code
    liaison: str
    community: str
    address: str
    last_inspection: date | None
    open_rectifications: int
    overdue_rectifications: int  # of the open ones, past their deadline
    open_requests: int

    @property
    def category_label(self) -> str:
        return ENTERPRISE_CATEGORIES.get(self.category, self.category)

    @property
    def open_note(self) -> str:
        if not self.open_rectifications:
            return ""
        late = f"（逾期{self.overdue_rectifications}）" if self.overdue_rectifications else ""
        return f"{self.open_rectifications}项{late}"

    @property
    def requests_note(self) -> str:
        return f"{self.open_requests}件待答复" if self.open_requests else ""


def _view_filter(view: str, *, today: date, officer_id: str | None):
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    return {
        "all": None,
        "key": E.category.in_(KEY_CATEGORIES),
        # The few enterprises with open problems or requests, read from the open rows' indexes (migration
        # 0012), not a probe for each of every enterprise (at city scale a search matching none: 200 ms).
        "open": E.id.in_(select(R.enterprise_id).where(*_OPEN)),
        "overdue": E.id.in_(select(R.enterprise_id).where(*_OPEN, R.deadline < today)),
        "requests": E.id.in_(select(Q.enterprise_id).where(Q.deleted.is_(False), Q.answered_on.is_(None))),
        "mine": E.liaison_officer_id == (officer_id or ""),
    }[view]


def _ordered(keys, descending: bool, *, searching: bool = False) -> list:
    """ORDER BY ``keys``; when ``searching``, the first key unindexed (``+key``): the same order, but SQLite
    reads the table as stored and sorts what matches, where walking the name index reads every row out of
    place when few match (about twice the work for a name no enterprise has)."""
    if searching:
        (first, reverse), *rest = keys
        keys = ((UnaryExpression(first, operator=custom_op("+")), reverse), *rest)
    return [key.desc() if reverse != descending else key for key, reverse in keys]


def enterprise_page_query(*, text: str = "", sort: str = "name", descending: bool = False, offset: int = 0,
                          limit: int = PAGE_SIZE, view: str = "all", today: date | None = None,
                          officer_id: str | None = None):
    """The SELECT behind one page of the list (living enterprises matching every term of ``text`` in
    name, code, address, people, phones, industry or tags, as app.enterprises.register searches)."""
    today = today or date.today()
    page = (select(E.id).select_from(Enterprise.__table__)
            .outerjoin(Officer.__table__, OFF.id == E.liaison_officer_id)
            .outerjoin(Community.__table__, C.id == E.community_id))
    if sort == "last_inspection":
        page = page.outerjoin(_LAST_BY, _LAST_BY.c.enterprise_id == E.id)
    elif sort == "open":
        page = page.outerjoin(_OPEN_BY, _OPEN_BY.c.enterprise_id == E.id)
    page = _filtered(page, text=text, category=None, liaison_officer_id=None)
    if (condition := _view_filter(view, today=today, officer_id=officer_id)) is not None:
        page = page.where(condition)
    order = _ordered(_PAGE_KEYS[sort], descending, searching=bool(search_terms(text)))
    ids = page.order_by(*order).offset(offset).limit(limit).scalar_subquery()
    return _rows_query(E.id.in_(ids), today=today).order_by(*_ordered(_ROW_KEYS[sort], descending))


def _rows_query(which, *, today: date):
    overdue = select(func.count()).where(R.enterprise_id == E.id, *_OPEN, R.deadline < today).scalar_subquery()
    return (select(E.id, E.name, E.credit_code, E.category, OFF.name.label("liaison"), C.name.label("community"),
                   E.address, _LAST.label("last_inspection"), _OPEN_COUNT.label("open_count"),
                   overdue.label("overdue_count"), _REQUESTS.label("requests"))
            .select_from(Enterprise.__table__)
            .outerjoin(Officer.__table__, OFF.id == E.liaison_officer_id)
            .outerjoin(Community.__table__, C.id == E.community_id)
            .where(which))


def search_enterprise_rows(db: Database, *, text: str = "", sort: str = "name", descending: bool = False,
                           offset: int = 0, limit: int = PAGE_SIZE, view: str = "all", today: date | None = None,
                           officer_id: str | None = None) -> list[EnterpriseListRow]:
    """One page of the list; ``officer_id`` is whose enterprises the 我包的企业 view shows."""
    today = today or date.today()
    query = enterprise_page_query(text=text, sort=sort, descending=descending, offset=offset, limit=limit,
                                  view=view, today=today, officer_id=officer_id)
    with db.connect() as conn:
        return [EnterpriseListRow(r.id, r.name, r.credit_code or "", r.category, r.liaison or "", r.community or "",
                                  r.address or "", r.last_inspection, r.open_count, r.overdue_count, r.requests)
                for r in conn.execute(query)]


# --- one enterprise ------------------------------------------------------------------------------
@dataclass(frozen=True)
class InspectionSummary:
    id: str
    inspected_on: date
    inspectors: str
    categories: str
    result: str  # passed/issues
    failed: int
    state: str  # app.enterprises.notices.FLOW_STATES
    notice_number: str
    notice_deadline: date | None
    notice_delivered: date | None
    recheck_number: str

    @property
    def result_label(self) -> str:
        return INSPECTION_RESULTS.get(self.result, self.result)

    @property
    def state_label(self) -> str:
        return FLOW_STATES.get(self.state, self.state)


@dataclass(frozen=True)
class EnterprisePage:
    """Everything the detail pane shows of one enterprise."""

    detail: EnterpriseDetail
    liaison_log: list[LiaisonLine]
    requests: list[RequestLine]
    inspections: list[InspectionSummary]
    rectifications: list[RectificationLine]
    hire_checks: list[HireCheckLine]

    @property
    def id(self) -> str:
        return self.detail.row.id


def flow_state_of(*, result: str, notice: bool, recheck_outcome: str | None) -> str:
    """Where an inspection stands, from what it has (as app.enterprises.notices.flow_state reads it)."""
    if recheck_outcome is not None:
        return "recheck_passed" if recheck_outcome == "passed" else "enforcement"
    if notice:
        return "rectifying"
    return "passed" if result == "passed" else "notice_due"


def inspections_with_state(db: Database, *, enterprise_id: str) -> list[InspectionSummary]:
    """The enterprise's inspections, newest first, each with its failed items, notice and re-check."""
    failed = (select(func.count()).where(T.inspection_id == INS.id, T.deleted.is_(False), T.passed.is_(False),
                                         T.applicable.is_(True)).scalar_subquery())
    query = (select(INS.id, INS.inspected_on, INS.inspectors, OFF.name, INS.categories, INS.result,
                    failed.label("failed"), N.number.label("notice"), N.deadline, N.delivered_on,
                    K.number.label("recheck"), K.outcome)
             .outerjoin(Officer.__table__, OFF.id == INS.officer_id)
             .outerjoin(RectificationNotice.__table__, (N.inspection_id == INS.id) & N.deleted.is_(False))
             .outerjoin(Recheck.__table__, (K.inspection_id == INS.id) & K.deleted.is_(False))
             .where(INS.enterprise_id == enterprise_id, INS.deleted.is_(False))
             .order_by(INS.inspected_on.desc(), INS.created_at.desc()))
    with db.connect() as conn:
        rows = conn.execute(query).all()
    return [InspectionSummary(r.id, r.inspected_on, r.inspectors or r.name or "", r.categories.replace(",", "、"),
                              r.result, r.failed, flow_state_of(result=r.result, notice=r.notice is not None,
                                                                recheck_outcome=r.outcome),
                              r.notice or "", r.deadline, r.delivered_on, r.recheck or "") for r in rows]


def enterprise_page(db: Database, *, enterprise_id: str) -> EnterprisePage | None:
    """The enterprise's page, or None when it no longer exists."""
    with db.connect() as conn:
        living = conn.execute(select(E.id).where(E.id == enterprise_id, E.deleted.is_(False))).first()
    if living is None:
        return None
    return EnterprisePage(
        detail=enterprise_detail(db, enterprise_id=enterprise_id),
        liaison_log=liaison_log(db, enterprise_id=enterprise_id),
        requests=requests_of(db, enterprise_id=enterprise_id),
        inspections=inspections_with_state(db, enterprise_id=enterprise_id),
        rectifications=sorted(rectifications_of(db, enterprise_id=enterprise_id), key=_open_first),
        hire_checks=hire_checks_of(db, enterprise_id=enterprise_id))


def _open_first(line: RectificationLine) -> tuple:
    """Open problems first, then those reported put right, then the closed; each by deadline."""
    return line.closed_on is not None, line.done_on is not None, line.deadline


RECORD_TABLES = {"inspection": Inspection, "rectification": Rectification, "enterprise_request": EnterpriseRequest,
                 "hire_check": HireCheck}


def enterprise_of(db: Database, *, table: str, record_id: str) -> str | None:
    """The enterprise a record of ``table`` belongs to (the record itself for "enterprise"); None when gone."""
    if table == "enterprise":
        return record_id
    model = RECORD_TABLES.get(table)
    if model is None:
        raise ValueError(f"not an enterprise record: {table}")
    c = model.__table__.c
    with db.connect() as conn:
        return conn.execute(select(c.enterprise_id).where(c.id == record_id, c.deleted.is_(False))).scalar()


# --- what the forms offer ------------------------------------------------------------------------
def officer_choices(db: Database) -> list[tuple[str, str]]:
    """Active 民警 and 辅警 (id, name), by name: liaison officers and inspectors."""
    with db.connect() as conn:
        return [(r.id, r.name) for r in conn.execute(
            select(OFF.id, OFF.name).where(OFF.deleted.is_(False), OFF.active.is_(True)).order_by(OFF.name))]


def community_choices(db: Database) -> list[tuple[str, str]]:
    with db.connect() as conn:
        return [(r.id, r.name) for r in conn.execute(
            select(C.id, C.name).where(C.deleted.is_(False)).order_by(C.name))]


def code_holder(db: Database, *, credit_code: str, own_id: str | None = None) -> str | None:
    """The name of the living enterprise already registered under ``credit_code`` (not ``own_id``)."""
    code = normalize_code(credit_code)
    if not code:
        return None
    with db.connect() as conn:
        return conn.execute(select(E.name).where(E.credit_code == code, E.deleted.is_(False),
                                                 E.id != (own_id or ""))).scalar()
