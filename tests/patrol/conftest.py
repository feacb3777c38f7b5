"""Fixtures of the patrol tests: valid ID numbers, a team with its volunteers, a route and a template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from app.core.validation import id_check_char
from app.patrol.routes import RouteValues, save_route
from app.patrol.schedule import TemplateValues, save_template
from app.patrol.teams import TeamValues, save_team, set_role
from app.patrol.volunteers import VolunteerValues, add_volunteer

TODAY = date.today()
NEXT_MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())
EVERY_EVENING = frozenset(f"{d}e" for d in range(1, 8))
NAMES = ("赵大勇", "钱小红", "孙建国", "李秀英", "周海涛", "吴丽娟", "郑志强", "王桂兰", "冯晓东", "陈美华")


def id_number(n: int, *, born: date = date(1985, 5, 1), male: bool = True) -> str:
    """A valid GB 11643 number, different for each ``n`` below 500."""
    first17 = f"330106{born:%Y%m%d}{n // 5 % 100:02d}{n % 5 * 2 + (1 if male else 0)}"
    return first17 + id_check_char(first17)


def volunteer_values(n: int, **overrides) -> VolunteerValues:
    values = dict(name=NAMES[n % len(NAMES)] + ("" if n < len(NAMES) else str(n)), id_number=id_number(n),
                  phone=f"138{n:08d}", trained_on=TODAY - timedelta(days=90), weekly_cap=2,
                  availability=EVERY_EVENING, joined_on=TODAY - timedelta(days=100))
    values.update(overrides)
    return VolunteerValues(**values)


@dataclass(frozen=True)
class Squad:
    team: str
    captain: str
    leader: str  # a 小组长
    members: tuple[str, ...]  # plain members
    route: str
    template: str

    @property
    def everyone(self) -> tuple[str, ...]:
        return (self.captain, self.leader, *self.members)


@pytest.fixture
def team(db, community) -> str:
    return save_team(db, values=TeamValues(name="云栖义警队", community_id=community, contact="13800000000"))


def make_squad(db, team: str, *, size: int = 6, first: int = 0, route_name: str = "云栖里夜巡",
               weekdays: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7), starts_at: time = time(19),
               ends_at: time = time(21), headcount: int = 3) -> Squad:
    ids = [add_volunteer(db, team_id=team, values=volunteer_values(first + n)) for n in range(size)]
    set_role(db, volunteer_id=ids[0], team_id=team, role="captain")
    set_role(db, volunteer_id=ids[1], team_id=team, role="group_leader")
    route = save_route(db, values=RouteValues(name=route_name, waypoints=("云栖里东门", "文化广场")), team_ids=(team,))
    template = save_template(db, values=TemplateValues(
        route_id=route, team_id=team, weekdays=weekdays, starts_at=starts_at, ends_at=ends_at,
        valid_from=TODAY - timedelta(days=60), headcount=headcount))
    return Squad(team, ids[0], ids[1], tuple(ids[2:]), route, template)


@pytest.fixture
def squad(db, team) -> Squad:
    """Six volunteers of one team (a captain, a 小组长, four members), free every evening, two shifts a
    week each; a route patrolled every evening 19:00-21:00 by three with a leader."""
    return make_squad(db, team)
