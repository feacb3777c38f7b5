"""Short codes (A03 in 2026-A03-0012): a clash between two laptops is refused at import, naming the
laptop; re-coding one lets them exchange, keeping every number already printed (issue 10, item 8)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.device import set_short_code
from app.core.errors import UserError
from app.disputes.mediation import AgreementValues, create_agreement
from app.sync.container import SyncError
from tests.support.disputes import make_values, register
from tests.support.sync import PASSPHRASE, Courier, dump, file_state, make_device

TODAY = date.today()


def _laptop(template, folder, code):
    folder.mkdir()
    return make_device(template, folder, code)


def _agreement(db, dispute_id: str) -> str:
    values = AgreementValues(kind="people", facts="李四家夜间噪音扰民。", issues="噪音扰民",
                             terms=["李四保证晚十点后不再制造噪音。"], performance="promised",
                             deadline=TODAY + timedelta(days=3), copies=3, signed_on=TODAY)
    return create_agreement(db, dispute_id=dispute_id, values=values, today=TODAY).number


def _numbers(db, table: str) -> list[str]:
    with db.connect() as conn:
        return sorted(n for (n,) in conn.exec_driver_sql(f"SELECT number FROM {table}"))


@pytest.fixture
def clash(tmp_path, _template_db):
    """Two laptops the station gave one code, A03, each with disputes and an agreement printed."""
    a, c = _laptop(_template_db, tmp_path / "a", "A03"), _laptop(_template_db, tmp_path / "c", "A03")
    printed = {}
    for db, count in ((a, 2), (c, 3)):
        disputes = [register(db) for _ in range(count)]
        printed[db] = ([d.number for d in disputes], _agreement(db, disputes[0].id))
    yield a, c, printed
    a.close()
    c.close()


def test_two_laptops_with_one_code_are_refused_naming_the_laptop_then_recoding_one_lets_them_exchange(
        clash, tmp_path):
    a, c, printed = clash
    year = make_values().occurred_at.year
    assert printed[a][0][0] == printed[c][0][0] == f"{year}-A03-0001"  # the clash printed one number twice
    courier = Courier(tmp_path)
    for source, target in ((c, a), (a, c)):
        before = file_state(target)
        with pytest.raises(SyncError) as refused:
            courier.bring(target, courier.export(source))
        message = str(refused.value)
        assert refused.value.kind == "device_code" and "\n" not in message
        assert "A03" in message and source.device.id[:8] in message and "cpdesk device --code" in message
        assert file_state(target) == before  # nothing merged, no half-done state

    set_short_code(c, code="B07")
    courier.bring(a, courier.export(c, full=True))  # the refused file's rows travel again in a full one
    courier.bring(c, courier.export(a, full=True))

    everything = {"dispute": sorted(printed[a][0] + printed[c][0]),
                  "agreement": sorted([printed[a][1], printed[c][1]])}
    for db in (a, c):  # every number printed on either laptop is there, unchanged
        assert {table: _numbers(db, table) for table in everything} == everything
    assert dump(a) == dump(c)
    assert register(c).number == f"{year}-B07-0001"  # the re-coded laptop's new records: its new code
    fresh = register(a)
    assert fresh.number == f"{year}-A03-0004"  # never one printed before, on either laptop
    assert _agreement(c, register(c).id) == f"{TODAY.year}-B07-T0001"
    assert _agreement(a, fresh.id) == f"{TODAY.year}-A03-T0002"


def test_a_master_refuses_a_laptop_whose_code_another_laptop_already_uses(tmp_path, _template_db):
    master = _laptop(_template_db, tmp_path / "m", "M01")
    first, second = _laptop(_template_db, tmp_path / "a", "A03"), _laptop(_template_db, tmp_path / "c", "A03")
    try:
        courier = Courier(tmp_path)
        courier.bring(master, courier.export(first))
        with pytest.raises(SyncError) as refused:
            courier.bring(master, courier.export(second))
        message = str(refused.value)
        assert refused.value.kind == "device_code"
        assert second.device.id[:8] in message and first.device.id[:8] in message and "\n" not in message
        set_short_code(second, code="C11")
        assert courier.bring(master, courier.export(second, full=True)).device_code == "C11"
    finally:
        for db in (master, first, second):
            db.close()


def test_recoding_to_the_code_of_a_laptop_known_from_its_files_is_refused(tmp_path, _template_db):
    master, officer = _laptop(_template_db, tmp_path / "m", "M01"), _laptop(_template_db, tmp_path / "a", "A03")
    try:
        courier = Courier(tmp_path)
        courier.bring(master, courier.export(officer))
        with pytest.raises(UserError, match=officer.device.id[:8]):
            set_short_code(master, code="a03")
        assert master.device.short_code == "M01"
        set_short_code(officer, code="B07")  # once that laptop is re-coded and its file came in, A03 is free
        courier.bring(master, courier.export(officer))
        set_short_code(master, code="A03")
        assert master.device.short_code == "A03"
    finally:
        master.close()
        officer.close()


def test_the_clash_names_the_laptop_by_the_name_it_was_given(tmp_path, _template_db, monkeypatch, capsys):
    from app.cli.main import main
    from app.core.device import set_name

    a, c = _laptop(_template_db, tmp_path / "a", "A03"), _laptop(_template_db, tmp_path / "c", "A03")
    set_name(c, name="王警官的笔记本")
    path = Courier(tmp_path).export(c)
    target = a.path
    a.close()
    c.close()
    monkeypatch.setenv("CPDESK_SYNC_PASSPHRASE", PASSPHRASE)
    assert main(["--db", str(target), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "王警官的笔记本" in err and "A03" in err and "Traceback" not in err
