"""Registering and correcting a dispute: checks as typed, parties from residents, the first history line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.errors import UserError
from app.disputes.queries import dispute_detail, search_disputes
from app.disputes.register import (
    PartyValues,
    dispute_problems,
    dispute_values,
    find_residents,
    party_from_resident,
    party_problems,
    update_dispute,
)
from db.models import Dispute, DisputeEvent, DisputeParty, DisputeTransfer
from tests.support.disputes import NOW, TODAY, applicant, make_values, register, respondent


def test_a_complete_dispute_has_no_problems():
    assert dispute_problems(make_values()) == {}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"source": ""}, "source", "来源"),
    ({"kind": "fight"}, "kind", "类型"),
    ({"occurred_at": NOW + timedelta(hours=1)}, "occurred_at", "晚于现在"),
    ({"place": " "}, "place", "地点"),
    ({"facts": "吵架"}, "facts", "经过"),
    ({"risk_level": "extreme"}, "risk_level", "风险"),
    ({"parties": [applicant()]}, "parties", "被申请人"),
])
def test_each_problem_is_reported_on_its_field(change, field, message):
    problems = dispute_problems(make_values(**change))
    assert message in problems[field]


def test_party_problems_check_id_numbers_phones_and_gender():
    assert party_problems(PartyValues(name="张三", id_number="110105194912310021")) == {
        "id_number": "身份证号校验码不对，请核对每一位"}
    assert "phone" in party_problems(PartyValues(name="张三", phone="12345"))
    assert party_problems(PartyValues(name="张三", gender="男", id_number="11010519491231002X")) == {
        "gender": "性别与身份证号不符"}
    assert "name" in party_problems(PartyValues(name=""))
    assert "age" in party_problems(PartyValues(name="张三", age=130))


def test_invalid_values_are_never_saved(db):
    with pytest.raises(UserError):
        register(db, parties=[applicant(), respondent(phone="123")])
    with db.connect() as conn:
        assert conn.execute(select(Dispute.__table__.c.id)).first() is None


def test_registering_saves_parties_derives_gender_and_age_and_starts_the_history(db, officer):
    saved = register(db, officer_id=officer)
    with db.session() as s:
        dispute = s.get(Dispute, saved.id)
        parties = s.execute(select(DisputeParty).where(DisputeParty.dispute_id == saved.id)
                            .order_by(DisputeParty.role)).scalars().all()
        [event] = s.execute(select(DisputeEvent)).scalars().all()
    assert (dispute.status, dispute.risk_level, dispute.number) == ("pending", "low", saved.number)
    first = next(p for p in parties if p.role == "applicant")
    born_1949 = TODAY.year - 1949 - ((TODAY.month, TODAY.day) < (12, 31))
    assert (first.name, first.gender, first.age, first.phone) == ("张三", "女", born_1949, "13800138000")
    assert (event.action, event.to_value, event.officer_id) == ("register", "pending", officer)


def test_a_case_from_the_mediation_center_starts_with_a_transfer_in(db):
    saved = register(db, source="center")
    with db.session() as s:
        [transfer] = s.execute(select(DisputeTransfer).where(DisputeTransfer.dispute_id == saved.id)).scalars()
    assert (transfer.direction, transfer.body) == ("in", "矛调中心")


def test_correcting_a_dispute_updates_adds_and_removes_parties(db):
    saved = register(db)
    values = dispute_values(db, saved.id)
    values.facts += "已多次协调。"
    values.risk_level = "medium"
    values.parties[1].name = "李四光"
    values.parties = [values.parties[1], PartyValues(role="applicant", name="王五")]
    update_dispute(db, dispute_id=saved.id, values=values)
    again = dispute_values(db, saved.id)
    assert sorted(p.name for p in again.parties) == ["李四光", "王五"]
    assert again.facts.endswith("已多次协调。") and again.risk_level == "medium"
    with db.session() as s:
        assert len(s.execute(select(DisputeParty).where(DisputeParty.deleted.is_(True))).all()) == 1
        assert [e.action for e in s.execute(select(DisputeEvent).order_by(DisputeEvent.at)).scalars()] == [
            "register", "risk"]


def test_residents_are_found_and_become_parties_with_their_details(db, sample_households):
    [found] = find_residents(db, text="李娜")
    party = party_from_resident(db, resident_id=found.id, role="respondent", today=TODAY)
    assert (party.name, party.role, party.resident_id, party.phone) == ("李娜", "respondent", found.id, "13900139000")
    assert party.address == "阳光花园10栋1单元101室" and found.household_id
    assert find_residents(db, text="") == []


def test_the_list_and_detail_show_masked_parties_and_search_by_party(db):
    saved = register(db)
    [row] = search_disputes(db, text="李四")
    assert (row.id, row.status_label, row.risk_label, row.parties) == (saved.id, "待调处", "低", "张三、李四")
    assert search_disputes(db, text="没有这个人") == []
    detail = dispute_detail(db, saved.id)
    assert detail.parties[0].id_number == "110105********002X" and detail.parties[0].phone == "138****8000"
    assert [what for _at, _officer, what, _reason in detail.history] == ["登记"]
    assert [to for to, _label in detail.moves] == ["mediating", "to_center", "to_police"]
