"""Visit campaigns: choosing households, sharing them among officers, progress, and coverage per grid."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.errors import UserError
from app.core.timeutil import day_start
from app.households.campaigns import (
    Criteria,
    campaign_household_ids,
    campaign_households,
    campaign_progress,
    campaign_row,
    count_matching,
    coverage_by_grid,
    create_campaign,
    grid_choices,
    list_campaigns,
    open_campaigns_for,
    set_closed,
)
from app.households.service import HouseholdValues, save_household
from app.households.visits import VisitValues, record_visit
from db.models import Officer

TODAY = date(2026, 11, 23)


@pytest.fixture
def town(db):
    """Six households in two grids; ids by room number; 101 and 102 visited lately, 103 long ago."""
    ids = {}
    for room, grid, tags, kind in (("101", "东区", ("独居老人",), "owner"), ("102", "东区", (), "rented"),
                                   ("103", "东区", ("独居老人", "低保户"), "owner"), ("201", "西区", (), "owner"),
                                   ("202", "西区", ("重点关注",), "rented"), ("203", "西区", (), "shop")):
        ids[room] = save_household(db, values=HouseholdValues(community="和平社区", grid=grid, estate="和平里",
                                                              building="1", room=room, tags=tags, kind=kind))
    with db.session() as s:
        officers = [Officer(username=u, name=n) for u, n in (("a", "王警官"), ("b", "李警官"))]
        s.add_all(officers)
        s.commit()
        ids["officers"] = tuple(o.id for o in officers)
    for room, days_ago in (("101", 3), ("102", 30), ("103", 200)):
        visit(db, ids[room], TODAY - timedelta(days=days_ago))
    return ids


def visit(db, household_id: str, day: date, campaign_id: str | None = None) -> None:
    record_visit(db, values=VisitValues(household_id=household_id, visited_at=day_start(day) + timedelta(hours=10),
                                        purposes=("日常走访",), campaign_id=campaign_id),
                 now=day_start(TODAY + timedelta(days=1)))  # whatever the machine's date


def grid_id(db, name: str) -> str:
    return next(g.id for g in grid_choices(db) if g.name == name)


@pytest.mark.parametrize(("criteria", "rooms"), [
    (Criteria(), ["101", "102", "103", "201", "202", "203"]),
    (Criteria(tags=("独居老人",)), ["101", "103"]),
    (Criteria(tags=("低保户", "重点关注")), ["103", "202"]),  # any of the tags
    (Criteria(kinds=("rented",)), ["102", "202"]),
    (Criteria(not_visited_days=90), ["103", "201", "202", "203"]),
    (Criteria(not_visited_days=10), ["102", "103", "201", "202", "203"]),
])
def test_households_are_chosen_by_tags_kinds_and_visits(db, town, criteria, rooms):
    assert count_matching(db, criteria=criteria, today=TODAY) == len(rooms)
    campaign = create_campaign(db, name="计划", starts_on=TODAY, criteria=criteria, today=TODAY)
    assert campaign_household_ids(db, campaign) == [town[room] for room in rooms]  # in address order


def test_households_are_chosen_by_grid(db, town):
    criteria = Criteria(grid_ids=(grid_id(db, "西区"),), not_visited_days=90)
    assert count_matching(db, criteria=criteria, today=TODAY) == 3


def test_households_are_shared_among_officers_in_runs_of_the_address_order(db, town):
    a, b = town["officers"]
    campaign = create_campaign(db, name="敲门行动", starts_on=TODAY, criteria=Criteria(), officer_ids=(a, b),
                               today=TODAY)
    rows = campaign_households(db, campaign)
    assert [r.officer for r in rows] == ["王警官"] * 3 + ["李警官"] * 3


def test_progress_counts_visits_for_the_campaign_or_during_it(db, town):
    a, b = town["officers"]
    start = TODAY - timedelta(days=5)
    campaign = create_campaign(db, name="独居老人走访", starts_on=start, criteria=Criteria(), officer_ids=(a, b),
                               today=TODAY)
    assert (campaign_row(db, campaign).total, campaign_row(db, campaign).visited) == (6, 1)  # 101, 3 days ago
    visit(db, town["201"], TODAY, campaign_id=campaign)
    visit(db, town["202"], TODAY - timedelta(days=1))  # not marked for the campaign, but during it
    row = campaign_row(db, campaign)
    assert (row.total, row.visited) == (6, 3)
    assert [(p.officer, p.total, p.visited) for p in campaign_progress(db, campaign)] == [
        ("李警官", 3, 2), ("王警官", 3, 1)]
    assert [r.id for r in campaign_households(db, campaign, visited=False)] == [town["102"], town["103"], town["203"]]
    visited = campaign_households(db, campaign, visited=True)
    assert [r.id for r in visited] == [town["101"], town["201"], town["202"]] and all(r.last_visit for r in visited)
    assert [r.id for r in campaign_households(db, campaign, visited=False, offset=1, limit=1)] == [town["103"]]


def test_open_campaigns_are_offered_on_the_visit_form_until_closed(db, town):
    campaign = create_campaign(db, name="春节前走访", starts_on=TODAY, criteria=Criteria(tags=("独居老人",)),
                               today=TODAY)
    assert open_campaigns_for(db, household_id=town["101"], today=TODAY) == [(campaign, "春节前走访")]
    assert open_campaigns_for(db, household_id=town["201"], today=TODAY) == []
    set_closed(db, campaign_id=campaign)
    assert open_campaigns_for(db, household_id=town["101"], today=TODAY) == []
    assert [c.closed for c in list_campaigns(db)] == [True]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": " "}, "名字"),
    ({"ends_on": TODAY - timedelta(days=1)}, "结束日期"),
    ({"criteria": Criteria(not_visited_days=0)}, "天数"),
    ({"criteria": Criteria(tags=("独居老人",), kinds=("shop",))}, "没有符合条件的住户"),
])
def test_bad_campaigns_are_refused(db, town, kwargs, message):
    arguments = {"name": "计划", "starts_on": TODAY, "criteria": Criteria(), "today": TODAY, **kwargs}
    with pytest.raises(UserError, match=message):
        create_campaign(db, **arguments)


def test_an_unknown_campaign_is_a_user_error(db):
    with pytest.raises(UserError, match="没有这个走访计划"):
        campaign_row(db, "nope")


def test_coverage_is_the_share_of_households_visited_in_the_last_90_days_per_grid(db, town):
    coverage = {c.grid: c for c in coverage_by_grid(db, today=TODAY, days=90)}
    assert (coverage["东区"].households, coverage["东区"].visited) == (3, 2)
    assert coverage["东区"].share == pytest.approx(2 / 3) and coverage["西区"].share == 0
    assert coverage["东区"].community == "和平社区"
    assert {c.grid: c.visited for c in coverage_by_grid(db, today=TODAY, days=7)} == {"东区": 1, "西区": 0}
