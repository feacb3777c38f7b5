"""Shared report pieces: PDFs embed the bundled CJK font, ledgers have frozen Chinese headers."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from app.core.errors import UserError
from app.output.pdf import chinese_date, missing_glyphs, render, styles
from app.output.xlsx import LedgerColumn, write_sheet


def test_a_pdf_embeds_a_subset_of_the_bundled_font_and_keeps_the_chinese_text():
    from reportlab.platypus import Paragraph

    pdf = render([Paragraph("人民调解协议书 阳光花园3栋", styles()["title"])], title="测试")
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # an embedded TrueType font program
    assert b"WenQuanYiMicroHei" in pdf


def test_rare_characters_the_font_lacks_are_reported_not_dropped():
    assert missing_glyphs(["吉祥", "𠮷野家"]) == ["𠮷"]
    assert missing_glyphs(["张伟 13800138000"]) == []


def test_chinese_dates_and_blank_dates_for_handwriting():
    from datetime import date

    assert chinese_date(date(2026, 11, 3)) == "2026年11月3日"
    assert chinese_date(None).strip().startswith("年")


def test_ledger_has_frozen_header_widths_and_all_rows(tmp_path):
    path = tmp_path / "台账.xlsx"
    columns = [LedgerColumn("日期", 12), LedgerColumn("地址", 30)]
    assert write_sheet(path, title="走访台账", columns=columns, rows=[["2026-11-01", "阳光花园"]] * 3) == 3
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["日期", "地址"]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 30
    assert sheet.max_row == 4 and sheet.title == "走访台账"


def test_ledger_into_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(UserError, match="目录不存在"):
        write_sheet(tmp_path / "no" / "x.xlsx", title="t", columns=[LedgerColumn("a", 5)], rows=[])


def test_preview_dialog_shows_every_page_and_prints_and_saves(qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter
    from reportlab.platypus import PageBreak, Paragraph

    from ui.widgets.print_preview import PdfPreviewDialog

    body = styles()["body"]
    pdf = render([Paragraph("第一页", body), PageBreak(), Paragraph("第二页", body)], title="两页")
    dialog = PdfPreviewDialog(pdf, title="预览", suggested_name=str(tmp_path / "a.pdf"))
    qtbot.addWidget(dialog)
    assert dialog.page_count() == 2
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(150)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed):
        dialog.print_to(printer)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    with qtbot.waitSignal(dialog.saved) as blocker:
        dialog.save_to(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == pdf and blocker.args == [str(tmp_path / "saved.pdf")]
