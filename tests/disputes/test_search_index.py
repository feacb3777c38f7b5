"""The dispute list's search through its trigram index (migration 0013, app/disputes/search.py) lists
exactly the disputes the plain ``instr`` match over number, place, facts and living parties listed,
in every view, sort and page; rare terms read their few candidates, not every dispute."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, text

from app.core.text import search_terms
from app.disputes import search
from app.disputes.queries import SORT_KEYS, VIEWS, WALKED_SORTS, search_disputes
from db.bulk_load import bulk_load
from db.engine import Database
from db.models import Community, Dispute, DisputeParty, Revisit
from tests.support.statements import statements_run

TODAY = date(2026, 11, 23)
# Few characters, so that short terms collide often and the data holds every shape of match:
# lower-case letters (place and facts are matched as written, number and parties upper-cased).
PLACES = [None, "阳光花园", "金桂苑东门", "gate a", "Gate B"]
WORDS = ["噪音", "漏水", "王伟", "借款", "ab", "AB", "x1", "桂花"]
NAME_CHARS = "张王李刘伟芳光明"
ALPHABET = sorted(set("".join(p or "" for p in PLACES) + "".join(WORDS) + NAME_CHARS + "0123456789Xx-" + "赵Z"))
STATUSES = ["pending", "mediating", "to_center", "resolved", "terminated", "to_police"]


def _fill(db: Database, rng: random.Random, disputes: int) -> None:
    """Disputes with parties and revisits; some disputes and parties deleted, some parties moved
    or edited after the fact, a few with no party at all."""
    with db.session() as s:
        communities = [Community(name=name) for name in ("阳光社区", "金桂社区")]
        s.add_all(communities)
        s.flush()
        rows = []
        for i in range(disputes):
            status = rng.choice(STATUSES)
            dispute = Dispute(
                number=rng.choice(["2026-A03-", "2025-b07-"]) + f"{i:04d}", source="walk_in",
                kind=rng.choice(["neighbour", "debt"]), occurred_at=datetime(2026, 1, 1, tzinfo=UTC)
                + timedelta(hours=rng.randint(0, 8000)), place=rng.choice(PLACES),
                facts="".join(rng.choice(WORDS) for _ in range(rng.randint(0, 3))), status=status,
                risk_level=rng.choice(["low", "medium", "high"]), deleted=rng.random() < 0.1,
                community_id=rng.choice([None, *(c.id for c in communities)]),
                settled_on=TODAY - timedelta(days=10) if status == "resolved" else None)
            s.add(dispute)
            s.flush()
            rows.append(dispute)
            for _ in range(rng.choice((0, 1, 2, 3))):
                s.add(DisputeParty(
                    dispute_id=dispute.id, role="applicant",
                    name="".join(rng.choice(NAME_CHARS) for _ in range(rng.choice((1, 2, 3)))),
                    phone=rng.choice([None, f"13{rng.randint(0, 999999999):09d}"]),
                    id_number=rng.choice([None, f"{rng.randint(0, 10**16):017d}" + rng.choice("0123456789Xx")]),
                    deleted=rng.random() < 0.1))
            if rng.random() < 0.3:
                s.add(Revisit(dispute_id=dispute.id, due_on=TODAY + timedelta(days=rng.randint(-5, 5))))
        s.commit()
        # Edits after the fact, each kept by a trigger: facts rewritten, parties renamed, moved, deleted.
        parties = list(s.execute(select(DisputeParty)).scalars())
        for party in rng.sample(parties, len(parties) // 5):
            change = rng.choice(("rename", "move", "delete", "undelete"))
            if change == "rename":
                party.name = "".join(rng.choice(NAME_CHARS) for _ in range(2))
            elif change == "move":
                party.dispute_id = rng.choice(rows).id
            else:
                party.deleted = change == "delete"
        for dispute in rng.sample(rows, len(rows) // 10):
            dispute.facts = rng.choice(WORDS) + "又" + rng.choice(WORDS)
            dispute.place = rng.choice(PLACES)
        s.commit()


@pytest.fixture(scope="module")
def station(tmp_path_factory, _template_db):
    """One file of 160 disputes, built once for the module."""
    path = tmp_path_factory.mktemp("dispute_search") / "station.sqlite3"
    shutil.copy(_template_db, path)
    db = Database.open(path)
    _fill(db, random.Random(13), 160)
    yield db
    db.close()


# The list's match before the search index, verbatim: each term in the number (upper-cased), the
# place or the facts (as written), or a living party's name, phone or ID number (upper-cased). The
# bench (tests/bench/test_dispute_views.py) times it as the baseline.
PLAIN_MATCH = """(instr(upper(dispute.number), :t) > 0 OR instr(coalesce(dispute.place, ''), :t) > 0
    OR instr(dispute.facts, :t) > 0
    OR EXISTS (SELECT 1 FROM dispute_party p WHERE p.dispute_id = dispute.id AND p.deleted = 0 AND (
        instr(upper(coalesce(p.name, '')), :t) > 0 OR instr(upper(coalesce(p.phone, '')), :t) > 0
        OR instr(upper(coalesce(p.id_number, '')), :t) > 0)))"""


def plain_match(db: Database, text: str) -> set[str]:
    """The living disputes the plain instr match finds for every term of ``text``."""
    terms = search_terms(text)
    where = "".join(" AND " + PLAIN_MATCH.replace(":t", f"?{n + 1}") for n in range(len(terms)))
    with db.engine.connect() as conn:
        return set(conn.exec_driver_sql(f"SELECT dispute.id FROM dispute WHERE dispute.deleted = 0{where}",
                                        tuple(terms)).scalars())


def plain_page(db: Database, text: str, *, view: str, sort: str, descending: bool, offset: int, limit: int):
    """The page the list showed: the view in its order (no search), kept to the plain match."""
    whole = search_disputes(db, view=view, sort=sort, descending=descending, limit=10**6, today=TODAY)
    found = plain_match(db, text)
    return [r.id for r in whole if r.id in found][offset:offset + limit]


def ids(rows) -> list[str]:
    return [r.id for r in rows]


terms_strategy = st.lists(st.text(alphabet=[c for c in ALPHABET if c != " "], min_size=1, max_size=5),
                          min_size=1, max_size=3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=terms_strategy, view=st.sampled_from(list(VIEWS)), sort=st.sampled_from(list(SORT_KEYS)),
       descending=st.booleans(), offset=st.integers(0, 30), limit=st.integers(1, 50),
       common=st.sampled_from([1, 5, 1000]))
def test_any_search_pages_exactly_as_the_plain_instr_match(station, terms, view, sort, descending, offset, limit,
                                                           common):
    # A small COMMON sends the same data down both paths: the candidates read, and the list walked.
    text = " ".join(terms)
    expected = plain_page(station, text, view=view, sort=sort, descending=descending, offset=offset, limit=limit)
    with mock.patch.object(search, "COMMON", common):
        got = search_disputes(station, text=text, view=view, sort=sort, descending=descending, offset=offset,
                              limit=limit, today=TODAY)
    assert ids(got) == expected


@pytest.mark.parametrize("text", ["王", "王伟", "ab", "AB", "x", "X1", "gate", "GATE", "2025-B07", "b07", "13",
                                  "花园 0", "赵", "伟 李", "a-", "ATE"])
def test_listed_cases_match_as_the_plain_instr_match(station, text):
    for common in (1, 1000):
        with mock.patch.object(search, "COMMON", common):
            got = set(ids(search_disputes(station, text=text, limit=10**6, today=TODAY)))
        assert got == plain_match(station, text), (text, common)


def test_the_data_holds_every_shape_of_match(station):
    # Lower-case place and facts are not found by their upper-cased term; the number is, in any case.
    assert plain_match(station, "ab") and plain_match(station, "gate") == set()
    assert plain_match(station, "2025-b07") == plain_match(station, "2025-B07") != set()
    with station.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM dispute WHERE deleted = 1").scalar()
        assert conn.exec_driver_sql("SELECT count(*) FROM dispute_party WHERE deleted = 1").scalar()


def _one_dispute(s, number: str, *, facts: str, place: str | None = None, **party) -> tuple[Dispute, DisputeParty]:
    """A dispute and its applicant (``party``: his fields), written in session ``s``."""
    dispute = Dispute(number=number, source="walk_in", kind="neighbour", place=place,
                      occurred_at=datetime(2026, 1, 1, tzinfo=UTC), facts=facts)
    s.add(dispute)
    s.flush()
    applicant = DisputeParty(dispute_id=dispute.id, role="applicant", **party)
    s.add(applicant)
    s.commit()
    return dispute, applicant


def test_a_term_spanning_two_fields_is_not_found(db):
    with db.session() as s:
        _one_dispute(s, "2026-A03-0001", place="东门", facts="漏水", name="张三", phone="13800138000")
    for spanning in ["0001东", "门漏", "水张", "三1"]:
        assert search_disputes(db, text=spanning, today=TODAY) == [] == list(plain_match(db, spanning))
    for inside in ["0001", "东门", "漏水", "张三", "8000", "门", "0"]:
        assert len(search_disputes(db, text=inside, today=TODAY)) == 1, inside


def test_a_term_at_the_very_end_of_the_search_text_is_found(db):
    with db.session() as s:
        _one_dispute(s, "2026-A03-0002", facts="", name="李四", id_number="11010519491231002x")
    for term in ["X", "2X", "02X", "x"]:  # the last party's ID number ends the text
        assert len(search_disputes(db, text=term, today=TODAY)) == 1, term


def test_edits_and_deletes_are_searched_at_once(db):
    with db.session() as s:
        dispute, party = _one_dispute(s, "2026-A03-0003", facts="噪音", name="王五", phone="13912345678")
        assert len(search_disputes(db, text="13912345678", today=TODAY)) == 1
        party.phone = "13700000000"
        dispute.facts = "漏水"
        s.commit()
        assert search_disputes(db, text="13912345678", today=TODAY) == []
        assert search_disputes(db, text="噪音", today=TODAY) == []
        assert len(search_disputes(db, text="13700000000 漏水", today=TODAY)) == 1
        party.deleted = True
        s.commit()
        assert search_disputes(db, text="王五", today=TODAY) == []
        party.deleted = False
        s.commit()
        assert len(search_disputes(db, text="王五", today=TODAY)) == 1
        dispute.deleted = True
        s.commit()
        assert search_disputes(db, text="王五", today=TODAY) == []


def test_physical_deletes_leave_the_index_consistent(db):
    with db.session() as s:
        _one_dispute(s, "2026-A03-0004", facts="借款", name="赵六")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM dispute_party")
        assert conn.exec_driver_sql("SELECT text FROM dispute_search").scalar() == "2026-A03-0004  借款   "
        conn.exec_driver_sql("DELETE FROM dispute")
        assert conn.exec_driver_sql("SELECT count(*) FROM dispute_search").scalar() == 0
        conn.exec_driver_sql("INSERT INTO dispute_fts (dispute_fts, rank) VALUES ('integrity-check', 1)")


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_a_rare_term_reads_its_candidates_and_scans_no_dispute(station, view, sort):
    with station.engine.connect() as conn:  # a dispute's number is held by it alone
        number = conn.exec_driver_sql("SELECT number FROM dispute ORDER BY rowid LIMIT 1 OFFSET 42").scalar()
    for terms in [number, "王伟 " + number[-4:]]:
        sql, parameters = statements_run(station, lambda: search_disputes(  # noqa: B023
            station, text=terms, view=view, sort=sort, today=TODAY, limit=40))[-1]
        with station.engine.connect() as conn:
            plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)]
        assert any("dispute_fts VIRTUAL TABLE" in line for line in plan), plan
        assert not any(line.split()[:2] in (["SCAN", "dispute"], ["SCAN", "dispute_party"], ["SCAN", "dispute_search"])
                       for line in plan), plan


@pytest.mark.parametrize("sort", sorted(set(SORT_KEYS) - WALKED_SORTS))
def test_a_sort_no_index_gives_reads_even_a_common_terms_candidates(station, sort):
    with mock.patch.object(search, "COMMON", 1):  # every term common
        sql, parameters = statements_run(
            station, lambda: search_disputes(station, text="王", sort=sort, today=TODAY))[-1]
    with station.engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters)]
    assert any("dispute_fts_terms VIRTUAL TABLE" in line for line in plan), plan
    assert not any(line.split()[:2] == ["SCAN", "dispute"] for line in plan), plan


def test_a_term_found_nowhere_answers_without_running_the_list(station):
    statements = statements_run(station, lambda: search_disputes(station, text="没有 赵", today=TODAY))
    assert all("dispute_fts" in sql and "FROM dispute " not in sql for sql, _p in statements), statements


def test_one_and_two_character_terms_are_looked_up_in_the_term_list(station):
    for term in ["王", "王伟", "13", "X"]:
        assert search.candidates(term).kind == "terms"
    assert search.candidates("王伟芳").kind == "match"
    assert search.candidates("É") is None  # Python and SQLite may fold it differently: walked


def test_a_bulk_load_gives_the_search_rows_and_index_the_triggers_make(station, tmp_path, _template_db):
    """The demo build and a full import load disputes with the triggers lifted (db/bulk_load.py):
    the search rows, ids included, and every trigram of the index must be what they made."""
    path = tmp_path / "bulk.sqlite3"
    shutil.copy(_template_db, path)
    bulk = Database.open(path)
    try:
        tables = [Community.__table__, Dispute.__table__, DisputeParty.__table__]
        with station.engine.connect() as source:
            rows = {t.name: [dict(r) for r in source.execute(select(t).order_by(text("rowid"))).mappings()]
                    for t in tables}  # in the order they were made: the search rows' ids follow it
        with bulk.engine.begin() as conn, bulk_load(conn):
            for t in tables:
                conn.execute(insert(t), rows[t.name])
        found = {}
        for name, db in (("bulk", bulk), ("triggers", station)):
            with db.engine.connect() as conn:
                conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, dispute_fts, instance)")
                found[name] = [conn.exec_driver_sql(sql).all() for sql in (
                    "SELECT s.id, s.dispute_id, s.text FROM dispute_search s ORDER BY s.id",
                    "SELECT term, doc, col, offset FROM temp.terms ORDER BY term, doc, offset")]
                conn.exec_driver_sql("DROP TABLE temp.terms")
        assert found["bulk"][0] and found["bulk"] == found["triggers"]
        with bulk.engine.begin() as conn:  # raises when the index and its content disagree
            conn.exec_driver_sql("INSERT INTO dispute_fts (dispute_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        bulk.close()


def test_the_upgrade_fills_the_search_rows_and_index_of_existing_disputes(station, tmp_path):
    """Migration 0013 on a file that already holds disputes makes what the triggers would have made."""
    from alembic import command
    from sqlalchemy import create_engine

    from db import migrate

    path = tmp_path / "old.sqlite3"
    with station.engine.connect() as conn:  # a consistent copy of the station
        conn.exec_driver_sql(f"VACUUM INTO '{path}'")
    search_rows = "SELECT id, dispute_id, text FROM dispute_search ORDER BY id"
    with station.engine.connect() as conn:
        made = conn.exec_driver_sql(search_rows).all()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.downgrade(migrate._config(conn), "0012")
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name LIKE 'dispute_%search%' "
                                        "OR name LIKE 'dispute_fts%'").scalar() == 0
        migrate.upgrade(engine)
        with engine.begin() as conn:
            assert conn.exec_driver_sql(search_rows).all() == made
            conn.exec_driver_sql("INSERT INTO dispute_fts (dispute_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        engine.dispose()
    upgraded = Database.open(path)
    try:
        for text in ["王", "13", "王伟 0", "ab"]:
            assert {r.id for r in search_disputes(upgraded, text=text, limit=10**6, today=TODAY)} == \
                plain_match(station, text)
    finally:
        upgraded.close()
