"""A laptop whose clock was once far ahead syncs again once its clock is right, with nothing lost
(issue 10, item 2): its own stamps nobody could have taken are brought back to the present, and
it says so; stamps another laptop may hold stay as they are."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from app.sync.clock_repair import AHEAD_MS, repair_future_stamps
from app.sync.conflicts import list_conflicts
from app.sync.container import SyncError
from app.sync.export import export_changes
from db.engine import Database
from db.hlc import HybridClock, node_of, parse, wall_ms
from db.models import AuditEntry, Community, Household
from tests.support.sync import FAST_KDF, PASSPHRASE, Courier, FakeWall, dump, make_device

ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 3600 * 1000


class Pair:
    """The station's laptop and an officer's laptop sharing a community and a household."""

    def __init__(self, template: Path, folder: Path, *, ahead_ms: int) -> None:
        self.folder = folder
        self.station = make_device(template, folder, "S01")
        self.wall = FakeWall(ahead_ms)
        self.laptop = make_device(template, folder, "L01", wall=self.wall)
        self.courier = Courier(folder)
        with self.station.session() as s:
            community = Community(name="阳光社区")
            s.add(community)
            s.flush()
            s.add(Household(community_id=community.id, estate="甲", phone="13800138000"))
            s.commit()
            self.community_id = community.id
        Courier.bring(self.laptop, self.courier.export(self.station))
        self.household_id = one_household(self.laptop).id

    def edit(self, db: Database, **values) -> None:
        with db.session() as s:
            row = s.get(Household, self.household_id)
            for name, value in values.items():
                setattr(row, name, value)
            s.commit()

    def add(self, db: Database, estate: str) -> None:
        with db.session() as s:
            s.add(Household(community_id=self.community_id, estate=estate))
            s.commit()

    def restart_laptop(self) -> None:
        """The clock set right, the program started again."""
        path = self.laptop.path
        self.laptop.close()
        self.laptop = Database.open(path)

    def close(self) -> None:
        self.station.close()
        self.laptop.close()


@pytest.fixture
def pair(_template_db, tmp_path):
    made = []

    def make(ahead_ms: int) -> Pair:
        made.append(Pair(_template_db, tmp_path, ahead_ms=ahead_ms))
        return made[-1]

    yield make
    for p in made:
        p.close()


def one_household(db: Database, estate: str | None = None) -> Household:
    with db.session() as s:
        query = select(Household) if estate is None else select(Household).where(Household.estate == estate)
        return s.exec(query).first()


def ahead(db: Database) -> int:
    """Rows stamped more than an hour ahead of the (right) clock."""
    limit = f"{wall_ms() + AHEAD_MS:012x}"
    with db.connect() as conn:
        return sum(conn.exec_driver_sql(f"SELECT count(*) FROM {t} WHERE hlc > ?", (limit,)).scalar()
                   for t in ("household", "community", "audit_entry", "sync_conflict"))


def test_a_laptop_whose_clock_was_a_year_ahead_syncs_again_once_its_clock_is_right(pair):
    p = pair(400 * DAY)
    p.edit(p.laptop, estate="乙")
    p.add(p.laptop, "丙")
    p.restart_laptop()
    before = {h.id: (h.estate, h.phone, h.deleted) for h in p.laptop.session().exec(select(Household))}
    report = repair_future_stamps(p.laptop)
    assert report.restamped >= 2 and report.days_ahead == 400 and not report.void_files
    assert "本机时钟曾超前约 400 天" in report.message
    assert ahead(p.laptop) == 0
    assert {h.id: (h.estate, h.phone, h.deleted) for h in p.laptop.session().exec(select(Household))} == before
    p.add(p.laptop, "丁")  # a new record is stamped now, not in 2028
    assert parse(one_household(p.laptop, "丁").hlc).ms <= wall_ms() + AHEAD_MS
    Courier.bring(p.station, p.courier.export(p.laptop))
    assert one_household(p.station).estate == "乙"
    assert {h.estate for h in p.station.session().exec(select(Household))} == {"乙", "丙", "丁"}
    assert repair_future_stamps(p.laptop).message == ""  # done once


def test_the_order_of_the_changes_made_while_ahead_is_kept(pair):
    p = pair(400 * DAY)
    for phone in ("13900000001", "13900000002", "13900000003"):
        p.edit(p.laptop, phone=phone)
    old = one_household(p.laptop)
    p.restart_laptop()
    moved = repair_future_stamps(p.laptop).moved
    assert sorted(moved) == sorted(moved, key=moved.get)  # same order after as before
    new = one_household(p.laptop)
    assert new.clocks["phone"] == [moved[old.clocks["phone"][0]], moved[old.clocks["phone"][1]]]
    assert new.clocks["*"] == old.clocks["*"]  # the station's insert: not this laptop's to move
    assert new.hlc == max(entry[0] for entry in new.clocks.values())
    Courier.bring(p.station, p.courier.export(p.laptop, full=True))  # a full export passes every check
    assert one_household(p.station).phone == "13900000003"


def test_files_exported_while_ahead_are_named_void_and_the_next_export_is_full(pair):
    p = pair(400 * DAY)
    p.edit(p.laptop, estate="乙")
    refused = p.courier.export(p.laptop)
    with pytest.raises(SyncError, match="时钟比本机快"):
        Courier.bring(p.station, refused)
    p.add(p.laptop, "丙")
    p.restart_laptop()
    report = repair_future_stamps(p.laptop)
    assert report.void_files == (refused.name,) and report.full_export_next
    assert refused.name in report.message and "完整导出" in report.message
    out = p.folder / "after.cpsync"
    assert export_changes(p.laptop, out=out, passphrase=PASSPHRASE, kdf=FAST_KDF).full
    Courier.bring(p.station, out)
    assert {h.estate for h in p.station.session().exec(select(Household))} == {"乙", "丙"}
    assert not export_changes(p.laptop, out=p.folder / "next.cpsync", passphrase=PASSPHRASE, kdf=FAST_KDF).full


def test_stamps_exported_less_than_a_day_ahead_stay_as_they_are(pair):
    p = pair(20 * 3600 * 1000)  # others take these files: their stamps are theirs too now
    p.edit(p.laptop, estate="乙")
    Courier.bring(p.station, p.courier.export(p.laptop))
    p.add(p.laptop, "丙")  # after the export, still ahead: just above what was sent, moving gains nothing
    p.restart_laptop()
    state = dump(p.laptop)
    report = repair_future_stamps(p.laptop)
    assert report.restamped == 0 and report.message == ""
    assert dump(p.laptop) == state


def test_stamps_pinned_just_above_an_export_stay_and_those_above_them_come_back(pair):
    """Exported at the right time, the clock then set 12 hours back: what the laptop writes next is
    stamped just above that export, ahead of its clock but with nowhere lower to go. A leap of 400
    days on top of that, repaired by a second program on the same file once the clock is back: the
    pinned stamps stay, and the ones made during the leap come back above them, not nothing."""
    p = pair(0)
    Courier.bring(p.station, p.courier.export(p.laptop))
    p.wall.offset_ms = -12 * 3600 * 1000  # set back: the next stamps stay just above the export
    p.add(p.laptop, "乙")
    pinned = one_household(p.laptop, "乙").hlc
    p.wall.offset_ms += 400 * DAY
    p.add(p.laptop, "丙")
    p.wall.offset_ms -= 400 * DAY
    second = Database.open(p.laptop.path)
    try:
        second.clock = HybridClock(node_of(second.device.id), wall=p.wall)
        report = repair_future_stamps(second, wall=p.wall)
        assert report.restamped >= 1 and report.days_ahead == 400, report
        assert pinned not in report.moved and one_household(second, "乙").hlc == pinned
        assert ahead(second) == 0
        assert pinned < one_household(second, "丙").hlc
    finally:
        second.close()
    Courier.bring(p.station, p.courier.export(p.laptop))
    assert {h.estate for h in p.station.session().exec(select(Household))} == {"甲", "乙", "丙"}


def test_another_laptops_stamps_far_ahead_are_named_and_left(pair, _template_db, tmp_path, monkeypatch):
    p = pair(400 * DAY)
    other = make_device(_template_db, tmp_path, "M01", wall=FakeWall(400 * DAY))
    try:
        Courier.bring(other, p.courier.export(p.station, full=True))
        with other.session() as s:
            s.get(Household, p.household_id).phone = "13700000000"
            s.commit()
        with monkeypatch.context() as m:  # taken while this laptop was ahead too
            m.setattr("app.sync.importer.wall_ms", p.wall)
            Courier.bring(p.laptop, p.courier.export(other))
    finally:
        other.close()
    p.restart_laptop()
    state = dump(p.laptop)
    report = repair_future_stamps(p.laptop)
    assert report.stuck_on == "M01" and report.stuck_days == 400 and "M01" in report.message
    assert dump(p.laptop) == state


def test_the_audit_log_keeps_what_it_says_and_stays_append_only(pair):
    p = pair(400 * DAY)
    p.edit(p.laptop, estate="乙")
    p.restart_laptop()
    entries = select(AuditEntry).order_by(AuditEntry.id)
    with p.laptop.session() as s:
        before = [(e.id, e.action, e.record_id, e.detail, e.at) for e in s.exec(entries)]
    repair_future_stamps(p.laptop)
    with p.laptop.session() as s:
        after = s.exec(entries).all()
    assert [(e.id, e.action, e.record_id, e.detail, e.at) for e in after] == before
    assert all(parse(e.hlc).ms <= wall_ms() + AHEAD_MS for e in after)
    from db import audit_chain

    with p.laptop.connect() as conn:  # its hash chain, which covers the stamps, is whole
        assert audit_chain.verify(conn, own_device=parse(after[-1].hlc).node) == []
    conn = sqlite3.connect(p.laptop.path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit_entry SET action = 'login'")
    finally:
        conn.close()


def test_a_conflict_met_while_ahead_follows_its_versions_and_both_laptops_agree(pair):
    p = pair(400 * DAY)
    p.edit(p.laptop, phone="13900000001")
    p.edit(p.station, phone="13900000002")
    Courier.bring(p.laptop, p.courier.export(p.station))  # the two edits meet here, while ahead
    assert len(list_conflicts(p.laptop)) == 1
    p.restart_laptop()
    repair_future_stamps(p.laptop)
    assert ahead(p.laptop) == 0
    Courier.bring(p.station, p.courier.export(p.laptop))
    Courier.bring(p.laptop, p.courier.export(p.station))
    assert dump(p.laptop) == dump(p.station)
    [conflict] = list_conflicts(p.station)
    assert conflict.field == "phone" and one_household(p.station).phone == "13900000001"


def future_laptop(pair) -> Path:
    """A closed laptop database with changes stamped 400 days ahead, and its station open."""
    p = pair(400 * DAY)
    p.edit(p.laptop, estate="乙")
    p.laptop.close()
    return p


def test_the_command_line_repairs_on_open_says_so_in_one_line_and_its_export_is_taken(pair, tmp_path):
    p = future_laptop(pair)
    out = tmp_path / "from-cli.cpsync"
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(p.laptop.path), "export", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "CPDESK_SYNC_PASSPHRASE": PASSPHRASE})
    assert done.returncode == 0, done.stderr
    [line] = [x for x in done.stderr.splitlines() if "时钟" in x]
    assert line.startswith("cpdesk: 本机时钟曾超前约 400 天")
    Courier.bring(p.station, out)
    assert one_household(p.station).estate == "乙"


def test_the_window_says_what_the_clock_repair_did(qtbot, pair, tmp_path):
    from tests.support.window import make_settings
    from ui.shell.main_window import MainWindow

    p = future_laptop(pair)
    window = MainWindow(make_settings(tmp_path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.checked, timeout=20000):
        window.open_database(p.laptop.path)
    assert "本机时钟曾超前约 400 天" in window.statusBar().currentMessage()
    assert ahead(window.db) == 0
    p.laptop = window.db  # closed with the others
