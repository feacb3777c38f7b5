"""Sync between laptops: concurrent edits merge field by field, losers are kept, files are idempotent."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.sync.conflicts import list_conflicts, resolve_conflict
from app.sync.container import SyncError
from db.models import Community, Household, SyncConflict, SyncLog
from tests.support.sync import Courier, FakeWall, dump, make_device


@pytest.fixture
def laptops(tmp_path, _template_db):
    made = [make_device(_template_db, tmp_path, code) for code in ("A01", "B02", "C03")]
    yield made
    for db in made:
        db.close()


@pytest.fixture
def courier(tmp_path):
    return Courier(tmp_path)


def add_community(db, **values) -> str:
    with db.session() as s:
        row = Community(**{"name": "阳光社区", **values})
        s.add(row)
        s.commit()
        return row.id


def edit(db, model, row_id: str, **values) -> None:
    with db.session() as s:
        row = s.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)
        s.commit()


def get(db, model, row_id: str):
    with db.session() as s:
        return s.get(model, row_id)


def shared_community(laptops, courier) -> str:
    a, *others = laptops
    cid = add_community(a)
    first = courier.export(a)
    for db in others:
        courier.bring(db, first)
    return cid


def test_edits_to_different_fields_on_two_laptops_both_survive(laptops, courier):
    a, b, _c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, code="330106001")
    edit(b, Community, cid, notes="每周三值班")
    from_a, from_b = courier.export(a), courier.export(b)
    courier.bring(a, from_b)
    courier.bring(b, from_a)
    for db in (a, b):
        row = get(db, Community, cid)
        assert (row.code, row.notes) == ("330106001", "每周三值班")
    assert dump(a) == dump(b)
    assert list_conflicts(a) == []


def test_same_field_edited_on_two_laptops_keeps_the_later_and_lists_the_other_as_a_conflict(laptops, courier):
    a, b, _c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, name="阳光社区（东）")
    edit(b, Community, cid, name="阳光社区（西）")  # later stamp: wins
    from_a, from_b = courier.export(a), courier.export(b)
    summary = courier.bring(a, from_b)
    courier.bring(b, from_a)
    assert summary.tables["community"].conflicts == 1
    for db in (a, b):
        assert get(db, Community, cid).name == "阳光社区（西）"
        [conflict] = list_conflicts(db)
        assert (conflict.field, conflict.lost_value, conflict.kept_value) == ("name", "阳光社区（东）",
                                                                              "阳光社区（西）")
        assert (conflict.lost_by, conflict.kept_by) == ("A01", "B02")
    assert dump(a) == dump(b)


def test_keeping_the_lost_value_is_a_change_that_reaches_the_other_laptop(laptops, courier):
    a, b, _c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, name="东区")
    edit(b, Community, cid, name="西区")
    courier.bring(b, courier.export(a))
    [conflict] = list_conflicts(b)
    resolve_conflict(b, conflict_id=conflict.id, keep="lost")
    assert get(b, Community, cid).name == "东区"
    assert list_conflicts(b) == []
    courier.bring(a, courier.export(b))
    assert get(a, Community, cid).name == "东区"
    assert list_conflicts(a) == []
    courier.bring(b, courier.export(a))  # A met B's restore: the versions it kept go back to B
    assert dump(a) == dump(b)


def test_importing_the_same_file_twice_changes_nothing(laptops, courier, db_path):
    a, b, _c = laptops
    shared_community(laptops, courier)
    with a.session() as s:
        s.add(Household(community_id=s.exec(select(Community)).one().id, estate="金桂苑", building="3"))
        s.commit()
    path = courier.export(a)
    first = courier.bring(b, path)
    before = dump(b)
    again = courier.bring(b, path)
    assert first.tables["household"].added == 1 and again.already_imported
    assert dump(b) == before
    # The same rows under another export id (a full re-export) merge to nothing new either.
    summary = courier.bring(b, courier.export(a, full=True))
    assert summary.changed == 0 and dump(b) == before


def test_imports_in_either_order_give_identical_databases(tmp_path, _template_db, courier):
    a, b, c, d = (make_device(_template_db, tmp_path, code) for code in ("A01", "B02", "C03", "D04"))
    cid = add_community(a)
    base = courier.export(a)
    for db in (b, c, d):
        courier.bring(db, base)
    edit(a, Community, cid, name="甲", notes="a")
    edit(b, Community, cid, name="乙", code="b")
    from_a, from_b = courier.export(a), courier.export(b)
    courier.bring(c, from_a)
    courier.bring(c, from_b)
    courier.bring(d, from_b)
    courier.bring(d, from_a)
    assert dump(c) == dump(d)
    assert [x.lost_value for x in list_conflicts(c)] == [x.lost_value for x in list_conflicts(d)] == ["甲"]


def test_an_older_file_never_brings_a_deleted_record_back(laptops, courier):
    a, b, _c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, notes="旧备注")
    old = courier.export(a)
    edit(a, Community, cid, deleted=True)
    courier.bring(b, courier.export(a))
    summary = courier.bring(b, old)
    assert get(b, Community, cid).deleted
    assert summary.tables["community"].unchanged == 1
    assert list_conflicts(b) == []


def test_a_restore_made_after_the_delete_brings_the_record_back(laptops, courier):
    a, b, _c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, deleted=True)
    courier.bring(b, courier.export(a))
    edit(b, Community, cid, deleted=False, notes="误删，已恢复")
    courier.bring(a, courier.export(b))
    assert not get(a, Community, cid).deleted
    assert get(a, Community, cid).notes == "误删，已恢复"


def test_an_edit_made_elsewhere_after_a_delete_brings_the_record_back_and_is_flagged(laptops, courier):
    a, b, _c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, deleted=True)
    edit(b, Community, cid, notes="新的值班安排")  # later, on a laptop that has not seen the delete
    from_a, from_b = courier.export(a), courier.export(b)
    summary = courier.bring(a, from_b)
    courier.bring(b, from_a)
    assert summary.tables["community"].conflicts == 1
    for db in (a, b):
        row = get(db, Community, cid)
        assert not row.deleted and row.notes == "新的值班安排"
        [flag] = list_conflicts(db)  # the officer sees that a deleted record came back
        assert (flag.field, flag.lost_value, flag.kept_value, flag.current_value) == ("deleted", 1, 0, 0)
        assert (flag.lost_by, flag.kept_by) == ("A01", "B02")
    assert dump(a) == dump(b)
    # Keeping the lost value deletes the record again, on every laptop; the old edit stays older.
    resolve_conflict(a, conflict_id=list_conflicts(a)[0].id, keep="lost")
    assert get(a, Community, cid).deleted
    courier.bring(b, courier.export(a))
    courier.bring(b, from_a)
    courier.bring(a, courier.export(b))
    courier.bring(b, courier.export(a, full=True))
    for db in (a, b):
        assert get(db, Community, cid).deleted
        assert list_conflicts(db) == []
    assert dump(a) == dump(b)


def test_a_record_brought_back_by_an_edit_is_back_whatever_the_order_of_imports(tmp_path, _template_db, courier):
    a, b, c, d = (make_device(_template_db, tmp_path, code) for code in ("A01", "B02", "C03", "D04"))
    cid = add_community(a)
    base = courier.export(a)
    for db in (b, c, d):
        courier.bring(db, base)
    edit(a, Community, cid, deleted=True)
    edit(b, Community, cid, code="330106001")
    from_a, from_b = courier.export(a), courier.export(b)
    courier.bring(c, from_a)
    courier.bring(c, from_b)
    courier.bring(d, from_b)
    courier.bring(d, from_a)
    courier.bring(b, from_a)  # B passes the record on as it now stands: back, the delete overturned
    from_b_again = courier.export(b)
    courier.bring(a, from_b_again)
    courier.bring(c, from_b_again)
    courier.bring(a, from_b)  # B's first file, after the one made from it: changes nothing back
    courier.bring(d, from_a)  # once more, already imported
    for db in (a, b, c, d):
        assert not get(db, Community, cid).deleted and get(db, Community, cid).code == "330106001"
        assert [(x.field, x.lost_value) for x in list_conflicts(db)] == [("deleted", 1)]
    assert dump(a) == dump(b) == dump(c) == dump(d)
    # A laptop that meets the record already back, before the files that brought it back (here the
    # delete first reaches it as "not deleted"), ends the same once it has them all.
    edit(b, Community, cid, name="阳光社区（新）")
    later = courier.export(b)
    e = make_device(_template_db, tmp_path, "E05")
    for path in (base, later, from_b_again, from_a, from_b):
        courier.bring(e, path)
    for db in (a, c, d):
        courier.bring(db, later)
    assert [(x.field, x.lost_value, x.kept_value) for x in list_conflicts(e)] == [("deleted", 1, 0)]
    assert dump(e) == dump(a) == dump(c) == dump(d)


def test_an_edit_older_than_the_delete_never_brings_the_record_back(tmp_path, _template_db, courier):
    a, b, c, d = (make_device(_template_db, tmp_path, code) for code in ("A01", "B02", "C03", "D04"))
    cid = add_community(a)
    base = courier.export(a)
    for db in (b, c, d):
        courier.bring(db, base)
    edit(b, Community, cid, notes="早先的备注")  # before the delete, on a laptop that never saw it
    edit(a, Community, cid, deleted=True)
    from_a, from_b = courier.export(a), courier.export(b)
    courier.bring(a, from_b)
    courier.bring(b, from_a)
    courier.bring(c, from_a)
    courier.bring(c, from_b)
    courier.bring(d, from_b)
    courier.bring(d, from_a)
    for db in (a, b, c, d):
        assert get(db, Community, cid).deleted
        assert list_conflicts(db) == []
    assert dump(a) == dump(b) == dump(c) == dump(d)


def test_an_edit_made_on_a_laptop_that_already_had_the_delete_leaves_the_record_deleted(laptops, courier):
    a, b, _c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, deleted=True)
    courier.bring(b, courier.export(a))
    edit(b, Community, cid, notes="删除后补记")  # later, but made on the deleted record itself
    courier.bring(a, courier.export(b))
    courier.bring(b, courier.export(a))
    for db in (a, b):
        assert get(db, Community, cid).deleted
        assert get(db, Community, cid).notes == "删除后补记"
    assert dump(a) == dump(b)


def test_a_restore_that_lost_to_a_delete_can_still_bring_the_record_back(laptops, courier):
    a, b, c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, deleted=True)
    gone = courier.export(a)
    courier.bring(b, gone)
    courier.bring(c, gone)
    edit(b, Community, cid, deleted=False)  # B restores it ...
    edit(c, Community, cid, deleted=False)  # ... and so does C, which then deletes it again
    edit(c, Community, cid, deleted=True)
    courier.bring(b, courier.export(c))
    assert get(b, Community, cid).deleted
    [conflict] = list_conflicts(b)
    assert (conflict.field, conflict.lost_value, conflict.kept_value, conflict.lost_by) == ("deleted", 0, 1, "B02")
    resolve_conflict(b, conflict_id=conflict.id, keep="lost")
    courier.bring(c, courier.export(b))
    for db in (b, c):
        assert not get(db, Community, cid).deleted
        assert list_conflicts(db) == []


def test_hub_round_trip_leaves_every_laptop_equal(tmp_path, _template_db, courier):
    hub, *officers = (make_device(_template_db, tmp_path, code) for code in ("M00", "A01", "B02", "C03"))
    cid = add_community(hub)
    start = courier.export(hub)
    for db in officers:
        courier.bring(db, start)
    for n, db in enumerate(officers):
        with db.session() as s:
            s.add(Household(community_id=cid, estate=f"{db.device.short_code}小区", building=str(n)))
            s.commit()
        edit(db, Community, cid, name=f"第{n}版", **({"notes": "n"} if n == 1 else {}))
    for db in officers:
        courier.bring(hub, courier.export(db))
    back = courier.export(hub)
    for db in officers:
        courier.bring(db, back)
    dumps = {dump(db) for db in (hub, *officers)}
    assert len(dumps) == 1
    with hub.session() as s:
        assert len(s.exec(select(Household)).all()) == 3
    assert len(list_conflicts(hub)) == 2 == len(list_conflicts(officers[0]))


def test_a_laptop_passes_on_what_it_received(laptops, courier):
    """Officer A's change reaches C through B, whose incremental export carries it."""
    a, b, c = laptops
    cid = shared_community(laptops, courier)
    courier.export(b)  # B's last export is now after the shared start
    edit(a, Community, cid, police_room="阳光警务室")
    courier.bring(b, courier.export(a))
    courier.bring(c, courier.export(b))
    assert get(c, Community, cid).police_room == "阳光警务室"


def test_an_incremental_export_carries_only_what_changed(laptops, courier):
    a, b, _c = laptops
    cid = shared_community(laptops, courier)
    other = add_community(a, name="金沙社区")
    edit(a, Community, cid, notes="改过")
    path = courier.export(a)
    summary = courier.bring(b, path)
    assert (summary.tables["community"].added, summary.tables["community"].updated) == (1, 1)
    assert summary.rows == 4 and summary.tables["audit_entry"].added == 2  # and who made the two changes
    assert get(b, Community, other).name == "金沙社区"


def test_exports_and_imports_are_logged_per_device(laptops, courier):
    a, b, _c = laptops
    shared_community(laptops, courier)
    with b.session() as s:
        log = s.exec(select(SyncLog)).all()
    assert [(x.direction, x.device_code) for x in log] == [("import", "A01")]
    assert log[0].counts["community"]["added"] == 1


def test_stamps_more_than_a_day_ahead_are_refused_naming_the_device(tmp_path, _template_db, courier):
    wall = FakeWall(offset_ms=30 * 3600 * 1000)
    fast = make_device(_template_db, tmp_path, "F09", wall=wall)
    home = make_device(_template_db, tmp_path, "H01")
    add_community(fast)
    with pytest.raises(SyncError, match="F09") as refused:
        courier.bring(home, courier.export(fast))
    assert refused.value.kind == "clock"
    with home.session() as s:
        assert s.exec(select(Community)).all() == []


def test_a_file_referring_to_records_this_laptop_never_received_is_refused(laptops, courier):
    a, b, _c = laptops
    cid = add_community(a)
    courier.export(a)  # B never gets this one
    with a.session() as s:
        s.add(Household(community_id=cid, estate="金桂苑"))
        s.commit()
    with pytest.raises(SyncError, match="完整导出") as refused:
        courier.bring(b, courier.export(a))
    assert refused.value.kind == "missing"


def test_the_conflict_row_is_the_same_row_on_every_laptop(laptops, courier):
    a, b, c = laptops
    cid = shared_community(laptops, courier)
    edit(a, Community, cid, code="1")
    edit(b, Community, cid, code="2")
    edit(c, Community, cid, code="3")
    files = [courier.export(db) for db in laptops]
    for db in laptops:
        for path in files:
            courier.bring(db, path)
    rows = []
    for db in laptops:
        with db.session() as s:
            rows.append(sorted((r.id, r.lost_value, r.deleted) for r in s.exec(select(SyncConflict))))
    assert rows[0] == rows[1] == rows[2]
    assert sorted(x.lost_value for x in list_conflicts(a)) == ["1", "2"]


def test_an_import_is_preceded_by_a_backup_and_a_repeated_file_makes_none(laptops, courier):
    from db.backup import list_backups

    a, b, _c = laptops
    add_community(a)
    path = courier.export(a)
    courier.bring(b, path)
    courier.bring(b, path)  # already imported: no merge, so no backup either
    assert [p.name.rsplit("-", 1)[-1] for p in list_backups(b.path)] == ["import.sqlite3"]
