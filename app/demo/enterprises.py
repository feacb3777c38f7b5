"""The demo's enterprises (一企一警): each with its liaison officer's visits, inspections (key
firms about quarterly) with their rectifications, and hire identity checks."""

from __future__ import annotations

from datetime import timedelta

from app.core.validation import uscc_check_char
from app.demo import data as data
from app.demo.state import HISTORY_DAYS, Demo
from db.models import Enterprise, HireCheck, Inspection, InspectionItem, LiaisonVisit, Rectification


def enterprises(demo: Demo) -> None:
    rng, people, total = demo.rng, demo.people, demo.s.enterprises
    liaisons = [officer_id for officers in demo.comm_officers for officer_id, _ in officers]
    for n in range(1, total + 1):
        category = data.ENTERPRISE_CATEGORIES.pick(rng)
        officer_id = rng.choice(liaisons)
        rep = people.person(rng.randint(28, 65))
        first17 = f"91{people.area(migrant=False)}{''.join(rng.choices(data.ORG_CODE_CHARS, k=9))}"
        trade = rng.choice(data.ENTERPRISE_TRADES[category])
        eid = demo.w.add(Enterprise, {
            "credit_code": first17 + uscc_check_char(first17), "category": category,
            "name": f"杭州{rng.choice(data.ENTERPRISE_WORDS)}{trade}有限公司",
            "address": f"杭州市西湖区{rng.choice(data.ROADS)}{rng.randint(1, 999)}号", "legal_rep": rep["name"],
            "phone": rep["phone"] if demo.chance(0.7) else f"0571-8{rng.randrange(10**7):07d}",
            "employees": int(rng.lognormvariate(3, 1.1)) + 2, "liaison_officer_id": officer_id,
            "community_id": rng.choice(demo.communities)[0]})
        for _ in range(rng.randint(1, 4)):
            demo.w.add(LiaisonVisit, {
                "enterprise_id": eid, "visited_on": demo.day_ago(1, HISTORY_DAYS),
                "officer_id": officer_id, "contact": rep["name"], "notes": rng.choice(data.LIAISON_NOTES)})
        # Key, explosives and chemicals firms are inspected about quarterly, the others seldom.
        for _ in range(rng.randint(0, 2) if category == "general" else rng.randint(4, 8)):
            _inspection(demo, eid, officer_id)
        for _ in range(rng.randint(0, 4)):
            _hire_check(demo, eid)
        if n % 250 == 0:
            demo.progress("一企一警", n, total)
    demo.progress("一企一警", total, total)


def _inspection(demo: Demo, eid: str, officer_id: str) -> None:
    """Two checks each of 人防, 物防 and 技防; each failed one leaves a rectification."""
    rng, w = demo.rng, demo.w
    day = demo.day_ago(1, HISTORY_DAYS)
    checks = [(category, item, fault, demo.chance(0.93))
              for category, items in data.INSPECTION_ITEMS.items() for item, fault in rng.sample(items, 2)]
    iid = w.add(Inspection, {"enterprise_id": eid, "inspected_on": day, "officer_id": officer_id,
                             "result": "passed" if all(check[3] for check in checks) else "issues"})
    for category, item, fault, passed in checks:
        w.add(InspectionItem, {"inspection_id": iid, "category": category, "item": item,
                               "passed": passed, "remark": None if passed else fault})
        if passed:
            continue
        deadline = day + timedelta(days=rng.choice((15, 30)))
        done = demo.chance(0.85 if deadline < demo.today else 0.3)
        verified = done and demo.chance(0.9)
        w.add(Rectification, {
            "enterprise_id": eid, "inspection_id": iid, "problem": fault, "deadline": deadline,
            "done_on": min(demo.today, deadline - timedelta(days=rng.randint(0, 10))) if done else None,
            "verified": verified, "verified_by": officer_id if verified else None})


def _hire_check(demo: Demo, eid: str) -> None:
    p = demo.people.person(demo.rng.randint(18, 55), area=demo.people.area(migrant=demo.chance(0.7)))
    flagged = demo.chance(0.02)
    demo.w.add(HireCheck, {
        "enterprise_id": eid, "name": p["name"], "id_number": p["id_number"], "phone": p["phone"],
        "checked_on": demo.day_ago(1, HISTORY_DAYS), "result": "flagged" if flagged else "clear",
        "notes": demo.rng.choice(data.HIRE_FLAG_NOTES) if flagged else None})
