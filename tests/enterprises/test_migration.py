"""Migration 0009 keeps the enterprise rows of an older database and fills what it can."""

from __future__ import annotations

import sqlite3
from datetime import date

from alembic import command
from sqlalchemy import create_engine

from app.enterprises.inspections import inspection_record
from app.enterprises.notices import flow_state
from db import migrate
from db.engine import Database


def test_an_older_database_keeps_its_enterprise_rows_and_gains_categories(tmp_path):
    path = tmp_path / "old.sqlite3"
    Database.open(path, create=True).close()
    with create_engine(f"sqlite:///{path}").begin() as conn:
        command.downgrade(migrate._config(conn), "0008")
    stamp = "'2026-01-01 00:00:00', '2026-01-01 00:00:00', '0190a0000000-0000-aaaaaaaaaaaa', '{}', 0, NULL"
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"INSERT INTO officer VALUES ('o1', {stamp}, 'jy001', '王警官', 'officer', NULL, NULL, NULL, "
                     "NULL, 1)")
        conn.execute(f"INSERT INTO enterprise (id, created_at, updated_at, hlc, clocks, deleted, updated_by, name, "
                     f"category, liaison_officer_id) VALUES ('e1', {stamp}, '老厂', 'key', 'o1')")
        conn.execute(f"INSERT INTO inspection (id, created_at, updated_at, hlc, clocks, deleted, updated_by, "
                     f"enterprise_id, inspected_on, officer_id, result) VALUES ('i1', {stamp}, 'e1', '2025-05-01', "
                     "'o1', 'issues')")
        for n, category in enumerate(("技防", "人防", "技防")):
            conn.execute(f"INSERT INTO inspection_item (id, created_at, updated_at, hlc, clocks, deleted, updated_by, "
                         f"inspection_id, category, item, passed, remark) VALUES ('t{n}', {stamp}, 'i1', "
                         f"'{category}', '项目{n}', {0 if n else 1}, NULL)")
        conn.execute(f"INSERT INTO liaison_visit (id, created_at, updated_at, hlc, clocks, deleted, updated_by, "
                     f"enterprise_id, visited_on, contact, notes) VALUES ('v1', {stamp}, 'e1', '2025-05-02', "
                     "'张三', '走访')")
        conn.execute(f"INSERT INTO hire_check (id, created_at, updated_at, hlc, clocks, deleted, updated_by, "
                     f"enterprise_id, name, id_number, checked_on, result) VALUES ('h1', {stamp}, 'e1', '赵六', "
                     "'11010519491231002X', '2025-05-03', 'clear')")
    conn.close()

    db = Database.open(path)  # upgrades, after a backup
    try:
        record = inspection_record(db, inspection_id="i1")
        assert record.categories == ("人防", "技防") and record.inspectors == ("王警官",)
        assert [i.result for i in record.items] == ["pass", "fail", "fail"]
        assert flow_state(db, inspection_id="i1") == "notice_due"
        with db.connect() as c:
            assert c.exec_driver_sql("SELECT tags, guards FROM enterprise").one() == ("", None)
            assert c.exec_driver_sql("SELECT contact, kind FROM liaison_visit").one() == ("张三", None)
            row = c.exec_driver_sql("SELECT id_number, checked_on, result, keep_until FROM hire_check").one()
            assert row == ("11010519491231002X", date(2025, 5, 3).isoformat(), "clear", None)
            assert c.exec_driver_sql("SELECT applicable, position FROM inspection_item").all() == [(1, 0)] * 3
    finally:
        db.close()
