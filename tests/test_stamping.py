"""Every insert, update and soft delete of a synced row is stamped by the session hook."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import Session

from db.base import ALL_FIELDS
from db.hlc import parse
from db.models import Community, Household
from db.stamping import StampingError


def _household(db, **fields) -> Household:
    with db.session(officer_id="officer-1") as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="阳光花园", building="3", unit="2", room="501",
                               **fields)
        s.add(household)
        s.commit()
        return household


def test_insert_stamps_id_times_clock_and_officer(db):
    household = _household(db)
    assert len(household.id) == 32
    assert household.created_at.tzinfo is not None and household.updated_at >= household.created_at
    assert parse(household.hlc).node == db.clock.node
    assert household.clocks == {ALL_FIELDS: [household.hlc, None]}
    assert household.updated_by == "officer-1"


def test_update_stamps_only_the_changed_fields_with_their_parent(db):
    household = _household(db, phone="13800138000")
    inserted = household.hlc
    with db.session(officer_id="officer-2") as s:
        h = s.get(Household, household.id)
        h.phone = "13900139000"
        h.room = "502"
        h.estate = "阳光花园"  # set to the same value: not a change
        s.commit()
        assert h.hlc > inserted
        assert h.clocks["phone"] == [h.hlc, inserted]
        assert h.clocks["room"] == [h.hlc, inserted]
        assert "estate" not in h.clocks
        assert h.updated_by == "officer-2"


def test_a_second_update_records_the_first_update_as_parent(db):
    household = _household(db)
    with db.session() as s:
        h = s.get(Household, household.id)
        h.phone = "13800138000"
        s.commit()
        first = h.hlc
        h.phone = "13900139000"
        s.commit()
        assert h.clocks["phone"] == [h.hlc, first]


def test_soft_delete_is_stamped_like_any_field(db):
    household = _household(db)
    with db.session() as s:
        h = s.get(Household, household.id)
        h.deleted = True
        s.commit()
        assert h.clocks["deleted"] == [h.hlc, household.hlc]


def test_a_session_without_changes_stamps_nothing(db):
    household = _household(db)
    with db.session() as s:
        h = s.get(Household, household.id)
        s.commit()
        assert h.hlc == household.hlc


def test_physical_delete_of_a_synced_row_is_refused(db):
    household = _household(db)
    with db.session() as s:
        s.delete(s.get(Household, household.id))
        with pytest.raises(StampingError, match="never deleted"):
            s.flush()


def test_bulk_orm_update_of_a_synced_table_is_refused(db):
    _household(db)
    with db.session() as s, pytest.raises(StampingError, match="bypasses"):
        s.execute(update(Household).values(phone="1"))


def test_a_session_without_the_device_clock_cannot_write_synced_rows(db):
    with Session(db.engine) as s:
        s.add(Community(name="无钟社区"))
        with pytest.raises(StampingError, match="Database.session"):
            s.flush()


def test_reopened_database_stamps_after_everything_stored_even_if_the_clock_went_back(db_path):
    from db.engine import Database

    first = Database.open(db_path)
    household = _household(first)
    first.close()
    again = Database.open(db_path)
    again.clock._wall = lambda: 0  # the laptop now believes it is 1970
    try:
        assert again.clock.now() > household.hlc
    finally:
        again.close()
