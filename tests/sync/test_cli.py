"""``cpdesk export`` / ``cpdesk import`` handlers: passphrase sources, the summary, refusals as UserError."""

from __future__ import annotations

import argparse

import pytest

from app.core.errors import UserError
from app.sync.cli import PASSPHRASE_ENV, cmd_export, cmd_import, read_passphrase
from db.models import Community
from tests.support.sync import make_device


def parse(*argv: str, db=None) -> argparse.Namespace:
    from app.cli.main import build_parser

    return build_parser().parse_args(["--db", str(db or "unused.sqlite3"), *argv])


@pytest.fixture
def two(tmp_path, _template_db):
    a, b = make_device(_template_db, tmp_path, "A01"), make_device(_template_db, tmp_path, "B02")
    with a.session() as s:
        s.add(Community(name="阳光社区"))
        s.commit()
    a.close()
    b.close()
    return a.path, b.path


def test_export_then_import_prints_the_summary(two, tmp_path, capsys, monkeypatch):
    a, b = two
    secret = tmp_path / "pass.txt"
    secret.write_text("口令123\n", encoding="utf-8")
    out = tmp_path / "a.cpsync"
    assert cmd_export(parse("export", "--out", str(out), "--passphrase-file", str(secret), db=a)) == 0
    assert "已导出完整同步包" in capsys.readouterr().out
    monkeypatch.setenv(PASSPHRASE_ENV, "口令123")
    assert cmd_import(parse("import", str(out), db=b)) == 0
    printed = capsys.readouterr().out
    assert "已导入设备 A01 的同步包" in printed
    assert [line.split() for line in printed.splitlines() if line.startswith("community")] == [
        ["community", "1", "0", "0", "0", "0"]]
    assert cmd_import(parse("import", str(out), db=b)) == 0
    assert "已经导入过" in capsys.readouterr().out


def test_import_refusals_are_user_errors_with_one_line(two, tmp_path, monkeypatch):
    a, b = two
    out = tmp_path / "a.cpsync"
    monkeypatch.setenv(PASSPHRASE_ENV, "对的")
    cmd_export(parse("export", "--out", str(out), "--full", db=a))
    monkeypatch.setenv(PASSPHRASE_ENV, "错的")
    with pytest.raises(UserError) as refused:
        cmd_import(parse("import", str(out), db=b))
    assert "口令不对" in str(refused.value) and "\n" not in str(refused.value)


def test_the_passphrase_file_wins_over_the_environment(tmp_path, monkeypatch):
    secret = tmp_path / "p"
    secret.write_text("from-file\r\n", encoding="utf-8")
    monkeypatch.setenv(PASSPHRASE_ENV, "from-env")
    assert read_passphrase(parse("import", "x", "--passphrase-file", str(secret))) == "from-file"
    assert read_passphrase(parse("import", "x")) == "from-env"


def test_without_a_terminal_and_without_a_passphrase_the_command_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(UserError, match="--passphrase-file"):
        read_passphrase(parse("import", "x"))


def test_an_export_asks_twice_and_refuses_a_mismatch(monkeypatch):
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["一次", "两次"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    with pytest.raises(UserError, match="不一致"):
        read_passphrase(parse("export", "--out", "x"), confirm=True)
