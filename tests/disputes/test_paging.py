"""The dispute list pages consistently in every sort order, and sorts by next revisit correctly."""

from __future__ import annotations

from datetime import date

import pytest

from app.demo.build import build_demo
from app.disputes.queries import SORT_KEYS, search_disputes

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo_db(db):
    build_demo(db, scale="small", seed=3, today=TODAY)
    return db


@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_pages_join_up_to_the_whole_list_in_every_order(demo_db, sort, descending):
    whole = search_disputes(demo_db, sort=sort, descending=descending, limit=1000, today=TODAY)
    pages = []
    for offset in range(0, len(whole), 7):
        pages += search_disputes(demo_db, sort=sort, descending=descending, offset=offset, limit=7, today=TODAY)
    assert [r.id for r in pages] == [r.id for r in whole] and len(whole) == 60


def test_revisit_order_is_soonest_first_and_none_last(demo_db):
    rows = search_disputes(demo_db, sort="revisit", limit=1000, today=TODAY)
    dues = [r.next_revisit for r in rows]
    planned = [d for d in dues if d is not None]
    assert planned == sorted(planned) and dues == planned + [None] * (len(dues) - len(planned))


def test_the_detail_opens_every_dispute_not_only_the_first_in_the_list_order(demo_db):
    from app.disputes.queries import dispute_detail

    rows = search_disputes(demo_db, limit=1000, today=TODAY)
    for row in (rows[0], rows[len(rows) // 2], rows[-1]):
        detail = dispute_detail(demo_db, row.id, today=TODAY)
        assert detail is not None and (detail.row.id, detail.row.number) == (row.id, row.number)
