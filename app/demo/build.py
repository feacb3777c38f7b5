"""Deterministic demo station: a synthetic 派出所 to try the program on and to benchmark it."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import product

from sqlalchemy import insert

from app.core.validation import uscc_check_char
from app.core.vocab import DISPUTE_KINDS, DISPUTE_SOURCES, DISPUTE_STATUSES, VISIT_PURPOSES
from app.demo import data as data
from app.disputes.mediation import agreement_copies, term_deadline
from app.disputes.register import risk_floor
from app.disputes.risk import LEVEL_ORDER
from app.sync.station import found
from db.engine import Database
from db.models import (
    SYNCED_MODELS,
    Agreement,
    Community,
    Dispute,
    DisputeParty,
    DisputeTransfer,
    Enterprise,
    Grid,
    HireCheck,
    Household,
    Inspection,
    InspectionItem,
    LiaisonVisit,
    MediationSession,
    Officer,
    PatrolRoute,
    Rectification,
    Resident,
    Revisit,
    Shift,
    ShiftAssignment,
    Visit,
    Volunteer,
    VolunteerTeam,
)
from db.stamping import insert_stamps

BATCH = 5_000
# Random ids scatter every index insert; a big page cache keeps a station's indexes in memory.
BUILD_CACHE_KIB = 256 * 1024
HISTORY_DAYS = 730  # visits, disputes and inspections spread over the two years before today

DemoCounts = dict[str, int]  # rows inserted per table
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Scale:
    households: int  # residents follow from these, about 2.4 each
    visits: int
    disputes: int
    volunteers: int
    enterprises: int
    communities: int
    officers: int  # 民警, besides the one admin
    auxiliaries: int  # 辅警


SCALES = {
    "small": Scale(500, 2_000, 60, 40, 30, 3, 3, 4),
    "station": Scale(50_000, 200_000, 5_000, 2_000, 2_500, 6, 14, 24),
    "city": Scale(1_000_000, 4_000_000, 100_000, 40_000, 50_000, 6, 280, 480),
}


def build_demo(db: Database, *, scale: str = "small", seed: int = 1, today: date | None = None,
               progress: Progress | None = None) -> DemoCounts:
    """Fill an EMPTY database with a synthetic station; returns rows inserted per table."""
    if scale not in SCALES:
        raise ValueError(f"未知的演示数据规模：{scale}（可选：{'、'.join(SCALES)}）")
    with db.engine.begin() as conn:
        cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size=-{BUILD_CACHE_KIB}")
        try:
            rng = random.Random(seed)
            writer = _Writer(conn, db, lambda: uuid.UUID(int=rng.getrandbits(128)).hex)
            builder = _Builder(writer, SCALES[scale], rng, today or date.today(), db.device.short_code,
                               progress or (lambda _stage, _done, _total: None))
            for stage in (builder.officers_and_communities, builder.households, builder.visits,
                          builder.disputes, builder.patrols, builder.enterprises):
                stage()
            writer.flush()
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size={cache_size}")
    db.refresh_statistics()  # a station's worth of rows the planner knows nothing about yet
    found(db, name="演示派出所", keep_existing=True)  # its files must not merge into a real station
    return {table: n for table, n in writer.counts.items() if n}


class _Writer:
    """Buffers rows per table; flushes every buffer in foreign-key order, so parents land first."""

    def __init__(self, conn, db: Database, new_id: Callable[[], str]) -> None:
        self.conn, self.clock, self.new_id = conn, db.clock, new_id
        self.officer_id: str | None = None  # the admin once made: the demo rows' last editor
        self.buffers: dict[type, list[dict]] = {model: [] for model in SYNCED_MODELS}
        self.counts = Counter({model.__tablename__: 0 for model in SYNCED_MODELS})
        # One executemany needs the same keys in every row: columns a row leaves out are NULL.
        self.nullable = {model: [column.name for column in model.__table__.columns if column.nullable]
                         for model in SYNCED_MODELS}

    def add(self, model: type, row: dict) -> str:
        """Queue a row with a new id and its sync stamps; returns the id."""
        for column in self.nullable[model]:
            row.setdefault(column, None)
        row.update(insert_stamps(self.clock, self.officer_id), id=self.new_id(), deleted=False)
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


class _Builder:
    """Draws every value from one seeded generator in a fixed order, so a seed makes one station."""

    def __init__(self, writer: _Writer, scale: Scale, rng: random.Random, today: date, device_code: str,
                 progress: Progress) -> None:
        self.w, self.s, self.rng, self.today, self.code = writer, scale, rng, today, device_code
        self.progress = progress
        self.people = data.People(rng, today)
        self.homes: list[tuple[str, int, str]] = []  # (household id, community index, address)
        # Some residents are kept aside to become dispute parties and volunteers: (row, home index).
        self.resident_sample: list[tuple[dict, int]] = []
        self.sample_rate = min(1.0, (3 * scale.disputes + scale.volunteers) / (2 * scale.households))
        self.visit_sample: list[tuple[str, int, datetime]] = []  # visits that screened for disputes

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def day_ago(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    def at(self, day: date, minute: int) -> datetime:
        """A minute of a local day, as an aware UTC datetime: the program shows times in the
        laptop's zone, so hours fixed to another zone showed visits at two in the morning."""
        return (datetime.combine(day, time()) + timedelta(minutes=minute)).astimezone(UTC)

    def minute_in(self, hours: data.Weighted) -> int:
        """A minute of the day in one of the ``hours`` windows (demo_data: (first, end) minutes)."""
        first, end = hours.pick(self.rng)
        return self.rng.randrange(first, end)

    # --- people and places --------------------------------------------------------------

    def officers_and_communities(self) -> None:
        rng, s = self.rng, self.s
        self.w.officer_id = self.officer("admin", "admin", None, None)[0]
        names = [f"{name}社区" for name in rng.sample(data.COMMUNITIES, s.communities)]
        self.communities = [(self.w.add(Community, {"name": name, "code": f"330106{i + 1:03d}000",
                                                    "police_room": f"{name}警务室"}), name)
                            for i, name in enumerate(names)]
        self.comm_officers: list[list[tuple[str, str]]] = [[] for _ in self.communities]
        self.comm_aux: list[list[str]] = [[] for _ in self.communities]
        for i, badge in enumerate(rng.sample(range(100_000, 1_000_000), s.officers)):
            self.comm_officers[i % s.communities].append(self.officer("officer", f"jy{badge}", str(badge), i))
        for i in range(1, s.auxiliaries + 1):
            _id, name = self.officer("auxiliary", f"fj{i:03d}", f"FJ{i:04d}", i)
            self.comm_aux[i % s.communities].append(name)
        self.progress("民警与社区", 1, 1)

    def officer(self, role: str, username: str, badge: str | None, n: int | None) -> tuple[str, str]:
        """An account; officer or auxiliary number n works in community n (mod the communities)."""
        p = self.people.person(self.rng.randint(24, 55))
        room = None if n is None else f"{self.communities[n % len(self.communities)][1]}警务室"
        oid = self.w.add(Officer, {"username": username, "name": p["name"], "role": role, "badge_no": badge,
                                   "phone": p["phone"], "police_room": room, "active": True})
        return oid, p["name"]

    def households(self) -> None:
        rng, total = self.rng, self.s.households
        shares = [rng.uniform(0.7, 1.3) for _ in self.communities]
        targets = [int(total * x / sum(shares)) for x in shares]
        targets[-1] += total - sum(targets)
        self.estate_names = [p + s for p in data.ESTATE_PREFIXES for s in data.ESTATE_SUFFIXES]
        rng.shuffle(self.estate_names)
        self.comm_estates: list[list[str]] = [[] for _ in self.communities]
        self.grid_workers: list[list[str]] = [[] for _ in self.communities]
        for c, target in enumerate(targets):
            grid_size = max(50, min(400, target // 3))  # a grid worker looks after a few hundred homes
            for i, flat in enumerate(self.flats(c, target)):
                if i % grid_size == 0:
                    grid_id = self.grid(c, i // grid_size + 1)
                self.household(c, grid_id, *flat)
                if len(self.homes) % 1000 == 0:
                    self.progress("住户与人员", len(self.homes), total)
        self.progress("住户与人员", total, total)

    def flats(self, c: int, target: int):
        """(estate, building, unit, floor, room) for a community, estate by estate, until the target is met.

        An estate holds at most a third of the target, so even a small station has several."""
        made = 0
        while True:
            n, names = sum(map(len, self.comm_estates)), self.estate_names
            estate = names[n % len(names)] + (f"{n // len(names) + 1}期" if n >= len(names) else "")
            self.comm_estates[c].append(estate)
            rng = self.rng
            units, floors, per_floor = rng.randint(1, 4), rng.choice((6, 7, 11, 18, 26, 28)), rng.randint(2, 4)
            buildings = min(rng.randint(3, 30), -(-target // (3 * units * floors * per_floor)))
            for b, u, f, r in product(range(1, buildings + 1), range(1, units + 1), range(1, floors + 1),
                                      range(1, per_floor + 1)):
                yield estate, str(b), str(u), f, f"{f}{r:02d}"
                made += 1
                if made == target:
                    return

    def grid(self, c: int, n: int) -> str:
        worker = self.people.name()
        self.grid_workers[c].append(worker)
        return self.w.add(Grid, {"community_id": self.communities[c][0],
                                 "name": f"{self.communities[c][1]}第{n}网格",
                                 "grid_worker": worker, "grid_worker_phone": self.people.phone()})

    def household(self, c: int, grid_id: str, estate: str, building: str, unit: str, floor: int,
                  room: str) -> None:
        rng, people = self.rng, self.people
        kind = "shop" if floor == 1 and self.chance(0.3) else data.HOUSEHOLD_KINDS.pick(rng)
        members, tags = [], []
        if kind != "vacant":
            ages, others, tag = data.FAMILIES[kind].pick(rng)
            members = people.family(rng.randint(*ages), others, migrant=kind == "rented" and self.chance(0.8))
            tags += [tag] if tag else []
        if kind == "rented":
            tags += ["出租屋"] + (["流动人口"] if members[0]["migrant"] else [])
        tags += [tag for tag, per_mille in data.EXTRA_TAGS.items() if rng.randrange(1000) < per_mille]
        # The head of a rented or empty flat is its owner, who lives elsewhere.
        head = members[0] if kind in ("owner", "shop") else {"name": people.name(), "phone": people.phone()}
        hid = self.w.add(Household, {
            "community_id": self.communities[c][0], "grid_id": grid_id, "estate": estate,
            "building": building, "unit": unit, "room": room, "kind": kind, "tags": ",".join(tags),
            "head_name": head["name"], "phone": head["phone"]})
        self.homes.append((hid, c, f"{estate}{building}栋{unit}单元{room}室"))
        for m in members:
            row = {"household_id": hid, "name": m["name"], "id_number": m["id_number"],
                   "gender": m["gender"], "birth_date": m["birth_date"], "ethnicity": m["ethnicity"],
                   "phone": m["phone"], "relation": "租户" if kind == "rented" else m["relation"],
                   "hukou_place": m["hukou"], "occupation": m["occupation"], "tags": ""}
            self.w.add(Resident, row)
            if self.chance(self.sample_rate):
                self.resident_sample.append((row, len(self.homes) - 1))

    # --- visits -------------------------------------------------------------------------

    def visits(self) -> None:
        rng, total = self.rng, self.s.visits
        for n in range(1, total + 1):
            h = rng.randrange(len(self.homes))
            hid, c, _address = self.homes[h]
            chosen = {data.VISIT_PURPOSES.pick(rng) for _ in range(1 + self.chance(0.35))}
            purposes = [p for p in VISIT_PURPOSES if p in chosen]
            hazard = rng.choice(data.VISIT_HAZARDS) if self.chance(0.08) else None
            companions = [f"辅警{rng.choice(self.comm_aux[c])}"] if self.comm_aux[c] and self.chance(0.6) else []
            companions += [f"网格员{rng.choice(self.grid_workers[c])}"] if self.chance(0.3) else []
            visited_at = self.at(self.day_ago(1, HISTORY_DAYS), self.minute_in(data.VISIT_HOURS))
            vid = self.w.add(Visit, {
                "household_id": hid, "visited_at": visited_at,
                "officer_id": rng.choice(self.comm_officers[c])[0], "companions": "、".join(companions),
                "purposes": ",".join(purposes), "hazards": hazard,
                "findings": "".join(rng.choice(data.VISIT_FINDINGS[p]) for p in purposes),
                "requests": rng.choice(data.VISIT_REQUESTS) if self.chance(0.06) else None,
                "follow_up": f"督促整改：{hazard}" if hazard and self.chance(0.5) else None})
            if "矛盾纠纷排查" in chosen and len(self.visit_sample) < self.s.disputes:
                self.visit_sample.append((vid, h, visited_at))
            if n % 5000 == 0:
                self.progress("入户走访", n, total)
        self.progress("入户走访", total, total)

    # --- disputes -----------------------------------------------------------------------

    def disputes(self) -> None:
        rng, total = self.rng, self.s.disputes
        cases = [{"kind": data.DISPUTE_KINDS.pick(rng), "source": data.DISPUTE_SOURCES.pick(rng),
                  "status": data.DISPUTE_STATUSES.pick(rng)} for _ in range(total)]
        # Every kind, status and source shows up, even in a small station.
        for key, codes in (("kind", DISPUTE_KINDS), ("status", DISPUTE_STATUSES), ("source", DISPUTE_SOURCES)):
            for code, i in zip(codes, rng.sample(range(total), min(total, len(codes)))):
                cases[i][key] = code
        for case in cases:
            self.locate(case)
        cases.sort(key=lambda case: case["occurred_at"])  # case numbers run in time order within a year
        numbers: Counter = Counter()
        agreements = []
        for done, case in enumerate(cases, 1):
            year = case["occurred_at"].year
            numbers[year] += 1
            agreements += self.dispute(case, f"{year}-{self.code}-{numbers[year]:04d}")
            if done % 500 == 0:
                self.progress("矛盾纠纷", done, total)
        signed: Counter = Counter()  # agreement numbers run in signing order
        for row in sorted(agreements, key=lambda row: row["signed_on"]):
            year = row["signed_on"].year
            signed[year] += 1
            self.w.add(Agreement, dict(row, number=f"{year}-{self.code}-T{signed[year]:04d}"))
        self.progress("矛盾纠纷", total, total)

    def locate(self, case: dict) -> None:
        """When a case happened (open ones lately), at whose home if any, and which visit found it."""
        recent = case["status"] in ("pending", "mediating")
        # Yesterday at the latest: a case today could be later than now, and mediation after it.
        day = self.day_ago(1, 120) if recent else self.day_ago(20, HISTORY_DAYS)
        case.update(occurred_at=self.at(day, self.minute_in(data.DISPUTE_HOURS)), visit_id=None, home=None,
                    applicant=None)
        if case["source"] == "visit" and self.visit_sample:
            case["visit_id"], case["home"], case["occurred_at"] = self.rng.choice(self.visit_sample)
        elif case["kind"] in data.HOME_DISPUTE_KINDS and self.resident_sample:
            case["applicant"], case["home"] = self.rng.choice(self.resident_sample)

    def dispute(self, case: dict, number: str) -> list[dict]:
        """A dispute with its parties, sessions, revisits and transfers; returns its agreement, if any."""
        rng, kind, status = self.rng, case["kind"], case["status"]
        if case["home"] is not None:
            hid, c, place = self.homes[case["home"]]
        else:  # in the street, at a market, in a car park …
            hid, c = None, rng.randrange(len(self.communities))
            place = rng.choice(data.ROADS) + rng.choice(data.PUBLIC_PLACES)
        officer_id, officer_name = rng.choice(self.comm_officers[c])
        parties = self.parties(case, place)
        names = {"a": parties[0]["name"], "b": parties[1]["name"]}
        occurred = case["occurred_at"].date()
        settled = None
        if status in ("resolved", "terminated"):
            settled = min(self.today, occurred + timedelta(days=rng.randint(1, 45)))
        facts, terms = rng.choice(data.DISPUTE_CASES[kind])
        facts = facts.format(**names)
        did = self.w.add(Dispute, {
            "number": number, "source": case["source"], "kind": kind,
            "occurred_at": case["occurred_at"], "place": place, "facts": facts, "status": status,
            "risk_level": "high" if status == "to_police" else max(
                data.RISK_LEVELS.pick(rng), risk_floor(facts) or "low", key=LEVEL_ORDER.__getitem__),
            "community_id": self.communities[c][0], "household_id": hid, "visit_id": case["visit_id"],
            "officer_id": officer_id, "settled_on": settled,
            "escalated_criminal": status == "to_police" and self.chance(0.3)})
        for row in parties:
            self.w.add(DisputeParty, dict(row, dispute_id=did))
        mediation, last_day = data.MEDIATION_KINDS.pick(rng), settled or self.today
        for i in range(0 if status == "pending" else rng.randint(1, 3)):
            held = occurred + timedelta(days=min(i * 7 + rng.randint(0, 3), (last_day - occurred).days))
            minute = self.minute_in(data.OFFICE_HOURS)
            if self.at(held, minute) <= case["occurred_at"]:  # it happened later that day: the day after
                held += timedelta(days=1)
            held_at = self.at(held, minute)
            self.w.add(MediationSession, {
                "dispute_id": did, "held_at": held_at, "kind": mediation,
                "place": f"{self.communities[c][1]}警务室", "host": officer_name,
                "mediators": f"{officer_name}、{self.people.name()}", "record": rng.choice(data.MEDIATION_RECORDS),
                "attendees": "、".join(p["name"] for p in parties)})
        self.revisits(did, officer_id, status, occurred, settled)
        self.transfers(did, case["source"], status, occurred)
        if status != "resolved" or not self.chance(0.85):
            return []
        terms = [term.format(**names) for term in terms]
        # A term with a time to perform it (三日内) is a promise; others are sometimes promised too.
        promised = term_deadline(terms) is not None or self.chance(0.2)
        return [{"dispute_id": did, "kind": "security" if mediation == "security" else "people",
                 "facts": facts, "issues": f"{DISPUTE_KINDS[kind]}纠纷的处理",
                 "responsibilities": "双方各有一定责任。" if self.chance(0.5) else None, "terms": terms,
                 "performance": "promised" if promised else "on_the_spot",
                 "deadline": settled + timedelta(days=rng.randint(7, 60)) if promised else None,
                 "copies": agreement_copies(len(parties)), "signed_on": settled}]

    def parties(self, case: dict, place: str) -> list[dict]:
        """Applicant and respondent (a neighbour lives in the station; a partner is of the other sex),
        and sometimes a third party such as the property company."""
        rng = self.rng
        applicant = self.party("applicant", case["applicant"], place)
        neighbour = None
        if case["kind"] == "neighbour" and self.resident_sample:
            neighbour = rng.choice(self.resident_sample)[0]
        partner = {"男": "女", "女": "男"}[applicant["gender"]] if case["kind"] in ("family", "romance") else None
        parties = [applicant, self.party("respondent", neighbour, place, partner)]
        if self.chance(0.25):
            parties.append({"role": "third_party", "name": rng.choice(data.PARTY_THIRD), "address": place,
                            "phone": self.people.phone()})
        return parties

    def party(self, role: str, resident: dict | None, address: str, gender: str | None = None) -> dict:
        if resident is None:  # someone from outside the station
            age = self.rng.randint(20, 75)
            resident = self.people.person(age, gender=gender, area=self.people.area(migrant=self.chance(0.3)))
            resident.update(ethnicity="汉族", occupation=self.people.occupation(age))
        return {"resident_id": resident.get("id"), "role": role, "name": resident["name"],
                "gender": resident["gender"], "ethnicity": resident["ethnicity"],
                "age": (self.today - resident["birth_date"]).days // 365, "occupation": resident["occupation"],
                "address": address, "phone": resident["phone"], "id_number": resident["id_number"]}

    def revisits(self, did: str, officer_id: str, status: str, occurred: date, settled: date | None) -> None:
        """A week and a month after settling (two weeks into mediation); some due ones were missed."""
        rng = self.rng
        if status == "resolved":
            dues = [settled + timedelta(days=d) for d in (7, 30)[: rng.randint(1, 2)]]
        else:
            dues = [occurred + timedelta(days=14)] if status == "mediating" and self.chance(0.5) else []
        for due in dues:
            result = data.REVISIT_RESULTS.pick(rng) if due < self.today and self.chance(0.85) else None
            self.w.add(Revisit, {
                "dispute_id": did, "due_on": due, "result": result, "officer_id": officer_id,
                "done_on": min(self.today, due + timedelta(days=rng.randint(0, 3))) if result else None,
                "notes": rng.choice(data.REVISIT_NOTES[result]) if result else None})

    def transfers(self, did: str, source: str, status: str, occurred: date) -> None:
        moves = [("in", "矛调中心")] if source == "center" else []
        moves += {"to_center": [("out", "矛调中心")], "to_police": [("out", "办案队")]}.get(status, [])
        for direction, body in moves:
            on = min(self.today, occurred + timedelta(days=self.rng.randint(0 if direction == "in" else 3, 20)))
            settled = on < self.today - timedelta(days=10)  # the receiving body has reported back
            self.w.add(DisputeTransfer, {
                "dispute_id": did, "direction": direction, "body": body, "transferred_on": on,
                "receiver": self.people.name(), "handler": self.people.name(),
                "outcome": self.rng.choice(data.TRANSFER_OUTCOMES) if settled else None})

    # --- volunteer patrols --------------------------------------------------------------

    def patrols(self) -> None:
        rng, s, nc, names = self.rng, self.s, len(self.communities), data.VOLUNTEER_TEAM_NAMES
        adults = [r for r, _ in self.resident_sample if 18 <= (self.today - r["birth_date"]).days // 365 <= 65]
        rng.shuffle(adults)
        teams: list[tuple[str, int, list[str]]] = []  # (team id, community, active volunteer ids)
        for t in range(max(nc, s.volunteers // 40)):
            c, round_no = t % nc, t // nc
            name = self.communities[c][1] + names[round_no % len(names)]
            name += f"第{round_no // len(names) + 1}分队" if round_no >= len(names) else ""
            leader = adults.pop() if adults else self.people.person(rng.randint(30, 60))
            team_id = self.w.add(VolunteerTeam, {"name": name, "community_id": self.communities[c][0],
                                                 "leader": leader["name"], "leader_phone": leader["phone"]})
            teams.append((team_id, c, [self.volunteer(team_id, leader, active=True)]))
        for n in range(len(teams), s.volunteers):
            team_id, _c, active_ids = rng.choice(teams)
            person = adults.pop() if adults and self.chance(0.6) else self.people.person(rng.randint(20, 62))
            active = self.chance(0.92)
            volunteer_id = self.volunteer(team_id, person, active=active)
            if active:
                active_ids.append(volunteer_id)
            if n % 500 == 0:
                self.progress("义警巡逻", n, s.volunteers)
        for team_id, c, active_ids in teams:
            self.route(team_id, c, True, active_ids)
            self.route(team_id, c, False, active_ids)
        self.progress("义警巡逻", s.volunteers, s.volunteers)

    def volunteer(self, team_id: str, person: dict, *, active: bool) -> str:
        """A volunteer; one who lives in the station keeps their resident row's id."""
        rng = self.rng
        return self.w.add(Volunteer, {
            "team_id": team_id, "resident_id": person.get("id"), "name": person["name"],
            "id_number": person["id_number"], "gender": person["gender"], "birth_date": person["birth_date"],
            "phone": person["phone"], "skills": ",".join(rng.sample(data.VOLUNTEER_SKILLS, rng.randint(0, 2))),
            "joined_on": self.day_ago(30, 5 * 365), "active": active})

    def route(self, team_id: str, c: int, night: bool, volunteer_ids: list[str]) -> None:
        """A night route patrolled daily or a day route at weekends, from three weeks ago to two ahead."""
        rng, estates = self.rng, self.comm_estates[c]
        stops = rng.sample(estates, min(3, len(estates))) + rng.sample(data.ROADS, 2)
        route_id = self.w.add(PatrolRoute, {
            "name": f"{stops[0]}{'夜巡' if night else '日巡'}线", "team_id": team_id,
            "community_id": self.communities[c][0], "waypoints": "\n".join(stops)})
        starts, ends = (time(19), time(21)) if night else (time(8, 30), time(10, 30))
        for offset in range(-21, 14):
            day = self.today + timedelta(days=offset)
            if not night and day.weekday() < 5:
                continue
            needed = rng.randint(2, 3)
            shift_id = self.w.add(Shift, {"route_id": route_id, "team_id": team_id, "day": day,
                                          "starts_at": starts, "ends_at": ends, "needed": needed})
            for volunteer_id in rng.sample(volunteer_ids, min(needed, len(volunteer_ids))):
                attendance = "planned" if offset >= 0 else "present" if self.chance(0.88) else "absent"
                checked_in = self.at(day, starts.hour * 60 + starts.minute + rng.randint(-10, 15))
                self.w.add(ShiftAssignment, {
                    "shift_id": shift_id, "volunteer_id": volunteer_id, "attendance": attendance,
                    "checked_in_at": checked_in if attendance == "present" else None})

    # --- enterprises (一企一警) ---------------------------------------------------------

    def enterprises(self) -> None:
        rng, people, total = self.rng, self.people, self.s.enterprises
        liaisons = [officer_id for officers in self.comm_officers for officer_id, _ in officers]
        for n in range(1, total + 1):
            category = data.ENTERPRISE_CATEGORIES.pick(rng)
            officer_id = rng.choice(liaisons)
            rep = people.person(rng.randint(28, 65))
            first17 = f"91{people.area(migrant=False)}{''.join(rng.choices(data.ORG_CODE_CHARS, k=9))}"
            trade = rng.choice(data.ENTERPRISE_TRADES[category])
            eid = self.w.add(Enterprise, {
                "credit_code": first17 + uscc_check_char(first17), "category": category,
                "name": f"杭州{rng.choice(data.ENTERPRISE_WORDS)}{trade}有限公司",
                "address": f"杭州市西湖区{rng.choice(data.ROADS)}{rng.randint(1, 999)}号", "legal_rep": rep["name"],
                "phone": rep["phone"] if self.chance(0.7) else f"0571-8{rng.randrange(10**7):07d}",
                "employees": int(rng.lognormvariate(3, 1.1)) + 2, "liaison_officer_id": officer_id,
                "community_id": rng.choice(self.communities)[0]})
            for _ in range(rng.randint(1, 4)):
                self.w.add(LiaisonVisit, {
                    "enterprise_id": eid, "visited_on": self.day_ago(1, HISTORY_DAYS),
                    "officer_id": officer_id, "contact": rep["name"], "notes": rng.choice(data.LIAISON_NOTES)})
            # Key, explosives and chemicals firms are inspected about quarterly, the others seldom.
            for _ in range(rng.randint(0, 2) if category == "general" else rng.randint(4, 8)):
                self.inspection(eid, officer_id)
            for _ in range(rng.randint(0, 4)):
                self.hire_check(eid)
            if n % 250 == 0:
                self.progress("一企一警", n, total)
        self.progress("一企一警", total, total)

    def inspection(self, eid: str, officer_id: str) -> None:
        """Two checks each of 人防, 物防 and 技防; each failed one leaves a rectification."""
        rng, w = self.rng, self.w
        day = self.day_ago(1, HISTORY_DAYS)
        checks = [(category, item, fault, self.chance(0.93))
                  for category, items in data.INSPECTION_ITEMS.items() for item, fault in rng.sample(items, 2)]
        iid = w.add(Inspection, {"enterprise_id": eid, "inspected_on": day, "officer_id": officer_id,
                                 "result": "passed" if all(check[3] for check in checks) else "issues"})
        for category, item, fault, passed in checks:
            w.add(InspectionItem, {"inspection_id": iid, "category": category, "item": item,
                                   "passed": passed, "remark": None if passed else fault})
            if passed:
                continue
            deadline = day + timedelta(days=rng.choice((15, 30)))
            done = self.chance(0.85 if deadline < self.today else 0.3)
            verified = done and self.chance(0.9)
            w.add(Rectification, {
                "enterprise_id": eid, "inspection_id": iid, "problem": fault, "deadline": deadline,
                "done_on": min(self.today, deadline - timedelta(days=rng.randint(0, 10))) if done else None,
                "verified": verified, "verified_by": officer_id if verified else None})

    def hire_check(self, eid: str) -> None:
        p = self.people.person(self.rng.randint(18, 55), area=self.people.area(migrant=self.chance(0.7)))
        flagged = self.chance(0.02)
        self.w.add(HireCheck, {
            "enterprise_id": eid, "name": p["name"], "id_number": p["id_number"], "phone": p["phone"],
            "checked_on": self.day_ago(1, HISTORY_DAYS), "result": "flagged" if flagged else "clear",
            "notes": self.rng.choice(data.HIRE_FLAG_NOTES) if flagged else None})
