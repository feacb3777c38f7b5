"""The database is made and upgraded by Alembic migrations that match the models."""

from __future__ import annotations

import re
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import db.models
from db import migrate
from db.engine import Database
from db.errors import StorageError


def test_migrating_an_empty_file_gives_exactly_the_schema_of_the_models(tmp_path):
    path = tmp_path / "new.sqlite3"
    Database.open(path, create=True).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": migrate.include_object}
        )
        diff = compare_metadata(context, db.models.metadata)
    assert diff == []
    assert migrate.current_revision(engine) == migrate.head_revision()


def _index_sql(path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return {name: re.sub(r"\s+", " ", sql) for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    finally:
        conn.close()


def test_migrated_indexes_are_the_models_indexes_down_to_a_partial_index_where(tmp_path):
    # Alembic's comparison ignores a partial index's WHERE; SQLite uses such an index only
    # when the query's terms match it, so a migration must write it exactly as the model.
    migrated, declared = tmp_path / "migrated.sqlite3", tmp_path / "declared.sqlite3"
    Database.open(migrated, create=True).close()
    db.models.metadata.create_all(create_engine(f"sqlite:///{declared}"))
    indexes = _index_sql(migrated)
    assert indexes == _index_sql(declared)
    assert "WHERE deleted IS 0 AND done_on IS NULL" in indexes["ix_revisit_open_by_dispute"]


def test_new_database_has_wal_foreign_keys_and_a_device_identity(tmp_path):
    database = Database.open(tmp_path / "new.sqlite3", create=True)
    try:
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert len(database.device.id) == 32
        assert database.device.short_code[0].isalpha() and database.device.short_code[1:].isdigit()
    finally:
        database.close()


def test_upgrading_a_database_adds_the_revisit_index_and_refreshes_planner_statistics(tmp_path):
    from alembic import command

    path = tmp_path / "old.sqlite3"
    Database.open(path, create=True).close()
    with create_engine(f"sqlite:///{path}").begin() as conn:
        command.downgrade(migrate._config(conn), "0004")
        conn.exec_driver_sql("DROP TABLE sqlite_stat1")
    database = Database.open(path)
    try:  # read before closing: a closing connection may analyze on its own (PRAGMA optimize)
        conn = sqlite3.connect(path)
        stats = {table for (table,) in conn.execute("SELECT tbl FROM sqlite_stat1")}
        index = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ix_revisit_open_by_dispute'").fetchone()
        conn.close()
    finally:
        database.close()
    assert "local_device" in stats and index == (1,)


def test_device_identity_is_kept_across_restarts(db_path):
    first = Database.open(db_path)
    device = first.device
    first.close()
    again = Database.open(db_path)
    assert (again.device.id, again.device.short_code) == (device.id, device.short_code)
    again.close()


def test_household_search_triggers_exist_after_migration(db):
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"household_search_after_insert", "resident_search_after_update"} <= names


def test_downgrade_to_base_and_upgrade_again_round_trips(tmp_path):
    from alembic import command

    path = tmp_path / "round.sqlite3"
    Database.open(path, create=True).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate._config(conn), "base")
    with engine.connect() as conn:
        tables = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}  # SQLite's own
    assert tables <= {"alembic_version"}
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_a_database_from_a_newer_program_is_refused_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="更新版本"):
        Database.open(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("购物清单")
    with pytest.raises(StorageError, match="不是数据库文件"):
        Database.open(path)


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="不是警务工作台"):
        Database.open(path)


def test_a_missing_file_is_not_created_unless_asked(tmp_path):
    with pytest.raises(StorageError, match="不存在"):
        Database.open(tmp_path / "missing.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()


def test_the_head_revision_constant_is_the_newest_migration():
    assert migrate.HEAD == migrate.head_revision()


def test_upgrading_from_0005_gives_a_provisional_station_keeps_numbered_rows_and_a_new_database_has_none(tmp_path):
    from alembic import command

    from app.sync.station import station_of
    from tests.support.disputes import NOW, add_dispute, register

    path = tmp_path / "old.sqlite3"
    database = Database.open(path, create=True)
    registered = register(database)  # a dispute with its parties: children of the rebuilt table
    database.close()
    with create_engine(f"sqlite:///{path}").begin() as conn:
        command.downgrade(migrate._config(conn), "0005")
    database = Database.open(path)
    fresh = Database.open(tmp_path / "new.sqlite3", create=True)
    try:
        station = station_of(database)
        assert station is not None and station.provisional and len(station.id) == 32
        assert station_of(fresh) is None
        with database.connect() as conn:
            assert conn.exec_driver_sql("SELECT number FROM dispute").scalars().all() == [registered.number]
            assert conn.exec_driver_sql("SELECT count(*) FROM dispute_party").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        add_dispute(database, number=registered.number, occurred=NOW)  # two laptops that shared a code
    finally:
        database.close()
        fresh.close()
