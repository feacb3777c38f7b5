"""Dispute and agreement numbers: device-scoped, sequential per year, never reused."""

from __future__ import annotations

from datetime import timedelta

from app.disputes.numbering import next_agreement_number, next_dispute_number
from db.models import Dispute
from tests.support.disputes import NOW, add_dispute, make_values, register


def test_numbers_run_per_device_and_year(db):
    code = db.device.short_code
    first, second = register(db), register(db)
    year = make_values().occurred_at.year
    assert (first.number, second.number) == (f"{year}-{code}-0001", f"{year}-{code}-0002")
    with db.connect() as conn:
        assert next_dispute_number(conn, device_code=code, year=year) == f"{year}-{code}-0003"
        assert next_dispute_number(conn, device_code=code, year=year + 1) == f"{year + 1}-{code}-0001"


def test_another_laptops_numbers_never_collide_with_ours(db):
    add_dispute(db, number="2026-Z99-0041", occurred=NOW - timedelta(days=1))  # synced in from laptop Z99
    with db.session() as s:
        mine = next_dispute_number(s, device_code="A03", year=2026)
        theirs = next_dispute_number(s, device_code="Z99", year=2026)
    assert (mine, theirs) == ("2026-A03-0001", "2026-Z99-0042")


def test_a_deleted_dispute_keeps_its_number(db):
    first = register(db)
    with db.session() as s:
        s.get(Dispute, first.id).deleted = True
        s.commit()
    assert register(db).number.endswith("-0002")


def test_agreement_numbers_are_their_own_sequence_and_ignore_dispute_numbers(db):
    add_dispute(db, number="2026-A03-0007", occurred=NOW - timedelta(days=1))
    with db.connect() as conn:
        assert next_agreement_number(conn, device_code="A03", year=2026) == "2026-A03-T0001"
        assert next_dispute_number(conn, device_code="A03", year=2026) == "2026-A03-0008"


def test_numbers_past_9999_keep_counting(db):
    add_dispute(db, number="2026-A03-9999", occurred=NOW - timedelta(days=1))
    with db.connect() as conn:
        assert next_dispute_number(conn, device_code="A03", year=2026) == "2026-A03-10000"


def test_many_registrations_give_unique_numbers(db):
    numbers = [register(db).number for _ in range(25)]
    assert len(set(numbers)) == 25 and numbers == sorted(numbers)
