"""The command line: right exit codes, one-line errors, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select

from app.areas import list_tables
from app.cli.listing import specs
from app.cli.main import build_parser, main
from db.engine import Database
from db.models import Enterprise, Household, Resident, Volunteer
from tests.support.cli import run_cli

DEMO_DAY = date(2026, 11, 20)


def test_list_tables_offered_are_the_ones_listing_knows():
    assert set(list_tables()) == set(specs())
    [listing] = [a for a in build_parser()._subparsers._group_actions[0].choices["list"]._actions
                 if a.dest == "table"]
    assert tuple(listing.choices) == tuple(list_tables())


# table -> (a column the plain table prints in full, a column whose value finds the row again)
SHOWN_AND_SEARCHED = {
    "households": ("address", "address"), "residents": ("name", "name"), "visits": ("address", "findings"),
    "disputes": ("number", "number"), "agreements": ("number", "number"),
    "revisits": ("dispute_number", "dispute_number"), "volunteers": ("name", "name"),
    "enterprises": ("name", "credit_code"), "inspections": ("enterprise", "enterprise"),
    "rectifications": ("enterprise", "enterprise"), "hire-checks": ("name", "name"),
    "teams": ("name", "name"), "routes": ("name", "name"), "shifts": ("route", "route"),
}
PEOPLE = {"residents": Resident, "volunteers": Volunteer, "enterprises": Enterprise, "households": Household}


def _listed(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


@pytest.mark.parametrize("table", list(list_tables()))
def test_every_list_table_prints_rows_as_text_and_json_and_finds_a_row_by_search(small_demo, table, capsys):
    at = ["--db", str(small_demo)]
    rows = json.loads(_listed(capsys, *at, "list", table, "--json"))
    assert 0 < len(rows) <= 50 and all(row["id"] for row in rows)
    shown, searched = SHOWN_AND_SEARCHED[table]
    first = next(row for row in rows if row[shown] and row[searched])
    assert first[shown] in _listed(capsys, *at, "list", table)
    found = json.loads(_listed(capsys, *at, "list", table, "--search", first[searched], "--json",
                               "--limit", "5000"))
    assert first["id"] in [row["id"] for row in found]
    assert len(found) < 5000 and all(first[searched].upper() in str(row).upper() for row in found)
    if table in PEOPLE:  # numbers masked in the JSON and in the plain table, never the stored ones
        model = PEOPLE[table]
        db = Database.open(small_demo)
        try:
            with db.connect() as conn:
                stored = conn.execute(select(model.__table__.c.phone).where(model.__table__.c.id == first["id"])
                                      ).scalar()
        finally:
            db.close()
        text = _listed(capsys, *at, "list", table, "--search", first[searched])
        assert stored and stored not in text and first["phone"] in text
        assert re.fullmatch(r"[0-9]{3}\*+[0-9]{4}", first["phone"])
    if table in ("residents", "volunteers"):
        assert all(re.fullmatch(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]", row["id_number"]) for row in rows)


def test_bad_usage_exits_2():
    assert run_cli("list").returncode == 2
    assert run_cli("list", "bogus").returncode == 2
    assert run_cli("list", "households", "--limit", "0").returncode == 2


def test_missing_database_is_one_line_on_stderr_and_exit_1(tmp_path):
    result = run_cli("--db", str(tmp_path / "none.sqlite3"), "list", "households")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "数据库文件不存在" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "none.sqlite3").exists()


def test_db_path_comes_from_the_environment_when_not_given(db_path, sample_households, capsys, monkeypatch):
    monkeypatch.setenv("CPDESK_DB", str(db_path))
    assert main(["list", "households", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_list_households_as_json_masks_phones(db_path, sample_households, capsys):
    assert main(["--db", str(db_path), "list", "households", "--search", "金桂苑", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["address"] == "金桂苑3栋2单元502室" and row["phone"] == ""


def test_list_residents_masks_id_numbers(db_path, sample_households, capsys):
    assert main(["--db", str(db_path), "list", "residents", "--search", "张伟", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["id_number"] == "110105********002X" and row["phone"] == "138****8000"
    assert row["address"] == "阳光花园2栋1单元101室"


def test_list_as_a_table_aligns_chinese_columns(db_path, sample_households, capsys):
    assert main(["--db", str(db_path), "list", "households", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("address") and len(lines) == 3


@pytest.mark.parametrize("table", list(list_tables()))
def test_every_list_table_answers_on_an_empty_database(db_path, table, capsys):
    assert main(["--db", str(db_path), "list", table, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_check_passes_a_healthy_database(db_path, capsys):
    assert main(["--db", str(db_path), "check"]) == 0
    assert "完好" in capsys.readouterr().out


def test_check_exits_1_on_a_damaged_database(db, db_path, sample_households):
    db.close()  # written back from the WAL into the file, which is then damaged
    with open(db_path, "r+b") as f:  # scribble over the middle of the file
        f.seek(4096 * 3)
        f.write(b"\xff" * 4096 * 4)
    result = run_cli("--db", str(db_path), "check")
    assert result.returncode == 1 and "损坏" in result.stderr and "Traceback" not in result.stderr


def test_backup_makes_an_equal_self_contained_copy(db_path, sample_households, tmp_path, capsys):
    out = tmp_path / "backup.sqlite3"
    assert main(["--db", str(db_path), "backup", "--out", str(out)]) == 0
    assert not out.with_name(out.name + "-wal").exists()
    assert main(["--db", str(out), "check"]) == 0
    capsys.readouterr()
    assert main(["--db", str(out), "list", "households", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(sample_households)


def test_backup_into_a_missing_folder_is_refused(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "backup", "--out", str(tmp_path / "no" / "b.sqlite3")]) == 1
    assert "目录不存在" in capsys.readouterr().err


def test_demo_refuses_a_database_that_already_has_data(db_path, sample_households, capsys):
    assert main(["--db", str(db_path), "demo"]) == 1
    assert "空数据库" in capsys.readouterr().err
    assert main(["--db", str(db_path), "demo", "--if-empty"]) == 0


def test_help_is_fast_because_nothing_heavy_is_imported():
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from app.cli.main import build_parser; build_parser();"
         "print(sorted(m for m in ('sqlalchemy', 'PySide6', 'reportlab') if m in sys.modules))"],
        capture_output=True, text=True,
    )
    assert result.stdout.strip() == "[]"


def test_device_code_can_be_set_by_the_station_and_bad_codes_are_refused(db_path, capsys):
    assert main(["--db", str(db_path), "device", "--code", "b07"]) == 0
    assert "本机编号 B07" in capsys.readouterr().out
    assert main(["--db", str(db_path), "device"]) == 0
    assert "B07" in capsys.readouterr().out
    assert main(["--db", str(db_path), "device", "--code", "B7"]) == 1
    assert "1个字母加2位数字" in capsys.readouterr().err


def test_a_revealed_listing_searched_by_numbers_logs_them_masked(db, db_path, sample_households, capsys):
    """The audit log of a reveal must not itself keep the ID number or phone it was asked for."""
    from app.audit import log as audit

    for search in ("11010519491231002X", "张伟 13800138000", "0571-87654321", "张伟 1949"):
        assert main(["--db", str(db_path), "list", "residents", "--search", search, "--reveal", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)  # found: the full number did the search
    logged = [e.detail["search"] for e in reversed(audit.search_audit(db, action="reveal"))]
    assert logged == ["110105********002X", "张伟 138****8000", "057******4321", "张伟 1949"]
