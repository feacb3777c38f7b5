"""Recording visits: checks, residents met, a dispute found on the visit and its device-scoped number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.core.errors import UserError
from app.disputes.numbering import next_dispute_number
from app.disputes.register import PartyValues
from app.households.service import household_detail, search_households
from app.households.visits import (
    DisputeNote,
    VisitValues,
    delete_visit,
    record_visit,
    visit_problems,
    visit_record,
    visit_values,
)
from db.models import Dispute, Officer, VisitResident

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SIDES = {"applicant": PartyValues(name="张伟"), "respondent": "楼下住户李某"}


def values(household_id: str, **changes) -> VisitValues:
    return VisitValues(**{"household_id": household_id, "visited_at": NOW - timedelta(hours=1),
                          "purposes": ("日常走访",), **changes})


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"visited_at": NOW + timedelta(minutes=5)}, "visited_at", "不能晚于现在"),
    ({"visited_at": NOW + timedelta(seconds=30)}, None, None),  # the clock read a moment ago
    ({"visited_at": NOW - timedelta(days=365 * 3)}, None, None),  # entering old paper sheets
    ({"visited_at": datetime(1999, 12, 31, tzinfo=UTC)}, "visited_at", "年份"),
    ({"purposes": ()}, "purposes", "至少选择一项"),
    ({"purposes": ("喝茶",)}, "purposes", "喝茶"),
    ({"findings": "情" * 1001}, "findings", "最多1000个字"),
    ({"dispute": DisputeNote(kind="", facts="楼上漏水吵架", **SIDES)}, "dispute_kind", "纠纷类型"),
    ({"dispute": DisputeNote(kind="neighbour", facts=" ", **SIDES)}, "dispute_facts", "纠纷经过"),
    ({"dispute": DisputeNote(kind="neighbour", facts="楼上漏水吵架", respondent="李某")}, "dispute_applicant",
     "提出纠纷的人员"),
    ({"dispute": DisputeNote(kind="neighbour", facts="楼上漏水吵架", applicant=PartyValues(name="张伟"))},
     "dispute_respondent", "写明对方"),
])
def test_visit_fields_are_checked(change, field, message):
    problems = visit_problems(values("h", **change), now=NOW)
    if field is None:
        assert problems == {}
    else:
        assert list(problems) == [field] and message in problems[field]


def test_a_visit_in_local_time_is_compared_with_now_correctly():
    beijing = datetime(2026, 11, 23, 17, 30, tzinfo=UTC).astimezone(tz=None)  # any aware time zone
    assert visit_problems(values("h", visited_at=beijing), now=NOW) == {"visited_at": "走访时间不能晚于现在"}


def test_recording_a_visit_keeps_residents_met_and_updates_the_list(db, sample_households):
    household = household_detail(db, sample_households[1])
    [resident] = household.residents
    when = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    saved = record_visit(db, values=values(household.row.id, visited_at=when, met={resident.id: True},
                                           purposes=("反诈宣传", "日常走访"), requests="希望加装路灯"), now=NOW)
    assert saved.dispute_id is None
    assert search_households(db, text="李娜")[0].last_visit == when.date()
    history = household_detail(db, household.row.id).visits
    assert [v.visited_at for v in history] == [when, datetime(2026, 11, 1, 9, 30, tzinfo=UTC)]  # newest first
    assert history[0].purposes == "日常走访,反诈宣传"  # in the vocabulary's order
    stored = visit_values(db, saved.visit_id)
    assert stored.met == {resident.id: True} and stored.requests == "希望加装路灯"


def test_a_dispute_found_on_a_visit_is_opened_linked_and_numbered(db, sample_households):
    with db.session() as s:
        officer = Officer(username="jy001", name="王警官")
        s.add(officer)
        s.commit()
        officer_id = officer.id
    note = DisputeNote(kind="neighbour", facts="楼上漏水，与楼下住户争吵", **SIDES)
    first = record_visit(db, values=values(sample_households[0], dispute=note), now=NOW, officer_id=officer_id)
    second = record_visit(db, values=values(sample_households[1], dispute=note), now=NOW)
    year, code = (NOW - timedelta(hours=1)).astimezone().year, db.device.short_code
    assert (first.dispute_number, second.dispute_number) == (f"{year}-{code}-0001", f"{year}-{code}-0002")
    with db.session() as s:
        dispute = s.get(Dispute, first.dispute_id)
    assert (dispute.source, dispute.status, dispute.risk_level, dispute.kind) == ("visit", "pending", "low", "neighbour")
    assert (dispute.visit_id, dispute.household_id) == (first.visit_id, sample_households[0])
    assert dispute.place == "阳光花园2栋1单元101室" and dispute.updated_by == officer_id
    assert dispute.officer_id == officer_id  # whoever recorded the visit answers for the dispute
    assert visit_record(db, first.visit_id).dispute_number == first.dispute_number


def test_editing_a_visit_never_opens_its_dispute_twice(db, sample_households):
    note = DisputeNote(kind="family", facts="夫妻为家务争吵", **SIDES)
    saved = record_visit(db, values=values(sample_households[0], dispute=note), now=NOW)
    again = record_visit(db, values=values(sample_households[0], dispute=note, findings="已劝解"),
                         visit_id=saved.visit_id, now=NOW)
    assert again.dispute_id is None and visit_values(db, saved.visit_id).findings == "已劝解"
    with db.connect() as conn:
        assert conn.execute(select(Dispute.__table__.c.id)).all() == [(saved.dispute_id,)]


def test_dispute_numbers_continue_per_device_and_year_and_are_never_reused(db, sample_households):
    with db.session() as s:
        for number in ("2026-A01-0007", "2026-B02-0031", "2025-A01-0050", "2026-A01-0003", "2026-A01-T0099"):
            s.add(Dispute(number=number, source="walk_in", kind="other", occurred_at=NOW, deleted="0007" in number))
        s.commit()
        assert next_dispute_number(s, device_code="A01", year=2026) == "2026-A01-0008"  # the deleted 0007 counts
    with db.connect() as conn:
        assert next_dispute_number(conn, device_code="A01", year=2025) == "2025-A01-0051"
        assert next_dispute_number(conn, device_code="C03", year=2026) == "2026-C03-0001"


def test_editing_the_residents_met(db, sample_households):
    [resident] = household_detail(db, sample_households[0]).residents
    saved = record_visit(db, values=values(sample_households[0], met={resident.id: True}), now=NOW)
    record_visit(db, values=values(sample_households[0], met={resident.id: False}), visit_id=saved.visit_id, now=NOW)
    with db.connect() as conn:
        rows = conn.execute(select(VisitResident.__table__.c.met).where(
            VisitResident.__table__.c.visit_id == saved.visit_id)).all()
    assert rows == [(False,)]


def test_refusals_are_user_errors(db, sample_households):
    with pytest.raises(UserError, match="不能晚于现在"):
        record_visit(db, values=values(sample_households[0], visited_at=NOW + timedelta(hours=2)), now=NOW)
    with pytest.raises(UserError, match="住户已被删除"):
        record_visit(db, values=values("0" * 32), now=NOW)
    with pytest.raises(UserError, match="没有这条走访记录"):
        visit_record(db, "0" * 32)


def test_a_deleted_visit_leaves_the_history(db, sample_households):
    [visit] = household_detail(db, sample_households[2]).visits
    delete_visit(db, visit_id=visit.id)
    assert household_detail(db, sample_households[2]).visits == []
    assert search_households(db, text="王芳")[0].last_visit is None
    with pytest.raises(UserError, match="已被删除"):
        delete_visit(db, visit_id=visit.id)
