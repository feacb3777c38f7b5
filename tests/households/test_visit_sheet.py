"""The printed 走访登记表 (filled and blank), the 走访台账 workbook, and their command-line doors."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.errors import UserError
from app.core.vocab import VISIT_PURPOSES
from app.disputes.register import PartyValues
from app.households.campaigns import Criteria, create_campaign
from app.households.ledger import COLUMNS, write_ledger
from app.households.residents import ResidentValues, save_resident
from app.households.service import household_detail
from app.households.visit_sheet import PLACEHOLDER, blank_visit_sheets, visit_sheet
from app.households.visits import TEXT_LIMIT, DisputeNote, VisitValues, record_visit

WHEN = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text, with the line breaks and spaces of the layout taken out."""
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def visit(db, sample_households):
    """A visit to 阳光花园2栋1单元101室 that met 张伟 and found a dispute."""
    [resident] = household_detail(db, sample_households[0]).residents
    return record_visit(db, now=NOW, values=VisitValues(
        household_id=sample_households[0], visited_at=WHEN, purposes=("反诈宣传", "矛盾纠纷排查"),
        companions="辅警王强、网格员李梅", met={resident.id: True}, findings="住户反映楼上噪音扰民。",
        requests="希望小区加装路灯", hazards="楼道堆放杂物", follow_up="一周后回访",
        dispute=DisputeNote(kind="neighbour", facts="楼上噪音扰民纠纷", applicant=PartyValues(name="张伟"),
                            respondent="楼上住户")))


def test_the_filled_sheet_is_one_a4_page_with_the_address_purposes_and_findings(db, visit):
    rendered = visit_sheet(db, visit_id=visit.visit_id, today=date(2026, 11, 23))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert rendered.pages == len(reader.pages) == 1 and rendered.missing == []
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4 in points
    [text] = pdf_text(rendered.pdf)
    for expected in ("入户走访登记表", "阳光花园2栋1单元101室", "阳光社区", "■反诈宣传", "■矛盾纠纷排查", "□日常走访",
                     "辅警王强、网格员李梅", "张伟", "住户反映楼上噪音扰民", "希望小区加装路灯", "楼道堆放杂物",
                     "一周后回访", visit.dispute_number, "走访民警（签名）", "被走访人（签名）"):
        assert expected in text, expected
    assert "110105" not in text  # ID numbers are never printed; the phone is masked
    assert "138****8000" in text
    assert rendered.suggested_name.startswith("走访登记表-阳光花园2栋1单元101室-")


def test_a_name_the_font_lacks_is_marked_and_reported(db, sample_households, visit):
    save_resident(db, household_id=sample_households[0], values=ResidentValues(name="𠮷祥", relation="子女"))
    rendered = visit_sheet(db, visit_id=visit.visit_id)
    assert rendered.missing == ["𠮷"]
    assert f"{PLACEHOLDER}祥" in pdf_text(rendered.pdf)[0]


def test_the_longest_texts_still_lay_out(db, sample_households):
    long = "情况" * (TEXT_LIMIT // 2)
    saved = record_visit(db, now=NOW, values=VisitValues(
        household_id=sample_households[1], visited_at=WHEN, purposes=VISIT_PURPOSES, findings=long, requests=long,
        hazards=long, follow_up=long, companions="辅" * 200))
    assert visit_sheet(db, visit_id=saved.visit_id).pages >= 2


def test_blank_sheets_one_page_per_household_of_the_campaign_with_its_address(db, sample_households):
    campaign = create_campaign(db, name="阳光花园敲门行动", starts_on=date(2026, 11, 1),
                               criteria=Criteria(), today=date(2026, 11, 23))
    rendered = blank_visit_sheets(db, campaign_id=campaign)
    pages = pdf_text(rendered.pdf)
    assert rendered.pages == len(pages) == 3
    assert "金桂苑3栋2单元502室" in pages[0] and "王芳" in pages[0] and "第1/3户" in pages[0]
    assert "阳光花园10栋1单元101室" in pages[2] and "走访计划：阳光花园敲门行动" in pages[2]
    assert all("□日常走访" in page and "年月日时分" in page for page in pages)


def test_the_ledger_reads_back_one_row_per_visit_in_the_range(db, sample_households, visit, tmp_path):
    path = tmp_path / "台账.xlsx"
    assert write_ledger(db, start=date(2026, 11, 1), end=date(2026, 11, 30), path=path) == 4
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS] and sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    last = dict(zip([c.header for c in COLUMNS], rows[-1]))
    assert last["住址"] == "阳光花园2栋1单元101室" and last["走访事由"] == "矛盾纠纷排查、反诈宣传"
    assert last["见面人员"] == "张伟" and last["矛盾纠纷编号"] == visit.dispute_number
    assert last["同行人员"] == "辅警王强、网格员李梅" and last["社情民意"] == "希望小区加装路灯"
    assert write_ledger(db, start=date(2026, 11, 2), end=date(2026, 11, 19), path=path) == 0
    assert load_workbook(path).active.max_row == 1


def test_the_ledger_refuses_a_backwards_range_before_writing(db, tmp_path):
    with pytest.raises(UserError, match="结束日期不能早于开始日期"):
        write_ledger(db, start=date(2026, 11, 2), end=date(2026, 11, 1), path=tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


# --- the command line ----------------------------------------------------------------------------

@pytest.fixture
def cli(db_path):
    """``cpdesk`` on the test database."""
    import app.cli.main

    return lambda *args: app.cli.main.main(["--db", str(db_path), *args])


def test_cli_writes_the_visit_sheet(cli, visit, tmp_path, capsys):
    out = tmp_path / "sheet.pdf"
    assert cli("report", "visit-sheet", visit.visit_id, "--out", str(out)) == 0
    assert "阳光花园2栋1单元101室" in pdf_text(out.read_bytes())[0] and "1 页" in capsys.readouterr().out


def test_cli_missing_visit_is_one_line_and_exit_1(cli, tmp_path, capsys):
    assert cli("report", "visit-sheet", "nope", "--out", str(tmp_path / "x.pdf")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "没有这条走访记录：nope" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_cli_blank_sheets_and_campaign_list(cli, db, sample_households, tmp_path, capsys):
    campaign = create_campaign(db, name="十一月走访", starts_on=date(2026, 11, 1), criteria=Criteria())
    assert cli("campaigns", "--json") == 0
    assert campaign in capsys.readouterr().out
    out = tmp_path / "blank.pdf"
    assert cli("report", "blank-visit-sheets", "--campaign", campaign, "--out", str(out)) == 0
    assert len(pdf_text(out.read_bytes())) == 3
    assert cli("report", "blank-visit-sheets", "--campaign", "nope", "--out", str(out)) == 1
    assert "没有这个走访计划" in capsys.readouterr().err


def test_cli_ledger_and_its_errors(cli, visit, tmp_path, capsys):
    out = tmp_path / "ledger.xlsx"
    assert cli("ledger", "visits", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out)) == 0
    assert "4 条" in capsys.readouterr().out and load_workbook(out).active.max_row == 5
    assert cli("ledger", "visits", "--from", "2026-11-30", "--to", "2026-11-01", "--out", str(out)) == 1
    assert cli("ledger", "visits", "--from", "2026-11-01", "--to", "2026-11-30",
               "--out", str(tmp_path / "no" / "x.xlsx")) == 1
    assert "目录不存在" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli("ledger", "visits", "--from", "11/01", "--to", "2026-11-30", "--out", str(out))
    assert usage.value.code == 2
