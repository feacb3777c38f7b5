"""The demo's volunteer patrols: teams per community (led and partly manned by its residents),
their volunteers, a night and a day route each, and shifts from three weeks ago to two ahead."""

from __future__ import annotations

from datetime import time, timedelta

from app.demo import data as data
from app.demo.state import Demo
from db.models import PatrolRoute, Shift, ShiftAssignment, Volunteer, VolunteerTeam


def patrols(demo: Demo) -> None:
    rng, s, nc, names = demo.rng, demo.s, len(demo.communities), data.VOLUNTEER_TEAM_NAMES
    adults = [r for r, _ in demo.resident_sample if 18 <= (demo.today - r["birth_date"]).days // 365 <= 65]
    rng.shuffle(adults)
    teams: list[tuple[str, int, list[str]]] = []  # (team id, community, active volunteer ids)
    for t in range(max(nc, s.volunteers // 40)):
        c, round_no = t % nc, t // nc
        name = demo.communities[c][1] + names[round_no % len(names)]
        name += f"第{round_no // len(names) + 1}分队" if round_no >= len(names) else ""
        leader = adults.pop() if adults else demo.people.person(rng.randint(30, 60))
        team_id = demo.w.add(VolunteerTeam, {"name": name, "community_id": demo.communities[c][0],
                                             "leader": leader["name"], "leader_phone": leader["phone"]})
        teams.append((team_id, c, [_volunteer(demo, team_id, leader, active=True)]))
    for n in range(len(teams), s.volunteers):
        team_id, _c, active_ids = rng.choice(teams)
        person = adults.pop() if adults and demo.chance(0.6) else demo.people.person(rng.randint(20, 62))
        active = demo.chance(0.92)
        volunteer_id = _volunteer(demo, team_id, person, active=active)
        if active:
            active_ids.append(volunteer_id)
        if n % 500 == 0:
            demo.progress("义警巡逻", n, s.volunteers)
    for team_id, c, active_ids in teams:
        _route(demo, team_id, c, True, active_ids)
        _route(demo, team_id, c, False, active_ids)
    demo.progress("义警巡逻", s.volunteers, s.volunteers)


def _volunteer(demo: Demo, team_id: str, person: dict, *, active: bool) -> str:
    """A volunteer; one who lives in the station keeps their resident row's id."""
    rng = demo.rng
    return demo.w.add(Volunteer, {
        "team_id": team_id, "resident_id": person.get("id"), "name": person["name"],
        "id_number": person["id_number"], "gender": person["gender"], "birth_date": person["birth_date"],
        "phone": person["phone"], "skills": ",".join(rng.sample(data.VOLUNTEER_SKILLS, rng.randint(0, 2))),
        "joined_on": demo.day_ago(30, 5 * 365), "active": active})


def _route(demo: Demo, team_id: str, c: int, night: bool, volunteer_ids: list[str]) -> None:
    """A night route patrolled daily or a day route at weekends, from three weeks ago to two ahead."""
    rng, estates = demo.rng, demo.comm_estates[c]
    stops = rng.sample(estates, min(3, len(estates))) + rng.sample(data.ROADS, 2)
    route_id = demo.w.add(PatrolRoute, {
        "name": f"{stops[0]}{'夜巡' if night else '日巡'}线", "team_id": team_id,
        "community_id": demo.communities[c][0], "waypoints": "\n".join(stops)})
    starts, ends = (time(19), time(21)) if night else (time(8, 30), time(10, 30))
    for offset in range(-21, 14):
        day = demo.today + timedelta(days=offset)
        if not night and day.weekday() < 5:
            continue
        needed = rng.randint(2, 3)
        shift_id = demo.w.add(Shift, {"route_id": route_id, "team_id": team_id, "day": day,
                                      "starts_at": starts, "ends_at": ends, "needed": needed})
        for volunteer_id in rng.sample(volunteer_ids, min(needed, len(volunteer_ids))):
            attendance = "planned" if offset >= 0 else "present" if demo.chance(0.88) else "absent"
            checked_in = demo.at(day, starts.hour * 60 + starts.minute + rng.randint(-10, 15))
            demo.w.add(ShiftAssignment, {
                "shift_id": shift_id, "volunteer_id": volunteer_id, "attendance": attendance,
                "checked_in_at": checked_in if attendance == "present" else None})
