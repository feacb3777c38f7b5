"""Creating, editing and soft-deleting households: checks, names that make places, one address once."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.core.errors import UserError
from app.households.service import (
    HouseholdValues,
    delete_household,
    household_problems,
    household_values,
    place_names,
    save_household,
    search_households,
)
from db.models import Community, Grid, Household, Resident

HOME = HouseholdValues(community="阳光社区", grid="第1网格", estate="阳光花园", building="3", unit="2", room="501",
                       kind="rented", tags=("出租屋", "流动人口"), head_name="张伟", phone="138 0013 8000")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"community": " "}, "community", "社区"),
    ({"estate": ""}, "estate", "小区"),
    ({"building": "1" * 17}, "building", "最多16个字"),
    ({"kind": "castle"}, "kind", "住户类型"),
    ({"tags": ("富豪",)}, "tags", "富豪"),
    ({"phone": "12345"}, "phone", "手机号"),
    ({"phone": "0571-8765432"}, None, None),  # a landline with 7 digits is fine
    ({"phone": ""}, None, None),  # no phone is fine
])
def test_household_fields_are_checked_one_message_per_field(change, field, message):
    problems = household_problems(HouseholdValues(**{**vars(HOME), **change}))
    if field is None:
        assert problems == {}
    else:
        assert list(problems) == [field] and message in problems[field]


def test_a_new_household_makes_its_community_and_grid_and_is_searchable(db):
    household_id = save_household(db, values=HOME, officer_id=None)
    [row] = search_households(db, text="阳光花园3栋")
    assert row.id == household_id and row.kind == "出租" and row.tags == "出租屋,流动人口"
    assert row.community == "阳光社区" and row.grid == "第1网格"
    assert place_names(db) == {"阳光社区": ["第1网格"]}
    assert household_values(db, household_id).phone == "13800138000"  # stored without the spaces


def test_saving_again_reuses_the_community_and_grid_by_name(db):
    save_household(db, values=HOME)
    save_household(db, values=HouseholdValues(**{**vars(HOME), "room": "502"}))
    with db.session() as s:
        assert len(s.exec(select(Community)).all()) == 1 and len(s.exec(select(Grid)).all()) == 1


def test_a_second_household_at_the_same_address_is_refused(db):
    save_household(db, values=HOME)
    with pytest.raises(UserError, match="已登记过这个地址：阳光花园3栋2单元501室"):
        save_household(db, values=HouseholdValues(**{**vars(HOME), "head_name": "李娜"}))


def test_editing_changes_fields_and_stamps_only_what_changed(db):
    household_id = save_household(db, values=HOME)
    save_household(db, values=HouseholdValues(**{**vars(HOME), "kind": "owner", "tags": ()}),
                   household_id=household_id, officer_id="officer-1")
    assert household_values(db, household_id).kind == "owner"
    with db.session() as s:
        row = s.get(Household, household_id)
        assert row.updated_by == "officer-1" and {"kind", "tags"} <= set(row.clocks) and "estate" not in row.clocks


def test_deleting_a_household_deletes_its_residents_softly(db, sample_households):
    assert delete_household(db, household_id=sample_households[0]) == 1
    with db.session() as s:
        assert s.get(Household, sample_households[0]).deleted
        assert all(r.deleted for r in s.exec(select(Resident).where(Resident.household_id == sample_households[0])))
    assert household_values(db, sample_households[0]) is None
    with pytest.raises(UserError, match="已被删除"):
        delete_household(db, household_id=sample_households[0])
    with pytest.raises(UserError, match="已被删除"):
        save_household(db, values=HOME, household_id=sample_households[0])
