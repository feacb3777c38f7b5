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


# --- two programs on one file -----------------------------------------------------------------
# The lock (db/lock.py) keeps a second program off the file; these check the second line of defence
# behind it: a writer whose clock is behind what another one stored still stamps above it. The
# second program is a second Database on the same file in this process (the lock counts opens per
# process), each with its own clock: what a window and a command were before the lock.

HOUR = 3600 * 1000


@pytest.fixture
def two_writers(_template_db, tmp_path):
    """A laptop on which A imports a file from a laptop 3 h ahead, and B has been open all along."""
    from tests.support.sync import Courier, FakeWall, make_device

    ahead = make_device(_template_db, tmp_path, "F01", wall=FakeWall(3 * HOUR))
    a = make_device(_template_db, tmp_path, "A01")
    b = type(a).open(a.path)  # opened before the import: its clock knows nothing of it
    courier = Courier(tmp_path)
    courier.export(a)  # a first export: the later ones are incremental
    with ahead.session() as s:
        community = Community(name="远方社区")
        s.add(community)
        s.flush()
        s.add(Household(community_id=community.id, estate="远方小区", phone="13800000000"))
        s.commit()
    Courier.bring(a, courier.export(ahead))
    yield ahead, a, b, courier
    for db in (ahead, a, b):
        db.close()


def _rows(db, model):
    from sqlmodel import select

    with db.session() as s:
        return s.exec(select(model)).all()


def test_a_second_writer_stamps_above_what_another_stored_and_the_row_stamp_tops_its_fields(two_writers):
    ahead, a, b, courier = two_writers
    [imported] = _rows(b, Household)
    with b.session() as s:
        s.get(Household, imported.id).notes = "B 改的"
        s.commit()
    with a.session() as s:  # interleaved: each writer in turn
        s.get(Household, imported.id).room = "101"
        s.commit()
    with b.session() as s:
        s.get(Household, imported.id).unit = "2"
        s.add(Community(name="本地社区"))
        s.commit()
    [edited] = _rows(a, Household)
    assert edited.hlc == max(entry[0] for entry in edited.clocks.values())  # no "与字段时钟不符"
    assert edited.clocks["notes"][0] > imported.hlc and edited.clocks["unit"][0] > edited.clocks["room"][0]
    from tests.support.sync import Courier

    Courier.bring(ahead, courier.export(a, full=True))  # a full export passes another laptop's checks


def test_an_incremental_export_leaves_out_nothing_a_second_writer_committed(two_writers):
    _ahead, a, b, courier = two_writers
    cut = courier.export(a)  # its cut-off: the imported stamps, 3 h ahead of this laptop's clock
    [imported] = _rows(b, Household)
    with b.session() as s:
        s.get(Household, imported.id).notes = "B 改的"
        s.add(Community(name="本地社区"))
        s.commit()
    from app.sync.importer import read_sync_file
    from tests.support.sync import PASSPHRASE

    assert cut.exists()
    later = read_sync_file(courier.export(a), passphrase=PASSPHRASE)
    assert {row[0] for row in later.tables["household"]} == {imported.id}
    assert [row for row in later.tables["community"] if "本地社区" in row]
