"""The patrol lists' reads: a team's members counted once each, home team or joined, living only; a
volunteer found by his team's name and by ASCII letters in any case; a search keeping the list's order."""

from __future__ import annotations

from app.patrol.queries import search_teams, search_volunteers
from app.patrol.teams import TeamValues, join_team, leave_team, members, save_team
from app.patrol.volunteers import add_volunteer
from db.models import Volunteer
from tests.patrol.conftest import TODAY, volunteer_values


def test_a_team_counts_each_living_member_once_home_or_joined(db, team):
    other = save_team(db, values=TeamValues(name="新城义警队", kind="street"))
    home = [add_volunteer(db, team_id=team, values=volunteer_values(n)) for n in range(4)]
    theirs = [add_volunteer(db, team_id=other, values=volunteer_values(n)) for n in range(10, 12)]
    join_team(db, volunteer_id=home[0], team_id=other)  # in both: counted in each, once
    join_team(db, volunteer_id=theirs[0], team_id=team)
    join_team(db, volunteer_id=theirs[1], team_id=team)
    leave_team(db, volunteer_id=theirs[1], team_id=team)  # left again: no longer counted
    with db.session() as session:  # deleted (as a sync file may bring): no longer counted anywhere
        session.get(Volunteer, home[3]).deleted = True
        session.commit()
    counts = {row.name: row.members for row in search_teams(db)}
    assert counts == {"云栖义警队": 4, "新城义警队": 3}  # home[0..2] + theirs[0]; theirs[0..1] + home[0]
    assert counts["云栖义警队"] == len(members(db, team_id=team))
    assert counts["新城义警队"] == len(members(db, team_id=other))


def test_a_volunteer_is_found_by_his_teams_name_and_by_ascii_letters_in_any_case(db, team):
    other = save_team(db, values=TeamValues(name="海棠b组义警队", kind="street"))
    ours = [add_volunteer(db, team_id=team, values=volunteer_values(n)) for n in range(3)]
    theirs = [add_volunteer(db, team_id=other, values=volunteer_values(n)) for n in range(3, 5)]
    assert {row.id for row in search_volunteers(db, text="海棠")} == set(theirs)
    assert {row.id for row in search_volunteers(db, text="B组")} == set(theirs)  # upper-cased on both sides
    assert {row.id for row in search_volunteers(db, text="云栖 钱")} == {ours[1]}  # every term, any column
    assert search_volunteers(db, text="c组") == []


def test_a_search_lists_its_matches_in_the_lists_order_page_by_page(db, team):
    ids = [add_volunteer(db, team_id=team, values=volunteer_values(n, phone=f"1390000{n:04d}" if n % 2 else
                                                                    f"138{n:08d}")) for n in range(12)]
    found = set(ids[1::2])  # "139" only in their phones
    for sort in ("name", "gender", "age", "team"):
        for descending in (False, True):
            everyone = [row.id for row in search_volunteers(db, sort=sort, descending=descending)]
            paged = [row.id for offset in (0, 2, 4, 6) for row in search_volunteers(
                db, text="139", sort=sort, descending=descending, offset=offset, limit=2)]
            assert paged == [i for i in everyone if i in found], (sort, descending)


def test_the_tabs_warm_up_reads_every_list_and_survives_an_empty_station(db, team):
    from ui.patrol.tab import PatrolTab

    assert PatrolTab.warm_up(db, TODAY) is None  # a team, no volunteer, no route: on a worker, nothing returned
    add_volunteer(db, team_id=team, values=volunteer_values(1))
    assert PatrolTab.warm_up(db, TODAY) is None
