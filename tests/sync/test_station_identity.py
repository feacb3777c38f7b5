"""A database belongs to one station (派出所): every sync file carries it, a file of another
station is refused unless an admin merges them, a new database joins the station of its first
file, and databases from before stations (provisional) find their station (issue 10, item 7)."""

from __future__ import annotations

import uuid

import pytest

from app.accounts.first_start import create_station
from app.accounts.login import log_in
from app.accounts.manage import create_account
from app.sync.container import SyncError, read_header
from app.sync.importer import read_sync_file
from db.base import utcnow
from db.models import Community
from tests.support.accounts import ADMIN_PASSWORD, OFFICER_PASSWORD
from tests.support.sync import PASSPHRASE, Courier, dump, file_state, make_device


def _laptop(template, folder, code):
    folder.mkdir()
    return make_device(template, folder, code)


def _community(db, name: str) -> None:
    with db.session() as s:
        s.add(Community(name=name))
        s.commit()


def _first_start(path, **station):
    """What the window's first start does: the first admin makes the encrypted station."""
    login = create_station(path, username="admin", name="张所长", password=ADMIN_PASSWORD, **station)
    return login.db


def _provisional(db) -> str:
    """The station migration 0006 gives a database from before stations."""
    station_id = uuid.uuid4().hex
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO local_station (id, name, provisional, merged, joined_at) "
                             "VALUES (?, '', 1, '[]', ?)", (station_id, utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")))
    return station_id


def _station(db):
    from app.sync.station import station_of

    return station_of(db)


def test_a_file_of_another_station_is_refused_naming_both_and_nothing_changes(tmp_path, cheap_kdf):
    ours, theirs = _first_start(tmp_path / "ours.sqlite3"), _first_start(tmp_path / "theirs.sqlite3")
    try:
        _community(theirs, "东街社区")
        courier = Courier(tmp_path)
        path = courier.export(theirs)
        before = file_state(ours)
        with pytest.raises(SyncError) as refused:
            courier.bring(ours, path)
        message = str(refused.value)
        assert refused.value.kind == "station" and "\n" not in message
        assert _station(ours).id[:8] in message and _station(theirs).id[:8] in message
        assert file_state(ours) == before
    finally:
        ours.close()
        theirs.close()


def test_a_new_database_joins_the_station_of_its_first_file_then_refuses_another(tmp_path, _template_db):
    from app.sync.station import found

    master, other = _laptop(_template_db, tmp_path / "m", "M01"), _laptop(_template_db, tmp_path / "o", "O02")
    new = _laptop(_template_db, tmp_path / "n", "N03")  # cpdesk init without --new-station
    try:
        station = found(master, name="城关派出所")
        found(other, name="东街派出所")
        _community(master, "阳光社区")
        _community(other, "东街社区")
        courier = Courier(tmp_path)
        assert _station(new) is None
        summary = courier.bring(new, courier.export(master, full=True))
        assert _station(new) == station and "加入派出所「城关派出所」" in summary.station
        with pytest.raises(SyncError, match="城关派出所.*东街派出所|东街派出所.*城关派出所"):
            courier.bring(new, courier.export(other))
        assert dump(new) == dump(master)
    finally:
        for db in (master, other, new):
            db.close()


def test_a_file_from_a_database_not_yet_in_a_station_is_accepted_and_leaves_the_station(tmp_path, _template_db):
    from app.sync.station import found

    master, new = _laptop(_template_db, tmp_path / "m", "M01"), _laptop(_template_db, tmp_path / "n", "N03")
    try:
        station = found(master, name="城关派出所")
        _community(new, "阳光社区")  # worked on before its first import
        courier = Courier(tmp_path)
        assert courier.bring(master, courier.export(new)).tables["community"].added == 1
        assert _station(master) == station and _station(new) is None
    finally:
        master.close()
        new.close()


def test_the_station_travels_in_the_sealed_manifest_not_in_the_plain_header(tmp_path, _template_db):
    from app.sync.station import found

    master = _laptop(_template_db, tmp_path / "m", "M01")
    try:
        station = found(master, name="城关派出所")
        path = Courier(tmp_path).export(master)
    finally:
        master.close()
    header, _start = read_header(path.read_bytes())
    assert station.id not in str(header) and "城关" not in path.read_bytes().decode("latin-1")
    manifest = read_sync_file(path, passphrase=PASSPHRASE).manifest
    assert manifest["station"] == {"id": station.id, "name": "城关派出所", "provisional": False, "merged": []}


@pytest.mark.parametrize("station", [
    {"id": "not-hex", "name": "", "provisional": False, "merged": []},
    {"id": "a" * 32, "name": "x" * 65, "provisional": False, "merged": []},
    {"id": "a" * 32, "name": "", "provisional": "no", "merged": []},
    {"id": "a" * 32, "name": "", "provisional": False, "merged": ["b" * 32] * 300},
    {"id": "a" * 32, "name": "城关\n派出所", "provisional": False, "merged": []},
    ["a" * 32],
])
def test_a_malformed_station_in_a_file_is_refused_as_invalid(station):
    from app.sync.station import from_file

    with pytest.raises(SyncError) as refused:
        from_file({"station": station})
    assert refused.value.kind == "invalid"


def test_only_an_admin_merges_another_station_and_the_merge_is_audited(
        tmp_path, _template_db, cheap_kdf, monkeypatch, capsys):
    from app.cli.main import main

    ours_path = tmp_path / "ours.sqlite3"
    ours = _first_start(ours_path, station="城关派出所")
    create_account(ours, username="wang", name="王警官", role="officer", password=OFFICER_PASSWORD)
    theirs = _first_start(tmp_path / "theirs.sqlite3", station="东街派出所")
    sibling = _laptop(_template_db, tmp_path / "s", "S05")  # another laptop of our station
    courier = Courier(tmp_path)
    try:
        courier.bring(sibling, courier.export(ours, full=True))
        old_id, their_station = _station(ours).id, _station(theirs)
        _community(theirs, "东街社区")
        their_file = courier.export(theirs, full=True)
    finally:
        ours.close()
    monkeypatch.setenv("CPDESK_SYNC_PASSPHRASE", PASSPHRASE)
    merge = ["--db", str(ours_path), "import", str(their_file), "--merge-station"]

    monkeypatch.setenv("CPDESK_PASSWORD", OFFICER_PASSWORD)
    assert main(["--user", "wang", *merge]) == 1
    assert "只有管理员" in capsys.readouterr().err
    monkeypatch.setenv("CPDESK_PASSWORD", ADMIN_PASSWORD)
    assert main(merge[:-1]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "城关派出所" in err and "东街派出所" in err and "--merge-station" in err
    assert main(merge) == 0
    assert "本机并入派出所「东街派出所」" in capsys.readouterr().out

    ours = log_in(ours_path, "admin", ADMIN_PASSWORD).db
    try:
        station = _station(ours)
        assert station.id == their_station.id and old_id in station.merged
        with ours.connect() as conn:
            entries = conn.exec_driver_sql(
                "SELECT officer_id, detail FROM audit_entry WHERE action = 'import' AND detail LIKE '%并入派出所%'"
            ).all()
        assert len(entries) == 1 and entries[0][0] == ours.officer_id
        # Both former stations now exchange: theirs takes our files, our other laptop follows.
        assert courier.bring(theirs, courier.export(ours)).station == ""
        assert old_id in _station(theirs).merged
        courier.bring(ours, courier.export(sibling))  # still on the old id: known as merged
        assert "改属" in courier.bring(sibling, courier.export(ours)).station
        assert _station(sibling).id == their_station.id
    finally:
        for db in (ours, theirs, sibling):
            db.close()


def test_two_provisional_laptops_of_one_station_exchange_and_settle_on_one_station(tmp_path, _template_db):
    hub, a, b = (_laptop(_template_db, tmp_path / code, code) for code in ("H01", "A02", "B03"))
    try:
        ids = {db: _provisional(db) for db in (hub, a, b)}
        for db, name in ((hub, "总台"), (a, "阳光社区"), (b, "东街社区")):
            _community(db, name)
        courier = Courier(tmp_path)
        for _round in range(2):  # officers' files to the hub, then the hub's back to them
            for officer in (a, b):
                courier.bring(hub, courier.export(officer))
            back = courier.export(hub)
            for officer in (a, b):
                courier.bring(officer, back)
        stations = {db: _station(db) for db in (hub, a, b)}
        assert {s.id for s in stations.values()} == {min(ids.values())}
        assert all(s.provisional for s in stations.values())
        assert dump(hub) == dump(a) == dump(b)
    finally:
        for db in (hub, a, b):
            db.close()


def test_a_provisional_laptop_adopts_the_founded_station_of_its_first_file_and_then_refuses_others(
        tmp_path, _template_db):
    from app.sync.station import found

    master, officer = _laptop(_template_db, tmp_path / "m", "M01"), _laptop(_template_db, tmp_path / "a", "A02")
    stranger = _laptop(_template_db, tmp_path / "x", "X09")
    try:
        station, old = found(master, name="城关派出所"), _provisional(officer)
        found(stranger, name="东街派出所")
        courier = Courier(tmp_path)
        summary = courier.bring(officer, courier.export(master))
        assert "本机改属派出所「城关派出所」" in summary.station
        adopted = _station(officer)
        assert (adopted.id, adopted.provisional, old in adopted.merged) == (station.id, False, True)
        with pytest.raises(SyncError) as refused:
            courier.bring(officer, courier.export(stranger))
        assert refused.value.kind == "station"
    finally:
        for db in (master, officer, stranger):
            db.close()


def test_a_founded_station_refuses_an_upgraded_laptop_until_that_laptop_imported_the_station(
        tmp_path, _template_db):
    from app.sync.station import found

    master, officer = _laptop(_template_db, tmp_path / "m", "M01"), _laptop(_template_db, tmp_path / "a", "A02")
    try:
        found(master, name="城关派出所")
        _provisional(officer)
        _community(officer, "阳光社区")
        courier = Courier(tmp_path)
        early = courier.export(officer)
        with pytest.raises(SyncError, match="请先在那台电脑上导入本所的同步包"):
            courier.bring(master, early)
        courier.bring(officer, courier.export(master))
        assert courier.bring(master, courier.export(officer, full=True)).tables["community"].added == 1
    finally:
        master.close()
        officer.close()


def test_confirming_the_masters_provisional_station_makes_the_other_upgraded_laptops_follow(
        tmp_path, cheap_kdf, _template_db, monkeypatch, capsys):
    from app.cli.main import main
    from app.sync.station import found

    path = tmp_path / "master.sqlite3"
    master = _first_start(path, station=None)
    officer, stranger = _laptop(_template_db, tmp_path / "a", "A02"), _laptop(_template_db, tmp_path / "x", "X09")
    try:
        provisional = _provisional(master)
        _provisional(officer)
        found(stranger, name="东街派出所")
        master.close()
        monkeypatch.setenv("CPDESK_PASSWORD", ADMIN_PASSWORD)
        assert main(["--db", str(path), "station", "--confirm", "城关派出所"]) == 0
        assert main(["--db", str(path), "station", "--json"]) == 0
        assert f'"id": "{provisional}"' in capsys.readouterr().out
        master = log_in(path, "admin", ADMIN_PASSWORD).db
        courier = Courier(tmp_path)
        assert "城关派出所" in courier.bring(officer, courier.export(master)).station
        assert (_station(officer).id, _station(officer).provisional) == (provisional, False)
        with pytest.raises(SyncError):
            courier.bring(master, courier.export(stranger))
    finally:
        for db in (master, officer, stranger):
            db.close()


def test_the_import_dialog_shows_the_refusal_and_offers_only_an_admin_the_merge(
        qtbot, tmp_path, cheap_kdf):
    from PySide6.QtCore import QSettings

    from ui.sync.dialogs import ImportDialog, PassphraseStore

    store = PassphraseStore(QSettings(str(tmp_path / "sync.ini"), QSettings.Format.IniFormat))
    store.set(PASSPHRASE)
    ours_path = tmp_path / "ours.sqlite3"
    ours = _first_start(ours_path, station="城关派出所")
    create_account(ours, username="wang", name="王警官", role="officer", password=OFFICER_PASSWORD)
    theirs = _first_start(tmp_path / "theirs.sqlite3", station="东街派出所")
    _community(theirs, "东街社区")
    path = Courier(tmp_path).export(theirs)
    theirs.close()
    ours.close()

    def attempt(db) -> ImportDialog:
        dialog = ImportDialog(db, store, path=path)
        qtbot.addWidget(dialog)
        dialog.run_button.click()
        qtbot.waitUntil(lambda: "另一个派出所" in dialog.status.text(), timeout=10_000)
        return dialog

    officer = log_in(ours_path, "wang", OFFICER_PASSWORD).db
    try:
        dialog = attempt(officer)
        assert not dialog.merge_station.isVisibleTo(dialog)
    finally:
        officer.close()
    admin = log_in(ours_path, "admin", ADMIN_PASSWORD).db
    try:
        dialog = attempt(admin)
        assert dialog.merge_station.isVisibleTo(dialog) and not dialog.merge_station.isChecked()
        dialog.merge_station.setChecked(True)
        with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
            dialog.run_button.click()
        assert "本机并入派出所「东街派出所」" in imported.args[0].station
        assert "本机并入派出所「东街派出所」" in dialog.status.text()
    finally:
        admin.close()
