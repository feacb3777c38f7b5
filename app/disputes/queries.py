"""Reading disputes: the paged, searchable list, one dispute's detail, the high-risk list, choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Integer, String, bindparam, exists, func, literal_column, select
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from app.core.privacy import mask_id_number, mask_phone
from app.core.text import search_terms
from app.core.trigram import Candidates
from app.core.vocab import (
    DISPUTE_KINDS,
    DISPUTE_SOURCES,
    DISPUTE_STATUSES,
    MEDIATION_KINDS,
    PARTY_ROLES,
    REVISIT_RESULTS,
    RISK_LEVELS,
    in_party_order,
)
from app.disputes.mediation import AGREEMENT_KINDS
from app.disputes.revisits import party_names
from app.disputes.risk import RiskWarning, dispute_warnings, has_text_warning, text_warnings
from app.disputes.search import candidates_select, narrowing
from app.disputes.status import CLOSED, OPEN, TRANSFERRED, TRANSITIONS, UNSETTLED
from db.engine import Database
from db.models import (
    Agreement,
    Community,
    Dispute,
    DisputeEvent,
    DisputeParty,
    DisputeSearch,
    DisputeTransfer,
    MediationSession,
    Officer,
    Revisit,
    Visit,
)

PAGE_SIZE = 100
D, R, S = Dispute.__table__.c, Revisit.__table__.c, DisputeSearch.__table__.c
C, OFF = Community.__table__.c, Officer.__table__.c
# The default order's two ranks, as literal SQL: ix_dispute_list (db/migrations/versions/0012) indexes
# these very expressions, and SQLite uses an index on expressions only where the query has the same
# expression (a bound parameter in place of a literal is not the same). The list then walks that
# index in its order and stops at the page's end instead of sorting every dispute.
_UNSETTLED_SQL = ", ".join(f"'{status}'" for status in UNSETTLED)
_UNSETTLED_FIRST = literal_column(f"CASE WHEN dispute.status IN ({_UNSETTLED_SQL}) THEN 0 ELSE 1 END")
_RISK_RANK = literal_column(
    "CASE WHEN dispute.risk_level = 'high' THEN 0 WHEN dispute.risk_level = 'medium' THEN 1 ELSE 2 END")
# The one meaning of "high risk" for the 高风险 view, the 工作台's card and its watch list. A threat
# or weapon in the facts raises the level when the dispute is registered (app.disputes.register).
HIGH_RISK = (D.risk_level == "high") & D.status.in_(UNSETTLED)
_NEXT_REVISIT = (select(func.min(R.due_on)).where(R.dispute_id == D.id, R.deleted.is_(False),
                                                  R.done_on.is_(None)).scalar_subquery())
# The same, as one grouped pass over the open revisits: what the "revisit" sort joins (a
# correlated subquery in ORDER BY ran per comparison: 1.9 s at station scale).
_NEXT_REVISITS = (select(R.dispute_id, func.min(R.due_on).label("due"))
                  .where(R.deleted.is_(False), R.done_on.is_(None)).group_by(R.dispute_id).subquery("next_revisits"))


def _planned_since_settled(d):
    """Whether the dispute ``d`` (the table's columns, or an alias's) has a revisit planned since it settled."""
    # SELECT 1, not EXISTS' usual SELECT *: SQLite then reads ix_revisit_dispute_due alone, not the rows.
    return select(literal_column("1")).where(R.dispute_id == d.id, R.deleted.is_(False),
                                             R.due_on >= d.settled_on).exists()


_PLANNED_SINCE_SETTLED = _planned_since_settled(D)
_NEWEST = (D.occurred_at, True)
# Sort keys as (expression, reversed); clicking again flips every one. "risk" (the default) puts
# unsettled high-risk cases first, newest first within a rank.
SORT_KEYS = {
    "risk": ((_UNSETTLED_FIRST, False), (_RISK_RANK, False), _NEWEST, (D.id, False)),
    "number": ((D.number, False), (D.id, False)),
    "occurred": ((D.occurred_at, False), (D.id, False)),
    "kind": ((D.kind, False), _NEWEST, (D.id, False)),
    "status": ((D.status, False), _NEWEST, (D.id, False)),
    "revisit": ((_NEXT_REVISITS.c.due.is_(None), False), (_NEXT_REVISITS.c.due, False), (D.id, False)),
    "community": ((C.name, False), _NEWEST, (D.id, False)),
}
# Sorts whose order an index gives (ix_dispute_list, ix_dispute_number, ix_dispute_occurred_at): a
# page walks it and stops at its end; the others sort every dispute the view and search keep.
WALKED_SORTS = frozenset({"risk", "number", "occurred"})
VIEWS = {
    "all": "全部",
    "open": "未结（待调处、调处中）",
    "high": "高风险（未化解）",
    "revisit_due": "回访到期或逾期",
    "unplanned": "已化解未安排回访",
    "transferred": "已移交",
    "closed": "已办结（化解、终止）",
}


@dataclass(frozen=True)
class DisputeRow:
    id: str
    number: str
    occurred_at: datetime
    kind: str  # label
    status: str  # code
    risk_level: str  # code
    warned: bool  # the facts raise a warning by themselves
    parties: str
    community: str
    officer: str
    next_revisit: date | None
    revisit_state: str  # overdue/today/planned/missing/""
    revisit_note: str  # 逾期3天 / 今日回访 / 2026-12-01 / 未安排回访

    @property
    def status_label(self) -> str:
        return DISPUTE_STATUSES.get(self.status, self.status)

    @property
    def risk_label(self) -> str:
        return RISK_LEVELS.get(self.risk_level, self.risk_level)

    @property
    def risk_note(self) -> str:
        """The level, with ⚠ when the facts raise a warning of their own."""
        return self.risk_label + (" ⚠" if self.warned else "")


def _view_filter(view: str):
    """The view's condition (parameter ``today``). Most are read walking the list's order
    (ix_dispute_list, the status in it) until the page is full: wrapped in ``+( )``, for which SQLite
    reads no index (its documented way to steer the planner), not all read through ix_dispute_status
    and sorted (closed ones at city scale: 40 ms against 1). Not the unplanned ones: telling them looks
    at the revisits of every resolved dispute whatever the order (few or none qualify); they are found
    first, from two indexes alone read in dispute id order (ix_dispute_status_settled,
    ix_revisit_dispute_due): 30 ms at city scale, against 150 ms looking up each resolved dispute."""
    if view == "all":
        return None
    if view == "unplanned":
        settled = Dispute.__table__.alias("settled").c
        return D.id.in_(select(settled.id).where(settled.deleted.is_(False), settled.status == "resolved",
                                                 ~_planned_since_settled(settled)))
    open_due = exists().where(R.dispute_id == D.id, R.deleted.is_(False), R.done_on.is_(None),
                              R.due_on <= bindparam("today"))
    return _unindexed({
        "open": D.status.in_(OPEN),
        "high": HIGH_RISK,
        "revisit_due": open_due,
        "transferred": D.status.in_(TRANSFERRED),
        "closed": D.status.in_(CLOSED),
    }[view])


def _unindexed(condition):
    """``+(condition)``: the same truth, but SQLite uses no index to find the rows it holds for."""
    return UnaryExpression(condition.self_group(), operator=custom_op("+"))


@cache  # one statement per shape, run with parameters: built once, not at every keystroke
def dispute_page_query(*, terms: int, sort: str, descending: bool, view: str, ids: str | None = None):
    """The SELECT behind one page of the list, for ``terms`` search terms, among the candidates of
    kind ``ids`` (app.disputes.search; None: walking every dispute); its parameters: ``page_parameters``.

    The page's ids are chosen first, sorting on the keys alone; the display columns (party
    names, next revisit: subqueries per row) are then computed for that page only. Computing
    them for every dispute before sorting cost 0.35 s at station scale."""
    order = [key.desc() if reverse != descending else key for key, reverse in SORT_KEYS[sort]]
    page = (
        select(D.id)
        .outerjoin(Community.__table__, C.id == D.community_id)
        .where(D.deleted.is_(False))
    )
    if sort == "revisit":
        page = page.outerjoin(_NEXT_REVISITS, _NEXT_REVISITS.c.dispute_id == D.id)
    if (condition := _view_filter(view)) is not None:
        page = page.where(condition)
    if terms:
        # Each term in the dispute's search text (migration 0013: number, place, facts, living
        # parties), read with the dispute, or first when a few candidates are read.
        page = page.join(DisputeSearch.__table__, S.dispute_id == D.id)
        if ids is not None:
            page = page.where(S.id.in_(candidates_select(ids)))
        for n in range(terms):
            page = page.where(func.instr(S.text, bindparam(f"term{n}", type_=String)) > 0)
    page_ids = (page.order_by(*order).offset(bindparam("offset", type_=Integer))
                .limit(bindparam("limit", type_=Integer)).scalar_subquery())
    return _rows_query(D.id.in_(page_ids)).order_by(*_display_order(sort, descending))


def page_parameters(*, terms: list[str], today: date, offset: int, limit: int,
                    ids: Candidates | None = None) -> dict:
    """What ``dispute_page_query`` is run with."""
    return {**{f"term{n}": term for n, term in enumerate(terms)}, **dict(ids.params if ids else ()),
            "today": today, "offset": offset, "limit": limit}


def _rows_query(which):
    """The list's display columns for the disputes ``which`` picks (a page of ids, or one id)."""
    return (
        select(D.id, D.number, D.occurred_at, D.kind, D.status, D.risk_level, D.facts, D.settled_on,
               party_names().label("parties"), C.name.label("community"), OFF.name.label("officer"),
               _NEXT_REVISIT.label("next_revisit"), _PLANNED_SINCE_SETTLED.label("planned"))
        .outerjoin(Community.__table__, C.id == D.community_id)
        .outerjoin(Officer.__table__, OFF.id == D.officer_id)
        .where(which)
    )


def _display_order(sort: str, descending: bool) -> list:
    """The page's order again, for its few rows (the grouped revisit join is not there)."""
    if sort == "revisit":
        keys = ((_NEXT_REVISIT.is_(None), False), (_NEXT_REVISIT, False), (D.id, False))
    else:
        keys = SORT_KEYS[sort]
    return [key.desc() if reverse != descending else key for key, reverse in keys]


def search_disputes(db: Database, *, text: str = "", sort: str = "risk", descending: bool = False,
                    offset: int = 0, limit: int = PAGE_SIZE, view: str = "all",
                    today: date | None = None) -> list[DisputeRow]:
    """One page of living disputes matching every term of ``text`` (number, place, facts, parties),
    narrowed through the search index when a term is rare or the sort takes every match (app.disputes.search)."""
    today = today or date.today()
    terms = search_terms(text)
    with db.connect() as conn:
        ids = narrowing(conn, terms, in_list_order=sort in WALKED_SORTS)
        if ids is False:
            return []  # no dispute holds the rarest term
        query = dispute_page_query(terms=len(terms), sort=sort, descending=descending, view=view,
                                   ids=ids.kind if ids else None)
        rows = conn.execute(query, page_parameters(terms=terms, today=today, offset=offset, limit=limit, ids=ids))
        return [_row(r, today) for r in rows]


def _row(r, today: date) -> DisputeRow:
    due = r.next_revisit
    if due is not None:
        late = (today - due).days
        state = "overdue" if late > 0 else "today" if late == 0 else "planned"
        note = f"逾期{late}天" if late > 0 else "今日回访" if late == 0 else due.isoformat()
    else:
        state = "missing" if r.status == "resolved" and not r.planned else ""
        note = "未安排回访" if state else ""
    return DisputeRow(r.id, r.number, r.occurred_at, DISPUTE_KINDS.get(r.kind, r.kind), r.status, r.risk_level,
                      has_text_warning(r.facts), r.parties or "", r.community or "", r.officer or "", due, state,
                      note)


@dataclass(frozen=True)
class PartyLine:
    role: str
    name: str
    gender: str
    age: int | None
    ethnicity: str
    occupation: str
    phone: str  # masked
    id_number: str  # masked
    address: str


@dataclass(frozen=True)
class DisputeDetail:
    row: DisputeRow
    source: str
    place: str
    facts: str
    settled_on: date | None
    escalated_criminal: bool
    visit: str  # the linked visit, if any
    warnings: list[RiskWarning]
    parties: list[PartyLine]
    sessions: list[tuple]  # (held_at, kind, host, mediators, record)
    agreements: list[tuple]  # (id, number, title, signed_on)
    revisits: list[tuple]  # (id, due_on, done_on, result label, notes)
    transfers: list[tuple]  # (direction label, body, on, receiver, handler, outcome)
    history: list[tuple]  # (at, officer, what, reason)
    moves: list[tuple[str, str]]  # (status code, what the move is called) allowed from here


def dispute_detail(db: Database, dispute_id: str, *, today: date | None = None) -> DisputeDetail | None:
    """Everything the detail pane shows; ID numbers and phones masked."""
    today = today or date.today()
    row_query, dispute_query, visit_query = _detail_queries()
    chosen = {"dispute_id": dispute_id}
    with db.connect() as conn:
        r = conn.execute(row_query, chosen).first()
        if r is None:
            return None
        d = conn.execute(dispute_query, chosen).one()
        parties = [PartyLine(PARTY_ROLES.get(p.role, p.role), p.name, p.gender or "", p.age, p.ethnicity or "",
                             p.occupation or "", mask_phone(p.phone), mask_id_number(p.id_number), p.address or "")
                   for p in in_party_order(_living(conn, DisputeParty, dispute_id, "created_at"))]
        sessions = [(s.held_at, MEDIATION_KINDS.get(s.kind, s.kind), s.host or "", s.mediators, s.record or "")
                    for s in _living(conn, MediationSession, dispute_id, "held_at")]
        agreements = [(a.id, a.number, AGREEMENT_KINDS.get(a.kind, a.kind), a.signed_on)
                      for a in _living(conn, Agreement, dispute_id, "signed_on")]
        revisits = [(v.id, v.due_on, v.done_on, REVISIT_RESULTS.get(v.result or "", ""), v.notes or "")
                    for v in _living(conn, Revisit, dispute_id, "due_on")]
        transfers = [({"out": "移出", "in": "移入"}.get(t.direction, t.direction), t.body, t.transferred_on,
                      t.receiver or "", t.handler or "", t.outcome or "")
                     for t in _living(conn, DisputeTransfer, dispute_id, "transferred_on")]
        visit = conn.execute(visit_query, {"visit_id": d.visit_id}).scalar() if d.visit_id else None
        history = _history(conn, dispute_id, d.created_at)
    return DisputeDetail(
        row=_row(r, today), source=DISPUTE_SOURCES.get(d.source, d.source), place=d.place or "", facts=d.facts,
        settled_on=d.settled_on, escalated_criminal=d.escalated_criminal,
        visit=visit.astimezone().strftime("%Y-%m-%d %H:%M 的走访") if visit else "",
        warnings=dispute_warnings(db, dispute_id), parties=parties, sessions=sessions, agreements=agreements,
        revisits=revisits, transfers=transfers, history=history,
        moves=[(to, label) for (frm, to), label in TRANSITIONS.items() if frm == r.status])


@cache  # built once, run with parameters (the pane is refilled at every click in the list)
def _detail_queries():
    """The detail's own SELECTs: the list's row of ``dispute_id``, the rest of the dispute, the
    linked visit (``visit_id``)."""
    dispute_id, v = bindparam("dispute_id", type_=String), Visit.__table__.c
    return (
        _rows_query((D.id == dispute_id) & D.deleted.is_(False)),
        select(D.source, D.place, D.facts, D.settled_on, D.escalated_criminal, D.visit_id, D.created_at)
        .where(D.id == dispute_id),
        select(v.visited_at).where(v.id == bindparam("visit_id", type_=String)),
    )


@cache
def _living_query(model, order: str):
    """``model``'s living rows of the dispute ``dispute_id``, in ``order``."""
    t = model.__table__.c
    return (select(model.__table__).where(t.dispute_id == bindparam("dispute_id", type_=String), t.deleted.is_(False))
            .order_by(t[order], t.id))


def _living(conn, model, dispute_id: str, order: str) -> list:
    return conn.execute(_living_query(model, order), {"dispute_id": dispute_id}).all()


@cache
def _history_query():
    e = DisputeEvent.__table__.c
    return (select(e.at, e.action, e.from_value, e.to_value, e.reason, OFF.name)
            .outerjoin(Officer.__table__, OFF.id == e.officer_id)
            .where(e.dispute_id == bindparam("dispute_id", type_=String), e.deleted.is_(False)).order_by(e.at, e.id))


def _history(conn, dispute_id: str, created_at: datetime) -> list[tuple]:
    rows = conn.execute(_history_query(), {"dispute_id": dispute_id}).all()
    lines = []
    if not any(row.action == "register" for row in rows):  # registered elsewhere (a visit, an import)
        lines.append((created_at, "", "登记", ""))
    for at, action, frm, to, reason, officer in rows:
        if action == "risk":
            what = f"风险 {RISK_LEVELS.get(frm or '', frm or '')} → {RISK_LEVELS.get(to, to)}"
        elif action == "register":
            what = "登记"
        else:
            what = f"{DISPUTE_STATUSES.get(frm or '', frm or '')} → {DISPUTE_STATUSES.get(to, to)}"
        lines.append((at, officer or "", what, reason))
    return lines


@dataclass(frozen=True)
class HighRiskLine:
    dispute_id: str
    number: str
    kind: str
    status: str  # label
    risk_level: str  # code
    occurred_at: datetime
    parties: str
    officer: str
    warnings: list[str]


def high_risk(db: Database, *, limit: int = 20) -> list[HighRiskLine]:
    """Unsettled high-risk disputes, with the warnings their facts raise: the 工作台's watch list."""
    query = (
        select(D.id, D.number, D.kind, D.status, D.risk_level, D.occurred_at, D.facts,
               party_names().label("parties"), OFF.name.label("officer"))
        .outerjoin(Officer.__table__, OFF.id == D.officer_id)
        .where(D.deleted.is_(False), HIGH_RISK)
        .order_by(D.occurred_at.desc(), D.id)
        .limit(limit)
    )
    with db.connect() as conn:
        return [HighRiskLine(r.id, r.number, DISPUTE_KINDS.get(r.kind, r.kind),
                             DISPUTE_STATUSES.get(r.status, r.status), r.risk_level, r.occurred_at,
                             r.parties or "", r.officer or "", [w.message for w in text_warnings(r.facts)])
                for r in conn.execute(query)]


def count_high_risk(db: Database) -> int:
    """How many rows the 高风险 view lists (the 工作台's card shows the same number)."""
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(Dispute.__table__)
                            .where(D.deleted.is_(False), HIGH_RISK)).scalar_one()


def community_choices(db: Database) -> list[tuple[str, str]]:
    c = Community.__table__.c
    with db.connect() as conn:
        return [(r.id, r.name) for r in conn.execute(select(c.id, c.name).where(c.deleted.is_(False))
                                                     .order_by(c.name))]


def officer_choices(db: Database) -> list[tuple[str, str]]:
    """Active 民警 and 辅警 who can be responsible for a dispute."""
    with db.connect() as conn:
        return [(r.id, r.name) for r in conn.execute(
            select(OFF.id, OFF.name).where(OFF.deleted.is_(False), OFF.active.is_(True)).order_by(OFF.name))]


def visit_choices(db: Database, *, household_id: str, limit: int = 20) -> list[tuple[str, str]]:
    """Recent visits of a household, to link the dispute they found."""
    v = Visit.__table__.c
    with db.connect() as conn:
        rows = conn.execute(select(v.id, v.visited_at, v.purposes).where(
            v.household_id == household_id, v.deleted.is_(False)).order_by(v.visited_at.desc()).limit(limit))
        return [(r.id, f"{r.visited_at.astimezone():%Y-%m-%d %H:%M} {r.purposes.replace(',', '、')}") for r in rows]
