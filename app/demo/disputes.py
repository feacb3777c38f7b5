"""The demo's disputes: every kind, source and status, with parties, mediation sessions,
revisits, transfers and agreements, numbered in time order as the register would number them."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from app.core.vocab import DISPUTE_KINDS, DISPUTE_SOURCES, DISPUTE_STATUSES
from app.demo import data as data
from app.demo.state import HISTORY_DAYS, Demo
from app.disputes.mediation import agreement_copies, term_deadline
from app.disputes.register import risk_floor
from app.disputes.risk import LEVEL_ORDER
from db.models import Agreement, Dispute, DisputeParty, DisputeTransfer, MediationSession, Revisit


def disputes(demo: Demo) -> None:
    rng, total = demo.rng, demo.s.disputes
    cases = [{"kind": data.DISPUTE_KINDS.pick(rng), "source": data.DISPUTE_SOURCES.pick(rng),
              "status": data.DISPUTE_STATUSES.pick(rng)} for _ in range(total)]
    # Every kind, status and source shows up, even in a small station.
    for key, codes in (("kind", DISPUTE_KINDS), ("status", DISPUTE_STATUSES), ("source", DISPUTE_SOURCES)):
        for code, i in zip(codes, rng.sample(range(total), min(total, len(codes)))):
            cases[i][key] = code
    for case in cases:
        _locate(demo, case)
    cases.sort(key=lambda case: case["occurred_at"])  # case numbers run in time order within a year
    numbers: Counter = Counter()
    agreements = []
    for done, case in enumerate(cases, 1):
        year = case["occurred_at"].year
        numbers[year] += 1
        agreements += _dispute(demo, case, f"{year}-{demo.code}-{numbers[year]:04d}")
        if done % 500 == 0:
            demo.progress("矛盾纠纷", done, total)
    signed: Counter = Counter()  # agreement numbers run in signing order
    for row in sorted(agreements, key=lambda row: row["signed_on"]):
        year = row["signed_on"].year
        signed[year] += 1
        demo.w.add(Agreement, dict(row, number=f"{year}-{demo.code}-T{signed[year]:04d}"))
    demo.progress("矛盾纠纷", total, total)


def _locate(demo: Demo, case: dict) -> None:
    """When a case happened (open ones lately), at whose home if any, and which visit found it."""
    recent = case["status"] in ("pending", "mediating")
    # Yesterday at the latest: a case today could be later than now, and mediation after it.
    day = demo.day_ago(1, 120) if recent else demo.day_ago(20, HISTORY_DAYS)
    case.update(occurred_at=demo.at(day, demo.minute_in(data.DISPUTE_HOURS)), visit_id=None, home=None,
                applicant=None)
    if case["source"] == "visit" and demo.visit_sample:
        case["visit_id"], case["home"], case["occurred_at"] = demo.rng.choice(demo.visit_sample)
    elif case["kind"] in data.HOME_DISPUTE_KINDS and demo.resident_sample:
        case["applicant"], case["home"] = demo.rng.choice(demo.resident_sample)


def _dispute(demo: Demo, case: dict, number: str) -> list[dict]:
    """A dispute with its parties, sessions, revisits and transfers; returns its agreement, if any."""
    rng, kind, status = demo.rng, case["kind"], case["status"]
    if case["home"] is not None:
        hid, c, place = demo.homes[case["home"]]
    else:  # in the street, at a market, in a car park …
        hid, c = None, rng.randrange(len(demo.communities))
        place = rng.choice(data.ROADS) + rng.choice(data.PUBLIC_PLACES)
    officer_id, officer_name = rng.choice(demo.comm_officers[c])
    parties = _parties(demo, case, place)
    names = {"a": parties[0]["name"], "b": parties[1]["name"]}
    occurred = case["occurred_at"].date()
    settled = None
    if status in ("resolved", "terminated"):
        settled = min(demo.today, occurred + timedelta(days=rng.randint(1, 45)))
    facts, terms = rng.choice(data.DISPUTE_CASES[kind])
    facts = facts.format(**names)
    did = demo.w.add(Dispute, {
        "number": number, "source": case["source"], "kind": kind,
        "occurred_at": case["occurred_at"], "place": place, "facts": facts, "status": status,
        "risk_level": "high" if status == "to_police" else max(
            data.RISK_LEVELS.pick(rng), risk_floor(facts) or "low", key=LEVEL_ORDER.__getitem__),
        "community_id": demo.communities[c][0], "household_id": hid, "visit_id": case["visit_id"],
        "officer_id": officer_id, "settled_on": settled,
        "escalated_criminal": status == "to_police" and demo.chance(0.3)})
    for row in parties:
        demo.w.add(DisputeParty, dict(row, dispute_id=did))
    mediation, last_day = data.MEDIATION_KINDS.pick(rng), settled or demo.today
    for i in range(0 if status == "pending" else rng.randint(1, 3)):
        held = occurred + timedelta(days=min(i * 7 + rng.randint(0, 3), (last_day - occurred).days))
        minute = demo.minute_in(data.OFFICE_HOURS)
        if demo.at(held, minute) <= case["occurred_at"]:  # it happened later that day: the day after
            held += timedelta(days=1)
        held_at = demo.at(held, minute)
        demo.w.add(MediationSession, {
            "dispute_id": did, "held_at": held_at, "kind": mediation,
            "place": f"{demo.communities[c][1]}警务室", "host": officer_name,
            "mediators": f"{officer_name}、{demo.people.name()}", "record": rng.choice(data.MEDIATION_RECORDS),
            "attendees": "、".join(p["name"] for p in parties)})
    _revisits(demo, did, officer_id, status, occurred, settled)
    _transfers(demo, did, case["source"], status, occurred)
    if status != "resolved" or not demo.chance(0.85):
        return []
    terms = [term.format(**names) for term in terms]
    # A term with a time to perform it (三日内) is a promise; others are sometimes promised too.
    promised = term_deadline(terms) is not None or demo.chance(0.2)
    return [{"dispute_id": did, "kind": "security" if mediation == "security" else "people",
             "facts": facts, "issues": f"{DISPUTE_KINDS[kind]}纠纷的处理",
             "responsibilities": "双方各有一定责任。" if demo.chance(0.5) else None, "terms": terms,
             "performance": "promised" if promised else "on_the_spot",
             "deadline": settled + timedelta(days=rng.randint(7, 60)) if promised else None,
             "copies": agreement_copies(len(parties)), "signed_on": settled}]


def _parties(demo: Demo, case: dict, place: str) -> list[dict]:
    """Applicant and respondent (a neighbour lives in the station; a partner is of the other sex),
    and sometimes a third party such as the property company."""
    rng = demo.rng
    applicant = _party(demo, "applicant", case["applicant"], place)
    neighbour = None
    if case["kind"] == "neighbour" and demo.resident_sample:
        neighbour = rng.choice(demo.resident_sample)[0]
    partner = {"男": "女", "女": "男"}[applicant["gender"]] if case["kind"] in ("family", "romance") else None
    parties = [applicant, _party(demo, "respondent", neighbour, place, partner)]
    if demo.chance(0.25):
        parties.append({"role": "third_party", "name": rng.choice(data.PARTY_THIRD), "address": place,
                        "phone": demo.people.phone()})
    return parties


def _party(demo: Demo, role: str, resident: dict | None, address: str, gender: str | None = None) -> dict:
    if resident is None:  # someone from outside the station
        age = demo.rng.randint(20, 75)
        resident = demo.people.person(age, gender=gender, area=demo.people.area(migrant=demo.chance(0.3)))
        resident.update(ethnicity="汉族", occupation=demo.people.occupation(age))
    return {"resident_id": resident.get("id"), "role": role, "name": resident["name"],
            "gender": resident["gender"], "ethnicity": resident["ethnicity"],
            "age": (demo.today - resident["birth_date"]).days // 365, "occupation": resident["occupation"],
            "address": address, "phone": resident["phone"], "id_number": resident["id_number"]}


def _revisits(demo: Demo, did: str, officer_id: str, status: str, occurred: date, settled: date | None) -> None:
    """A week and a month after settling (two weeks into mediation); some due ones were missed."""
    rng = demo.rng
    if status == "resolved":
        dues = [settled + timedelta(days=d) for d in (7, 30)[: rng.randint(1, 2)]]
    else:
        dues = [occurred + timedelta(days=14)] if status == "mediating" and demo.chance(0.5) else []
    for due in dues:
        result = data.REVISIT_RESULTS.pick(rng) if due < demo.today and demo.chance(0.85) else None
        demo.w.add(Revisit, {
            "dispute_id": did, "due_on": due, "result": result, "officer_id": officer_id,
            "done_on": min(demo.today, due + timedelta(days=rng.randint(0, 3))) if result else None,
            "notes": rng.choice(data.REVISIT_NOTES[result]) if result else None})


def _transfers(demo: Demo, did: str, source: str, status: str, occurred: date) -> None:
    moves = [("in", "矛调中心")] if source == "center" else []
    moves += {"to_center": [("out", "矛调中心")], "to_police": [("out", "办案队")]}.get(status, [])
    for direction, body in moves:
        on = min(demo.today, occurred + timedelta(days=demo.rng.randint(0 if direction == "in" else 3, 20)))
        settled = on < demo.today - timedelta(days=10)  # the receiving body has reported back
        demo.w.add(DisputeTransfer, {
            "dispute_id": did, "direction": direction, "body": body, "transferred_on": on,
            "receiver": demo.people.name(), "handler": demo.people.name(),
            "outcome": demo.rng.choice(data.TRANSFER_OUTCOMES) if settled else None})
