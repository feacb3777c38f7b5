"""Household search through the index gives exactly the rows of a plain LIKE scan, for terms of any
length, in the list's order and pages, on plain and encrypted files, after edits, deletes and sync."""

from __future__ import annotations

import random
import shutil
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.households import search
from app.households.service import search_households
from db.engine import Database
from db.models import Community, Household, Resident

# Few characters, so that short terms collide often and the data holds every shape of match.
ESTATES = ["阳光花园", "阳光里", "金桂苑", "桂花里", "光明苑"]
NAME_CHARS = "张王李刘伟芳光明阳金桂英秀"
ALPHABET = sorted(set("".join(ESTATES) + NAME_CHARS + "0123456789X栋单元室 " + "赵Z"))  # 赵, Z: in no text


def _fill(db: Database, rng: random.Random, households: int) -> None:
    """Households with residents; some households and residents deleted, some with no residents."""
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        for i in range(households):
            name = "".join(rng.choice(NAME_CHARS) for _ in range(rng.choice((1, 2, 3))))
            household = Household(
                community_id=community.id, estate=rng.choice(ESTATES), building=str(rng.randint(1, 12)),
                unit=str(rng.randint(1, 3)), room=str(100 * rng.randint(1, 9) + i % 7),
                head_name=name, phone=rng.choice([None, f"13{rng.randint(0, 999999999):09d}"]),
                deleted=rng.random() < 0.1)
            s.add(household)
            s.flush()
            for _ in range(rng.choice((0, 1, 2, 3))):
                id_number = f"{rng.randint(0, 10**16):017d}" + rng.choice("0123456789X")
                s.add(Resident(
                    household_id=household.id, relation="家属",
                    name="".join(rng.choice(NAME_CHARS) for _ in range(rng.choice((2, 3)))),
                    phone=rng.choice([None, f"15{rng.randint(0, 999999999):09d}"]),
                    id_number=rng.choice([None, id_number]), deleted=rng.random() < 0.1))
        s.commit()


@pytest.fixture(scope="module")
def station(tmp_path_factory, _template_db):
    """One file of 150 households, built once for the module."""
    path = tmp_path_factory.mktemp("search") / "station.sqlite3"
    shutil.copy(_template_db, path)
    db = Database.open(path)
    _fill(db, random.Random(15), 150)
    yield db
    db.close()


def plain_scan(db: Database, terms: list[str], *, descending: bool = False) -> list[str]:
    """What the list must show: every living household whose search text is LIKE each term."""
    where = "".join(" AND text LIKE '%' || ? || '%'" for _ in terms)
    direction = "DESC" if descending else "ASC"
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT household_id FROM household_search WHERE deleted = 0{where} "
            f"ORDER BY sort_key {direction}, id {direction}", tuple(terms)).all()
    return [r[0] for r in rows]


def ids(rows) -> list[str]:
    return [r.id for r in rows]


terms_strategy = st.lists(st.text(alphabet=[c for c in ALPHABET if c != " "], min_size=1, max_size=4),
                          min_size=1, max_size=3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=terms_strategy, descending=st.booleans(), offset=st.integers(0, 40), limit=st.integers(1, 60),
       common=st.sampled_from([1, 3, 1000]), window=st.sampled_from([1, 7, 8000]),
       walk=st.sampled_from([2, 30, 8000]), read_walked=st.sampled_from([1, 40, 10**6]),
       read_cost=st.sampled_from([1, 4, 1000]))
def test_any_search_pages_exactly_as_a_plain_like_scan(station, terms, descending, offset, limit, common, window,
                                                       walk, read_walked, read_cost):
    # Small COMMON, WINDOW and WALK send the same data down every path: the index read or walked
    # for (READ_WALKED), the head of the list scanned, and past it a walk, a scan or the index
    # (READ_COST).
    expected = plain_scan(station, terms, descending=descending)[offset:offset + limit]
    with (mock.patch.object(search, "COMMON", common), mock.patch.object(search, "WINDOW", window),
          mock.patch.object(search, "WALK", walk), mock.patch.object(search, "READ_WALKED", read_walked),
          mock.patch.object(search, "READ_COST", read_cost)):
        got = search_households(station, text=" ".join(terms), descending=descending, offset=offset, limit=limit)
    assert ids(got) == expected


@pytest.mark.parametrize("sort", ["head", "kind", "community"])
def test_other_sorts_list_the_same_households_as_the_plain_scan(station, sort):
    for text in ["王", "阳光", "1", "X", "阳光 3栋", "桂花里", "赵"]:
        with mock.patch.object(search, "COMMON", 3):
            got = search_households(station, text=text, sort=sort, limit=1000)
        assert sorted(ids(got)) == sorted(plain_scan(station, text.split()))


def test_pages_of_a_short_term_join_up_to_the_whole_list(station):
    everything = plain_scan(station, ["阳"])
    with mock.patch.object(search, "COMMON", 3), mock.patch.object(search, "WINDOW", 7):
        pages = [ids(search_households(station, text="阳", offset=o, limit=10))
                 for o in range(0, len(everything) + 10, 10)]
    assert [i for page in pages for i in page] == everything and len(everything) > 20


def test_one_and_two_character_terms_are_looked_up_in_the_index_not_scanned(station):
    with station.engine.connect() as conn:
        for term in ["王", "阳光", "3栋", "X"]:
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(search.candidates(term).statement().compile(
                    station.engine, compile_kwargs={"literal_binds": True}))).all()
            assert any("household_fts_terms VIRTUAL TABLE" in row[-1] for row in plan), plan
            assert not any("household_search" in row[-1] for row in plan)


def test_a_term_at_the_very_end_of_the_search_text_is_found(db, sample_households):
    # 张伟's ID number ends the text of his household: its "X" and "2X" begin no trigram but the pad's.
    assert ids(search_households(db, text="X")) == [sample_households[0]]
    assert ids(search_households(db, text="2X")) == [sample_households[0]]
    assert ids(search_households(db, text="0018")) == [sample_households[2]]


def test_a_household_without_residents_is_found_by_the_last_digit_of_its_phone(db, community):
    with db.session() as s:
        s.add(Household(community_id=community, estate="老街", room="7", head_name="钱七", phone="13512345679"))
        s.commit()
    assert [r.head_name for r in search_households(db, text="9")] == ["钱七"]
    assert [r.head_name for r in search_households(db, text="七")] == ["钱七"]


def test_edits_and_deletes_are_searched_at_once(db, sample_households):
    with db.session() as s:
        s.get(Household, sample_households[1]).head_name = "欧阳"
        s.commit()
    assert ids(search_households(db, text="欧")) == [sample_households[1]]
    with db.session() as s:
        s.get(Household, sample_households[1]).deleted = True
        s.commit()
    assert search_households(db, text="欧") == []
    assert search_households(db, text="欧阳") == []


def test_an_encrypted_file_searches_the_same(station, tmp_path):
    from db import cipher

    path = tmp_path / "encrypted.sqlite3"
    key = bytes(range(32))
    station.engine.dispose()
    cipher.encrypt_copy(station.path, path, key)
    cipher.unlock(path, key)
    encrypted = Database.open(path)
    try:
        assert cipher.encrypted(path)
        for text in ["王", "阳光", "X", "阳光 3栋", "金桂苑", "13", "赵"]:
            with mock.patch.object(search, "COMMON", 3):
                assert ids(search_households(encrypted, text=text, limit=500)) == plain_scan(station, text.split())
    finally:
        encrypted.close()


def test_a_household_synced_from_another_laptop_is_found_by_short_terms(tmp_path, _template_db):
    from tests.support.sync import Courier, make_device

    a, b = (make_device(_template_db, tmp_path, code) for code in ("A01", "B02"))
    courier = Courier(tmp_path)
    try:
        with a.session() as s:
            community = Community(name="阳光社区")
            s.add(community)
            s.flush()
            household = Household(community_id=community.id, estate="桂花里", building="2", room="301")
            s.add(household)
            s.flush()
            resident = Resident(household_id=household.id, name="柳青", id_number="33010219800101123X")
            s.add(resident)
            s.commit()
            household_id, resident_id = household.id, resident.id
        courier.bring(b, courier.export(a))
        assert ids(search_households(b, text="柳")) == [household_id]
        assert ids(search_households(b, text="3X")) == [household_id]
        with a.session() as s:
            s.get(Resident, resident_id).deleted = True
            s.commit()
        courier.bring(b, courier.export(a))
        assert search_households(b, text="柳") == []
        assert ids(search_households(b, text="桂花")) == [household_id]
    finally:
        a.close()
        b.close()


def test_a_term_no_household_holds_costs_one_count_and_no_page_query(station):
    from sqlalchemy import event

    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(station.engine, "before_cursor_execute", listener)
    try:
        assert search_households(station, text="赵") == []
    finally:
        event.remove(station.engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "count" in statements[0]


def test_a_walk_for_the_candidates_follows_the_sort_key_index_without_sorting(station):
    from app.households.service import household_page_query

    ids = search.candidates("王")
    for descending in (False, True):
        query = household_page_query(1, ids=ids.kind, within=True, walk=True, sort="address", descending=descending)
        bound = {**search.parameters(["王"], ids, ("阳光", 1)), "offset": 0, "limit": 10}
        with station.engine.connect() as conn:
            compiled = query.compile(conn)
            values = tuple(bound.get(name, compiled.params.get(name)) for name in compiled.positiontup)
            plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), values).all()]
        inner = plan[:plan.index("SCAN anon_1")]  # choosing the page, before its rows are joined for display
        assert any("USING INDEX ix_household_search_sort_key" in step for step in inner), plan
        assert not any("TEMP B-TREE" in step or "PRIMARY KEY" in step for step in inner), plan
