"""Risk warnings raised by the program (threats, weapons, repeat parties, frequent incidents): advice only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from app.disputes.status import CLOSED
from db.engine import Database
from db.models import Dispute, DisputeEvent, DisputeParty

# Code -> (what the warning is about, the words that raise it, the level it suggests).
KEYWORDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "threat": ("言语威胁", ("恐吓", "威胁", "扬言", "报复", "同归于尽", "弄死", "打死", "杀了", "杀死", "不得好死",
                            "走着瞧", "让你好看", "要你命"), "high"),
    "weapon": ("凶器", ("刀", "枪", "斧", "棍棒", "铁棍", "钢管", "砍", "汽油", "硫酸", "炸药", "爆炸"), "high"),
    "extreme": ("极端行为", ("自杀", "轻生", "跳楼", "喝农药", "服毒", "放火", "纵火", "割腕", "寻死"), "high"),
    "violence": ("肢体冲突", ("殴打", "打伤", "打人", "家暴", "家庭暴力", "动手打", "受伤", "掐脖"), "medium"),
    "crowd": ("群体性", ("聚集", "围堵", "堵路", "拉横幅", "集体上访", "群体"), "medium"),
}
# "未携带刀具", "没有威胁": a negation just before the word (same clause) does not count.
_NEGATIONS = ("未", "没", "无", "否认")
_NEGATION_WINDOW = 3
_CLAUSE_END = re.compile(r"[，。；！？,.;!?\n]")
_ANY_WORD = re.compile("|".join(re.escape(word) for _label, words, _level in KEYWORDS.values() for word in words))
FREQUENT_DAYS = 30
FREQUENT_COUNT = 3
LEVEL_ORDER = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class RiskWarning:
    code: str  # a KEYWORDS code, "repeat" or "frequent"
    message: str
    suggests: str  # the risk level it points to (medium/high)


def text_warnings(facts: str) -> list[RiskWarning]:
    """Warnings from the words of the facts, one per kind, quoting what raised it."""
    found = []
    for code, (label, words, suggests) in KEYWORDS.items():
        hits = [word for word in words if _mentions(facts or "", word)]
        if hits:
            found.append(RiskWarning(code, f"{label}：事实中有“{'”“'.join(hits)}”", suggests))
    return found


def _mentions(text: str, word: str) -> bool:
    for match in re.finditer(re.escape(word), text):
        before = _CLAUSE_END.split(text[:match.start()])[-1][-_NEGATION_WINDOW:]
        if not any(neg in before for neg in _NEGATIONS):
            return True
    return False


def has_text_warning(facts: str) -> bool:
    # Most facts hold none of the words: one pass of one pattern tells (the list asks for each row).
    return _ANY_WORD.search(facts or "") is not None and bool(text_warnings(facts))


def suggested_level(warnings: list[RiskWarning]) -> str | None:
    """The level the warnings point to, or None when there are none."""
    return max((w.suggests for w in warnings), key=LEVEL_ORDER.__getitem__, default=None)


def is_below(level: str, suggested: str | None) -> bool:
    return suggested is not None and LEVEL_ORDER.get(level, 0) < LEVEL_ORDER[suggested]


def dispute_warnings(db: Database, dispute_id: str) -> list[RiskWarning]:
    """All warnings for one dispute: its facts, parties in other disputes, frequent incidents."""
    d = Dispute.__table__.c
    with db.connect() as conn:
        row = conn.execute(select(d.facts, d.occurred_at, d.household_id).where(d.id == dispute_id)).first()
        if row is None:
            return []
        warnings = text_warnings(row.facts)
        others = _disputes_sharing_parties(conn, dispute_id)
        by_number = {number: at for _name, number, at in others}
        if others:
            names = "、".join(dict.fromkeys(name for name, _number, _at in others))
            warnings.append(RiskWarning(
                "repeat", f"重复纠纷：当事人{names}另涉{len(by_number)}起纠纷（{'、'.join(by_number)}）", "medium"))
        own = [row.occurred_at, *_reopenings(conn, dispute_id)]
        related = [*by_number.values(), *_same_household(conn, dispute_id, row.household_id, exclude=set(by_number))]
        if _frequent(own, related):
            warnings.append(RiskWarning(
                "frequent", f"频发：{FREQUENT_DAYS}天内发生{FREQUENT_COUNT}次及以上纠纷或反复", "high"))
    return warnings


def _disputes_sharing_parties(conn, dispute_id: str) -> list[tuple[str, str, datetime]]:
    """(party name, other dispute's number, its time) for applicants/respondents met again.

    The same person is the same resident, the same ID number, or the same name and phone;
    third parties (a property company, an insurer) are in many disputes by nature. This
    dispute's few parties first, then only the parties that could match them: one join
    written as an OR made SQLite walk every dispute (~20 ms a detail at station scale)."""
    p, d = DisputeParty.__table__.c, Dispute.__table__.c
    mine = conn.execute(select(p.name, p.resident_id, p.id_number, p.phone).where(
        p.dispute_id == dispute_id, p.deleted.is_(False), p.role != "third_party")).all()
    residents = {m.resident_id for m in mine if m.resident_id is not None}
    id_numbers = {m.id_number for m in mine if m.id_number}
    phones = {m.phone for m in mine if m.phone}
    could = [test for test, values in ((p.resident_id.in_(residents), residents),
                                       (p.id_number.in_(id_numbers), id_numbers), (p.phone.in_(phones), phones))
             if values]
    if not could:
        return []
    others = conn.execute(
        select(p.name, p.resident_id, p.id_number, p.phone, d.number, d.occurred_at)
        .join(Dispute.__table__, d.id == p.dispute_id)
        .where(or_(*could), p.dispute_id != dispute_id, p.deleted.is_(False), p.role != "third_party",
               d.deleted.is_(False))).all()
    others.sort(key=lambda o: o.occurred_at)  # here: ORDER BY made SQLite walk the disputes in time order

    def same(m, o) -> bool:
        return ((m.resident_id is not None and o.resident_id == m.resident_id)
                or (bool(m.id_number) and o.id_number == m.id_number)
                or (bool(m.phone) and o.name == m.name and o.phone == m.phone))

    return [(m.name, o.number, o.occurred_at) for o in others for m in mine if same(m, o)]


def _same_household(conn, dispute_id: str, household_id: str | None, *, exclude: set[str]) -> list[datetime]:
    if household_id is None:
        return []
    d = Dispute.__table__.c
    rows = conn.execute(select(d.number, d.occurred_at).where(
        d.household_id == household_id, d.id != dispute_id, d.deleted.is_(False)))
    return [at for number, at in rows if number not in exclude]


def _reopenings(conn, dispute_id: str) -> list[datetime]:
    """Each relapse (反复) is an incident too: a move from settled back to mediation."""
    e = DisputeEvent.__table__.c
    return list(conn.execute(select(e.at).where(
        e.dispute_id == dispute_id, e.deleted.is_(False), e.action == "status",
        e.from_value.in_(CLOSED), e.to_value == "mediating")).scalars())


def _frequent(own: list[datetime], related: list[datetime]) -> bool:
    """Is there a 30-day window with three or more incidents, one of them this dispute's?"""
    incidents = sorted([(at, True) for at in own] + [(at, False) for at in related])
    span = timedelta(days=FREQUENT_DAYS)
    for i, (start, _mine) in enumerate(incidents):
        window = [m for at, m in incidents[i:] if at - start <= span]
        if len(window) >= FREQUENT_COUNT and any(window):
            return True
    return False
