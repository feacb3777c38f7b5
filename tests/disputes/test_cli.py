"""The 矛盾纠纷 CLI: report agreement, reminders, stats, ledger disputes; exit codes and one-line errors."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

import app.cli.main
from app.cli.listing import list_rows
from app.disputes.mediation import AgreementValues, create_agreement
from app.disputes.revisits import schedule_revisit
from tests.support.disputes import TODAY, register


@pytest.fixture
def settled(db):
    dispute = register(db)
    agreement = create_agreement(db, dispute_id=dispute.id, today=TODAY, values=AgreementValues(
        facts="噪音扰民", issues="噪音", terms=["李四保证晚十点后保持安静。"], performance="on_the_spot",
        signed_on=TODAY))
    schedule_revisit(db, dispute_id=dispute.id, days=1, today=TODAY - timedelta(days=3))
    schedule_revisit(db, dispute_id=dispute.id, days=3, today=TODAY - timedelta(days=3))
    return dispute, agreement


def run(db_path, *args) -> int:
    return app.cli.main.main(["--db", str(db_path), *args])


def test_report_agreement_writes_the_pdf_by_number_or_id(db_path, db, settled, tmp_path, capsys):
    _dispute, agreement = settled
    out = tmp_path / "协议.pdf"
    assert run(db_path, "report", "agreement", agreement.number, "--out", str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF") and agreement.number in capsys.readouterr().out
    assert run(db_path, "report", "agreement", agreement.id, "--out", str(out)) == 0


def test_report_agreement_refusals_are_one_line_and_exit_1(db_path, db, settled, tmp_path, capsys):
    _dispute, agreement = settled
    assert run(db_path, "report", "agreement", "nope", "--out", str(tmp_path / "a.pdf")) == 1
    assert capsys.readouterr().err.strip() == "cpdesk: 没有这份调解协议：nope"
    assert run(db_path, "report", "agreement", agreement.number, "--out", str(tmp_path / "no" / "a.pdf")) == 1
    assert "目录不存在" in capsys.readouterr().err


def test_reminders_as_json_on_a_given_date(db_path, db, settled, capsys):
    assert run(db_path, "reminders", "--on", TODAY.isoformat(), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"due_today": 1, "overdue": 1, "coming": 0, "unplanned": 0}
    assert data["overdue"][0]["days_overdue"] == 2 and data["due_today"][0]["parties"] == "张三、李四"
    assert run(db_path, "reminders", "--on", (TODAY - timedelta(days=3)).isoformat()) == 0
    assert "逾期回访：0 件" in capsys.readouterr().out


def test_stats_as_json_and_as_tables(db_path, db, settled, capsys):
    year = TODAY.year
    assert run(db_path, "stats", "--from", f"{year - 1}-01-01", "--to", TODAY.isoformat(), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["registered"] == 1 and data["total"]["rate"] == 1.0 and "化解率" in data["definition"]
    assert run(db_path, "stats", "--from", f"{year - 1}-01-01", "--to", TODAY.isoformat()) == 0
    out = capsys.readouterr().out
    assert "化解率 100.0%" in out and "按民警" in out


def test_ledger_disputes_writes_the_workbook(db_path, db, settled, tmp_path, capsys):
    out = tmp_path / "台账.xlsx"
    assert run(db_path, "ledger", "disputes", "--from", "2000-01-01", "--to", TODAY.isoformat(), "--out", str(out)) == 0
    sheet = load_workbook(out).active
    assert sheet.title == "矛盾纠纷排查化解台账" and sheet.max_row == 2
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]]))
    assert row["当事人"] == "申请人张三；被申请人李四" and row["当前状态"] == "已化解"
    assert row["调解协议"].endswith("-T0001") and "计划" in row["回访情况"]


def test_bad_usage_exits_2_and_a_reversed_period_exits_1(db_path, db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run(db_path, "stats", "--from", "2026-13-01", "--to", "2026-12-31")
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        run(db_path, "ledger", "disputes", "--from", "2026-01-01", "--to", "2026-12-31")  # no --out
    capsys.readouterr()
    assert run(db_path, "stats", "--from", "2026-12-31", "--to", "2026-01-01") == 1
    assert "结束日期不能早于开始日期" in capsys.readouterr().err


def test_list_agreements_and_revisits(db, settled):
    dispute, agreement = settled
    [row] = list_rows(db, "agreements")
    assert (row["number"], row["dispute_number"], row["kind"], row["performance"]) == (
        agreement.number, dispute.number, "人民调解协议书", "当场履行")
    revisits = list_rows(db, "revisits", search="张三")
    assert [r["due_on"] for r in revisits] == [TODAY - timedelta(days=2), TODAY]
    assert list_rows(db, "revisits", search="没有") == []
    assert isinstance(revisits[0]["due_on"], date)


def test_a_real_process_prints_one_line_exits_1_and_loads_no_qt(db_path):
    import subprocess
    import sys

    code = ("import sys, app.cli.main as cli; "
            f"rc = cli.main(['--db', {str(db_path)!r}, *sys.argv[1:]]); "
            "print('qt' if 'PySide6' in sys.modules else 'no qt'); sys.exit(rc)")
    ok = subprocess.run([sys.executable, "-c", code, "reminders"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and ok.stdout.strip().endswith("no qt")
    bad = subprocess.run([sys.executable, "-c", code, "report", "agreement", "X", "--out", "/tmp/x.pdf"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and bad.stderr.strip() == "cpdesk: 没有这份调解协议：X"
