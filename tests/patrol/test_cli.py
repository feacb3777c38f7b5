"""The patrol commands: ``roster generate``, ``list teams|volunteers|routes|shifts``, ``show volunteer|shift``,
``report roster|sign-in``, ``ledger hours`` and today's shifts in ``reminders``: exit codes, one-line
refusals that change nothing, JSON."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from app.cli.main import main
from app.patrol.generation import preview_roster, save_roster
from app.patrol.schedule import make_shifts
from app.patrol.teams import TeamValues, join_team, save_team
from db.models import Shift, ShiftAssignment, Volunteer
from tests.patrol.conftest import NEXT_MONDAY, make_squad
from tests.support.cli import one_line, run_cli
from tests.support.sync import dump

FROM, TO = NEXT_MONDAY.isoformat(), (NEXT_MONDAY + timedelta(days=6)).isoformat()


def cli(capsys, db_path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, db_path, *argv: str) -> str:
    code, out, err = cli(capsys, db_path, *argv)
    assert (code, err) == (0, ""), err
    return out


@pytest.fixture
def rostered(db, squad):
    make_shifts(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6), team_id=squad.team)
    save_roster(db, preview=preview_roster(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6),
                                           team_id=squad.team))
    return squad


def test_a_dry_run_previews_the_roster_and_changes_nothing(db, db_path, squad, capsys):
    make_shifts(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6), team_id=squad.team)
    before = dump(db)
    found = json.loads(ok(capsys, db_path, "roster", "generate", "--team", "云栖义警队", "--from", FROM, "--to", TO,
                          "--dry-run", "--json"))
    assert dump(db) == before
    assert (found["saved"], found["team_id"], found["shifts"], found["seats"], found["filled"]) == (
        False, squad.team, 7, 21, 12)
    assert found["added"] == 12 and len(found["short"]) == 3
    assert found["short"][0]["reason"].endswith(
        "缺 3 人（含小组长）：可排的 6 人本周已满 2 班；小组长：可排的 2 人本周已满 2 班")
    assert {c["shifts"] for c in found["counts"]} == {2} and len(found["counts"]) == 6


def test_generate_makes_the_shifts_from_the_templates_and_saves_the_roster(db, db_path, squad, capsys):
    out = ok(capsys, db_path, "roster", "generate", "--team", squad.team, "--from", FROM, "--to", TO)
    assert out.startswith(f"云栖义警队 {FROM} 至 {TO}：班次 7 个，需 21 人次，已排 12 人次，缺 9 人次")
    assert "已按班次模板生成 7 个新班次" in out and "已保存：新增 12 人次，移除 0 人次" in out
    assert "缺人的班次：3 个" in out and "本周已满 2 班" in out
    with db.session() as s:
        assert len(s.exec(select(ShiftAssignment)).all()) == 12
    again = json.loads(ok(capsys, db_path, "roster", "generate", "--team", "云栖义警队", "--from", FROM, "--to", TO,
                          "--json"))
    assert (again["saved"], again["shifts_made"], again["added"], again["removed"]) == (True, 0, 0, 0)


@pytest.mark.parametrize("argv, message", [
    (("--team", "没有的队", "--from", FROM, "--to", TO), "没有这个义警队"),
    (("--team", "云栖义警队", "--from", TO, "--to", FROM), "结束日期不能早于开始日期"),
    (("--team", "云栖义警队", "--from", FROM, "--to", (NEXT_MONDAY + timedelta(days=92)).isoformat()), "最多排 92 天"),
    (("--team", "云栖义警队", "--from", FROM, "--to", TO, "--dry-run"), "请先用班次模板生成班次"),
    (("--team", "云栖义警队", "--from", "1899-12-31", "--to", TO), "日期应在"),
])
def test_a_bad_roster_request_is_one_line_exit_1_and_changes_nothing(db, db_path, squad, capsys, argv, message):
    before = dump(db)
    code, out, err = cli(capsys, db_path, "roster", "generate", *argv)
    assert (code, out) == (1, "") and message in one_line(err)
    assert dump(db) == before


def test_a_malformed_date_is_a_usage_error():
    assert run_cli("roster", "generate", "--team", "x", "--from", "2026-13-01", "--to", TO).returncode == 2
    assert run_cli("roster", "generate", "--from", FROM, "--to", TO).returncode == 2  # no team


def test_the_lists_show_teams_volunteers_routes_and_shifts_with_numbers_masked(db, db_path, rostered, capsys,
                                                                              community):
    other = save_team(db, values=TeamValues(name="新城义警队", kind="street", community_id=community))
    make_squad(db, other, size=4, first=40, route_name="学院路重点路线")
    join_team(db, volunteer_id=rostered.members[0], team_id=other)
    teams = json.loads(ok(capsys, db_path, "list", "teams", "--json"))
    assert [(t["name"], t["kind"], t["members"]) for t in teams] == [
        ("云栖义警队", "社区巡防", 6), ("新城义警队", "街面巡逻", 5)]
    assert {v["teams"] for v in json.loads(ok(capsys, db_path, "list", "volunteers", "--search", "新城", "--json"))
            } == {"新城义警队（队长）", "新城义警队（小组长）", "新城义警队", "云栖义警队、新城义警队"}
    volunteers = json.loads(ok(capsys, db_path, "list", "volunteers", "--search", "云栖", "--json"))
    assert len(volunteers) == 6 and all(re.fullmatch(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]", v["id_number"])
                                        and re.fullmatch(r"138\*{4}[0-9]{4}", v["phone"]) for v in volunteers)
    assert {v["teams"] for v in volunteers} == {"云栖义警队（队长）", "云栖义警队（小组长）", "云栖义警队",
                                               "云栖义警队、新城义警队"}
    [route] = json.loads(ok(capsys, db_path, "list", "routes", "--search", "云栖里夜巡", "--json"))
    assert (route["name"], route["kind"], route["teams"], route["waypoints"]) == (
        "云栖里夜巡", "夜巡", "云栖义警队", "云栖里东门→文化广场")
    shifts = json.loads(ok(capsys, db_path, "list", "shifts", "--json"))
    assert len(shifts) == 7 and [s["day"] for s in shifts] == sorted((s["day"] for s in shifts), reverse=True)
    [monday] = json.loads(ok(capsys, db_path, "list", "shifts", "--on", FROM, "--json"))
    assert (monday["day"], monday["hours"], monday["route"], monday["assigned"], monday["short"]) == (
        FROM, "19:00-21:00", "云栖里夜巡", 3, 0) and monday["leader"]
    [sunday] = json.loads(ok(capsys, db_path, "list", "shifts", "--on", TO, "--json"))
    assert (sunday["assigned"], sunday["short"], sunday["leader"]) == (0, 3, None)
    assert "云栖里夜巡" in ok(capsys, db_path, "list", "shifts", "--on", FROM)
    assert json.loads(ok(capsys, db_path, "list", "shifts", "--on", "2020-01-01", "--json")) == []
    code, out, err = cli(capsys, db_path, "list", "volunteers", "--on", FROM)
    assert (code, out) == (1, "") and "--on 只用于 shifts" in one_line(err)


def test_show_volunteer_and_shift(db, db_path, rostered, capsys):
    with db.session() as s:
        captain = s.get(Volunteer, rostered.captain)
        monday = s.exec(select(Shift).where(Shift.day == NEXT_MONDAY)).one()
    out = ok(capsys, db_path, "show", "volunteer", captain.id)
    assert out.startswith(f"义警　{captain.name}\n") and "所在义警队：" in out and "职务：队长" in out
    assert captain.id_number not in out and captain.phone not in out and captain.id_number[-4:] in out
    shown = json.loads(ok(capsys, db_path, "show", "volunteer", captain.id_number, "--json"))
    assert shown["id"] == captain.id and shown["status"] == "在队" and shown["shifts"]
    revealed = json.loads(ok(capsys, db_path, "show", "volunteer", captain.id, "--json", "--reveal"))
    assert (revealed["id_number"], revealed["phone"]) == (captain.id_number, captain.phone)
    shift = json.loads(ok(capsys, db_path, "show", "shift", monday.id, "--json"))
    assert (shift["route"], shift["needed"], shift["assigned"], shift["made_from"]) == ("云栖里夜巡", 3, 3, "班次模板")
    assert [p["role"] for p in shift["people"]] == ["小组长", "队员", "队员"]
    assert "人员：" in ok(capsys, db_path, "show", "shift", monday.id)
    for kind in ("volunteer", "shift"):
        code, out, err = cli(capsys, db_path, "show", kind, "nosuchid")
        assert (code, out) == (1, "") and "没有这个" in one_line(err)


def test_reports_and_the_hours_ledger_are_written(db, db_path, rostered, capsys, tmp_path):
    roster = tmp_path / "roster.pdf"
    out = ok(capsys, db_path, "report", "roster", "--team", "云栖义警队", "--from", FROM, "--to", TO, "--out",
             str(roster))
    assert "已生成 巡逻排班表" in out and roster.exists()
    page = PdfReader(roster).pages[0]
    assert page.mediabox.width > page.mediabox.height
    sheet = tmp_path / "sign-in.pdf"
    ok(capsys, db_path, "report", "sign-in", "--on", FROM, "--team", "云栖义警队", "--out", str(sheet))
    assert "巡逻签到表" in PdfReader(sheet).pages[0].extract_text()
    everyone = tmp_path / "everyone.pdf"
    ok(capsys, db_path, "report", "sign-in", "--on", FROM, "--out", str(everyone))
    ledger = tmp_path / "hours.xlsx"
    assert "已导出义警服务时长积分台账 6 条记录" in ok(capsys, db_path, "ledger", "hours", "--from", FROM, "--to", TO,
                                                 "--out", str(ledger))
    assert load_workbook(ledger).active["B1"].value == "姓名"


@pytest.mark.parametrize("argv, message", [
    (("report", "roster", "--team", "没有的队", "--from", FROM, "--to", TO), "没有这个义警队"),
    (("report", "roster", "--team", "云栖义警队", "--from", FROM, "--to",
      (NEXT_MONDAY + timedelta(days=40)).isoformat()), "最多打印 31 天"),
    (("report", "sign-in", "--on", "2020-01-01"), "没有巡逻班次"),
    (("report", "sign-in", "--on", FROM, "--team", "没有的队"), "没有这个义警队"),
    (("ledger", "hours", "--from", TO, "--to", FROM), "结束日期不能早于开始日期"),
])
def test_a_bad_report_is_one_line_exit_1_and_writes_no_file(db, db_path, rostered, capsys, tmp_path, argv, message):
    out_file = tmp_path / ("out.xlsx" if argv[0] == "ledger" else "out.pdf")
    code, out, err = cli(capsys, db_path, *argv, "--out", str(out_file))
    assert (code, out) == (1, "") and message in one_line(err)
    assert not out_file.exists()


def test_reminders_show_todays_shifts(db, db_path, rostered, capsys):
    out = ok(capsys, db_path, "reminders", "--on", FROM)
    assert "云栖里夜巡 19:00-21:00（已排3/需3人）" in out
    found = json.loads(ok(capsys, db_path, "reminders", "--on", TO, "--json"))
    [today] = [d for d in found["deadlines"] if d["table"] == "shift" and d["due"] == TO]
    assert today["what"].startswith("缺3人：云栖里夜巡") and today["kind"] == "巡逻" and today["state"] == "今日"
