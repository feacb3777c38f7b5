"""The demo's volunteer patrols (义警巡逻): a 彩虹义警-like community team, a 新城义警-like team of riders and
enterprise staff and a 护校 team (at station scale a community team per community and two street teams),
their members, routes and shift templates; shifts made from the templates for the past three months and
the next month, staffed by the roster generator itself; past shifts signed in, logged and confirmed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from app.demo import data as data
from app.demo.state import Demo
from app.patrol.common import bands, derived_id, format_tokens, shift_label, span
from app.patrol.eligibility import Person, Rules, Slot
from app.patrol.generation import assignment_id_for
from app.patrol.roster import Plan, generate
from app.patrol.schedule import shift_id_for
from app.patrol.teams import LEADING, membership_id
from db.models import (
    PatrolLog,
    PatrolRoute,
    RouteTeam,
    Shift,
    ShiftAssignment,
    ShiftTemplate,
    Volunteer,
    VolunteerLeave,
    VolunteerMembership,
    VolunteerStatus,
    VolunteerTeam,
)

PAST_DAYS, AHEAD_DAYS = 91, 30  # shifts from three months ago to a month ahead
SIGN_IN_DAYS = 1  # yesterday's shifts are still being signed in and confirmed
ATTENDANCE = (("present", 86), ("late", 4), ("left_early", 3), ("absent", 4), ("leave", 3))
COMMUNITY_SKILLS = ("网格员", "退役军人", "医护", "急救", "调解", "消防", "电工", "心理疏导", "驾驶")
STAFF_SKILLS = ("保安", "驾驶", "消防", "急救", "退役军人")
SCHOOL_SKILLS = ("急救", "医护", "驾驶", "心理疏导", "退役军人")
FINDINGS = {
    "hazard": ("{p}消防通道被电动车堵塞，已提醒物业清理", "{p}路灯损坏，已报社区", "{p}窨井盖松动，已设警示并报修",
               "{p}有电动车楼道充电，已劝离"),
    "clue": ("{p}发现可疑人员反复查看车辆，已报警务室", "{p}有人散发可疑投资传单，已收缴上报"),
    "dispute": ("{p}两住户因停车发生争吵，已劝开", "{p}商户与顾客因退款发生口角，已调解"),
    "help": ("{p}帮助走失老人联系家属", "{p}协助醉酒人员回家", "{p}为迷路游客指路"),
}
FINDING_WEIGHTS = (("hazard", 40), ("clue", 20), ("dispute", 20), ("help", 20))


@dataclass(frozen=True)
class Template:
    weekdays: tuple[int, ...]
    hours: tuple[time, time]
    headcount: int = 3
    skill: str | None = None


@dataclass(frozen=True)
class RoutePlan:
    kind: str  # night / school / key
    templates: tuple[Template, ...]


@dataclass
class TeamPlan:
    kind: str  # app.core.vocab.TEAM_KINDS
    name: str
    c: int  # community index
    share: float  # of the block's volunteers
    routes: tuple[RoutePlan, ...]
    id: str = ""


DAILY, WEEKDAYS = (1, 2, 3, 4, 5, 6, 7), (1, 2, 3, 4, 5)
EVENING, LATE, AFTERNOON = (time(19), time(21)), (time(21), time(23)), (time(14), time(16))
SCHOOL_MORNING, SCHOOL_AFTERNOON = (time(7, 10), time(8, 10)), (time(16, 20), time(17, 20))
WEEKEND_MORNING = (time(9), time(11))


def _plans(demo: Demo) -> list[list[TeamPlan]]:
    """The teams of each block of about 2,000 volunteers (the small demo: one block of three teams)."""
    names = [name for _id, name in demo.communities]
    if demo.s.volunteers < 200:  # small: three teams, six routes
        return [[
            TeamPlan("community", f"{names[0]}彩虹义警队", 0, 0.42, (
                RoutePlan("night", (Template(DAILY, EVENING),)), RoutePlan("key", (Template((5, 6), LATE),)))),
            TeamPlan("street", "新城义警队", 1 % len(names), 0.30, (
                RoutePlan("key", (Template((2, 4, 6), LATE),)), RoutePlan("key", (Template((1, 3, 5), AFTERNOON),)))),
            TeamPlan("school", "平安护校队", 2 % len(names), 0.28, (
                RoutePlan("school", (Template(WEEKDAYS, SCHOOL_MORNING),)),
                RoutePlan("school", (Template((1, 4), SCHOOL_AFTERNOON),)))),
        ]]
    blocks = []
    for b in range(max(1, demo.s.volunteers // 2000)):
        suffix = f"第{b + 1}分队" if b else ""
        community = [TeamPlan("community", f"{name}彩虹义警队{suffix}", c, 0.6 / len(names), (
            RoutePlan("night", (Template(DAILY, EVENING, 4), Template(DAILY, LATE), Template((6, 7), WEEKEND_MORNING))),
        )) for c, name in enumerate(names)]
        street = [TeamPlan("street", f"{title}{suffix}", c % len(names), 0.125, (
            RoutePlan("key", (Template(DAILY, AFTERNOON), Template(DAILY, LATE))),
            RoutePlan("key", (Template(DAILY, AFTERNOON), Template(DAILY, LATE, skill="驾驶"))),
        )) for c, title in ((0, "新城义警队"), (3, "骑手义警队"))]
        school = TeamPlan("school", f"平安护校队{suffix}", 1, 0.15, (
            RoutePlan("school", (Template(WEEKDAYS, SCHOOL_MORNING, 4), Template(WEEKDAYS, SCHOOL_AFTERNOON, 4))),
            RoutePlan("school", (Template(WEEKDAYS, SCHOOL_MORNING, 4), Template(WEEKDAYS, SCHOOL_AFTERNOON, 4))),
        ))
        blocks.append([*community, *street, school])
    return blocks


def patrols(demo: Demo) -> None:
    rng, total = demo.rng, demo.s.volunteers
    adults = [r for r, _ in demo.resident_sample if 20 <= (demo.today - r["birth_date"]).days // 365 <= 66]
    rng.shuffle(adults)
    blocks = _plans(demo)
    per_block = total // len(blocks)
    done = 0
    demo.progress("义警巡逻", done, total)
    for b, teams in enumerate(blocks):
        size = per_block if b < len(blocks) - 1 else total - per_block * (len(blocks) - 1)
        people = _teams_and_people(demo, teams, size, adults)
        slots, stops_of = _routes_and_shifts(demo, teams)
        plan = generate(slots=slots, people=people, bookings=(), rules=Rules())
        _assignments(demo, slots, stops_of, plan)
        done += size
        demo.progress("义警巡逻", done, total)


# --- teams and their volunteers -------------------------------------------------------------------

def _teams_and_people(demo: Demo, teams: list[TeamPlan], size: int, adults: list[dict]) -> list[Person]:
    rng = demo.rng
    counts = [max(6, int(size * t.share)) for t in teams]
    counts[0] += size - sum(counts)
    people: list[Person] = []
    for team, count in zip(teams, counts):
        drawn = [_person(demo, team, adults) for _ in range(count)]
        captain = drawn[0][0]
        team.id = demo.w.add(VolunteerTeam, {
            "name": team.name, "community_id": demo.communities[team.c][0], "kind": team.kind, "group_size": 3,
            "group_leader": True, "leader": captain["name"], "leader_phone": captain["phone"],
            "contact": f"{captain['name']} {captain['phone']}", "notes": TEAM_NOTES[team.kind]})
        leaders = max(3, count // 5)
        for n, (person, rider) in enumerate(drawn):
            role = "captain" if n == 0 else "deputy" if n == 1 else "group_leader" if n < leaders else "member"
            people.append(_volunteer(demo, team, role, person, rider, newcomer=n == count - 1))
    # some volunteers also serve in a second team of the block (one person, one record)
    for index in sorted(rng.sample(range(len(people)), max(2, len(people) // 20))):
        person = people[index]
        other = rng.choice([t for t in teams if t.id not in person.teams])
        demo.w.add(VolunteerMembership, {"id": membership_id(person.id, other.id), "volunteer_id": person.id,
                                         "team_id": other.id, "role": "member", "joined_on": demo.day_ago(20, 300)})
        people[index] = replace(person, teams=person.teams | {other.id},
                                available=person.available | _availability(demo, other.kind, False))
    _leave(demo, people)
    return people


def _leave(demo: Demo, people: list[Person]) -> None:
    """Leave (请假) for one in twelve active volunteers, the first of them back within a few days."""
    rng, today = demo.rng, demo.today
    active = [n for n, p in enumerate(people) if p.active and p.trained_on]
    for k, index in enumerate(sorted(rng.sample(active, max(2, len(active) // 12)))):
        first = today - timedelta(days=rng.randint(3, 12)) if k == 0 else \
            today + timedelta(days=rng.randint(-PAST_DAYS, AHEAD_DAYS - 10))
        last = today + timedelta(days=rng.randint(1, 5)) if k == 0 else first + timedelta(days=rng.randint(3, 20))
        demo.w.add(VolunteerLeave, {"volunteer_id": people[index].id, "starts_on": first, "ends_on": last,
                                    "reason": rng.choice(("回老家", "身体不适", "家中有事", "外出培训", "加班"))})
        people[index] = replace(people[index], leave=((first, last),))


TEAM_NOTES = {"community": "社区居民自愿组成，夜间巡防、邻里守望",
              "street": "外卖骑手、快递员与辖区企业员工组成，街面巡逻",
              "school": "家长与退休居民组成，上学放学时段护学"}


def _person(demo: Demo, team: TeamPlan, adults: list[dict]) -> tuple[dict, bool]:
    """(a person, whether a rider): a resident of the station where one is left, else from elsewhere."""
    rider = team.kind == "street" and demo.chance(0.6)
    if team.kind != "street" and adults and demo.chance(0.7):
        return adults.pop(), False  # the volunteer keeps his resident row's id
    age = demo.rng.randint(21, 45) if team.kind == "street" else demo.rng.randint(28, 66)
    return demo.people.person(age, area=demo.people.area(migrant=rider)), rider


def _volunteer(demo: Demo, team: TeamPlan, role: str, person: dict, rider: bool, *, newcomer: bool) -> Person:
    """A volunteer of ``team`` in ``role``; a ``newcomer`` joined a month or so ago and is not trained yet."""
    rng = demo.rng
    skills = (["外卖员" if demo.chance(0.6) else "快递员"] if rider else
              [rng.choice(STAFF_SKILLS)] if team.kind == "street" else
              rng.sample(SCHOOL_SKILLS if team.kind == "school" else COMMUNITY_SKILLS, rng.randint(0, 2)))
    if team.kind == "street" and demo.chance(0.5):
        skills.append("驾驶")
    joined = demo.day_ago(25, 50) if newcomer else demo.day_ago(60, 5 * 365) if role == "member" else \
        demo.day_ago(400, 5 * 365)
    trained = None if newcomer else joined + timedelta(days=rng.randint(7, 28))
    status = "active" if role != "member" or newcomer or demo.chance(0.93) else \
        "paused" if demo.chance(0.6) else "left"
    leading = role in LEADING
    available = _availability(demo, team.kind, leading)
    row = {"team_id": team.id, "resident_id": person.get("id"), "name": person["name"],
           "id_number": person["id_number"], "gender": person["gender"], "birth_date": person["birth_date"],
           "phone": person["phone"], "skills": ",".join(dict.fromkeys(skills)), "joined_on": joined,
           "active": status == "active", "status": status, "trained_on": trained,
           "weekly_cap": rng.choice((2, 3)) if leading else rng.choice((1, 2, 2, 2, 3)),
           "availability": format_tokens(available)}
    vid = demo.w.add(Volunteer, row)
    demo.w.add(VolunteerMembership, {"id": membership_id(vid, team.id), "volunteer_id": vid, "team_id": team.id,
                                     "role": role, "joined_on": joined})
    demo.w.add(VolunteerStatus, {"volunteer_id": vid, "status": "active", "since": joined, "reason": "入队"})
    if status != "active":
        reason = "工作调动" if status == "left" else rng.choice(("身体原因", "外出务工"))
        demo.w.add(VolunteerStatus, {"volunteer_id": vid, "status": status, "since": demo.day_ago(5, 200),
                                     "reason": reason})
    return Person(id=vid, name=row["name"], teams=frozenset({team.id}),
                  leads=frozenset({team.id}) if leading else frozenset(), skills=frozenset(skills),
                  available=available, weekly_cap=row["weekly_cap"], trained_on=trained,
                  active=status == "active")


def _availability(demo: Demo, kind: str, leading: bool) -> frozenset[str]:
    """Weekday x band tokens a volunteer of a team of ``kind`` is free in (a leader in all of them)."""
    rng = demo.rng
    tokens = set()
    for band in {"community": "e", "street": "ae", "school": "ma"}[kind]:
        days = range(1, 8) if leading else rng.sample(range(1, 8), rng.randint(2, 6))
        tokens |= {f"{d}{band}" for d in days}
    if kind == "community" and demo.chance(0.3):  # retirees: weekend mornings too
        tokens |= {"6m", "7m"}
    return frozenset(tokens)


# --- routes, templates, shifts -------------------------------------------------------------------

def _routes_and_shifts(demo: Demo, teams: list[TeamPlan]) -> tuple[list[Slot], dict[str, list[str]]]:
    """Each team's routes and templates, the shifts made from them (ids as make_shifts derives them), and
    each shift's key points."""
    rng, first = demo.rng, demo.today - timedelta(days=PAST_DAYS)
    slots: list[Slot] = []
    stops_of: dict[str, list[str]] = {}
    for team in teams:
        for route in team.routes:
            title, stops = _route_name(demo, team, route)
            start, end = span(first, *route.templates[0].hours)
            route_id = demo.w.add(PatrolRoute, {
                "name": title, "team_id": team.id, "kind": route.kind, "community_id": demo.communities[team.c][0],
                "waypoints": "\n".join(stops), "minutes": int((end - start).total_seconds() // 60)})
            demo.w.add(RouteTeam, {"id": derived_id("route_team", route_id, team.id), "route_id": route_id,
                                   "team_id": team.id})
            for t in route.templates:
                template_id = demo.w.add(ShiftTemplate, {
                    "route_id": route_id, "team_id": team.id, "weekdays": ",".join(map(str, t.weekdays)),
                    "starts_at": t.hours[0], "ends_at": t.hours[1], "headcount": t.headcount, "needs_leader": True,
                    "skill": t.skill, "valid_from": first - timedelta(days=rng.randint(0, 60))})
                for offset in range(PAST_DAYS + AHEAD_DAYS + 1):
                    day = first + timedelta(days=offset)
                    if day.isoweekday() in t.weekdays:
                        slots.append(_shift(demo, shift_id_for(template_id, day), template_id, route_id, title,
                                            team, day, t))
                        stops_of[slots[-1].id] = stops
    return slots, stops_of


def _route_name(demo: Demo, team: TeamPlan, route: RoutePlan) -> tuple[str, list[str]]:
    """A route's name and its key points (途经点) in the team's community."""
    rng, estates = demo.rng, demo.comm_estates[team.c]
    roads = rng.sample(data.ROADS, 2)
    if route.kind == "school":
        school = demo.communities[team.c][1].removesuffix("社区") + rng.choice(("小学", "实验小学", "中学"))
        return f"{school}护学岗", [f"{school}校门", f"{roads[0]}人行横道", f"{roads[0]}{roads[1]}口"]
    if route.kind == "night":
        stops = rng.sample(estates, min(3, len(estates))) + roads
        return f"{stops[0]}夜巡线", stops
    places = rng.sample(data.PUBLIC_PLACES, 2)
    return f"{roads[0]}{'商圈' if team.kind == 'street' else ''}重点路线", [roads[0], *places, roads[1]]


def _shift(demo: Demo, shift_id: str, template_id: str, route_id: str, route: str, team: TeamPlan, day: date,
           t: Template) -> Slot:
    """A shift made from a template; one before yesterday was signed in and confirmed the next morning."""
    row = {"id": shift_id, "route_id": route_id, "team_id": team.id, "day": day, "starts_at": t.hours[0],
           "ends_at": t.hours[1], "needed": t.headcount, "needs_leader": True, "skill": t.skill,
           "template_id": template_id}
    if day < demo.today - timedelta(days=SIGN_IN_DAYS):
        row["confirmed_by"] = demo.rng.choice(demo.comm_officers[team.c])[0]
        row["confirmed_at"] = demo.at(day + timedelta(days=1), 9 * 60 + demo.rng.randrange(180))
    demo.w.add(Shift, row)
    start, end = span(day, *t.hours)
    return Slot(id=shift_id, team_id=team.id, day=day, start=start, end=end, needed=t.headcount, needs_leader=True,
                skill=t.skill, bands=bands(start, end), label=shift_label(day, *t.hours, route))


# --- who sat where, and how it went -----------------------------------------------------------------

def _assignments(demo: Demo, slots: list[Slot], stops_of: dict[str, list[str]], plan: Plan) -> None:
    """The planned seats; past ones signed in (yesterday's half of them) and sometimes a finding logged."""
    rng, yesterday = demo.rng, demo.today - timedelta(days=SIGN_IN_DAYS)
    called_off = False  # one of today's people called off: his shift is short on the 工作台
    for slot in slots:
        past, signing = slot.day < demo.today, slot.day >= yesterday
        served = []
        for n, seat in enumerate(plan.seats.get(slot.id, ())):
            row = {"id": assignment_id_for(slot.id, seat.person_id), "shift_id": slot.id,
                   "volunteer_id": seat.person_id, "as_leader": seat.as_leader, "attendance": "planned",
                   "pinned": False}
            if slot.day == demo.today and not called_off and n == len(plan.seats[slot.id]) - 1 and n:
                row.update(attendance="leave", recorded_how="leader", pinned=True)
                called_off = True
            if past and not (signing and demo.chance(0.5)):
                row.update(_sign_in(demo, slot))
                if row["attendance"] in ("present", "late", "left_early"):
                    served.append(seat.person_id)
            demo.w.add(ShiftAssignment, row)
        if served and demo.chance(0.12):
            kind = _pick(demo, FINDING_WEIGHTS)
            text = rng.choice(FINDINGS[kind]).format(p=rng.choice(stops_of[slot.id]))
            demo.w.add(PatrolLog, {"shift_id": slot.id, "kind": kind, "text": text,
                                   "volunteer_id": rng.choice(served) if demo.chance(0.8) else None,
                                   "settled": kind == "dispute" and demo.chance(0.5)})


def _sign_in(demo: Demo, slot: Slot) -> dict:
    rng = demo.rng
    attendance = _pick(demo, ATTENDANCE)
    how = "leader" if demo.chance(0.7) else "paper"
    start = slot.start.hour * 60 + slot.start.minute
    end = start + int((slot.end - slot.start).total_seconds() // 60)
    if attendance not in ("present", "late", "left_early"):
        return {"attendance": attendance, "recorded_how": how, "pinned": True}
    first = start + (rng.randint(6, 30) if attendance == "late" else rng.randint(-15, 0))
    last = end - (rng.randint(20, 45) if attendance == "left_early" else rng.randint(-10, 0))
    return {"attendance": attendance, "recorded_how": how, "pinned": True,
            "checked_in_at": demo.at(slot.day, first), "checked_out_at": demo.at(slot.day, last)}


def _pick(demo: Demo, weighted: tuple[tuple[str, int], ...]) -> str:
    return demo.rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]
