"""Deterministic demo station: a synthetic 派出所 to try the program on and to benchmark it."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from sqlalchemy import insert

from app import demo_data as data
from app.validation import id_check_char, uscc_check_char
from app.vocab import DISPUTE_KINDS, DISPUTE_SOURCES, DISPUTE_STATUSES, PARTY_ROLES, VISIT_PURPOSES
from db.engine import Database
from db.models import (SYNCED_MODELS, Agreement, Community, Dispute, DisputeParty, DisputeTransfer,
                       Enterprise, Grid, HireCheck, Household, Inspection, InspectionItem, LiaisonVisit,
                       MediationSession, Officer, PatrolRoute, Rectification, Resident, Revisit, Shift,
                       ShiftAssignment, Volunteer, VolunteerTeam, Visit)
from db.stamping import insert_stamps

BATCH = 5_000
HISTORY_DAYS = 730  # visits, disputes and inspections spread over the two years before today
UTC_OFFSET_MIN = 8 * 60  # officers work in Beijing time; datetimes are stored in UTC

DemoCounts = dict[str, int]  # rows inserted per table


@dataclass(frozen=True)
class Scale:
    households: int
    visits: int
    disputes: int
    volunteers: int
    enterprises: int
    communities: int
    officers: int  # 民警, besides the one admin
    auxiliaries: int  # 辅警


# Residents follow from the households (about 2.4 each); the rest scale with the households.
SCALES = {
    "small": Scale(500, 2_000, 60, 40, 30, 3, 3, 4),
    "station": Scale(50_000, 200_000, 5_000, 2_000, 2_500, 6, 14, 24),
    "city": Scale(1_000_000, 4_000_000, 100_000, 40_000, 50_000, 6, 280, 480),
}


def build_demo(db: Database, *, scale: str = "small", seed: int = 1, today: date | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> DemoCounts:
    """Fill an EMPTY database with a synthetic station; returns rows inserted per table."""
    if scale not in SCALES:
        raise ValueError(f"未知的演示规模：{scale}（可选：{'、'.join(SCALES)}）")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
        writer = _Writer(conn, db)
        _Builder(writer, SCALES[scale], random.Random(seed), today or date.today(),
                 db.device.short_code, progress or (lambda _stage, _done, _total: None)).run()
        writer.flush()
    return {table: n for table, n in writer.counts.items() if n}


class _Writer:
    """Buffers stamped rows per table; flushes every buffer in foreign-key order, so parents land first."""

    def __init__(self, conn, db: Database) -> None:
        self.conn, self.clock = conn, db.clock
        self.officer_id: str | None = None  # the admin, once made: the demo's "last editor"
        self.buffers: dict = {model: [] for model in SYNCED_MODELS}
        self.counts = Counter({model.__tablename__: 0 for model in SYNCED_MODELS})

    def add(self, model, row: dict) -> str:
        row.update(insert_stamps(self.clock, self.officer_id), deleted=False)
        rows = self.buffers[model]
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush()
        return row["id"]

    def flush(self) -> None:
        for model, rows in self.buffers.items():
            if rows:
                self.conn.execute(insert(model.__table__), rows)
                self.counts[model.__tablename__] += len(rows)
                rows.clear()


def _weighted(weights: dict) -> tuple[list, list]:
    return list(weights), list(accumulate(weights.values()))


class _Builder:
    """Draws every value from one seeded generator, in a fixed order, so a seed means one station."""

    def __init__(self, writer: _Writer, scale: Scale, rng: random.Random, today: date, device_code: str,
                 progress: Callable[[str, int, int], None]) -> None:
        self.w, self.scale, self.rng, self.today, self.code, self.progress = writer, scale, rng, today, device_code, progress
        self.surnames = _weighted(data.SURNAMES)
        self.ethnicities = _weighted(data.ETHNICITIES)
        self.local_areas, self.other_areas = list(data.LOCAL_AREAS), list(data.OTHER_AREAS)
        self.issued: set[str] = set()  # ID numbers already handed out: every person gets their own
        self.hh_ids: list[str] = []
        self.hh_comm: list[int] = []
        self.hh_address: list[str] = []
        self.resident_sample: list[tuple[dict, int]] = []  # (resident row, household index)
        self.visit_sample: list[tuple[str, int, datetime]] = []  # visits that screened for disputes

    def run(self) -> None:
        self.officers_and_communities()
        self.households()
        self.visits()
        self.disputes()
        self.patrols()
        self.enterprises()

    # --- small helpers ------------------------------------------------------------------

    def new_id(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128)).hex

    def pick(self, weighted: tuple[list, list]):
        return self.rng.choices(weighted[0], cum_weights=weighted[1])[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def day_ago(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    def at(self, day: date, minute: int) -> datetime:
        """Minute of a Beijing day, as an aware UTC datetime."""
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minute - UTC_OFFSET_MIN)

    def phone(self) -> str:
        return f"{self.rng.choice(data.MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"

    def name(self, gender: str, born: int) -> str:
        rng = self.rng
        surname = self.pick(self.surnames)
        if rng.random() < 0.15:
            return surname + rng.choice(data.SINGLE_GIVEN[gender])
        firsts, seconds = next(v for (before, g), v in data.GIVEN_NAMES.items() if born < before and g == gender)
        return surname + rng.choice(firsts) + rng.choice(seconds)

    def person(self, age: int, *, gender: str | None = None, area: str | None = None) -> dict:
        """A made-up person whose ID number agrees with their birth date, gender and area."""
        rng = self.rng
        gender = gender or rng.choice("男女")
        area = area or rng.choice(self.local_areas)
        born = self.today - timedelta(days=age * 365 + rng.randrange(365))
        while True:
            first17 = f"{area}{born.year}{born.month:02d}{born.day:02d}{rng.randrange(500) * 2 + (gender == '男'):03d}"
            if first17 not in self.issued:
                break
        self.issued.add(first17)
        return {"name": self.name(gender, born.year), "gender": gender, "birth_date": born,
                "id_number": first17 + id_check_char(first17), "phone": self.phone() if age >= 12 else None}

    def migrant_area(self) -> str:
        return self.rng.choice(self.other_areas)

    # --- people and places --------------------------------------------------------------

    def officers_and_communities(self) -> None:
        rng, s, w = self.rng, self.scale, self.w
        names = rng.sample(data.COMMUNITIES, s.communities)
        self.communities = [(self.new_id(), f"{n}社区") for n in names]
        self.admin = self.officer("admin", "admin", None, None)
        w.officer_id = self.admin[0]
        badges = rng.sample(range(100_000, 1_000_000), s.officers)
        self.comm_officers = [[self.officer("officer", f"jy{b}", str(b), i % s.communities)
                               for i, b in enumerate(badges)][c::s.communities] for c in range(s.communities)]
        self.comm_aux = [[] for _ in self.communities]
        for i in range(s.auxiliaries):
            self.comm_aux[i % s.communities].append(
                self.officer("auxiliary", f"fj{i + 1:03d}", f"FJ{i + 1:04d}", i % s.communities)[1])
        for i, (cid, cname) in enumerate(self.communities):
            w.add(Community, {"id": cid, "name": cname, "code": f"330106{i + 1:03d}000",
                              "police_room": f"{cname}警务室", "notes": None})
        self.progress("民警与社区", 1, 1)

    def officer(self, role: str, username: str, badge: str | None, community: int | None) -> tuple[str, str]:
        p = self.person(self.rng.randint(24, 55))
        room = None if community is None else f"{self.communities[community][1]}警务室"
        oid = self.w.add(Officer, {"id": self.new_id(), "username": username, "name": p["name"], "role": role,
                                   "badge_no": badge, "phone": p["phone"], "police_room": room,
                                   "password_hash": None, "active": True})
        return oid, p["name"]

    def households(self) -> None:
        rng, total = self.rng, self.scale.households
        shares = [rng.uniform(0.7, 1.3) for _ in self.communities]
        targets = [int(total * x / sum(shares)) for x in shares]
        targets[-1] += total - sum(targets)
        estate_names = [p + s for p in data.ESTATE_PREFIXES for s in data.ESTATE_SUFFIXES]
        rng.shuffle(estate_names)
        self.comm_estates = [[] for _ in self.communities]
        self.grid_workers = [[] for _ in self.communities]
        for c, target in enumerate(targets):
            grid_size = max(50, min(400, target // 3))
            flats = self.flats(target, estate_names, c)
            for i, (estate, building, unit, room, floor) in enumerate(flats):
                if i % grid_size == 0:
                    grid_id = self.grid(c, i // grid_size + 1)
                self.household(c, grid_id, estate, building, unit, room, floor)
                if len(self.hh_ids) % 1000 == 0:
                    self.progress("住户与人员", len(self.hh_ids), total)
        self.progress("住户与人员", total, total)

    def flats(self, target: int, estate_names: list[str], c: int):
        """Addresses for a community: whole estates, flat by flat, until the target is met."""
        rng, made = self.rng, 0
        while True:
            n = len(self.hh_ids) and sum(map(len, self.comm_estates))
            estate = estate_names[n % len(estate_names)] + ("" if n < len(estate_names) else f"{n // len(estate_names) + 1}期")
            self.comm_estates[c].append(estate)
            units, floors, per_floor = rng.randint(1, 4), rng.choice((6, 7, 11, 18, 26, 28)), rng.randint(2, 4)
            buildings = min(rng.randint(3, 30), -(-target // (3 * units * floors * per_floor)))
            for b in range(1, buildings + 1):
                for u in range(1, units + 1):
                    for f in range(1, floors + 1):
                        for r in range(1, per_floor + 1):
                            yield estate, str(b), str(u), f"{f}{r:02d}", f
                            made += 1
                            if made == target:
                                return

    def grid(self, c: int, n: int) -> str:
        worker = self.person(self.rng.randint(25, 50))
        self.grid_workers[c].append(worker["name"])
        return self.w.add(Grid, {"id": self.new_id(), "community_id": self.communities[c][0],
                                 "name": f"{self.communities[c][1]}第{n}网格",
                                 "grid_worker": worker["name"], "grid_worker_phone": worker["phone"]})

    def household(self, c: int, grid_id: str, estate: str, building: str, unit: str, room: str, floor: int) -> None:
        rng = self.rng
        kind = "shop" if floor == 1 and self.chance(0.3) else self.pick(_weighted(data.HOUSEHOLD_KIND_WEIGHTS))
        templates = {"owner": data.OWNER_TEMPLATES, "rented": data.RENTED_TEMPLATES, "shop": data.SHOP_TEMPLATES}
        tags, members = [], []
        if kind in templates:
            _w, ages, others, tag = rng.choices(templates[kind], [t[0] for t in templates[kind]])[0]
            members = self.members(rng.randint(*ages), others, migrant=kind == "rented" and self.chance(0.8))
            tags += [tag] if tag else []
        if kind == "rented":
            tags += ["出租屋"] + (["流动人口"] if members[0]["area"] in data.OTHER_AREAS else [])
        tags += [t for t, per_mille in data.EXTRA_TAGS.items() if rng.randrange(1000) < per_mille]
        # A rented or empty flat's head of household is its owner, who lives elsewhere.
        head = members[0] if kind in ("owner", "shop") else self.person(rng.randint(35, 70))
        hid = self.w.add(Household, {
            "id": self.new_id(), "community_id": self.communities[c][0], "grid_id": grid_id, "estate": estate,
            "building": building, "unit": unit, "room": room, "kind": kind, "tags": ",".join(tags),
            "head_name": head["name"], "phone": head["phone"], "notes": None})
        index = len(self.hh_ids)
        self.hh_ids.append(hid)
        self.hh_comm.append(c)
        self.hh_address.append(f"{estate}{building}栋{unit}单元{room}室")
        for m in members:
            row = {"id": self.new_id(), "household_id": hid, "name": m["name"], "id_number": m["id_number"],
                   "gender": m["gender"], "birth_date": m["birth_date"], "ethnicity": m["ethnicity"],
                   "phone": m["phone"], "relation": "租户" if kind == "rented" else m["relation"],
                   "hukou_place": m["hukou"], "occupation": m["occupation"], "tags": "", "notes": None}
            self.w.add(Resident, row)
            if self.chance(self.sample_rate):
                self.resident_sample.append((row, index))

    @property
    def sample_rate(self) -> float:
        # Enough residents to link dispute parties and volunteers to, whatever the scale.
        return min(1.0, (3 * self.scale.disputes + self.scale.volunteers) / (2.4 * self.scale.households))

    def members(self, head_age: int, others: tuple[str, ...], *, migrant: bool) -> list[dict]:
        """A family: the head, then the others of a template, sharing an area and an ethnic group."""
        rng = self.rng
        area = self.migrant_area() if migrant or self.chance(0.15) else rng.choice(self.local_areas)
        ethnicity = self.pick(self.ethnicities)
        head_gender = rng.choice("男女")
        specs = [("户主", head_age, head_gender)]
        for code in others:
            relation, gender, (lo, hi) = data.MEMBER_KINDS[code]
            gender = {"男": "男", "女": "女", "opposite": "女" if head_gender == "男" else "男"}.get(gender)
            specs.append((relation, max(0, head_age + rng.randint(lo, hi)), gender))
        family = []
        for relation, age, gender in specs:
            p = self.person(age, gender=gender, area=area)
            p.update(relation=relation, area=area, ethnicity=ethnicity, occupation=self.occupation(age),
                     hukou=data.LOCAL_AREAS.get(area) or data.OTHER_AREAS[area])
            family.append(p)
        return family

    def occupation(self, age: int) -> str | None:
        if age < 6:
            return None
        if age < 22:
            return "学生"
        return "退休" if age >= 60 else self.rng.choice(data.OCCUPATIONS)

    # --- visits -------------------------------------------------------------------------

    def visits(self) -> None:
        rng, total = self.rng, self.scale.visits
        purposes = _weighted(data.VISIT_PURPOSE_WEIGHTS)
        for n in range(1, total + 1):
            h = rng.randrange(len(self.hh_ids))
            c = self.hh_comm[h]
            officer_id, _ = rng.choice(self.comm_officers[c])
            chosen = {self.pick(purposes)} | ({self.pick(purposes)} if self.chance(0.35) else set())
            ordered = [p for p in VISIT_PURPOSES if p in chosen]
            hazard = rng.choice(data.VISIT_HAZARDS) if self.chance(0.08) else None
            companions = [f"辅警{rng.choice(self.comm_aux[c])}"] if self.comm_aux[c] and self.chance(0.6) else []
            companions += [f"网格员{rng.choice(self.grid_workers[c])}"] if self.chance(0.3) else []
            visited_at = self.at(self.day_ago(1, HISTORY_DAYS), rng.randint(9 * 60, 20 * 60 + 30))
            vid = self.w.add(Visit, {
                "id": self.new_id(), "household_id": self.hh_ids[h], "visited_at": visited_at,
                "officer_id": officer_id, "companions": "、".join(companions), "purposes": ",".join(ordered),
                "findings": "".join(rng.choice(data.VISIT_FINDINGS[p]) for p in ordered), "hazards": hazard,
                "requests": rng.choice(data.VISIT_REQUESTS) if self.chance(0.06) else None,
                "follow_up": f"督促整改：{hazard}" if hazard and self.chance(0.5) else None})
            if "矛盾纠纷排查" in chosen and len(self.visit_sample) < self.scale.disputes:
                self.visit_sample.append((vid, h, visited_at))
            if n % 5000 == 0:
                self.progress("入户走访", n, total)
        self.progress("入户走访", total, total)

    # --- disputes -----------------------------------------------------------------------

    def disputes(self) -> None:
        rng, total = self.rng, self.scale.disputes
        kinds, sources = _weighted(data.DISPUTE_KIND_WEIGHTS), _weighted(data.DISPUTE_SOURCE_WEIGHTS)
        cases = [{"kind": self.pick(kinds), "source": self.pick(sources), "status": self.status()}
                 for _ in range(total)]
        # Every kind, status and source shows up at least once, even in a small station.
        for key, codes in (("kind", DISPUTE_KINDS), ("status", DISPUTE_STATUSES), ("source", DISPUTE_SOURCES)):
            for code, i in zip(codes, rng.sample(range(total), min(total, len(codes)))):
                cases[i][key] = code
        for case in cases:
            self.locate(case)
        cases.sort(key=lambda case: case["occurred_at"])
        numbers: Counter = Counter()
        agreements = []
        for done, case in enumerate(cases, 1):
            year = case["occurred_at"].year
            numbers[year] += 1
            agreements += self.dispute(case, f"{year}-{self.code}-{numbers[year]:04d}")
            if done % 500 == 0:
                self.progress("矛盾纠纷", done, total)
        # Agreement numbers run in signing order within each year.
        signed: Counter = Counter()
        for row in sorted(agreements, key=lambda row: row["signed_on"]):
            signed[row["signed_on"].year] += 1
            row["number"] = f"{row['signed_on'].year}-{self.code}-T{signed[row['signed_on'].year]:04d}"
            self.w.add(Agreement, row)
        self.progress("矛盾纠纷", total, total)

    def status(self) -> str:
        weights = (("resolved", 76), ("mediating", 9), ("pending", 4), ("to_center", 5), ("to_police", 2),
                   ("terminated", 4))
        return self.rng.choices([s for s, _ in weights], [w for _, w in weights])[0]

    def locate(self, case: dict) -> None:
        """When and where a case happened, and who brought it."""
        rng = self.rng
        open_case = case["status"] in ("pending", "mediating")
        case.update(occurred_at=self.at(self.day_ago(0 if open_case else 20, 120 if open_case else HISTORY_DAYS),
                                        rng.randint(7 * 60, 22 * 60)), visit_id=None, household=None, applicant=None)
        if case["source"] == "visit" and self.visit_sample:
            case["visit_id"], case["household"], case["occurred_at"] = rng.choice(self.visit_sample)
        elif case["kind"] in data.HOME_DISPUTE_KINDS and self.resident_sample:
            case["applicant"], case["household"] = rng.choice(self.resident_sample)

    def party(self, role: str, resident: dict | None, address: str) -> dict:
        if resident is None:
            resident = self.person(self.rng.randint(20, 75), area=self.migrant_area() if self.chance(0.3) else None)
            resident.update(id=None, ethnicity="汉族", occupation=self.occupation(40))
        age = (self.today - resident["birth_date"]).days // 365
        return {"id": self.new_id(), "resident_id": resident["id"], "role": role, "name": resident["name"],
                "gender": resident["gender"], "ethnicity": resident["ethnicity"], "age": age,
                "occupation": resident["occupation"], "address": address, "phone": resident["phone"],
                "id_number": resident["id_number"]}

    def dispute(self, case: dict, number: str) -> list[dict]:
        """The dispute row and its parties, sessions, revisits and transfers; returns its agreements."""
        rng, w, kind, status = self.rng, self.w, case["kind"], case["status"]
        h = case["household"]
        c = self.hh_comm[h] if h is not None else rng.randrange(len(self.communities))
        officer_id, officer_name = rng.choice(self.comm_officers[c])
        place = self.hh_address[h] if h is not None else rng.choice(data.ROADS) + rng.choice(data.PUBLIC_PLACES)
        occurred = case["occurred_at"]
        did = self.new_id()
        parties = [self.party("applicant", case["applicant"], place),
                   self.party("respondent", rng.choice(self.resident_sample)[0] if self.chance(0.3) else None, place)]
        names = {"a": parties[0]["name"], "b": parties[1]["name"]}
        if self.chance(0.25):
            parties.append(dict(self.party("third_party", None, place), name=rng.choice(data.PARTY_THIRD),
                                gender=None, age=None, id_number=None, occupation=None))
        settled = None
        if status in ("resolved", "terminated"):
            settled = min(self.today, occurred.date() + timedelta(days=rng.randint(1, 45)))
        risk = "high" if status == "to_police" else self.pick(_weighted(data.RISK_WEIGHTS))
        w.add(Dispute, {
            "id": did, "number": number, "source": case["source"], "kind": kind, "occurred_at": occurred,
            "place": place, "facts": rng.choice(data.DISPUTE_FACTS[kind]).format(**names), "risk_level": risk,
            "status": status, "community_id": self.communities[c][0],
            "household_id": self.hh_ids[h] if h is not None else None, "visit_id": case["visit_id"],
            "officer_id": officer_id, "settled_on": settled, "escalated_criminal": status == "to_police" and self.chance(0.3)})
        for row in parties:
            w.add(DisputeParty, dict(row, dispute_id=did))
        last_day = settled or self.today
        sessions = 0 if status == "pending" else rng.randint(1, 3)
        kind_of_mediation = self.pick(_weighted(data.MEDIATION_KIND_WEIGHTS))
        for i in range(sessions):
            held = occurred.date() + timedelta(days=min(i * 7 + rng.randint(0, 3), (last_day - occurred.date()).days))
            w.add(MediationSession, {
                "id": self.new_id(), "dispute_id": did, "held_at": self.at(held, rng.randint(9 * 60, 17 * 60)),
                "place": f"{self.communities[c][1]}警务室", "kind": kind_of_mediation, "host": officer_name,
                "mediators": f"{officer_name}、{self.person(rng.randint(45, 68))['name']}",
                "attendees": "、".join(p["name"] for p in parties), "record": rng.choice(data.MEDIATION_RECORDS)})
        self.revisits(did, officer_id, settled if status == "resolved" else None, occurred.date(), status)
        self.transfers(did, case["source"], status, occurred.date())
        if status != "resolved" or not self.chance(0.85):
            return []
        promised = self.chance(0.4)
        return [{"id": self.new_id(), "dispute_id": did, "number": "",
                 "kind": "security" if kind_of_mediation == "security" else "people",
                 "facts": rng.choice(data.DISPUTE_FACTS[kind]).format(**names), "issues": f"{DISPUTE_KINDS[kind]}纠纷的处理",
                 "responsibilities": "双方各有一定责任。" if self.chance(0.5) else None,
                 "terms": [t.format(**names) for t in rng.sample(data.AGREEMENT_TERMS[kind], 2)],
                 "performance": "promised" if promised else "on_the_spot",
                 "deadline": settled + timedelta(days=rng.randint(7, 60)) if promised else None,
                 "copies": 3, "signed_on": settled}]

    def revisits(self, did: str, officer_id: str, settled: date | None, occurred: date, status: str) -> None:
        """Revisits a week and a month after settling; some due ones were never made (overdue)."""
        rng = self.rng
        if settled is not None:
            dues = [settled + timedelta(days=d) for d in (7, 30)[: rng.randint(1, 2)]]
        else:
            dues = [occurred + timedelta(days=14)] if status == "mediating" and self.chance(0.5) else []
        for due in dues:
            done = due < self.today and self.chance(0.85)
            result = self.pick(_weighted({"stable": 85, "relapsed": 12, "escalated": 3})) if done else None
            self.w.add(Revisit, {
                "id": self.new_id(), "dispute_id": did, "due_on": due,
                "done_on": min(self.today, due + timedelta(days=rng.randint(0, 3))) if done else None,
                "result": result, "notes": rng.choice(data.REVISIT_NOTES[result]) if done else None,
                "officer_id": officer_id})

    def transfers(self, did: str, source: str, status: str, occurred: date) -> None:
        moves = [("in", "矛调中心")] if source == "center" else []
        moves += {"to_center": [("out", "矛调中心")], "to_police": [("out", "办案队")]}.get(status, [])
        for direction, body in moves:
            on = min(self.today, occurred + timedelta(days=self.rng.randint(0 if direction == "in" else 3, 20)))
            self.w.add(DisputeTransfer, {
                "id": self.new_id(), "dispute_id": did, "direction": direction, "body": body, "transferred_on": on,
                "receiver": self.person(40)["name"], "handler": self.person(35)["name"],
                "outcome": self.rng.choice(data.TRANSFER_OUTCOMES) if on < self.today - timedelta(days=10) else None})

    # --- volunteer patrols --------------------------------------------------------------

    def patrols(self) -> None:
        rng, s = self.rng, self.scale
        adults = [r for r, _ in self.resident_sample if 18 <= (self.today - r["birth_date"]).days // 365 <= 65]
        rng.shuffle(adults)
        n_teams = max(len(self.communities), s.volunteers // 40)
        members: list[list[str]] = [[] for _ in range(n_teams)]
        team_ids = []
        for t in range(n_teams):
            c = t % len(self.communities)
            leader = adults.pop() if adults else self.person(rng.randint(30, 60))
            suffix = data.VOLUNTEER_TEAM_NAMES[(t // len(self.communities)) % len(data.VOLUNTEER_TEAM_NAMES)]
            round_no = t // (len(self.communities) * len(data.VOLUNTEER_TEAM_NAMES))
            team_ids.append(self.w.add(VolunteerTeam, {
                "id": self.new_id(), "name": self.communities[c][1] + suffix + (f"第{round_no + 1}分队" if round_no else ""),
                "community_id": self.communities[c][0], "leader": leader["name"], "leader_phone": leader["phone"],
                "notes": None}))
            members[t].append(self.volunteer(team_ids[t], leader))
        for v in range(n_teams, s.volunteers):
            t = rng.randrange(n_teams)
            resident = adults.pop() if adults and self.chance(0.6) else None
            members[t].append(self.volunteer(team_ids[t], resident))
            if v % 500 == 0:
                self.progress("义警巡逻", v, s.volunteers)
        for t, team_id in enumerate(team_ids):
            for route in range(2):
                self.route(team_id, t % len(self.communities), route, members[t])
        self.progress("义警巡逻", s.volunteers, s.volunteers)

    def volunteer(self, team_id: str, resident: dict | None) -> str:
        """A volunteer; one linked to a resident (or leading a team) is that same person."""
        rng = self.rng
        p = resident or self.person(rng.randint(20, 62))
        return self.w.add(Volunteer, {
            "id": self.new_id(), "team_id": team_id, "resident_id": p.get("id") if resident else None,
            "name": p["name"], "id_number": p["id_number"], "gender": p["gender"], "birth_date": p["birth_date"],
            "phone": p["phone"], "skills": ",".join(rng.sample(data.VOLUNTEER_SKILLS, rng.randint(0, 2))),
            "joined_on": self.day_ago(30, 5 * 365), "active": self.chance(0.92)})

    def route(self, team_id: str, c: int, n: int, volunteers: list[str]) -> None:
        """A day or night route, with shifts from three weeks ago to two weeks ahead."""
        rng = self.rng
        stops = rng.sample(self.comm_estates[c], min(3, len(self.comm_estates[c]))) + rng.sample(data.ROADS, 2)
        route_id = self.w.add(PatrolRoute, {
            "id": self.new_id(), "name": f"{stops[0]}{'夜巡' if n == 0 else '日巡'}线", "community_id": self.communities[c][0],
            "team_id": team_id, "waypoints": "\n".join(stops), "notes": None})
        hours = (time(19), time(21)) if n == 0 else (time(8, 30), time(10, 30))
        for offset in range(-21, 14):
            day = self.today + timedelta(days=offset)
            if n == 1 and day.weekday() < 5:  # day patrols at weekends only
                continue
            needed = rng.randint(2, 3)
            shift_id = self.w.add(Shift, {"id": self.new_id(), "route_id": route_id, "team_id": team_id, "day": day,
                                          "starts_at": hours[0], "ends_at": hours[1], "needed": needed, "notes": None})
            for volunteer_id in rng.sample(volunteers, min(needed, len(volunteers))):
                present = offset < 0 and self.chance(0.88)
                self.w.add(ShiftAssignment, {
                    "id": self.new_id(), "shift_id": shift_id, "volunteer_id": volunteer_id,
                    "attendance": "planned" if offset >= 0 else "present" if present else "absent",
                    "checked_in_at": self.at(day, hours[0].hour * 60 + hours[0].minute + rng.randint(-10, 15)) if present else None})

    # --- enterprises (一企一警) ---------------------------------------------------------

    def enterprises(self) -> None:
        rng, total = self.rng, self.scale.enterprises
        categories = _weighted(data.ENTERPRISE_CATEGORY_WEIGHTS)
        liaisons = [o for officers in self.comm_officers for o in officers]
        for n in range(1, total + 1):
            category = self.pick(categories)
            c = rng.randrange(len(self.communities))
            officer_id, _ = rng.choice(liaisons)
            rep = self.person(rng.randint(28, 65))
            org = "".join(rng.choices(data.ORG_CODE_CHARS, k=9))
            first17 = f"91{rng.choice(self.local_areas)}{org}"
            eid = self.w.add(Enterprise, {
                "id": self.new_id(), "credit_code": first17 + uscc_check_char(first17), "category": category,
                "name": f"杭州{rng.choice(data.ENTERPRISE_WORDS)}{rng.choice(data.ENTERPRISE_TRADES[category])}有限公司",
                "address": f"杭州市西湖区{rng.choice(data.ROADS)}{rng.randint(1, 999)}号", "legal_rep": rep["name"],
                "phone": rep["phone"] if self.chance(0.7) else f"0571-8{rng.randrange(10**7):07d}",
                "employees": int(rng.lognormvariate(3, 1.1)) + 2, "community_id": self.communities[c][0],
                "liaison_officer_id": officer_id, "notes": None})
            for _ in range(rng.randint(1, 4)):
                self.w.add(LiaisonVisit, {"id": self.new_id(), "enterprise_id": eid, "visited_on": self.day_ago(1, HISTORY_DAYS),
                                          "officer_id": officer_id, "contact": rep["name"], "notes": rng.choice(data.LIAISON_NOTES)})
            for _ in range(rng.randint(4, 8) if category != "general" else rng.randint(0, 2)):
                self.inspection(eid, officer_id)
            for _ in range(rng.randint(0, 4)):
                self.hire_check(eid)
            if n % 250 == 0:
                self.progress("一企一警", n, total)
        self.progress("一企一警", total, total)

    def inspection(self, eid: str, officer_id: str) -> None:
        """A checklist over 人防/物防/技防; each failed item leaves a rectification."""
        rng, w = self.rng, self.w
        day = self.day_ago(1, HISTORY_DAYS)
        checks = [(cat, item, fault, self.chance(0.93)) for cat, items in data.INSPECTION_ITEMS.items()
                  for item, fault in rng.sample(items, 2)]
        iid = w.add(Inspection, {"id": self.new_id(), "enterprise_id": eid, "inspected_on": day, "officer_id": officer_id,
                                 "result": "passed" if all(c[3] for c in checks) else "issues", "notes": None})
        for cat, item, fault, passed in checks:
            w.add(InspectionItem, {"id": self.new_id(), "inspection_id": iid, "category": cat, "item": item,
                                   "passed": passed, "remark": None if passed else fault})
            if passed:
                continue
            deadline = day + timedelta(days=rng.choice((15, 30)))
            done = self.chance(0.85 if deadline < self.today else 0.3)
            done_on = min(self.today, deadline - timedelta(days=rng.randint(0, 10))) if done else None
            verified = done and self.chance(0.9)
            w.add(Rectification, {"id": self.new_id(), "enterprise_id": eid, "inspection_id": iid, "problem": fault,
                                  "deadline": deadline, "done_on": done_on, "verified": verified,
                                  "verified_by": officer_id if verified else None})

    def hire_check(self, eid: str) -> None:
        p = self.person(self.rng.randint(18, 55), area=self.migrant_area() if self.chance(0.7) else None)
        flagged = self.chance(0.02)
        self.w.add(HireCheck, {"id": self.new_id(), "enterprise_id": eid, "name": p["name"], "id_number": p["id_number"],
                               "phone": p["phone"], "checked_on": self.day_ago(1, HISTORY_DAYS),
                               "result": "flagged" if flagged else "clear",
                               "notes": self.rng.choice(data.HIRE_FLAG_NOTES) if flagged else None})
