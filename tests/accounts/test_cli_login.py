"""The command line on an encrypted station: the demo is encrypted, and every command unlocks
with --user and $CPDESK_PASSWORD; a wrong or missing password is one line and exit 1."""

from __future__ import annotations

import pytest

from app.cli.main import main
from db import cipher


@pytest.fixture(scope="module")
def demo_station(tmp_path_factory):
    path = tmp_path_factory.mktemp("enc") / "station.sqlite3"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CPDESK_PASSWORD", "demo1234")
        assert main(["--db", str(path), "demo", "--scale", "small"]) == 0
    cipher._keys.clear()
    return path


@pytest.fixture(autouse=True)
def _forget_keys():
    yield
    cipher._keys.clear()  # as when the command ends


def test_the_demo_is_encrypted_and_holds_no_phone_in_the_clear(demo_station):
    assert not cipher.is_plain(demo_station) and cipher.keys_path(demo_station).exists()
    assert b"SQLite format 3" not in demo_station.read_bytes()[:16]


def test_list_unlocks_with_the_password_from_the_environment(demo_station, monkeypatch, capsys):
    monkeypatch.setenv("CPDESK_PASSWORD", "demo1234")
    assert main(["--db", str(demo_station), "list", "households", "--limit", "2", "--json"]) == 0
    assert '"address"' in capsys.readouterr().out


def test_a_wrong_password_is_one_line_and_exit_1(demo_station, monkeypatch, capsys):
    monkeypatch.setenv("CPDESK_PASSWORD", "wrong1234")
    assert main(["--db", str(demo_station), "list", "households"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "cpdesk: 用户名或密码错误"


def test_an_unknown_user_is_refused_like_a_wrong_password(demo_station, monkeypatch, capsys):
    monkeypatch.setenv("CPDESK_PASSWORD", "demo1234")
    assert main(["--db", str(demo_station), "--user", "nobody", "list", "households"]) == 1
    assert "用户名或密码错误" in capsys.readouterr().err


def test_no_password_and_no_terminal_says_how_to_give_one(demo_station, monkeypatch, capsys):
    monkeypatch.delenv("CPDESK_PASSWORD", raising=False)
    assert main(["--db", str(demo_station), "list", "households"]) == 1
    assert "CPDESK_PASSWORD" in capsys.readouterr().err


def test_check_and_backup_work_on_the_encrypted_file_and_the_backup_stays_encrypted(demo_station, tmp_path,
                                                                                     monkeypatch, capsys):
    monkeypatch.setenv("CPDESK_PASSWORD", "demo1234")
    assert main(["--db", str(demo_station), "check"]) == 0
    out = tmp_path / "copy.sqlite3"
    assert main(["--db", str(demo_station), "backup", "--out", str(out)]) == 0
    assert not cipher.is_plain(out)


def test_demo_if_empty_leaves_an_encrypted_station_alone(demo_station):
    before = demo_station.stat().st_mtime_ns
    assert main(["--db", str(demo_station), "demo", "--if-empty"]) == 0
    assert demo_station.stat().st_mtime_ns == before


def test_a_backup_kept_elsewhere_restores_the_encrypted_station(demo_station, tmp_path, monkeypatch, capsys):
    import shutil

    monkeypatch.setenv("CPDESK_PASSWORD", "demo1234")
    station = tmp_path / "copy" / "station.sqlite3"
    station.parent.mkdir()
    for suffix in ("", ".keys"):
        shutil.copy(f"{demo_station}{suffix}", f"{station}{suffix}")
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(["--db", str(station), "backup", "--out", str(usb / "备份.sqlite3")]) == 0
    cipher._keys.clear()
    assert main(["--db", str(station), "restore", str(usb / "备份.sqlite3")]) == 0
    assert "已从" in capsys.readouterr().out
    assert main(["--db", str(station), "check"]) == 0


@pytest.fixture
def station_with_code(tmp_path):
    from app.accounts.first_start import create_station

    path = tmp_path / "s.sqlite3"
    login = create_station(path, username="admin", name="张所长", password="admin123")
    login.db.close()
    cipher._keys.clear()
    return path, login.recovery_code


def _password_works(path, monkeypatch, password: str) -> bool:
    monkeypatch.setenv("CPDESK_PASSWORD", password)
    cipher._keys.clear()
    return main(["--db", str(path), "list", "households"]) == 0


def test_recover_reads_the_code_from_the_environment_never_from_the_command_line(station_with_code, monkeypatch,
                                                                                capsys):
    path, code = station_with_code
    monkeypatch.setenv("CPDESK_RECOVERY_CODE", code.lower())
    monkeypatch.setenv("CPDESK_PASSWORD", "new12345")  # the new password, read as for a login
    assert main(["--db", str(path), "recover"]) == 0
    assert "已为 admin 设置新密码" in capsys.readouterr().out
    assert _password_works(path, monkeypatch, "new12345") and not _password_works(path, monkeypatch, "admin123")


def test_recover_with_code_on_the_command_line_is_refused_in_one_line_saying_the_safe_way(station_with_code,
                                                                                        monkeypatch, capsys):
    path, code = station_with_code
    monkeypatch.setenv("CPDESK_PASSWORD", "new12345")
    assert main(["--db", str(path), "recover", "--code", code]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CPDESK_RECOVERY_CODE" in err and code not in err
    assert _password_works(path, monkeypatch, "admin123")  # nothing was changed
    with pytest.raises(SystemExit):
        main(["recover", "--help"])
    recover_help = capsys.readouterr().out
    assert "--code" not in recover_help and "CPDESK_RECOVERY_CODE" in recover_help


def test_recover_asks_for_the_code_without_echo_at_a_terminal(station_with_code, monkeypatch, capsys):
    import getpass
    import sys

    path, code = station_with_code
    monkeypatch.delenv("CPDESK_RECOVERY_CODE", raising=False)
    monkeypatch.setenv("CPDESK_PASSWORD", "new12345")
    asked = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or code)
    assert main(["--db", str(path), "recover"]) == 0
    assert asked == ["恢复码："]


def test_recover_without_a_code_and_without_a_terminal_says_how_to_give_one(station_with_code, monkeypatch, capsys):
    path, _code = station_with_code
    monkeypatch.delenv("CPDESK_RECOVERY_CODE", raising=False)
    monkeypatch.setenv("CPDESK_PASSWORD", "new12345")
    assert main(["--db", str(path), "recover"]) == 1
    assert capsys.readouterr().err == "cpdesk: 需要恢复码：请在终端运行，或设置 CPDESK_RECOVERY_CODE\n"
