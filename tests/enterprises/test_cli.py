"""The command line of 一企一警 on the small demo: lists masked, records shown, the documents read back
from the PDF, the ledgers, reminders and the year view; a refusal is one line and exit 1 with nothing
written; the hire-check purge run by ``cpdesk check`` and by the window after opening."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select, text

from app.cli.main import main
from app.enterprises.hire_checks import KEEP_DAYS, MASKED_ID, HireCheckValues, add_hire_check
from app.enterprises.register import EnterpriseValues, add_enterprise
from db.engine import Database
from db.models import AuditEntry, HireCheck
from tests.support.cli import one_line, run_cli

TODAY = date.today()  # the commands work on today: the demo is built on it
NOTES = ("身份信息与证件照片不符", "比对提示", "已移交相关部门处理")  # hire-check notes: never shown


@pytest.fixture(scope="module")
def station(tmp_path_factory, _template_db):
    """The small demo (seed 1, built today), read by most tests; the ids of an inspection in each state."""
    from app.demo.build import build_demo
    from app.enterprises.notices import flow_state

    path = tmp_path_factory.mktemp("ent-cli") / "demo.sqlite3"
    shutil.copy(_template_db, path)
    db = Database.open(path)
    try:
        build_demo(db, scale="small", seed=1, today=TODAY)
        states: dict[str, str] = {}
        with db.connect() as conn:
            for (inspection_id,) in conn.execute(text("SELECT id FROM inspection ORDER BY inspected_on DESC, id")):
                states.setdefault(flow_state(db, inspection_id=inspection_id), inspection_id)
    finally:
        db.close()
    return path, states


@pytest.fixture
def copy(station, tmp_path):
    """A copy of the demo for a test that changes it."""
    path = tmp_path / "copy.sqlite3"
    shutil.copy(station[0], path)
    return path


def run(capsys, path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, path, *argv: str) -> str:
    """The one line of a refusal (exit 1, nothing on stdout)."""
    code, out, err = run(capsys, path, *argv)
    assert code == 1 and out == "", (code, out, err)
    return one_line(err)


def query(path, sql: str, **params) -> list:
    db = Database.open(path)
    try:
        with db.connect() as conn:
            return conn.execute(text(sql), params).all()
    finally:
        db.close()


def audit_count(path) -> int:
    return query(path, "SELECT count(*) FROM audit_entry")[0][0]


def pdf_text(path) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages))


# --- list and show -------------------------------------------------------------------------------

def test_the_lists_mask_numbers_and_never_show_a_hire_checks_notes(capsys, station):
    path, _states = station
    code, out, _err = run(capsys, path, "list", "enterprises", "--json")
    firms = json.loads(out)
    assert code == 0 and len(firms) == 30
    assert all(re.fullmatch(r"[0-9]{3}\*+[0-9]{4}", f["phone"]) for f in firms) and all(f["liaison"] for f in firms)
    code, out, _err = run(capsys, path, "list", "hire-checks", "--json", "--limit", "500")
    checks = json.loads(out)
    assert code == 0 and checks and all("notes" not in c and "phone" not in c for c in checks)
    assert all(re.fullmatch(r"[0-9]{6}\*{8}[0-9]{3}[0-9X]|\*{14}[0-9]{3}[0-9X]", c["id_number"]) for c in checks)
    assert {c["result"] for c in checks} >= {"未见异常", "需进一步核查", "待答复"}
    assert any(c["purged"] for c in checks) and any(not c["purged"] for c in checks)
    plain = run(capsys, path, "list", "hire-checks", "--limit", "500")[1]
    assert not any(note in plain + out for note in NOTES)


def test_inspections_and_rectifications_list_where_each_stands(capsys, station):
    path, states = station
    inspections = json.loads(run(capsys, path, "list", "inspections", "--json", "--limit", "500")[1])
    assert {i["state"] for i in inspections} == {"检查合格", "待下发整改通知书", "限期整改中", "复查通过",
                                                 "逾期未改，已转执法办案"}
    [row] = [i for i in inspections if i["id"] == states["rectifying"]]
    assert re.fullmatch(r"\d{4}-[A-Z]\d{2}-Z\d{4}", row["notice_number"]) and "、" in row["inspectors"]
    day = inspections[0]["inspected_on"]
    same_day = json.loads(run(capsys, path, "list", "inspections", "--on", day, "--json")[1])
    assert same_day and {i["inspected_on"] for i in same_day} == {day}
    rectifications = json.loads(run(capsys, path, "list", "rectifications", "--json", "--limit", "500")[1])
    states_seen = {r["state"].rstrip("0123456789天") for r in rectifications}
    assert {"整改中", "逾期", "已报整改，待复查", "整改到位"} <= states_seen
    assert "不能按日期筛选" in refused(capsys, path, "list", "rectifications", "--on", day)


def test_show_an_enterprise_by_its_credit_code_masked_unless_revealed(capsys, copy):
    [(code, phone, security_phone)] = query(copy, "SELECT credit_code, phone, security_phone FROM enterprise "
                                                  "WHERE name LIKE '%物流园%'")
    status, out, _err = run(capsys, copy, "show", "enterprise", code.lower())
    assert status == 0 and out.startswith("企业　杭州") and "物流园" in out
    assert run(capsys, copy, "show", "enterprise", out.splitlines()[0].split("　")[1])[1] == out  # by its name
    for part in ("包企民警变更：", "警企联络：", "诉求：", "安全检查：", "隐患整改：", "招工身份核查：", "逾期"):
        assert part in out, part
    assert phone not in out and security_phone not in out and not any(note in out for note in NOTES)
    shown = json.loads(run(capsys, copy, "show", "enterprise", code, "--json")[1])
    assert shown["credit_code"] == code and len(shown["liaison_history"]) == 2
    assert {kind["kind"] for kind in shown["liaison_log"]} >= {"安全检查", "听取意见建议"}
    assert all(set(h) == {"name", "id_number", "job", "requested_on", "answered_on", "result", "purged"}
               for h in shown["hire_checks"])
    before = audit_count(copy)
    revealed = json.loads(run(capsys, copy, "show", "enterprise", code, "--json", "--reveal")[1])
    assert revealed["phone"] == phone and revealed["security_phone"] == security_phone
    assert all(MASKED_ID.match(h["id_number"]) for h in revealed["hire_checks"] if h["purged"])
    [(action, table)] = query(copy, "SELECT action, table_name FROM audit_entry ORDER BY at DESC, seq DESC LIMIT 1")
    assert (action, table) == ("reveal", "enterprise") and audit_count(copy) == before + 1


def test_show_an_inspection_by_id_or_by_its_notice_or_recheck_number(capsys, station):
    path, states = station
    shown = json.loads(run(capsys, path, "show", "inspection", states["enforcement"], "--json")[1])
    assert shown["state"] == "逾期未改，已转执法办案" and shown["recheck_outcome"] == "逾期未改，转执法办案"
    assert len(shown["inspectors"]) == 2 and any(item["result"] == "不合格" for item in shown["items"])
    for number in (shown["notice_number"], shown["recheck_number"].lower()):
        by_number = json.loads(run(capsys, path, "show", "inspection", number, "--json")[1])
        assert by_number["id"] == states["enforcement"]
    out = run(capsys, path, "show", "inspection", states["notice_due"])[1]
    assert "进度：待下发整改通知书" in out and "整改通知书：" not in out


@pytest.mark.parametrize("kind", ["enterprise", "inspection"])
def test_show_something_unknown_is_one_line(capsys, station, kind):
    assert refused(capsys, station[0], "show", kind, "no-such-record").startswith("cpdesk: 没有这")


# --- documents -----------------------------------------------------------------------------------

def test_an_inspection_its_notice_and_its_recheck_print_and_are_audited(capsys, copy, station, tmp_path):
    states = station[1]
    inspection = states["enforcement"]
    [(name, number, recheck)] = query(copy, "SELECT e.name, n.number, k.number FROM inspection i "
                                            "JOIN enterprise e ON e.id = i.enterprise_id "
                                            "JOIN rectification_notice n ON n.inspection_id = i.id "
                                            "JOIN recheck k ON k.inspection_id = i.id WHERE i.id = :i", i=inspection)
    before = audit_count(copy)
    for kind, expected in (("inspection", ("安全检查记录", name, "不合格", "检查人员（签名）")),
                           ("notice", ("责令限期整改通知书", f"编号：{number}", "（存根）", "签发人", "逾期不改正的")),
                           ("recheck", ("复查意见书", f"编号：{recheck}", f"（编号：{number}）", "执法办案程序"))):
        out_file = tmp_path / f"{kind}.pdf"
        code, out, err = run(capsys, copy, "report", kind, inspection, "--out", str(out_file))
        assert code == 0 and err == "" and str(out_file) in out, err
        printed = pdf_text(out_file)
        assert all(part in printed for part in expected), (kind, printed[:200])
    actions = query(copy, "SELECT action, table_name FROM audit_entry ORDER BY at DESC, seq DESC LIMIT 3")
    assert audit_count(copy) == before + 3 and {a for a, _t in actions} == {"pdf"}
    assert {t for _a, t in actions} == {"inspection", "rectification_notice", "recheck"}


@pytest.mark.parametrize(("state", "kind", "said"), [
    ("notice_due", "notice", "该检查没有下发责令限期整改通知书"),
    ("passed", "notice", "该检查没有下发责令限期整改通知书"),
    ("rectifying", "recheck", "该检查尚未复查，没有复查意见书"),
])
def test_a_document_an_inspection_has_not_is_refused_in_one_line_and_nothing_is_written(
        capsys, copy, station, tmp_path, state, kind, said):
    before = audit_count(copy)
    out_file = tmp_path / "x.pdf"
    assert refused(capsys, copy, "report", kind, station[1][state], "--out", str(out_file)) == f"cpdesk: {said}"
    assert not out_file.exists() and audit_count(copy) == before


def test_an_unknown_inspection_is_refused_as_a_real_process_sees_it(station, tmp_path):
    result = run_cli("--db", str(station[0]), "report", "notice", "nope", "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 1 and result.stdout == ""
    assert one_line(result.stderr) == "cpdesk: 找不到这次安全检查（可能已被删除）"


def test_the_hire_check_list_and_letter_print_coarse_results_and_never_the_notes(capsys, copy, tmp_path):
    start = (TODAY - timedelta(days=365)).isoformat()
    out_file = tmp_path / "list.pdf"
    code, out, _err = run(capsys, copy, "report", "hire-checks", "--from", start, "--to", TODAY.isoformat(),
                          "--out", str(out_file))
    printed = pdf_text(out_file)
    assert code == 0 and "招工人员身份核查申请清单" in printed and "内部使用" in printed
    assert not any(note in printed for note in NOTES)
    [(firm, ids)] = query(copy, "SELECT enterprise_id, group_concat(id) FROM hire_check WHERE checked_on IS NOT NULL "
                                "AND result = 'flagged' GROUP BY enterprise_id LIMIT 1")
    letter = tmp_path / "letter.pdf"
    assert run(capsys, copy, "report", "hire-check-letter", *ids.split(","), "--out", str(letter))[0] == 0
    printed = pdf_text(letter)
    assert "招工人员身份核查情况回复函" in printed and "需进一步核查" in printed
    assert not any(note in printed for note in NOTES) and re.search(r"\*{8}", printed)
    [(pending,)] = query(copy, "SELECT id FROM hire_check WHERE checked_on IS NULL LIMIT 1")
    assert "尚未答复" in refused(capsys, copy, "report", "hire-check-letter", pending, "--out", str(letter))


@pytest.mark.parametrize(("start", "end", "said"), [
    ("2026-06-02", "2026-06-01", "结束日期不能早于开始日期"),
    ("1990-01-01", "1990-12-31", "没有招工身份核查申请"),
])
def test_a_bad_period_for_the_hire_check_list_is_one_line(capsys, station, tmp_path, start, end, said):
    out_file = tmp_path / "x.pdf"
    assert said in refused(capsys, station[0], "report", "hire-checks", "--from", start, "--to", end,
                           "--out", str(out_file))
    assert not out_file.exists()


def test_a_malformed_date_is_a_usage_error_as_everywhere():
    result = run_cli("report", "hire-checks", "--from", "2026-13-01", "--to", "2026-12-31", "--out", "x.pdf")
    assert result.returncode == 2 and "日期应写作 YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr


def test_pdf_lines_never_start_with_chinese_punctuation():
    """app.output.pdf teaches reportlab Chinese punctuation (its list is Japanese), for every document."""
    from reportlab.platypus import Paragraph

    from app.output.pdf import styles

    style = styles()["body"]
    for markup in ("字" * 10 + "，" + "字" * 5, "字" * 10 + "，" + "<b>字</b>" * 5):  # one piece, and many
        paragraph = Paragraph(markup, style)
        paragraph.wrap(11 * 10 + 2, 1000)  # room for ten characters
        lines = ["".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
                 for line in paragraph.blPara.lines]
        assert len(lines) == 2 and not lines[1].startswith("，"), lines


# --- ledgers, reminders, the year ----------------------------------------------------------------

@pytest.mark.parametrize(("kind", "title"), [("enterprises", "企业基本情况台账"), ("inspections", "安全检查台账"),
                                             ("rectifications", "隐患整改台账")])
def test_each_ledger_exports_what_it_says(capsys, copy, tmp_path, kind, title):
    out_file = tmp_path / f"{kind}.xlsx"
    code, out, _err = run(capsys, copy, "ledger", kind, "--from", (TODAY - timedelta(days=730)).isoformat(),
                          "--to", TODAY.isoformat(), "--out", str(out_file))
    count = int(re.search(rf"已导出{title} (\d+) 条记录", out).group(1))
    rows = list(load_workbook(out_file).active.iter_rows(values_only=True))
    assert code == 0 and count > 0 and rows[0][0] == "序号" and len(rows) - 1 == count
    assert "结束日期不能早于开始日期" in refused(capsys, copy, "ledger", kind, "--from", "2026-06-02", "--to",
                                                    "2026-06-01", "--out", str(tmp_path / "bad.xlsx"))
    assert not (tmp_path / "bad.xlsx").exists()


def test_reminders_carry_rectification_deadlines_rechecks_and_requests(capsys, station):
    code, out, _err = run(capsys, station[0], "reminders", "--on", TODAY.isoformat(), "--json")
    deadlines = json.loads(out)["deadlines"]
    assert code == 0
    for kind, table in (("整改", "rectification"), ("复查", "inspection"), ("诉求", "enterprise_request")):
        assert any(d["kind"] == kind and d["table"] == table and d["state"].startswith("逾期") for d in deadlines)
    plain = run(capsys, station[0], "reminders", "--on", TODAY.isoformat())[1]
    assert "整改、复查、诉求与今日巡逻" in plain and "杭州恒信化工仓储有限公司" in plain


def test_the_year_view_counts_the_station_and_lists_candidates(capsys, station):
    code, out, _err = run(capsys, station[0], "enterprise-year", "--json")
    view = json.loads(out)
    assert code == 0 and view["year"] == TODAY.year and view["station"]["inspections"] > 0
    assert len(view["enterprises"]) == 30 and view["selection"]
    plain = run(capsys, station[0], "enterprise-year", "--year", str(TODAY.year))[1]
    assert "按期整改率" in plain and "评选候选" in plain
    assert refused(capsys, station[0], "enterprise-year", "--year", "1990") == "cpdesk: 年份不合理，请核对"


# --- the hire-check purge ------------------------------------------------------------------------

def _expired_hire_check(path) -> str:
    """An enterprise with one hire check requested 30 days ago and kept 10 days: past its keep-until day."""
    db = Database.open(path)
    try:
        firm = add_enterprise(db, values=EnterpriseValues(name="杭州测试物流有限公司"))
        return add_hire_check(db, enterprise_id=firm, keep_days=10, values=HireCheckValues(
            name="张三", id_number="110101199003070011", job="保安员", requested_on=TODAY - timedelta(days=30),
            basis="本人书面同意")).id
    finally:
        db.close()


def test_cpdesk_check_purges_hire_checks_past_their_keep_until_day_and_the_audit_has_it(capsys, db_path):
    check_id = _expired_hire_check(db_path)
    code, out, _err = run(capsys, db_path, "check")
    assert code == 0 and out.splitlines()[1] == "已按保存期限隐去 1 条招工身份核查的身份证号（保留后四位）"
    [(number, id_hash, phone)] = query(db_path, "SELECT id_number, id_hash, phone FROM hire_check")
    assert number == "**************0011" and id_hash and phone is None
    [(detail,)] = query(db_path, "SELECT detail FROM audit_entry WHERE action = 'update' AND record_id = :i",
                        i=check_id)
    assert "110101199003070011" not in detail and "id_number" in detail
    assert run(capsys, db_path, "check")[1].splitlines()[1:] == []  # nothing left to purge


def test_the_purge_keeps_what_is_not_due_and_its_setting_defaults_to_the_services_days(db):
    from app.areas import upkeep
    from ui.shell.settings import OPTIONS

    assert OPTIONS["enterprises/hire_check_keep_days"].default == KEEP_DAYS == 365
    firm = add_enterprise(db, values=EnterpriseValues(name="杭州测试超市有限公司"))
    add_hire_check(db, enterprise_id=firm, values=HireCheckValues(
        name="李四", id_number="110101199003070011", job="收银员", requested_on=TODAY - timedelta(days=30),
        basis="本人书面同意"))
    assert upkeep(db, on=TODAY) == [] and upkeep(db, on=TODAY + timedelta(days=KEEP_DAYS - 29)) == [
        "已按保存期限隐去 1 条招工身份核查的身份证号（保留后四位）"]
    with db.connect() as conn:
        assert conn.execute(select(func.count()).where(HireCheck.__table__.c.id_hash.is_not(None))).scalar() == 1


def test_the_window_purges_in_its_background_check_after_opening_and_says_so(qtbot, tmp_path, db_path):
    from PySide6.QtCore import QSettings

    from ui.shell.main_window import MainWindow
    from ui.shell.settings import Settings

    check_id = _expired_hire_check(db_path)
    window = MainWindow(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    with qtbot.waitSignals([window.database_ready, window.checked], timeout=20000):
        window.open_database(db_path)
    try:
        assert "隐去 1 条招工身份核查" in window.statusBar().currentMessage()
        with window.db.connect() as conn:
            number = conn.execute(select(HireCheck.__table__.c.id_number).where(
                HireCheck.__table__.c.id == check_id)).scalar()
            audited = conn.execute(select(func.count()).where(AuditEntry.__table__.c.record_id == check_id,
                                                              AuditEntry.__table__.c.action == "update")).scalar()
        assert number == "**************0011" and audited == 1
    finally:
        window.db.close()
