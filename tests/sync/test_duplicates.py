"""One person entered on two laptops shows up as a probable duplicate; merging moves every reference."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from app.core.errors import UserError
from app.sync.duplicates import find_duplicate_residents, merge_residents
from db.models import (
    AuditEntry,
    Community,
    Dispute,
    DisputeParty,
    Household,
    Resident,
    Visit,
    VisitResident,
    Volunteer,
    VolunteerTeam,
)
from tests.support.sync import Courier, dump, make_device

ID_NUMBER = "330102200001010018"


@pytest.fixture
def pair(tmp_path, _template_db):
    a, b = make_device(_template_db, tmp_path, "A01"), make_device(_template_db, tmp_path, "B02")
    courier = Courier(tmp_path)
    with a.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="金桂苑", building="3", unit="2", room="502")
        team = VolunteerTeam(name="阳光义警队")
        s.add_all([household, team])
        s.commit()
        ids = {"household": household.id, "team": team.id}
    courier.bring(b, courier.export(a))
    yield a, b, courier, ids
    a.close()
    b.close()


def enter_person(db, ids, *, phone: str | None, with_refs: bool) -> str:
    """The same person, entered on one laptop, with a dispute, a patrol and a visit pointing at them."""
    with db.session() as s:
        person = Resident(household_id=ids["household"], name="王芳", id_number=ID_NUMBER, phone=phone,
                          occupation=None if phone else "教师")
        s.add(person)
        s.flush()
        if with_refs:
            dispute = Dispute(number=f"2026-{db.device.short_code}-0001", source="visit", kind="neighbour",
                              occurred_at=datetime(2026, 3, 1, tzinfo=UTC))
            visit = Visit(household_id=ids["household"], visited_at=datetime(2026, 3, 2, tzinfo=UTC))
            s.add_all([dispute, visit])
            s.flush()
            s.add_all([DisputeParty(dispute_id=dispute.id, resident_id=person.id, role="applicant", name="王芳"),
                       Volunteer(team_id=ids["team"], resident_id=person.id, name="王芳", joined_on=date(2026, 1, 1)),
                       VisitResident(visit_id=visit.id, resident_id=person.id)])
        s.commit()
        return person.id


def test_the_same_id_number_from_two_laptops_is_a_probable_duplicate(pair):
    a, b, courier, ids = pair
    enter_person(a, ids, phone="13800138000", with_refs=False)
    enter_person(b, ids, phone=None, with_refs=True)
    courier.bring(a, courier.export(b))
    [group] = find_duplicate_residents(a)
    assert group.id_number == "330102********0018"
    assert [p.device for p in group.residents] == ["A01", "B02"]
    assert [p.references for p in group.residents] == [0, 3]
    assert group.residents[0].phone == "138****8000"
    assert group.residents[0].address == "金桂苑3栋2单元502室"


def test_merging_moves_references_and_leaves_a_tombstone_pointing_at_the_kept_person(pair):
    a, b, courier, ids = pair
    keep = enter_person(a, ids, phone="13800138000", with_refs=False)
    drop = enter_person(b, ids, phone=None, with_refs=True)
    courier.bring(a, courier.export(b))
    moved = merge_residents(a, keep_id=keep, drop_id=drop)
    assert moved == {"visit_resident": 1, "dispute_party": 1, "volunteer": 1}
    with a.session() as s:
        for model in (DisputeParty, Volunteer, VisitResident):
            assert [row.resident_id for row in s.exec(select(model))] == [keep]
        gone, kept = s.get(Resident, drop), s.get(Resident, keep)
        assert gone.deleted and keep in gone.notes
        assert kept.occupation == "教师"  # a blank filled from the other record
        assert kept.phone == "13800138000"
        [audit] = s.exec(select(AuditEntry).where(AuditEntry.action == "merge")).all()
        assert (audit.action, audit.record_id, audit.detail["into"]) == ("merge", drop, keep)
    assert find_duplicate_residents(a) == []
    # The merge is ordinary stamped changes: the other laptop gets it by the next sync.
    courier.bring(b, courier.export(a))
    assert find_duplicate_residents(b) == []
    courier.bring(a, courier.export(b))
    assert dump(a) == dump(b)


def test_the_kept_person_already_on_the_visit_is_not_listed_twice(pair):
    a, _b, _courier, ids = pair
    keep = enter_person(a, ids, phone="1", with_refs=True)
    drop = enter_person(a, ids, phone="2", with_refs=False)
    with a.session() as s:
        visit = s.exec(select(VisitResident)).one().visit_id
        s.add(VisitResident(visit_id=visit, resident_id=drop))
        s.commit()
    merge_residents(a, keep_id=keep, drop_id=drop)
    with a.session() as s:
        live = s.exec(select(VisitResident).where(VisitResident.deleted == False)).all()  # noqa: E712
        assert [row.resident_id for row in live] == [keep]


def test_people_with_different_id_numbers_are_not_merged(pair):
    a, _b, _courier, ids = pair
    keep = enter_person(a, ids, phone="1", with_refs=False)
    with a.session() as s:
        other = Resident(household_id=ids["household"], name="王芳", id_number="11010519491231002X")
        s.add(other)
        s.commit()
        other_id = other.id
    with pytest.raises(UserError, match="身份证号相同"):
        merge_residents(a, keep_id=keep, drop_id=other_id)
