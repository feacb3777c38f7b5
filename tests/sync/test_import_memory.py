"""An import holds a few batches of rows, never the file's rows; a row refused late leaves nothing written.

The file is made of copies of a few real rows (new ids and stamps): thousands of households and
residents, written the way an export writes them, small enough to stay fast."""

from __future__ import annotations

import gc
import random
import threading
import tracemalloc

import pytest

from app.sync.container import SyncError
from app.sync.export import _read
from app.sync.importer import import_file, read_sync_file
from app.sync.tables import HLC, ID, SPECS
from db.backup import list_backups
from db.models import Community, Household, Resident
from tests.support.sync import PASSPHRASE, dump, file_state, make_device, write_file

HOUSEHOLDS = 4000  # and two residents each: 12,000 rows
_WORDS = "独居老人子女在外地每月走访一次腿脚不便行动需人陪同邻里关系融洽无矛盾纠纷已发放反诈宣传资料楼道堆放杂物"


@pytest.fixture(scope="module")
def many_rows(tmp_path_factory, _template_db) -> dict[str, list[list]]:
    """A community, HOUSEHOLDS households and two residents in each, in wire form."""
    db = make_device(_template_db, tmp_path_factory.mktemp("source"), "S01")
    try:
        with db.session() as s:
            community = Community(name="阳光社区")
            s.add(community)
            s.flush()
            household = Household(community_id=community.id, estate="阳光花园", building="2", room="301",
                                  head_name="李娜", phone="13800138000", notes="")
            s.add(household)
            s.flush()
            s.add_all([Resident(household_id=household.id, name=name, phone="13900139000", occupation="退休",
                                hukou_place="浙江省杭州市西湖区北山街道阳光社区")
                       for name in ("李娜", "张伟")])
            s.commit()
        rows = _read(db, full=True, progress=lambda *_: None).rows
    finally:
        db.close()
    [one_household] = rows["household"]
    two_residents = rows["resident"]
    stamp, rng = one_household[HLC], random.Random(5)
    notes = SPECS["household"].index["notes"], SPECS["resident"].index["notes"]
    households, residents = [], []
    for n in range(HOUSEHOLDS):
        # Older stamps than the original, one per row: the file stays within the clock check.
        # Notes of their own: the file compresses like an export (a few times, not a zip bomb's).
        hid = f"{n:08x}" + "a" * 24
        household = [hid, *one_household[1:3], _older(stamp, 3 * n), *one_household[4:]]
        household[notes[0]] = "".join(rng.choices(_WORDS, k=60))
        households.append(household)
        for k, resident in enumerate(two_residents):
            row = [f"{n:08x}{k}" + "b" * 23, *resident[1:3], _older(stamp, 3 * n + k + 1), *resident[4:]]
            row[SPECS["resident"].index["household_id"]] = hid
            row[notes[1]] = "".join(rng.choices(_WORDS, k=30))
            residents.append(row)
    return {"officer": rows["officer"], "community": rows["community"], "household": households,
            "resident": residents}


def _older(stamp: str, by: int) -> str:
    ms, _counter, node = stamp.split("-")
    return f"{int(ms, 16) - by - 1:012x}-0000-{node}"


@pytest.fixture
def target(tmp_path, _template_db):
    db = make_device(_template_db, tmp_path, "T02")
    yield db
    db.close()


def _peak(work) -> int:
    """The most memory Python held at once while ``work`` ran, over what it held before."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = work()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    del result
    return peak


def _prefix(rows: dict[str, list[list]], households: int) -> dict[str, list[list]]:
    return {**rows, "household": rows["household"][:households], "resident": rows["resident"][:2 * households]}


def _import_and_hold(rows, path, target) -> tuple[int, int]:
    """Python's peak while importing the file of ``rows``, and while holding its rows parsed."""
    write_file(path, rows)
    importing = _peak(lambda: import_file(target, path=path, passphrase=PASSPHRASE))
    held = _peak(lambda: read_sync_file(path, passphrase=PASSPHRASE).tables)  # every row parsed and kept
    with target.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM resident").scalar() == len(rows["resident"])
        assert conn.exec_driver_sql("SELECT count(*) FROM household_search WHERE text LIKE '%李娜%'").scalar() \
            == len(rows["household"])  # each household's search row built with its residents
    return importing, held


def test_an_import_needs_little_more_memory_for_a_file_four_times_the_rows(
        many_rows, tmp_path, _template_db):
    warm, small, big = (make_device(_template_db, tmp_path, code) for code in ("T01", "T02", "T03"))
    try:
        few = _prefix(many_rows, HOUSEHOLDS // 4)
        _import_and_hold(few, tmp_path / "w.cpsync", warm)  # modules imported once, before measuring
        small_import, small_held = _import_and_hold(few, tmp_path / "s.cpsync", small)
        big_import, big_held = _import_and_hold(many_rows, tmp_path / "b.cpsync", big)
    finally:
        for db in (warm, small, big):
            db.close()
    grew, rows_grew = big_import - small_import, big_held - small_held
    print(f"\nimport peak {small_import >> 10} -> {big_import >> 10} KB; rows held {small_held >> 10} -> "
          f"{big_held >> 10} KB")
    # Per row, the import keeps the row's id until the checks are done and its share of the
    # compressed body, besides at most three batches (one written, one checked, one waiting);
    # holding the rows costs the parsed rows themselves (the old import held them and their
    # copies for the database: more than rows_grew).
    assert grew < rows_grew / 2, f"the import grew by {grew >> 10} KB, the rows by {rows_grew >> 10} KB"


def test_a_bad_row_at_the_end_of_the_file_leaves_the_database_as_it_was_and_no_backup(many_rows, target, tmp_path):
    rows = {name: [list(row) for row in table] for name, table in many_rows.items()}
    last = rows["resident"][-1]
    last[SPECS["resident"].index["birth_date"]] = "2026-02-30"
    path = tmp_path / "bad-at-the-end.cpsync"
    write_file(path, rows)
    before = dump(target), file_state(target)
    with pytest.raises(SyncError) as refused:
        import_file(target, path=path, passphrase=PASSPHRASE)
    assert str(refused.value) == f"同步文件有误：resident 行 {last[ID]} 字段 birth_date：日期不存在（2026-02-30）"
    assert (dump(target), file_state(target)) == before
    assert list_backups(target.path) == []  # the backup is made only once every row passed


def _schema(db) -> list:
    with db.connect() as conn:
        return conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master ORDER BY name").all()


def _search(db) -> tuple[list, list]:
    """Each household's search row, and which households a few trigram searches find."""
    with db.connect() as conn:
        rows = conn.exec_driver_sql("SELECT h.id, s.sort_key, s.deleted, s.text FROM household_search s "
                                    "JOIN household h ON h.id = s.household_id WHERE h.estate = '阳光花园' "
                                    "ORDER BY h.id").all()
        found = [conn.exec_driver_sql("SELECT h.id FROM household_fts f JOIN household_search s ON s.id = f.rowid "
                                      "JOIN household h ON h.id = s.household_id WHERE household_fts MATCH ? "
                                      "ORDER BY h.id", (term,)).all()
                 for term in ('"阳光花园"', '"张伟 "', '"13900139000"')]
    return rows, found


def test_a_station_loaded_in_bulk_gets_the_search_rows_and_index_the_triggers_would_make(
        many_rows, tmp_path, _template_db):
    path = tmp_path / "station.cpsync"
    write_file(path, many_rows)
    empty, used = make_device(_template_db, tmp_path, "T01"), make_device(_template_db, tmp_path, "T02")
    try:
        with used.session() as s:  # a household of its own: its triggers keep the search rows row by row
            community = Community(name="本地社区")
            s.add(community)
            s.flush()
            s.add(Household(community_id=community.id, estate="本地小区", building="1", room="101"))
            s.commit()
        shapes = _schema(empty)
        for db in (empty, used):
            import_file(db, path=path, passphrase=PASSPHRASE)
        assert _schema(empty) == shapes  # the lifted triggers and indexes are back, as they were
        rows, found = _search(empty)
        assert len(rows) == HOUSEHOLDS and all("张伟" in text for _id, _key, _deleted, text in rows)
        assert [len(ids) for ids in found] == [HOUSEHOLDS] * 3
        assert (rows, found) == _search(used)
    finally:
        empty.close()
        used.close()


def test_an_import_cancelled_inside_a_station_load_leaves_everything_as_it_was(many_rows, target, tmp_path):
    path = tmp_path / "station.cpsync"
    write_file(path, many_rows)
    before, shapes = (dump(target), file_state(target)), _schema(target)
    batches = []

    def progress(stage, _done, _total):
        if stage == "写入":
            batches.append(stage)

    with pytest.raises(SyncError) as refused:  # once the households are in: the station load has begun
        import_file(target, path=path, passphrase=PASSPHRASE, progress=progress, should_stop=lambda: len(batches) > 3)
    assert refused.value.kind == "cancelled"
    assert (dump(target), file_state(target)) == before and _schema(target) == shapes
    assert not [t for t in threading.enumerate() if t.name == "sync-reading"]  # the reading stopped too
    assert list_backups(target.path) == []


DISPUTES = 2100  # past the importer's bulk size (_BULK): loaded with their search triggers lifted


@pytest.fixture(scope="module")
def many_disputes(tmp_path_factory, _template_db) -> dict[str, list[list]]:
    """DISPUTES disputes (copies of one registered with its two parties, each number its own), in wire form."""
    from tests.support.disputes import register

    db = make_device(_template_db, tmp_path_factory.mktemp("disputes"), "S02")
    try:
        register(db)
        rows = _read(db, full=True, progress=lambda *_: None).rows
    finally:
        db.close()
    [one] = rows["dispute"]
    stamp, number = one[HLC], SPECS["dispute"].index["number"]
    of_dispute = SPECS["dispute_party"].index["dispute_id"]
    disputes, parties = [], []
    for n in range(DISPUTES):
        did = f"{n:08x}" + "c" * 24
        dispute = [did, *one[1:3], _older(stamp, 3 * n), *one[4:]]
        dispute[number] = f"2026-S02-{n:04d}"
        disputes.append(dispute)
        for k, party in enumerate(rows["dispute_party"]):
            row = [f"{n:08x}{k}" + "d" * 23, *party[1:3], _older(stamp, 3 * n + k + 1), *party[4:]]
            row[of_dispute] = did
            parties.append(row)
    return {"officer": rows["officer"], "dispute": disputes, "dispute_party": parties}


def _dispute_search(db) -> tuple[list, list]:
    """Each imported dispute's search row, and which disputes a few trigram searches find."""
    with db.connect() as conn:
        rows = conn.exec_driver_sql("SELECT d.id, s.text FROM dispute_search s JOIN dispute d ON d.id = s.dispute_id "
                                    "WHERE d.number LIKE '2026-S02-%' ORDER BY d.id").all()
        found = [conn.exec_driver_sql("SELECT d.id FROM dispute_fts f JOIN dispute_search s ON s.id = f.rowid "
                                      "JOIN dispute d ON d.id = s.dispute_id WHERE dispute_fts MATCH ? "
                                      "AND d.number LIKE '2026-S02-%' ORDER BY d.id", (term,)).all()
                 for term in ('"13900139000"', '"2026-S02-0007"', '"夜间噪音"')]
    return rows, found


def test_disputes_loaded_in_bulk_get_the_search_rows_and_index_the_triggers_would_make(
        many_disputes, tmp_path, _template_db):
    """Into a laptop without disputes they are loaded with the search triggers lifted (one pass for the
    search rows, one for the index); into one that has some, row by row through the triggers: the same."""
    from tests.support.disputes import register

    path = tmp_path / "disputes.cpsync"
    write_file(path, many_disputes)
    empty, used = make_device(_template_db, tmp_path, "T01"), make_device(_template_db, tmp_path, "T02")
    try:
        register(used)  # a dispute of its own: its triggers keep the search rows row by row
        shapes = _schema(empty)
        for db in (empty, used):
            import_file(db, path=path, passphrase=PASSPHRASE)
        assert _schema(empty) == shapes  # the lifted triggers and indexes are back, as they were
        rows, found = _dispute_search(empty)
        assert len(rows) == DISPUTES and all("13900139000" in text for _id, text in rows)
        assert [len(ids) for ids in found] == [DISPUTES, 1, DISPUTES]
        assert (rows, found) == _dispute_search(used)
    finally:
        empty.close()
        used.close()


def test_a_search_load_refuses_a_table_that_already_holds_rows(target):
    """Its search rows are derived whole at the end: rows already there would get a second."""
    from db.bulk_load import bulk_load
    from tests.support.disputes import register

    register(target)
    shapes = _schema(target)
    with target.engine.connect() as conn, pytest.raises(RuntimeError, match="dispute is not empty"):
        with bulk_load(conn, ("dispute",)):
            pass
    assert _schema(target) == shapes
