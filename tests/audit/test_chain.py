"""The audit log is tamper-evident: each device's entries form a hash chain that `cpdesk check`
and the 审计日志 view verify, on this laptop and for the entries other laptops sent."""

from __future__ import annotations

import sqlite3
import threading
import time

from sqlalchemy import create_engine

from app.audit import log as audit
from app.cli.main import main
from db import audit_chain, migrate
from db.hlc import node_of
from db.models import Community
from tests.support.sync import Courier, make_device


def _chain(db) -> list[tuple]:
    with db.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT action, device, seq, prev_hash, entry_hash FROM audit_entry ORDER BY device, seq").all()


def _tamper(db, sql: str, *params) -> None:
    """What someone with the key and the sqlite3 shell can do: drop the triggers and edit."""
    conn = sqlite3.connect(db.path)  # the test database is plain
    with conn:
        for verb in ("update", "delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS audit_entry_no_{verb}")
        conn.execute(sql, params)
    conn.close()


def _some_entries(db, n: int = 4) -> None:
    for i in range(n):
        audit.record(db, "print", table="visit", record_id=f"v{i}", document="走访登记表")


def test_each_entry_links_to_the_one_before_it_from_the_same_device(db):
    audit.record(db, "login")
    with db.session() as s:  # two records in one flush: their trail entries are linked in order too
        s.add_all([Community(name="阳光社区"), Community(name="金桂社区")])
        s.commit()
    _some_entries(db, 2)
    chain = _chain(db)
    assert [seq for _a, _d, seq, _p, _h in chain] == [1, 2, 3, 4, 5]
    assert {device for _a, device, *_ in chain} == {node_of(db.device.id)}
    assert chain[0][3] == "" and all(chain[i][3] == chain[i - 1][4] for i in range(1, 5))
    assert audit.chain_problem(db) is None


def test_an_entry_changed_behind_the_programs_back_breaks_the_chain_from_that_entry(db):
    _some_entries(db)
    _tamper(db, "UPDATE audit_entry SET detail = '{\"document\": \"无\"}' WHERE seq = 3")
    assert audit.chain_problem(db) == f"审计日志自第 3 条起被改动（设备 {db.device.short_code}）"


def test_an_entry_rewritten_with_a_fresh_hash_is_found_by_the_next_entrys_link(db):
    _some_entries(db)
    with db.connect() as conn:
        row = dict(conn.exec_driver_sql(f"{audit_chain._SELECT} WHERE seq = 2").one()._mapping)
    row["action"] = "login"
    forged = audit_chain.entry_hash(row, device=row["device"], seq=2, prev_hash=row["prev_hash"])
    _tamper(db, "UPDATE audit_entry SET action = 'login', entry_hash = ? WHERE seq = 2", forged)
    assert audit.chain_problem(db) == f"审计日志自第 2 条起被改动（设备 {db.device.short_code}）"


def test_a_removed_entry_breaks_the_chain_where_it_was(db):
    _some_entries(db)
    _tamper(db, "DELETE FROM audit_entry WHERE seq = 2")
    assert audit.chain_problem(db) == f"审计日志自第 2 条起被改动（设备 {db.device.short_code}）"


def test_an_entry_slipped_in_without_a_place_in_the_chain_is_found(db):
    _some_entries(db, 2)
    _tamper(db, "INSERT INTO audit_entry (id, created_at, updated_at, hlc, clocks, deleted, at, action, detail) "
                "SELECT 'x' || id, created_at, updated_at, hlc, clocks, 0, at, 'login', '{}' FROM audit_entry "
                "WHERE seq = 2")
    assert audit.chain_problem(db) == f"审计日志自第 3 条起被改动（设备 {db.device.short_code}）"


def test_entries_from_another_laptop_keep_their_chain_and_are_checked_here(tmp_path, _template_db):
    a, b = make_device(_template_db, tmp_path, "A01"), make_device(_template_db, tmp_path, "B02")
    try:
        _some_entries(a, 3)
        courier = Courier(tmp_path)
        courier.bring(b, courier.export(a))
        mine = [row for row in _chain(a) if row[0] == "print"]
        assert [row for row in _chain(b) if row[1] == node_of(a.device.id)] == mine  # as A numbered and hashed them
        assert audit.chain_problem(b) is None
        _tamper(b, "UPDATE audit_entry SET record_id = 'v9' WHERE device = ? AND seq = 2", node_of(a.device.id))
        assert audit.chain_problem(b) == "审计日志自第 2 条起被改动（设备 A01）"
    finally:
        a.close()
        b.close()


def test_a_gap_in_another_laptops_chain_is_entries_still_on_their_way_not_a_change(db):
    _some_entries(db)
    _tamper(db, "DELETE FROM audit_entry WHERE seq = 2")
    with db.connect() as conn:
        assert audit_chain.verify(conn, own_device="0123456789ab") == []  # as if these came by sync
        assert audit_chain.verify(conn, own_device=node_of(db.device.id)) == [
            audit_chain.Break(node_of(db.device.id), 2)]


def test_writers_on_several_threads_never_fork_the_chain(db, monkeypatch):
    hashing = audit_chain.entry_hash

    def slow_hash(*args, **kwargs):  # widen the moment between reading the tip and inserting
        time.sleep(0.005)
        return hashing(*args, **kwargs)

    monkeypatch.setattr(audit_chain, "entry_hash", slow_hash)
    start = threading.Barrier(4)

    def write() -> None:
        start.wait()
        for i in range(15):
            audit.record(db, "print", table="visit", record_id=f"v{i}", document="走访登记表")

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [row[2] for row in _chain(db)] == list(range(1, 61))
    assert audit.chain_problem(db) is None


def test_the_upgrade_chains_existing_entries_per_device_in_the_order_they_were_written(tmp_path):
    from alembic import command

    path = tmp_path / "old.sqlite3"
    from db.engine import Database

    Database.open(path, create=True).close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate._config(conn), "0006")
        stamps = ["0193f1a2b3c4-0000-aaaaaaaaaaaa", "0193f1a2b3c5-0000-bbbbbbbbbbbb",
                  "0193f1a2b3c6-0000-aaaaaaaaaaaa", "0193f1a2b3c7-0003-aaaaaaaaaaaa"]
        many = [f"0193f1a3{n:04x}-0000-cccccccccccc" for n in range(6000)]  # more than one batch
        insert = ("INSERT INTO audit_entry (id, created_at, updated_at, hlc, clocks, deleted, at, action, detail) "
                  "VALUES (?, '2026-11-01 08:00:00.000000', '2026-11-01 08:00:00.000000', ?, '{}', 0, "
                  "'2026-11-01 08:00:00.000000', 'login', ?)")
        # stored out of order: the stamps give the order
        conn.exec_driver_sql(insert, [(f"e{n}", hlc, '{"b": 1, "a": "中"}')
                                      for n, hlc in enumerate(reversed(stamps + many))])
    engine.dispose()
    db = Database.open(path)  # upgrades to 0007
    try:
        with db.connect() as conn:
            rows = conn.exec_driver_sql("SELECT hlc, device, seq FROM audit_entry ORDER BY device, seq").all()
        assert rows[:4] == [(stamps[0], "aaaaaaaaaaaa", 1), (stamps[2], "aaaaaaaaaaaa", 2),
                            (stamps[3], "aaaaaaaaaaaa", 3), (stamps[1], "bbbbbbbbbbbb", 1)]
        assert rows[4:] == [(hlc, "cccccccccccc", n) for n, hlc in enumerate(many, start=1)]
        assert audit.chain_problem(db) is None
        audit.record(db, "login")  # this laptop's own chain starts beside them
        assert audit.chain_problem(db) is None
    finally:
        db.close()


def test_cpdesk_check_names_the_first_changed_entry_in_one_line(db, capsys):
    _some_entries(db)
    assert main(["--db", str(db.path), "check"]) == 0
    assert "审计日志未被改动" in capsys.readouterr().out
    _tamper(db, "UPDATE audit_entry SET action = 'login' WHERE seq = 4")
    assert main(["--db", str(db.path), "check"]) == 1
    assert capsys.readouterr().err == f"cpdesk: 审计日志自第 4 条起被改动（设备 {db.device.short_code}）\n"


def test_the_audit_view_warns_in_red_when_the_log_was_changed(qtbot, db):
    from ui.audit import AuditDialog

    _some_entries(db)
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.chain_checked, timeout=10_000) as checked:
        dialog.show()
    assert checked.args == [""] and not dialog.tampered.isVisible()
    _tamper(db, "DELETE FROM audit_entry WHERE seq = 2")
    changed = AuditDialog(db)
    qtbot.addWidget(changed)
    changed.show()
    with qtbot.waitSignal(changed.chain_checked, timeout=10_000):
        pass
    assert changed.tampered.isVisible() and "审计日志自第 2 条起被改动" in changed.tampered.text()

