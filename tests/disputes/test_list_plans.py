"""The dispute list reads a page by walking an index in the list's order and stopping at the page's
end, not by sorting every dispute (EXPLAIN QUERY PLAN; at city scale that is 1 ms against 40-600)."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from sqlalchemy import event

from app.demo.build import build_demo
from app.disputes import search
from app.disputes.queries import VIEWS, search_disputes

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from db.engine import Database

    database = Database.open(tmp_path_factory.mktemp("plans") / "demo.sqlite3", create=True)
    build_demo(database, scale="small", seed=3, today=TODAY)
    database.refresh_statistics()
    yield database
    database.close()


def _plan(db, **kwargs) -> list[str]:
    """The plan of the list's page query, as search_disputes runs it."""
    statements = []

    def keep(_conn, _cursor, sql, parameters, _context, _many):
        statements.append((sql, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        search_disputes(db, today=TODAY, limit=40, **kwargs)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    sql, parameters = statements[-1]  # after a search's counts of its terms' candidates (app.disputes.search)
    with db.connect() as conn:
        return [(row[0], row[1], row[3]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)]


def _page_choice(plan) -> list[str]:
    """The steps that choose the page's ids (the subquery the rows' columns are then read for)."""
    subquery = next(node for node, _parent, detail in plan if detail.startswith("LIST SUBQUERY"))
    return [detail for _node, parent, detail in plan if parent == subquery]


@pytest.mark.parametrize("view", [view for view in VIEWS if view != "unplanned"])
@pytest.mark.parametrize("text", ["", "王 13"])
@pytest.mark.parametrize("descending", [False, True])
def test_each_view_walks_the_list_order_index_and_sorts_nothing(demo_db, view, text, descending):
    with mock.patch.object(search, "COMMON", 1):  # terms held by many disputes: the list is walked for them
        steps = _page_choice(_plan(demo_db, view=view, text=text, descending=descending))
    assert steps[0] == "SCAN dispute USING INDEX ix_dispute_list"
    assert not any("TEMP B-TREE" in step for step in steps)


def test_unplanned_disputes_are_told_from_two_indexes_alone(demo_db):
    plan = [detail for _node, _parent, detail in _plan(demo_db, view="unplanned")]
    assert any("COVERING INDEX ix_dispute_status_settled" in line for line in plan)
    assert any("COVERING INDEX ix_revisit_dispute_due" in line for line in plan)


def test_a_party_seen_in_other_disputes_is_found_through_indexes(demo_db):
    from app.disputes.risk import _disputes_sharing_parties

    statements = []

    def keep(_conn, _cursor, sql, parameters, _context, _many):
        statements.append((sql, parameters))

    dispute_id = search_disputes(demo_db, today=TODAY, limit=1)[0].id
    event.listen(demo_db.engine, "before_cursor_execute", keep)
    try:
        with demo_db.connect() as conn:
            _disputes_sharing_parties(conn, dispute_id)
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", keep)
    sql, parameters = statements[-1]
    with demo_db.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)]
    assert not any(line.startswith("SCAN") for line in plan), plan
