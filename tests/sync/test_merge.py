"""The merge rule on its own: field by field, the same in any order, and conflicts judged from all versions."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.merge import derive_record, merge_record, merge_version_rows, new_version_row, version_id
from app.sync.tables import CLOCKS, DELETED, HLC, SPECS

SPEC = SPECS["community"]
NAME, NOTES = SPEC.index["name"], SPEC.index["notes"]
_C = SPECS["sync_conflict"].index
INSERT = "000000000001-0000-aaaaaaaaaaaa"  # the insert, on laptop a


def stamp(ms: int, node: str) -> str:
    return f"{ms:012x}-0000-{node * 12}"


def row(**fields) -> list:
    """A community row whose clocks say which change each given field came from."""
    values = [None] * len(SPEC.columns)
    when = "2026-01-01 00:00:00.000000"
    values[:7] = ["c" * 32, when, when, INSERT, {"*": [INSERT, None]}, 0, None]
    values[NAME] = "阳光社区"
    clocks = {"*": [INSERT, None]}
    for name, (value, version, parent) in fields.items():
        values[SPEC.index[name]] = value
        clocks[name] = [version, parent]
    values[CLOCKS], values[HLC] = clocks, max(entry[0] for entry in clocks.values())
    return values


def test_each_field_takes_the_value_with_the_later_stamp():
    mine = row(name=("东区", stamp(5, "a"), INSERT))
    theirs = row(notes=("值班", stamp(3, "b"), INSERT))
    merged, met = merge_record(SPEC, mine, theirs)
    assert (merged[NAME], merged[NOTES]) == ("东区", "值班")
    assert merged[HLC] == stamp(5, "a")
    assert [name for name, *_ in met] == ["name", "notes"]


def test_equal_wall_times_are_ordered_by_the_laptop_part_of_the_stamp():
    mine, theirs = row(name=("东区", stamp(5, "a"), INSERT)), row(name=("西区", stamp(5, "b"), INSERT))
    assert merge_record(SPEC, mine, theirs)[0][NAME] == merge_record(SPEC, theirs, mine)[0][NAME] == "西区"


def test_a_delete_is_a_field_like_any_other():
    deleted = row(deleted=(1, stamp(7, "a"), INSERT))
    older_edit = row(notes=("旧", stamp(6, "b"), INSERT))
    merged, _met = merge_record(SPEC, older_edit, deleted)
    assert merged[DELETED] == 1 and merged[NOTES] == "旧"
    assert merge_record(SPEC, deleted, older_edit)[0] == merged  # an older edit never brings it back


def test_an_edit_made_after_the_delete_by_a_laptop_that_had_not_seen_it_brings_the_record_back():
    d = stamp(7, "a")
    deleted = row(deleted=(1, d, INSERT))
    later_edit = row(notes=("新", stamp(8, "b"), INSERT))  # laptop b still had the record alive
    merged, met = merge_record(SPEC, deleted, later_edit)
    assert merge_record(SPEC, later_edit, deleted)[0] == merged
    assert merged[DELETED] == 0 and merged[NOTES] == "新"
    assert merged[CLOCKS]["deleted"] == [d, INSERT]  # the delete keeps its stamp; no stamp is made up
    assert ("deleted", (d, INSERT, 1), (INSERT, None, 0)) in met
    # The delete met again as it was made (an old file): the record stays back, whatever the order.
    assert merge_record(SPEC, merged, deleted)[0] == merge_record(SPEC, deleted, merged)[0] == merged


def test_an_edit_made_on_the_deleted_record_itself_does_not_bring_it_back():
    d = stamp(7, "a")
    deleted = row(deleted=(1, d, INSERT))
    edited_knowingly = row(deleted=(1, d, INSERT), notes=("补记", stamp(8, "b"), INSERT))
    for other in (deleted, row()):
        assert merge_record(SPEC, edited_knowingly, other)[0][DELETED] == 1
        assert merge_record(SPEC, other, edited_knowingly)[0][DELETED] == 1


def test_a_record_brought_back_can_be_deleted_again_and_brought_back_again():
    d1, e1, d2, e2 = stamp(5, "a"), stamp(6, "b"), stamp(7, "a"), stamp(8, "c")
    back = merge_record(SPEC, row(deleted=(1, d1, INSERT)), row(notes=("x", e1, INSERT)))[0]
    deleted_again = merge_record(SPEC, back, row(deleted=(1, d2, d1), notes=("x", e1, INSERT)))[0]
    assert deleted_again[DELETED] == 1  # made knowing the edit e1: it stands
    assert merge_record(SPEC, deleted_again, row(notes=("x", e1, INSERT)))[0][DELETED] == 1  # e1 is older
    late = row(code=("c", e2, INSERT))  # laptop c never saw either delete
    assert merge_record(SPEC, deleted_again, late)[0][DELETED] == 0
    assert merge_record(SPEC, late, deleted_again)[0][DELETED] == 0


versions = st.lists(st.tuples(st.sampled_from(["name", "notes", "code", "deleted"]), st.integers(2, 9),
                              st.sampled_from("abc"), st.sampled_from(["东", "西", None])), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(sides=st.lists(versions, min_size=2, max_size=4))
def test_merging_is_commutative_associative_and_idempotent(sides):
    rows = []
    for edits in sides:
        fields = {}
        for name, ms, node, value in edits:
            fields[name] = ((1 if value else 0) if name == "deleted" else value, stamp(ms, node), INSERT)
        rows.append(row(**fields))
    results = set()
    for order in itertools.permutations(rows):
        merged = order[0]
        for other in order[1:]:
            merged = merge_record(SPEC, merged, other)[0]
        assert merge_record(SPEC, merged, merged)[0] == merged
        results.add(repr(merged))
        results.add(repr(in_pairs(list(order))))  # grouped otherwise: ((1 2) (3 4)), not (((1 2) 3) 4)
    assert len(results) == 1


def in_pairs(rows: list[list]) -> list:
    while len(rows) > 1:
        rows = [merge_record(SPEC, *rows[n:n + 2])[0] if n + 1 < len(rows) else rows[n]
                for n in range(0, len(rows), 2)]
    return rows[0]


def versions_of(field: str, *specs) -> list[list]:
    return [new_version_row("community", "r" * 32, field, spec) for spec in specs]


def open_ones(rows) -> list[str]:
    derive_record(rows)
    return sorted(r[SPECS["sync_conflict"].index["lost_hlc"]] for r in rows if not r[DELETED])


def test_a_version_edited_over_by_its_successor_is_not_a_conflict():
    a1, b1 = stamp(2, "a"), stamp(3, "b")
    assert open_ones(versions_of("name", (a1, INSERT, "东"), (b1, a1, "西"))) == []


def test_two_edits_from_the_same_parent_leave_the_older_as_a_conflict():
    a1, b1 = stamp(2, "a"), stamp(3, "b")
    assert open_ones(versions_of("name", (a1, INSERT, "东"), (b1, INSERT, "西"))) == [a1]


def test_concurrent_edits_that_agree_are_not_a_conflict():
    assert open_ones(versions_of("name", (stamp(2, "a"), INSERT, "东"), (stamp(3, "b"), INSERT, "东"))) == []


def test_a_later_edit_by_the_same_laptop_supersedes_its_own_earlier_one():
    a1, b1, a2 = stamp(2, "a"), stamp(3, "b"), stamp(4, "a")
    # a2 was made on b1 (laptop a saw b1 win over its a1 and chose again): nothing left open.
    assert open_ones(versions_of("name", (a1, INSERT, "东"), (b1, INSERT, "西"), (a2, b1, "南"))) == []


def test_the_open_conflicts_depend_on_the_versions_not_on_their_order():
    a1, b1, c1 = stamp(2, "a"), stamp(3, "b"), stamp(4, "c")
    specs = [(a1, INSERT, "东"), (b1, a1, "西"), (c1, INSERT, "南")]
    for order in itertools.permutations(specs):
        assert open_ones(versions_of("name", *order)) == [b1]  # a1 was edited over knowingly by b1


def test_a_record_edited_after_its_delete_elsewhere_is_flagged():
    d, e = stamp(5, "a"), stamp(6, "b")
    rows = (versions_of("deleted", (INSERT, None, 0), (d, INSERT, 1))
            + versions_of("notes", (INSERT, None, None), (e, INSERT, "x")))
    assert open_ones(rows) == [d]  # the record is back: the delete lost, and keeping it deletes the record again
    [flag] = [r for r in rows if not r[DELETED]]
    assert (flag[_C["field"]], flag[_C["lost_value"]], flag[_C["kept_value"]], flag[_C["kept_hlc"]]) == (
        "deleted", "1", "0", e)
    later_delete = versions_of("deleted", (INSERT, None, 0), (stamp(7, "a"), INSERT, 1))
    assert open_ones(later_delete + versions_of("notes", (INSERT, None, None), (e, INSERT, "x"))) == []


def test_a_delete_seen_by_one_laptop_as_overturned_is_still_kept_as_the_delete():
    d = stamp(5, "a")
    [overturned], [raw] = versions_of("deleted", (d, INSERT, 0)), versions_of("deleted", (d, INSERT, 1))
    assert merge_version_rows(overturned, raw)[_C["lost_value"]] == "1"
    assert merge_version_rows(raw, overturned)[_C["lost_value"]] == "1"


def test_version_rows_have_the_same_id_on_every_laptop():
    assert version_id("community", "r", "name", INSERT) == version_id("community", "r", "name", INSERT)
    assert version_id("community", "r", "name", INSERT) != version_id("community", "r", "notes", INSERT)
