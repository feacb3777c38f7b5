"""The forms' rules for the area's rows arriving by sync, in app/sync/rules.py's terms (it merges these).

Each table's row is put in the terms of the check the form runs, and the problems are keyed by
the row's columns. What a rule needs from other rows (an inspection's items, a notice after its
inspection) is left out: one row cannot tell. ``c`` is app.sync.rules.Context (``today``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.core.vocab import (
    ENTERPRISE_CATEGORIES,
    HIRE_CHECK_RESULTS,
    INSPECTION_CATEGORIES,
    INSPECTION_RESULTS,
    LIAISON_KINDS,
    RECHECK_OUTCOMES,
)
from app.enterprises.checklists import checklist_problems
from app.enterprises.common import derived_id
from app.enterprises.hire_checks import (
    ID_HASH,
    MASKED_ID,
    HireCheckValues,
    hire_check_problems,
)
from app.enterprises.hire_checks import answer_problems as hire_answer_problems
from app.enterprises.inspections import ItemValues, item_problems, item_result, record_problems
from app.enterprises.liaison import LiaisonValues, RequestValues, answer_problems, liaison_problems, request_problems
from app.enterprises.notices import NoticeValues, RecheckValues, notice_problems, recheck_problems
from app.enterprises.rectifications import rectification_problems
from app.enterprises.register import EnterpriseValues, assignment_problems, enterprise_problems

# (table, column) -> the codes it may hold
VOCABULARIES = {
    ("enterprise", "category"): ENTERPRISE_CATEGORIES,
    ("liaison_visit", "kind"): LIAISON_KINDS,
    ("checklist", "category"): INSPECTION_CATEGORIES,
    ("inspection", "result"): INSPECTION_RESULTS,
    ("inspection_item", "category"): INSPECTION_CATEGORIES,
    ("recheck", "outcome"): RECHECK_OUTCOMES,
    ("hire_check", "result"): HIRE_CHECK_RESULTS,
}


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.split(",") if t)


def _renamed(problems: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    """The form's field names as the row's columns."""
    return {names.get(k, k): v for k, v in problems.items()}


def _enterprise(r: dict, _c) -> dict[str, str]:
    return enterprise_problems(EnterpriseValues(
        name=r["name"], credit_code=r["credit_code"] or "", category=r["category"], address=r["address"] or "",
        community_id=r["community_id"], industry=r["industry"] or "", legal_rep=r["legal_rep"] or "",
        phone=r["phone"] or "", security_head=r["security_head"] or "", security_phone=r["security_phone"] or "",
        employees=r["employees"], guards=r["guards"], tags=_codes(r["tags"]), notes=r["notes"] or ""))


def _assignment(r: dict, c) -> dict[str, str]:
    return assignment_problems(on=_day(r["assigned_on"]), notes=r["notes"] or "", today=c.today)


def _liaison(r: dict, c) -> dict[str, str]:
    problems = liaison_problems(LiaisonValues(kind=r["kind"] or "", visited_on=_day(r["visited_on"]),
                                              content=r["notes"] or "", met=r["contact"] or ""), today=c.today)
    return _renamed(problems, {"content": "notes", "met": "contact"})


def _request(r: dict, c) -> dict[str, str]:
    raised = _day(r["raised_on"])
    problems = request_problems(RequestValues(raised_on=raised, content=r["content"], due_on=_day(r["due_on"])),
                                today=c.today)
    if r["answered_on"] is not None or r["answer"]:
        problems.update(answer_problems(answered_on=_day(r["answered_on"]), answer=r["answer"] or "",
                                        raised_on=raised, today=c.today))
    return problems


def _checklist(r: dict, _c) -> dict[str, str]:
    if not all(type(item) is str for item in r["items"]):
        return {"items": "格式不对（每个检查项目应为文字）"}
    if r["version"] < 2:
        return {"version": "版本号应从2起（1为程序内置）"}
    if r["id"] != derived_id("checklist", r["category"], str(r["version"])):
        return {"version": "版本号与记录标识不符"}
    return checklist_problems(category=r["category"], items=r["items"])


def _inspection(r: dict, c) -> dict[str, str]:
    return record_problems(inspected_on=_day(r["inspected_on"]), inspectors=r["inspectors"],
                           categories=_codes(r["categories"]), opinion=r["opinion"] or "", present=r["present"] or "",
                           signer=r["signer"] or "", notes=r["notes"] or "", today=c.today)


def _item(r: dict, _c) -> dict[str, str]:
    result = item_result(passed=bool(r["passed"]), applicable=bool(r["applicable"]))
    problems = item_problems(ItemValues(category=r["category"], item=r["item"], result=result,
                                        note=r["remark"] or ""), categories=INSPECTION_CATEGORIES)
    return _renamed(problems, {"note": "remark", "result": "passed"})


def _rectification(r: dict, c) -> dict[str, str]:
    return rectification_problems(problem=r["problem"], deadline=_day(r["deadline"]), done_on=_day(r["done_on"]),
                                  closed_on=_day(r["closed_on"]), today=c.today)


def _notice(r: dict, c) -> dict[str, str]:
    return notice_problems(NoticeValues(
        issued_on=_day(r["issued_on"]), issuer=r["issuer"], addressee=r["addressee"], deadline=_day(r["deadline"]),
        delivered_on=_day(r["delivered_on"]), receiver=r["receiver"] or ""), today=c.today)


def _recheck(r: dict, c) -> dict[str, str]:
    return recheck_problems(RecheckValues(rechecked_on=_day(r["rechecked_on"]), inspectors=r["inspectors"],
                                          opinion=r["opinion"], outcome=r["outcome"]), today=c.today)


def _hire_check(r: dict, c) -> dict[str, str]:
    requested = _day(r["requested_on"])
    if r["id_hash"] is not None:  # purged: the number masked, its hash kept
        if not MASKED_ID.fullmatch(r["id_number"]):
            return {"id_number": "已到期清除的身份证号应只留后四位"}
        if not ID_HASH.fullmatch(r["id_hash"]):
            return {"id_hash": "格式不对"}
        problems = {}
    else:
        problems = hire_check_problems(HireCheckValues(
            name=r["name"], id_number=r["id_number"], job=r["job"] or "", requested_on=requested,
            basis=r["basis"] or "", phone=r["phone"] or ""), today=c.today)
    if r["checked_on"] is not None:
        problems.update(_renamed(hire_answer_problems(
            answered_on=_day(r["checked_on"]), result=r["result"] or "", notes=r["notes"] or "",
            requested_on=requested, today=c.today), {"answered_on": "checked_on"}))
    return problems


# table -> its row check (field -> what is wrong)
ROW_RULES: dict[str, Callable[[dict, object], dict[str, str]]] = {
    "enterprise": _enterprise,
    "liaison_assignment": _assignment,
    "liaison_visit": _liaison,
    "enterprise_request": _request,
    "checklist": _checklist,
    "inspection": _inspection,
    "inspection_item": _item,
    "rectification": _rectification,
    "rectification_notice": _notice,
    "recheck": _recheck,
    "hire_check": _hire_check,
}
