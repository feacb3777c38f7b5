"""Risk warnings raised by the program (threats, weapons, repeat parties, frequent incidents): advice only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

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
    return bool(text_warnings(facts))


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
    third parties (a property company, an insurer) are in many disputes by nature."""
    mine, other = aliased(DisputeParty.__table__), aliased(DisputeParty.__table__)
    d = Dispute.__table__.c
    same_person = or_(
        and_(mine.c.resident_id.is_not(None), other.c.resident_id == mine.c.resident_id),
        and_(func.coalesce(mine.c.id_number, "") != "", other.c.id_number == mine.c.id_number),
        and_(func.coalesce(mine.c.phone, "") != "", other.c.name == mine.c.name, other.c.phone == mine.c.phone),
    )
    query = (
        select(mine.c.name, d.number, d.occurred_at)
        .select_from(mine)
        .join(other, and_(same_person, other.c.dispute_id != mine.c.dispute_id))
        .join(Dispute.__table__, d.id == other.c.dispute_id)
        .where(mine.c.dispute_id == dispute_id, mine.c.deleted.is_(False), other.c.deleted.is_(False),
               d.deleted.is_(False), mine.c.role != "third_party", other.c.role != "third_party")
        .order_by(d.occurred_at)
    )
    return [(name, number, at) for name, number, at in conn.execute(query)]


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
