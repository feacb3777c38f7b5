"""The household list searches and sorts in SQL, and shows personal numbers masked."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from app.core.text import format_address
from app.households.service import household_detail, search_households
from db.models import Household, Resident


def _addresses(rows):
    return [r.address for r in rows]


def test_address_is_formatted_the_way_officers_write_it():
    assert format_address("阳光花园", "3", "2", "501") == "阳光花园3栋2单元501室"
    assert format_address("老街", "", "", "12") == "老街12室"


def test_list_sorts_buildings_as_numbers(db, sample_households):
    assert _addresses(search_households(db)) == ["金桂苑3栋2单元502室", "阳光花园2栋1单元101室", "阳光花园10栋1单元101室"]


def test_search_finds_a_household_by_resident_name(db, sample_households):
    assert _addresses(search_households(db, text="李娜")) == ["阳光花园10栋1单元101室"]


def test_search_finds_a_household_by_address_fragment(db, sample_households):
    assert _addresses(search_households(db, text="金桂苑3栋")) == ["金桂苑3栋2单元502室"]


def test_search_finds_a_household_by_phone_and_by_id_number_with_lower_case_x(db, sample_households):
    assert _addresses(search_households(db, text="87654321")) == ["金桂苑3栋2单元502室"]
    assert _addresses(search_households(db, text="1231002x")) == ["阳光花园2栋1单元101室"]


def test_all_search_words_must_match(db, sample_households):
    assert _addresses(search_households(db, text="阳光 张伟")) == ["阳光花园2栋1单元101室"]
    assert search_households(db, text="阳光 王芳") == []


def test_search_follows_residents_who_move_or_are_deleted(db, sample_households):
    with db.session() as s:
        resident = s.exec(select(Resident).where(Resident.name == "李娜")).one()
        resident.household_id = sample_households[2]  # moves to 金桂苑
        s.commit()
        assert _addresses(search_households(db, text="13900139000")) == ["金桂苑3栋2单元502室"]
        resident.deleted = True
        s.commit()
    assert search_households(db, text="13900139000") == []


def test_deleted_households_are_not_listed(db, sample_households):
    with db.session() as s:
        s.get(Household, sample_households[0]).deleted = True
        s.commit()
    assert "阳光花园2栋1单元101室" not in _addresses(search_households(db))


def test_paging_returns_consecutive_slices(db, sample_households):
    everything = search_households(db)
    pages = [search_households(db, offset=i, limit=1) for i in range(3)]
    assert [p[0] for p in pages] == everything


def test_sorting_descending_reverses_the_order(db, sample_households):
    assert search_households(db, sort="head", descending=True) == list(reversed(search_households(db, sort="head")))


def test_list_rows_show_masked_phone_counts_and_last_visit(db, sample_households):
    row = search_households(db, text="张伟")[0]
    assert row.phone == "" and row.residents == 1 and row.last_visit == date(2026, 11, 1)
    assert row.kind == "自住" and row.community == "阳光社区"


def test_detail_lists_residents_masked_and_visits_newest_first(db, sample_households):
    detail = household_detail(db, sample_households[0], today=date(2026, 11, 23))
    assert detail.row.address == "阳光花园2栋1单元101室"
    [resident] = detail.residents
    assert (resident.name, resident.id_number, resident.phone) == ("张伟", "110105********002X", "138****8000")
    assert [v.purposes for v in detail.visits] == ["日常走访,反诈宣传"]


def test_detail_of_an_unknown_household_is_none(db):
    assert household_detail(db, "0" * 32) is None
