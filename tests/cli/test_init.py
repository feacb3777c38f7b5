"""``cpdesk init``: a new laptop set up and filled from the command line, without the window
(issue 10, "A new laptop from the command line")."""

from __future__ import annotations

import json

import pytest

from app.accounts.first_start import station_state
from app.accounts.login import recover
from app.cli.main import main
from tests.support.accounts import ADMIN_PASSWORD

SYNC = "城关派出所同步口令2026"


@pytest.fixture
def env(monkeypatch, cheap_kdf):
    monkeypatch.setenv("CPDESK_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("CPDESK_SYNC_PASSPHRASE", SYNC)


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_makes_an_empty_encrypted_database_and_shows_the_recovery_code_once(tmp_path, env, capsys):
    path = tmp_path / "laptop" / "cpdesk.sqlite3"
    code, out, err = _run(capsys, "--db", path, "init", "--admin", "a05")
    assert (code, err) == (0, "")
    assert station_state(path) == "encrypted"
    recovery = [line for line in out.splitlines() if line.startswith("恢复码：")]
    assert len(recovery) == 1 and "尚未归属派出所" in out
    assert _run(capsys, "--db", path, "--user", "a05", "station")[1].startswith("本机尚未归属派出所")
    login = recover(path, code=recovery[0].split("：")[1].split("（")[0], username="a05",
                            new_password="newpass123")
    try:
        assert login.officer.is_admin
        with login.db.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM household").scalar() == 0
    finally:
        login.db.close()


def test_init_refuses_an_existing_database_in_one_line_and_leaves_it_alone(tmp_path, env, capsys, _template_db):
    path = tmp_path / "cpdesk.sqlite3"
    assert _run(capsys, "--db", path, "init")[0] == 0
    before = path.read_bytes()
    code, out, err = _run(capsys, "--db", path, "init", "--new-station", "城关派出所")
    assert (code, out) == (1, "") and err.count("\n") == 1 and "数据库已存在" in err
    assert path.read_bytes() == before
    plain = tmp_path / "plain.sqlite3"
    plain.write_bytes(_template_db.read_bytes())
    assert _run(capsys, "--db", plain, "init")[0] == 1
    assert plain.read_bytes() == _template_db.read_bytes()


def test_init_with_a_bad_admin_name_or_station_name_makes_nothing(tmp_path, env, capsys):
    path = tmp_path / "cpdesk.sqlite3"
    for argv in (["--admin", "王 警官"], ["--new-station", " "]):
        code, _out, err = _run(capsys, "--db", path, "init", *argv)
        assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
        assert not path.exists()


def test_init_asks_for_the_password_twice_without_echo(tmp_path, cheap_kdf, monkeypatch, capsys):
    import getpass
    import sys

    monkeypatch.delenv("CPDESK_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter(["admin12345", "admin12346"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: next(answers))
    path = tmp_path / "cpdesk.sqlite3"
    code, _out, err = _run(capsys, "--db", path, "init")
    assert code == 1 and "两次输入的密码不一致" in err and not path.exists()


def test_init_with_new_station_founds_it(tmp_path, env, capsys):
    path = tmp_path / "master.sqlite3"
    code, out, _err = _run(capsys, "--db", path, "init", "--new-station", "城关派出所")
    assert code == 0 and "已建立派出所「城关派出所」" in out
    code, out, _err = _run(capsys, "--db", path, "station", "--json")
    station = json.loads(out)
    assert (station["name"], station["provisional"]) == ("城关派出所", False)


def test_import_into_a_database_that_does_not_exist_points_to_init(tmp_path, env, capsys):
    code, _out, err = _run(capsys, "--db", tmp_path / "new.sqlite3", "import", tmp_path / "x.cpsync")
    assert code == 1 and err.count("\n") == 1 and "cpdesk init" in err
    assert not (tmp_path / "new.sqlite3").exists()


def test_a_new_laptop_is_set_up_with_init_and_the_masters_full_file_and_joins_its_station(tmp_path, env, capsys):
    master, laptop, stranger = tmp_path / "master.sqlite3", tmp_path / "laptop.sqlite3", tmp_path / "x.sqlite3"
    assert _run(capsys, "--db", master, "demo", "--scale", "small")[0] == 0
    full = tmp_path / "MASTER-full.cpsync"
    assert _run(capsys, "--db", master, "export", "--full", "--out", full)[0] == 0

    assert _run(capsys, "--db", laptop, "init", "--admin", "a05")[0] == 0
    code, out, err = _run(capsys, "--db", laptop, "--user", "a05", "import", full)
    assert (code, err) == (0, "") and "本机加入派出所「演示派出所」" in out

    def households(path, *user) -> list:
        return json.loads(_run(capsys, "--db", path, *user, "list", "households", "--limit", "1000", "--json")[1])

    assert households(laptop, "--user", "a05") == households(master)
    station = json.loads(_run(capsys, "--db", laptop, "--user", "a05", "station", "--json")[1])
    assert station == json.loads(_run(capsys, "--db", master, "station", "--json")[1])

    # A file of another station is refused there, in one line naming both.
    assert _run(capsys, "--db", stranger, "init", "--new-station", "东街派出所")[0] == 0
    other = tmp_path / "other.cpsync"
    assert _run(capsys, "--db", stranger, "export", "--out", other)[0] == 0
    code, _out, err = _run(capsys, "--db", laptop, "--user", "a05", "import", other)
    assert code == 1 and err.count("\n") == 1 and "演示派出所" in err and "东街派出所" in err
