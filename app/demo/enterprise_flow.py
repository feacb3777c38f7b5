"""The demo's inspections and what followed each failed one (app.demo.enterprises draws the firms).

An inspection covers the categories such a firm is inspected on, each item of the checklist of its
day (the 技防 list an admin edited a year ago is version 2), two inspectors. A failed one then went
as far as its age allows: 待下发通知书, 限期整改 (items open, overdue, or reported put right),
复查通过, or 逾期未改 转执法办案. Notices and re-checks are numbered in the order they were issued."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING

from app.core.vocab import INSPECTION_CATEGORIES
from app.demo import enterprise_data as ed
from app.demo.data import Weighted
from app.enterprises.checklists import BUILT_IN, default_categories
from app.enterprises.common import derived_id
from app.enterprises.notices import notice_id_of, recheck_id_of
from db.models import Checklist, Inspection, InspectionItem, LiaisonVisit, Recheck, Rectification, RectificationNotice

if TYPE_CHECKING:
    from app.demo.enterprises import Firm
    from app.demo.state import Demo

GENERAL = ("人防", "物防", "技防", "消防")  # what a general firm's inspection picks one or two of
EDITED = "技防"
FLOWS = ("notice_due", "open", "partly", "reported", "passed", "enforcement")
_UNDER_WAY = Weighted({"open": 4, "partly": 4, "reported": 2})
_JUST_PAST = Weighted({"open": 3, "reported": 3, "passed": 4})
_LONG_PAST = Weighted({"passed": 92, "enforcement": 5, "open": 3})


class Inspector:
    """Writes inspections with their items, rectifications, notices and re-checks."""

    def __init__(self, demo: Demo, officers: list[tuple[str, str]], *, issuer: str) -> None:
        self.demo, self.officers, self.issuer = demo, officers, issuer
        self.notices: list[dict] = []
        self.rechecks: list[dict] = []
        self.edited_on = demo.today - timedelta(days=365)
        demo.w.add(Checklist, {"id": derived_id("checklist", EDITED, "2"), "category": EDITED, "version": 2,
                               "items": list(ed.TECH_V2)})

    def checklist(self, category: str, day: date) -> tuple[tuple[str, ...], int]:
        """The items of ``category`` on ``day`` and their version."""
        if category == EDITED and day >= self.edited_on:
            return ed.TECH_V2, 2
        return BUILT_IN[category], 1

    def inspect(self, firm: Firm, day: date, *, failed: int | tuple[str, ...], days: int,
                flow: str | None = None) -> None:
        """``failed``: how many items fail, or which; ``days``: to put them right; ``flow``: how far
        it went (one of FLOWS; by its age when None)."""
        demo, rng = self.demo, self.demo.rng
        officer_id, officer = firm.liaison_on(day)
        inspectors = f"{officer}、{self._partner(officer_id)}"
        if firm.category == "general":
            chosen = rng.sample(GENERAL, rng.randint(1, 2))
        else:
            chosen = default_categories(firm.category)
        if isinstance(failed, tuple):  # the scripted failures' categories are covered
            chosen = [*chosen, *(c for c in INSPECTION_CATEGORIES for text in failed
                                 if text in self.checklist(c, day)[0])]
        categories = tuple(c for c in INSPECTION_CATEGORIES if c in chosen)
        items = []  # [category, item, version, result, note]
        for category in categories:
            texts, version = self.checklist(category, day)
            items += [[category, text, version, "pass", ""] for text in texts]
        named = failed if isinstance(failed, tuple) else ()
        rare = 0.6 if firm.category == "general" else 0.1
        for item in items:
            if item[1] in ed.NOT_APPLICABLE and item[1] not in named and demo.chance(rare):
                item[3:] = ["na", ed.NOT_APPLICABLE[item[1]]]
        if isinstance(failed, tuple):
            failing = [item for item in items if item[1] in named]
        else:
            applicable = [item for item in items if item[3] == "pass"]
            failing = rng.sample(applicable, min(failed, len(applicable)))
        for item in failing:
            item[3:] = ["fail", ed.FAULTS[item[1]]]
        iid = demo.w.add(Inspection, {
            "enterprise_id": firm.id, "inspected_on": day, "officer_id": officer_id, "inspectors": inspectors,
            "categories": ",".join(categories), "present": firm.met(rng), "signer": firm.head["name"],
            "result": "issues" if failing else "passed", "opinion": rng.choice(ed.OPINIONS) if failing else None,
            "notes": rng.choice(ed.NOTES) or None})
        found = f"发现问题{len(failing)}项，已责令限期整改。" if failing else "未发现问题。"
        demo.w.add(LiaisonVisit, {"enterprise_id": firm.id, "visited_on": day, "kind": "inspection",
                                  "officer_id": officer_id, "contact": firm.met(rng),
                                  "notes": f"开展安全检查（{'、'.join(categories)}），{found}"})
        fails = []
        for position, (category, text, version, result, note) in enumerate(items):
            item_id = demo.w.add(InspectionItem, {
                "inspection_id": iid, "category": category, "item": text, "passed": result != "fail",
                "applicable": result != "na", "remark": note or None, "position": position,
                "checklist_version": version})
            if result == "fail":  # 技防 work may take longer than the rest
                later = 15 if flow is None and category == EDITED and demo.chance(0.3) else 0
                fails.append({"enterprise_id": firm.id, "inspection_id": iid, "item_id": item_id,
                              "problem": f"{text}：{note}", "deadline": day + timedelta(days=days + later),
                              "done_on": None, "verified": False, "verified_by": None, "closed_on": None})
        if fails:
            self._follow_up(firm, iid, day, fails, flow)
        for row in fails:
            demo.w.add(Rectification, row)

    def _partner(self, officer_id: str) -> str:
        return self.demo.rng.choice([name for oid, name in self.officers if oid != officer_id] or ["辅警"])

    def _follow_up(self, firm: Firm, iid: str, day: date, fails: list[dict], flow: str | None) -> None:
        """Notice, items put right, re-check: as far as ``flow`` (or the inspection's age) goes."""
        demo, rng, today = self.demo, self.demo.rng, self.demo.today
        deadline = max(row["deadline"] for row in fails)
        if flow is None:
            if (today - day).days <= 3 and demo.chance(0.5):
                flow = "notice_due"
            elif deadline >= today:
                flow = _UNDER_WAY.pick(rng)
            else:
                flow = (_JUST_PAST if (today - deadline).days <= 20 else _LONG_PAST).pick(rng)
        if flow == "notice_due":
            return
        issued = min(today, day + timedelta(days=rng.randint(0, 1)))
        self.notices.append({
            "id": notice_id_of(iid), "inspection_id": iid, "enterprise_id": firm.id, "addressee": firm.name,
            "issued_on": issued, "deadline": deadline, "issuer": self.issuer, "delivered_on": issued,
            "receiver": firm.head["name"]})
        fixed = {"open": 0.0, "partly": 0.5, "reported": 1.0, "passed": 1.0, "enforcement": 0.4}[flow]
        for row in fails:
            if demo.chance(fixed):
                row["done_on"] = min(today, day + timedelta(days=rng.randint(1, max(1, (row["deadline"] - day).days))))
        if flow == "partly" and all(row["done_on"] for row in fails):
            fails[-1]["done_on"] = None
        if flow not in ("passed", "enforcement"):
            return
        if flow == "enforcement":
            fails[-1]["done_on"] = None  # at least one was not put right
            on = min(today, deadline + timedelta(days=rng.randint(1, 10)))
        else:
            on = min(today, max(row["done_on"] for row in fails) + timedelta(days=rng.randint(1, 7)))
        officer_id, officer = firm.liaison_on(on)
        for row in fails:
            if row["done_on"] is not None:
                row.update(verified=True, verified_by=officer_id)
            row["closed_on"] = on
        self.rechecks.append({
            "id": recheck_id_of(iid), "inspection_id": iid, "notice_id": notice_id_of(iid), "rechecked_on": on,
            "inspectors": f"{officer}、{self._partner(officer_id)}", "outcome": flow,
            "opinion": rng.choice(ed.RECHECK_OPINIONS[flow])})
        outcome = "复查通过" if flow == "passed" else "逾期未改，已移交执法办案"
        demo.w.add(LiaisonVisit, {"enterprise_id": firm.id, "visited_on": on, "kind": "inspection",
                                  "officer_id": officer_id, "contact": firm.met(rng),
                                  "notes": f"对整改通知书所列问题进行复查：{outcome}。"})

    def number_and_write(self) -> None:
        """Number the notices (Z) and re-checks (F) per year in the order they were issued, and write them."""
        for model, rows, letter, day in ((RectificationNotice, self.notices, "Z", "issued_on"),
                                         (Recheck, self.rechecks, "F", "rechecked_on")):
            seen: Counter = Counter()
            for row in sorted(rows, key=lambda r: (r[day], r["id"])):
                seen[row[day].year] += 1
                row["number"] = f"{row[day].year}-{self.demo.code}-{letter}{seen[row[day].year]:04d}"
                self.demo.w.add(model, row)
