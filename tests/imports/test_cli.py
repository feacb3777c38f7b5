"""``cpdesk import-xlsx`` and ``cpdesk import-undo`` as an officer runs them at the terminal."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from db.engine import Database
from tests.imports.files import register_workbook
from tests.support.cli import one_line, run_cli


def _residents(db_path) -> int:
    db = Database.open(db_path)
    try:
        with db.connect() as conn:
            return conn.exec_driver_sql("SELECT count(*) FROM resident WHERE NOT deleted").scalar()
    finally:
        db.close()


def test_a_dry_run_prints_each_rows_reason_and_the_counts_and_writes_nothing(db_path, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=2, residents_per=2,
                             damage=("bad_checksum", "id_as_number"))
    report = tmp_path / "report.xlsx"
    result = run_cli("--db", str(db_path), "import-xlsx", "households", str(made.path), "--dry-run",
                     "--report", str(report))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"行 {made.damaged['bad_checksum'][1]}：身份证号校验码不对，请核对每一位" in lines
    lost = "身份证号被 Excel 存成了数字，末尾几位已丢失，请把该列设为文本后重新导出"
    assert f"行 {made.damaged['id_as_number'][1]}：{lost}" in lines
    assert "共 6 行：可导入 4 行，有问题 2 行，已有记录 0 行" in lines
    assert lines[-1] == "试运行：未写入任何数据"
    assert _residents(db_path) == 0
    assert len(list(load_workbook(report, read_only=True).active.iter_rows())) == 2 + 2  # note, header, bad rows


def test_an_import_writes_with_yes_and_the_last_one_is_undone(db_path, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区", "幸福社区"), households=2,
                             residents_per=2)
    result = run_cli("--db", str(db_path), "import-xlsx", "households", str(made.path), "--yes", "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["sheets"] == ["阳光社区", "幸福社区"]  # one sheet per community, found by their headers
    assert shown["counts"] == {"rows": 8, "good": 8, "bad": 0, "matched": 0}
    assert shown["written"]["added"] == 2 + 4 + 8  # communities, households, residents
    assert _residents(db_path) == 8
    again = run_cli("--db", str(db_path), "import-xlsx", "households", str(made.path), "--dry-run", "--json")
    assert json.loads(again.stdout)["counts"]["matched"] == 8
    register = run_cli("--db", str(db_path), "ledger", "residents", "--from", "2026-01-01", "--to", "2026-12-31",
                       "--out", str(tmp_path / "登记台账.xlsx"))
    assert register.stdout.strip() == f"已导出实有人口登记台账 8 条记录：{tmp_path / '登记台账.xlsx'}"
    undo = run_cli("--db", str(db_path), "import-undo", "--yes")
    assert undo.returncode == 0, undo.stderr
    assert "删除 14 条" in undo.stdout
    assert _residents(db_path) == 0
    refused = run_cli("--db", str(db_path), "import-undo", "--yes")
    assert refused.returncode == 1 and one_line(refused.stderr) == "cpdesk: 没有可以撤销的导入"


def test_writing_without_yes_off_a_terminal_is_refused(db_path, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=1, residents_per=1)
    result = run_cli("--db", str(db_path), "import-xlsx", "households", str(made.path))
    assert result.returncode == 1
    assert one_line(result.stderr) == "cpdesk: 需要确认：加 --yes 写入（或先用 --dry-run 检查）"
    assert _residents(db_path) == 0


def test_a_mapping_given_by_map_is_saved_as_a_template_and_used_again(db_path, tmp_path):
    made = register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=1, residents_per=2,
                             two_header_rows=False, title=False)
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    first = run_cli("--db", str(db_path), "import-xlsx", "households", str(made.path), "--dry-run", "--json",
                    "--map", "备注=职业", "--save-template", "我的台账", env=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["mapping"]["备注"] == "occupation"
    second = run_cli("--db", str(db_path), "import-xlsx", "households", str(made.path), "--dry-run", "--json",
                     "--template", "我的台账", env=env)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["mapping"] == json.loads(first.stdout)["mapping"]


def test_a_file_that_is_not_there_is_one_line_and_exit_1(db_path, tmp_path):
    result = run_cli("--db", str(db_path), "import-xlsx", "households", str(tmp_path / "无.xlsx"), "--dry-run")
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("cpdesk: ")
