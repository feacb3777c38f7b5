"""Disputes with their parties, one row per dispute: the 矛盾纠纷台账 kind of the Excel import.

当事人 come from one cell ("张三、李四", or the ledger's "申请人张三；被申请人李四"; an ID number or
phone in brackets after a name is read too) or from 当事人1/当事人2/当事人3 columns with their
身份证号/电话; without roles the first is the 申请人 and the others 被申请人. 当事人身份证号 and
当事人电话 cells list numbers in the parties' order. 调处经过/调处结果 become mediation sessions
(MediationSession.record): the ledger's own lines ("2024-03-05 人民调解（主持：王警官）：…") one
session each, any other text one session held on the 办结日期 (else at the time it happened).

No 来源 column: 走访发现 (what a 排查化解台账 records); a blank cell in a 来源 column is refused as
the form refuses it. A 调处结果 cell holding only a status (已化解) is the 当前状态.

责任民警: an officer's name; a name with no account here is a problem line of that row. When the
file has no 责任民警 column (or the cell is blank), the officer importing answers for the dispute,
as the register form makes whoever registers it. 所属社区 is found by name, made when missing
(as the households kind does). Checked by the register form's own ``dispute_problems``.

Match: the same 纠纷编号, else the same day of 发生时间 with the same parties' names. A kept number
stays; a row without one (or one kept as "both" beside a stored one) is numbered as a new dispute
(app.core.numbering). Not carried back from the ledger: revisits, agreements, transfers (other
than the one the source or status itself implies) and the parties' details beyond name and role.

Update (of a matched dispute; the row checked as every row is): its non-empty fields (time, place,
type, source, facts, risk with a lowered level's reason kept as an event, community, 责任民警); its
当前状态 where the status flow leads there from the stored one (an older ledger never moves a case
back), kept as a status move with its transfer and 办结日期; the sessions and parties not stored yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.core.timeutil import day_start, local_day, local_now
from app.core.vocab import DISPUTE_KINDS, DISPUTE_SOURCES, DISPUTE_STATUSES, RISK_LEVELS
from app.disputes.mediation import SessionValues
from app.disputes.numbering import next_dispute_number
from app.disputes.register import DisputeValues, PartyValues, _clean_party, dispute_problems, risk_floor
from app.disputes.risk import is_below
from app.disputes.status import CLOSED, TRANSFER_BODIES, TRANSITIONS
from app.imports import cells
from app.imports.kinds import Planned
from app.imports.kinds.dispute_cells import PARTY_COLUMNS, cell_lines, read_parties, read_sessions
from app.imports.kinds.households import _Places
from app.imports.kinds.lookups import (
    Officers,
    Reader,
    chunks,
    community_problem,
    device_code,
    filled,
    plain,
    residents_by_id_number,
)
from app.imports.mapping import Field
from db.base import utcnow
from db.models import Dispute, DisputeEvent, DisputeParty, DisputeTransfer, MediationSession

KIND = "disputes"
TITLE = "矛盾纠纷"
TABLES = ("dispute", "dispute_party", "dispute_event", "dispute_transfer", "mediation_session", "audit_entry")

FIELDS: tuple[Field, ...] = (
    Field("number", "纠纷编号", aliases=("编号", "案件编号", "纠纷号", "登记编号")),
    Field("occurred_at", "发生时间", required=True,
          aliases=("发生日期", "纠纷发生时间", "时间", "日期", "登记时间", "受理时间")),
    Field("place", "发生地点", required=True, aliases=("地点", "纠纷地点", "发生地址", "地址")),
    Field("source", "来源", aliases=("纠纷来源", "线索来源", "来源渠道")),
    Field("kind", "纠纷类型", required=True, aliases=("类型", "纠纷类别", "类别", "纠纷种类")),
    Field("parties", "当事人", aliases=("当事人姓名", "双方当事人", "当事人情况")),
    Field("party_ids", "当事人身份证号", aliases=("当事人身份证号码", "身份证号", "公民身份号码")),
    Field("party_phones", "当事人电话", aliases=("当事人联系电话", "联系电话", "电话")),
    *(field for key, label, aliases in PARTY_COLUMNS for field in (
        Field(key, label, aliases=aliases),
        Field(f"{key}_id", f"{label}身份证号", aliases=tuple(f"{a}身份证号" for a in aliases[:1])),
        Field(f"{key}_phone", f"{label}电话", aliases=tuple(f"{a}电话" for a in aliases[:1])))),
    Field("facts", "纠纷简要情况", required=True,
          aliases=("简要情况", "纠纷事由", "纠纷内容", "基本情况", "主要事实", "事由", "案情")),
    Field("risk_level", "风险等级", aliases=("风险", "等级", "风险级别")),
    Field("risk_reason", "定级理由", aliases=("风险等级理由", "低于建议的理由")),
    Field("status", "当前状态", aliases=("状态", "办理状态", "调处状态", "化解状态")),
    Field("settled_on", "办结日期", aliases=("化解日期", "结案日期", "办结时间")),
    Field("mediation", "调处经过", aliases=("调处结果", "调解情况", "调处情况", "化解情况", "调解结果", "处理结果")),
    Field("officer", "责任民警", aliases=("民警", "承办民警", "包案民警", "负责民警", "经办民警")),
    Field("community", "所属社区", aliases=("社区",)),
    Field("escalated", "民转刑"),
)
_LABEL = {f.key: f.label for f in FIELDS}
_PARTY_FIELDS = {"name": "姓名", "role": "身份", "gender": "性别", "age": "年龄", "phone": "电话",
                 "id_number": "身份证号", "ethnicity": "民族", "occupation": "职业", "address": "住址"}
_YES = ("是", "√", "Y", "YES", "1")
NO_SOURCE_COLUMN = "visit"
NUMBER_LIMIT = Dispute.__table__.c.number.type.length


@dataclass(frozen=True)
class Draft:
    number: str  # "" when the row has none: numbered as a new dispute
    values: DisputeValues  # officer_id and community_id are filled in when written
    status: str
    settled_on: date | None
    escalated: bool
    sessions: tuple[SessionValues, ...]  # host "" means the 责任民警's name
    officer: str  # the 责任民警's name; "" for the officer importing
    community: str
    given: frozenset[str]

    @property
    def party_key(self) -> tuple[date, frozenset[str]]:
        return local_day(self.values.occurred_at), frozenset(p.name for p in self.values.parties)


def convert(values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[Draft | None, list[str]]:
    read = Reader(values, _LABEL)
    problems = read.problems
    raw = {key: read(key, cells.text) or "" for key in ("number", "officer", "community", "escalated")}
    raw |= {key: plain(values.get(key)) for key in ("place", "facts", "risk_reason")}
    # No 来源 column at all: 走访发现, what a 排查化解台账 records; a blank cell in one is the form's problem
    source = read("source", cells.choice, labels=DISPUTE_SOURCES) if "source" in values else NO_SOURCE_COLUMN
    kind = read("kind", cells.choice, labels=DISPUTE_KINDS)
    risk = read("risk_level", cells.choice, labels=RISK_LEVELS)
    status = read("status", cells.choice, labels=DISPUTE_STATUSES)
    mediation = cell_lines(values.get("mediation"))
    if status is None and len(mediation) == 1 and mediation[0] in DISPUTE_STATUSES.values():
        # a 调处结果 column holding only "已化解"/"调处中" is the status, not the text of a session
        status, mediation = cells.choice(mediation[0], DISPUTE_STATUSES), []
    status = status or "pending"
    occurred = read("occurred_at", cells.moment, epoch_1904=epoch_1904)
    settled = read("settled_on", cells.day, epoch_1904=epoch_1904)
    parties = read_parties(read)
    if occurred is None and "occurred_at" not in read.failed:
        problems.append("请填写发生时间")
    # the officer's local time, as the form takes it; without one the rest of the row is still checked
    at = occurred.astimezone() if occurred is not None else local_now()
    dispute = DisputeValues(source=source or "", kind=kind or "", occurred_at=at, place=raw["place"],
                            facts=raw["facts"], risk_level=risk or risk_floor(raw["facts"]) or "low",
                            parties=parties, risk_reason=raw["risk_reason"])
    for field, message in dispute_problems(dispute).items():
        if field not in read.failed and not (field == "occurred_at" and occurred is None):
            problems.append(_said(field, message, parties))  # (a cell's own reason is said already)
    if occurred is None:
        return None, list(dict.fromkeys(problems))
    if message := community_problem(raw["community"]):
        problems.append(message)
    if len(raw["number"]) > NUMBER_LIMIT:
        problems.append(f"纠纷编号最多{NUMBER_LIMIT}个字符")
    if status in CLOSED and settled is not None and settled < local_day(at):
        problems.append("办结日期不能早于发生时间")
    sessions = read_sessions(mediation, at, settled if status in CLOSED else None, problems)
    if problems:
        return None, list(dict.fromkeys(problems))
    given = filled(values)
    return Draft(number=raw["number"].upper(), values=dispute, status=status,
                 settled_on=(settled or _last_day(sessions, at)) if status in CLOSED else None,
                 escalated=status == "to_police" and raw["escalated"].upper() in _YES, sessions=tuple(sessions),
                 officer=raw["officer"], community=raw["community"], given=given), []


def _last_day(sessions: list[SessionValues], occurred: datetime) -> date:
    """A closed dispute without its 办结日期: the day of its last session, else the day it happened."""
    return max([local_day(s.held_at) for s in sessions], default=local_day(occurred))


def _said(field: str, message: str, parties: list[PartyValues]) -> str:
    """A form problem as the report says it: "当事人张三：身份证号校验码不对"."""
    if field.startswith("party."):
        _, index, name = field.split(".")
        who = parties[int(index)].name or f"第{int(index) + 1}位"
        label = _PARTY_FIELDS.get(name, "")
        return f"当事人{who}：{message}" if label in message else f"当事人{who}的{label}：{message}"
    return f"当事人：{message}" if field == "parties" else message  # the form's own words say which field


def file_key(draft: Draft):
    """The same number, else the same day and the same parties, is the same dispute."""
    return ("number", draft.number) if draft.number else ("parties", draft.party_key)


def refuse(conn, drafts: Sequence[Draft]) -> dict[int, list[str]]:
    """Rows whose 责任民警 has no account here (checked against the database, not the cell)."""
    officers = Officers(conn)
    out: dict[int, list[str]] = {}
    for index, draft in enumerate(drafts):
        if draft.officer and (reason := officers.find(draft.officer, role="责任民警")[1]):
            out[index] = [reason]
    return out


def match(conn, drafts: Sequence[Draft]) -> dict[int, tuple[str, str]]:
    d = Dispute.__table__.c
    found: dict[int, tuple[str, str]] = {}
    by_number: dict[str, tuple[str, str]] = {}
    for numbers in chunks({x.number for x in drafts if x.number}):
        for row in conn.execute(select(d.id, d.number, d.occurred_at).where(d.number.in_(numbers), d.deleted.is_(False))
                                .order_by(d.created_at)):
            by_number.setdefault(row.number, (row.id, _label(row.number, row.occurred_at, [])))
    by_parties = _stored_by_parties(conn, [x for x in drafts if not x.number or x.number not in by_number])
    for index, draft in enumerate(drafts):
        if draft.number and draft.number in by_number:
            found[index] = by_number[draft.number]
        elif draft.party_key in by_parties:
            found[index] = by_parties[draft.party_key]
    return found


def _stored_by_parties(conn, drafts: Sequence[Draft]) -> dict[tuple, tuple[str, str]]:
    """(day, party names) -> (id, label) of the living disputes on the drafts' days."""
    if not drafts:
        return {}
    d, p = Dispute.__table__.c, DisputeParty.__table__.c
    days = sorted({draft.party_key[0] for draft in drafts})
    stored: dict[str, tuple] = {}
    for group in chunks(days, 200):
        low, high = day_start(group[0]), day_start(group[-1] + timedelta(days=1))
        for row in conn.execute(select(d.id, d.number, d.occurred_at).where(
                d.occurred_at >= low, d.occurred_at < high, d.deleted.is_(False)).order_by(d.created_at)):
            stored[row.id] = (row.number, row.occurred_at, [])
    for ids in chunks(stored):
        for row in conn.execute(select(p.dispute_id, p.name).where(p.dispute_id.in_(ids), p.deleted.is_(False))
                                .order_by(p.created_at, p.id)):
            stored[row.dispute_id][2].append(row.name)
    keyed: dict[tuple, tuple[str, str]] = {}
    for dispute_id, (number, occurred_at, names) in stored.items():
        key = (local_day(occurred_at), frozenset(names))
        keyed.setdefault(key, (dispute_id, _label(number, occurred_at, names)))
    return keyed


def _label(number: str, occurred_at: datetime, names: list[str]) -> str:
    return f"{number} {local_day(occurred_at)}" + (f" {'、'.join(names)}" if names else "")


class _Numbers:
    """New 纠纷编号 of this laptop, one past the highest stored or kept in this file, per year."""

    def __init__(self, conn, kept: Sequence[str]) -> None:
        self.conn, self.code, self.next = conn, device_code(conn), {}
        self.kept = kept

    def take(self, year: int) -> str:
        prefix = f"{year}-{self.code}-"
        if prefix not in self.next:
            stored = int(next_dispute_number(self.conn, device_code=self.code, year=year)[len(prefix):])
            in_file = [int(n[len(prefix):]) + 1 for n in self.kept
                       if n.startswith(prefix) and n[len(prefix):].isdigit()]
            self.next[prefix] = max([stored, *in_file])
        number = self.next[prefix]
        self.next[prefix] += 1
        return f"{prefix}{number:04d}"


def write(writer, planned: Sequence[Planned]) -> None:
    """Each kept row as the register form saves a dispute (number, parties, registration event),
    with the status, closing day and mediation sessions the file gives."""
    conn = writer.conn
    officers, places = Officers(conn), _Places(writer)
    numbers = _Numbers(conn, [item.draft.number for item in planned if item.action != "both"])
    residents = residents_by_id_number(conn, [p.id_number for item in planned for p in item.draft.values.parties])
    for item in planned:
        draft = item.draft
        officer_id = writer.officer_id
        if draft.officer:
            officer_id, reason = officers.find(draft.officer, role="责任民警")
            if reason:
                from app.core.errors import UserError

                raise UserError(reason)  # checking refuses these rows first; a bypass must not guess
        columns = _columns(draft, officer_id, places)
        if item.action == "update" and item.match_id:
            _update(writer, item.match_id, draft, columns, officers.names.get(officer_id or "", ""))
            _add_parties(writer, item.match_id, draft, residents, only_new=True)
            continue
        # "both" keeps the stored dispute beside this one: the new one gets a number of its own
        number = draft.number if draft.number and item.action != "both" else \
            numbers.take(draft.values.occurred_at.year)
        dispute_id = writer.add(Dispute, {"number": number, **columns})
        _add_parties(writer, dispute_id, draft, residents, only_new=False)
        _history(writer, dispute_id, draft, officer_id, officers.names.get(officer_id or "", ""))


def _columns(draft: Draft, officer_id: str | None, places) -> dict:
    v = draft.values
    return {"source": v.source, "kind": v.kind, "occurred_at": v.occurred_at, "place": v.place.strip(),
            "facts": v.facts.strip(), "risk_level": v.risk_level, "status": draft.status,
            "community_id": places.community(draft.community) if draft.community else None, "household_id": None,
            "visit_id": None, "officer_id": officer_id, "settled_on": draft.settled_on,
            "escalated_criminal": draft.escalated}


_UPDATABLE = {"place": "place", "facts": "facts", "source": "source", "kind": "kind", "risk_level": "risk_level",
              "status": "status", "settled_on": "settled_on", "officer": "officer_id", "community": "community_id",
              "escalated": "escalated_criminal", "occurred_at": "occurred_at"}


def _updated(given: frozenset[str]) -> set[str]:
    columns = {column for key, column in _UPDATABLE.items() if key in given}
    return columns | ({"settled_on"} if "status" in given else set())


def _reachable(current: str, to: str) -> bool:
    """Whether status.TRANSITIONS lead from ``current`` to ``to`` (a ledger shows the last of the moves)."""
    seen, todo = set(), [current]
    while todo:
        at = todo.pop()
        for frm, nxt in TRANSITIONS:
            if frm == at and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return to in seen


def _update(writer, dispute_id: str, draft: Draft, columns: dict, officer_name: str) -> None:
    """A matched dispute brought up to the row (already checked by the register form's rules): its
    non-empty fields; a new status only where the status flow leads there from the stored one (an older
    ledger does not move a case back), kept in the history as a status move is, with its transfer and
    its closing day; a lowered risk level with its reason; the mediation sessions not stored yet."""
    d = Dispute.__table__.c
    stored = writer.conn.execute(select(d.status, d.risk_level).where(d.id == dispute_id)).one()
    changes = {key: value for key, value in columns.items() if key in _updated(draft.given)}
    if changes.get("status", stored.status) != stored.status and not _reachable(stored.status, changes["status"]):
        for key in ("status", "settled_on", "escalated_criminal"):  # the stored case stays as it is
            changes.pop(key, None)
    writer.update(Dispute, dispute_id, changes)
    status, v = changes.get("status", stored.status), draft.values
    if status != stored.status:
        _event(writer, dispute_id, "status", stored.status, status, "导入时的状态")
        _transfer_out(writer, dispute_id, status, local_day(v.occurred_at))
    floor = risk_floor(v.facts)
    if changes.get("risk_level", stored.risk_level) != stored.risk_level and is_below(v.risk_level, floor):
        _event(writer, dispute_id, "risk", floor, v.risk_level, f"低于程序建议：{v.risk_reason.strip()}")
    _sessions(writer, dispute_id, draft.sessions, officer_name, stored=True)


def _add_parties(writer, dispute_id: str, draft: Draft, residents: dict[str, str], *, only_new: bool) -> None:
    """The parties, each linked to the resident of his ID number (as picking him in the form links him)."""
    stored: set[str] = set()
    if only_new:
        p = DisputeParty.__table__.c
        stored = set(writer.conn.execute(select(p.name).where(p.dispute_id == dispute_id,
                                                              p.deleted.is_(False))).scalars())
    today = local_now().date()
    for party in draft.values.parties:
        if party.name in stored:
            continue
        clean = _clean_party(party, today=today)  # the register's own: gender and age from the ID number
        writer.add(DisputeParty, {
            "dispute_id": dispute_id, "resident_id": residents.get(clean.id_number), "role": clean.role,
            "name": clean.name, "age": clean.age,
            **{name: getattr(clean, name) or None for name in
               ("gender", "ethnicity", "occupation", "address", "phone", "id_number")}})


def _history(writer, dispute_id: str, draft: Draft, officer_id: str | None, officer_name: str) -> None:
    """What the register and the status moves leave behind: the events, the transfers, the sessions."""
    v = draft.values
    occurred_day = local_day(v.occurred_at)
    _event(writer, dispute_id, "register", None, "pending", f"从Excel导入（{DISPUTE_SOURCES[v.source]}）")
    floor = risk_floor(v.facts)
    if is_below(v.risk_level, floor):
        _event(writer, dispute_id, "risk", floor, v.risk_level, f"低于程序建议：{v.risk_reason.strip()}")
    if draft.status != "pending":
        _event(writer, dispute_id, "status", "pending", draft.status, "导入时的状态")
    if v.source == "center":
        writer.add(DisputeTransfer, {"dispute_id": dispute_id, "direction": "in", "body": "矛调中心",
                                     "transferred_on": occurred_day, "receiver": None, "handler": None,
                                     "outcome": None})
    _transfer_out(writer, dispute_id, draft.status, occurred_day)
    _sessions(writer, dispute_id, draft.sessions, officer_name)


def _event(writer, dispute_id: str, action: str, was: str | None, to: str, reason: str) -> None:
    writer.add(DisputeEvent, {"dispute_id": dispute_id, "at": utcnow(), "officer_id": writer.officer_id,
                              "action": action, "from_value": was, "to_value": to, "reason": reason,
                              "revisit_id": None})


def _transfer_out(writer, dispute_id: str, status: str, on: date) -> None:  # what a 移交 status implies
    if status in TRANSFER_BODIES:
        writer.add(DisputeTransfer, {"dispute_id": dispute_id, "direction": "out", "body": TRANSFER_BODIES[status],
                                     "transferred_on": on, "receiver": None, "handler": None, "outcome": None})


def _sessions(writer, dispute_id: str, sessions: Sequence[SessionValues], officer_name: str, *,
              stored: bool = False) -> None:
    """The sessions; of a ``stored`` dispute only those not stored yet (the same day, kind and record:
    the ledger's own line read back)."""
    m = MediationSession.__table__.c
    held = {(local_day(row.held_at), row.kind, row.record or "") for row in writer.conn.execute(
        select(m.held_at, m.kind, m.record).where(m.dispute_id == dispute_id, m.deleted.is_(False)))} \
        if stored and sessions else set()
    for s in sessions:
        if (local_day(s.held_at), s.kind, s.record.strip()) in held:
            continue
        writer.add(MediationSession, {"dispute_id": dispute_id, "held_at": s.held_at, "place": s.place or None,
                                      "kind": s.kind, "host": s.host or officer_name or None,
                                      "mediators": s.mediators, "attendees": s.attendees,
                                      "record": s.record.strip() or None})

