"""The forms' rules for rows that arrive by sync: vocabularies, and each table's ``*_problems``.

Where a domain module checks what an officer enters (``household_problems``,
``resident_problems``, ``visit_problems``, ``dispute_problems``, ``party_problems``,
``session_problems``, ``agreement_problems``, ``result_problems``, ``campaign_problems``), a row
of its table is put in that function's terms and checked by it, so a file is held to the very
rules of the form. What such a function checks across rows (a dispute's parties, the copies of
an agreement per party, a session no earlier than its dispute) is left out: one row cannot tell.
So is a field left empty: asking for it is the form's business, and an empty place or purpose
breaks nothing on the laptops it reaches, while a value that is there must be one the form
accepts. Every coded column is in ``VOCABULARIES`` (checked a column at a time by
``app.sync.rows``, which runs every type check first), so an empty code is still refused.
A file may come from a laptop whose clock is a little ahead, so "not later than now" allows
the day the import's clock check allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.core.timeutil import local_now
from app.core.vocab import (
    ATTENDANCE,
    DISPUTE_KINDS,
    DISPUTE_SOURCES,
    DISPUTE_STATUSES,
    HOUSEHOLD_KINDS,
    MEDIATION_KINDS,
    OFFICER_ROLES,
    PARTY_ROLES,
    REVISIT_RESULTS,
    RISK_LEVELS,
)
from app.disputes.mediation import (
    AGREEMENT_KINDS,
    PERFORMANCE,
    AgreementValues,
    SessionValues,
    agreement_problems,
    session_problems,
)
from app.disputes.register import DisputeValues, PartyValues, dispute_problems, party_problems
from app.disputes.revisits import result_problems
from app.enterprises.sync_rules import ROW_RULES as ENTERPRISE_RULES
from app.enterprises.sync_rules import VOCABULARIES as ENTERPRISE_VOCABULARIES
from app.households.campaigns import Criteria, campaign_problems
from app.households.residents import ResidentValues, resident_problems
from app.households.service import HouseholdValues, household_problems
from app.households.visits import VisitValues, visit_problems
from app.patrol.sync_rules import ROW_RULES as PATROL_RULES
from app.patrol.sync_rules import VOCABULARIES as PATROL_VOCABULARIES
from app.sync.tables import SPECS
from db.models import SYNCED_TABLES

SLACK = timedelta(days=1)  # as the importer's clock check: stamps up to a day ahead are accepted

# (table, column) -> the codes it may hold (the vocabularies of app.core.vocab, the forms and db/models).
VOCABULARIES: dict[tuple[str, str], Any] = {
    ("household", "kind"): HOUSEHOLD_KINDS,
    ("dispute", "source"): DISPUTE_SOURCES,
    ("dispute", "kind"): DISPUTE_KINDS,
    ("dispute", "risk_level"): RISK_LEVELS,
    ("dispute", "status"): DISPUTE_STATUSES,
    ("dispute_party", "role"): PARTY_ROLES,
    ("mediation_session", "kind"): MEDIATION_KINDS,
    ("agreement", "kind"): AGREEMENT_KINDS,
    ("agreement", "performance"): PERFORMANCE,
    ("revisit", "result"): REVISIT_RESULTS,
    ("dispute_event", "action"): ("register", "status", "risk"),
    ("dispute_event", "from_value"): (*DISPUTE_STATUSES, *RISK_LEVELS),
    ("dispute_event", "to_value"): (*DISPUTE_STATUSES, *RISK_LEVELS),
    ("dispute_transfer", "direction"): ("out", "in"),
    ("shift_assignment", "attendance"): ATTENDANCE,
    ("officer", "role"): OFFICER_ROLES,
    **ENTERPRISE_VOCABULARIES,  # app/enterprises/sync_rules.py
    **PATROL_VOCABULARIES,  # app/patrol/sync_rules.py
    ("sync_conflict", "table_name"): SYNCED_TABLES,
    ("sync_conflict", "resolution"): ("kept", "restored"),
}


@dataclass(frozen=True)
class Context:
    now: datetime  # aware, with the slack

    @property
    def today(self) -> date:
        return self.now.date()

    @classmethod
    def current(cls) -> Context:
        return cls(local_now() + SLACK)


def _moment(text: str | None) -> datetime | None:
    """A stored UTC time (rows.py has checked it parses) as the aware datetime the forms give."""
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _codes(text: str) -> tuple[str, ...]:
    """A comma-separated column (tags, purposes) as the form's tuple."""
    return tuple(t for t in text.split(",") if t)


def _household(r: dict, _c: Context) -> dict[str, str]:
    # Community and grid are the form's names for them; a row refers to them by id (checked as references).
    return household_problems(HouseholdValues(
        community="-", estate=r["estate"], building=r["building"], unit=r["unit"], room=r["room"], kind=r["kind"],
        tags=_codes(r["tags"]), head_name=r["head_name"] or "", phone=r["phone"] or "", notes=r["notes"] or ""))


def _resident(r: dict, c: Context) -> dict[str, str]:
    return resident_problems(ResidentValues(
        name=r["name"], id_number=r["id_number"] or "", gender=r["gender"] or "", birth_date=_day(r["birth_date"]),
        phone=r["phone"] or "", relation=r["relation"] or "", hukou_place=r["hukou_place"] or "",
        ethnicity=r["ethnicity"] or "", occupation=r["occupation"] or "", notes=r["notes"] or ""), today=c.today)


def _visit(r: dict, c: Context) -> dict[str, str]:
    return visit_problems(VisitValues(
        household_id=r["household_id"], visited_at=_moment(r["visited_at"]), officer_id=r["officer_id"],
        companions=r["companions"], purposes=_codes(r["purposes"]), findings=r["findings"] or "",
        requests=r["requests"] or "", hazards=r["hazards"] or "", follow_up=r["follow_up"] or "",
        campaign_id=r["campaign_id"]), now=c.now)


def _dispute(r: dict, c: Context) -> dict[str, str]:
    problems = dispute_problems(DisputeValues(
        source=r["source"], kind=r["kind"], occurred_at=_moment(r["occurred_at"]), place=r["place"] or "",
        facts=r["facts"], risk_level=r["risk_level"], community_id=r["community_id"],
        household_id=r["household_id"], visit_id=r["visit_id"], officer_id=r["officer_id"]), now=c.now)
    # The parties are rows of their own; the reason for a lower level lives in the dispute's history.
    return {k: v for k, v in problems.items() if k not in ("parties", "risk_reason")}


def _party(r: dict, c: Context) -> dict[str, str]:
    return party_problems(PartyValues(
        role=r["role"], name=r["name"], gender=r["gender"] or "", ethnicity=r["ethnicity"] or "", age=r["age"],
        occupation=r["occupation"] or "", address=r["address"] or "", phone=r["phone"] or "",
        id_number=r["id_number"] or ""), today=c.today)


def _session(r: dict, c: Context) -> dict[str, str]:
    return session_problems(SessionValues(
        held_at=_moment(r["held_at"]), kind=r["kind"], place=r["place"] or "", host=r["host"] or "",
        mediators=r["mediators"], attendees=r["attendees"], record=r["record"] or ""), now=c.now)


def _agreement(r: dict, c: Context) -> dict[str, str]:
    if not all(type(term) is str for term in r["terms"]):
        return {"terms": "格式不对（每条协议内容应为文字）"}
    return agreement_problems(AgreementValues(
        kind=r["kind"], facts=r["facts"], issues=r["issues"], responsibilities=r["responsibilities"] or "",
        terms=r["terms"], performance=r["performance"], deadline=_day(r["deadline"]), copies=None,
        signed_on=_day(r["signed_on"])), today=c.today)


def _revisit(r: dict, c: Context) -> dict[str, str]:
    if r["result"] is None and r["done_on"] is None:
        return {}  # still to do: the form checks a revisit when its result is recorded
    return result_problems(result=r["result"] or "", done_on=_day(r["done_on"]), notes=r["notes"] or "",
                           today=c.today)


_CRITERIA = {"grid_ids": list, "tags": list, "kinds": list}


def _campaign(r: dict, _c: Context) -> dict[str, str]:
    criteria = r["criteria"]
    days = criteria.get("not_visited_days")
    if (any(type(criteria.get(key, [])) is not list or not all(type(v) is str for v in criteria.get(key, []))
            for key in _CRITERIA) or not (days is None or type(days) is int)):
        return {"criteria": "格式不对"}
    problems = campaign_problems(name=r["name"], starts_on=_day(r["starts_on"]), ends_on=_day(r["ends_on"]),
                                 criteria=Criteria(**{key: tuple(criteria.get(key, ())) for key in _CRITERIA},
                                                   not_visited_days=days))
    return {("criteria" if k in ("tags", "not_visited_days") else k): v for k, v in problems.items()}


def _conflict(r: dict, _c: Context) -> dict[str, str]:
    if r["field"] not in SPECS[r["table_name"]].index:
        return {"field": f"{r['table_name']} 表没有这个字段"}
    return {}


def row_problems(table: str, row: dict, context: Context) -> dict[str, str]:
    """Field -> what the form would say is wrong with the row's value (see the module doc)."""
    check = _RULES.get(table)
    if check is None:
        return {}
    return {field: why for field, why in check(row, context).items() if row.get(field, True) not in _EMPTY}


_EMPTY = (None, "", [], {})

# table -> its row check: field -> what is wrong (empty when the row is fine).
_RULES: dict[str, Callable[[dict, Context], dict[str, str]]] = {
    "household": _household,
    "resident": _resident,
    "visit": _visit,
    "dispute": _dispute,
    "dispute_party": _party,
    "mediation_session": _session,
    "agreement": _agreement,
    "revisit": _revisit,
    "campaign": _campaign,
    "sync_conflict": _conflict,
    **ENTERPRISE_RULES,  # one per table of 一企一警 (app/enterprises/sync_rules.py)
    **PATROL_RULES,  # one per table of 义警巡逻 (app/patrol/sync_rules.py)
}
CHECKED = frozenset(_RULES)
