"""Statistics on a known set: 化解率 = settled ÷ handled, per type, officer and community, for a period."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.core.errors import UserError
from app.disputes.stats import DEFINITION, format_rate, statistics
from db.models import Officer, Revisit
from tests.support.disputes import add_dispute, at_noon

START, END = date(2026, 1, 1), date(2026, 3, 31)
ON = date(2026, 4, 15)


@pytest.fixture
def known_set(db, community):
    """Ten disputes in Q1 (four settled, one terminated, two transferred, three open) and two outside it."""
    with db.session() as s:
        wang, li = Officer(username="w", name="王警官"), Officer(username="l", name="李警官")
        s.add_all([wang, li])
        s.commit()
    plan = [  # (status, kind, officer, escalated)
        ("resolved", "neighbour", wang.id, False), ("resolved", "neighbour", wang.id, False),
        ("resolved", "debt", li.id, False), ("resolved", "family", li.id, False),
        ("terminated", "neighbour", wang.id, False), ("to_center", "debt", li.id, False),
        ("to_police", "family", li.id, True), ("pending", "neighbour", wang.id, False),
        ("mediating", "labour", None, False), ("mediating", "debt", li.id, False),
    ]
    ids = []
    for n, (status, kind, officer_id, escalated) in enumerate(plan, 1):
        ids.append(add_dispute(db, number=f"2026-A03-{n:04d}", status=status, kind=kind, officer_id=officer_id,
                               community_id=community if n % 2 else None, escalated=escalated,
                               risk="high" if n == 7 else "low", occurred=at_noon(START + timedelta(days=8 * n))))
    # Just outside the period on either side (whole local days): never counted.
    add_dispute(db, number="2025-A03-0099", status="resolved", occurred=at_noon(START) - timedelta(hours=12, minutes=1))
    add_dispute(db, number="2026-A03-0099", status="pending", occurred=at_noon(END) + timedelta(hours=12))
    with db.session() as s:  # one revisit overdue on ON, one done in time, one not yet due
        s.add_all([Revisit(dispute_id=ids[0], due_on=ON - timedelta(days=3)),
                   Revisit(dispute_id=ids[1], due_on=ON - timedelta(days=3), done_on=ON - timedelta(days=3),
                           result="stable"),
                   Revisit(dispute_id=ids[2], due_on=ON + timedelta(days=3))])
        s.commit()
    return {"wang": wang.id, "li": li.id}


def test_totals_and_the_resolution_rate_on_a_known_set(db, known_set):
    total = statistics(db, start=START, end=END, on=ON).total
    assert (total.registered, total.settled, total.terminated, total.transferred, total.open) == (10, 4, 1, 2, 3)
    assert (total.to_center, total.to_police, total.handled) == (1, 1, 7)
    assert total.rate == pytest.approx(4 / 7) and format_rate(total.rate) == "57.1%"
    assert (total.overdue_revisits, total.criminal, total.high_risk) == (1, 1, 1)


def test_breakdowns_per_type_officer_and_community(db, known_set):
    stats = statistics(db, start=START, end=END, on=ON)
    neighbour = stats.by_kind["邻里"]
    assert (neighbour.registered, neighbour.settled, neighbour.handled, neighbour.open) == (4, 2, 3, 1)
    assert stats.by_kind["劳资"].rate is None and stats.by_kind["交通事故"].registered == 0
    assert list(stats.by_kind)[:3] == ["邻里", "家庭", "婚恋情感"]  # every type, in vocabulary order
    assert {name: c.registered for name, c in stats.by_officer.items()} == {"李警官": 5, "王警官": 4,
                                                                              "（未指定民警）": 1}
    assert stats.by_officer["李警官"].rate == pytest.approx(2 / 4)
    assert {name: c.registered for name, c in stats.by_community.items()} == {"阳光社区": 5, "（未指定社区）": 5}
    assert sum(c.registered for c in stats.by_kind.values()) == stats.total.registered


def test_a_period_is_whole_local_days(db, known_set):
    one_day = statistics(db, start=START + timedelta(days=8), end=START + timedelta(days=8), on=ON)
    assert one_day.total.registered == 1
    assert statistics(db, start=date(2025, 12, 31), end=date(2025, 12, 31), on=ON).total.registered == 1


def test_json_states_the_definition_and_rounds_the_rate(db, known_set):
    data = statistics(db, start=START, end=END, on=ON).to_dict()
    assert data["definition"] == DEFINITION and "已化解 ÷ 已办结" in DEFINITION
    assert data["total"]["rate"] == 0.5714 and data["total"]["handled"] == 7
    assert {row["name"] for row in data["by_officer"]} == {"王警官", "李警官", "（未指定民警）"}


def test_an_empty_period_has_no_rate_and_a_reversed_one_is_refused(db):
    stats = statistics(db, start=START, end=END, on=ON)
    assert stats.total.registered == 0 and stats.total.rate is None and format_rate(None) == "—"
    with pytest.raises(UserError, match="开始日期"):
        statistics(db, start=END, end=START)


def test_stats_count_living_disputes_only(db):
    from db.models import Dispute

    dispute_id = add_dispute(db, number="2026-A03-0001", occurred=datetime(2026, 2, 1, 12).astimezone())
    with db.session() as s:
        s.get(Dispute, dispute_id).deleted = True
        s.commit()
    assert statistics(db, start=START, end=END, on=ON).total.registered == 0
