"""Exports, imports, ledgers and PDFs leave an audit entry, from the command line and the window alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter

from app.audit import log as audit
from app.cli.main import main
from app.disputes.mediation import AgreementValues, create_agreement
from app.households.campaigns import Criteria, create_campaign
from app.households.visits import VisitValues, record_visit
from db.models import Community
from tests.support.disputes import TODAY, register
from tests.support.sync import PASSPHRASE, Courier, make_device
from ui.disputes.stats_dialog import StatsDialog
from ui.households.campaigns import BLANK_SHEETS, CampaignsWindow
from ui.households.ledger_dialog import LedgerDialog
from ui.sync.common import PassphraseStore
from ui.sync.dialogs import ExportDialog, ImportDialog
from ui.widgets.print_preview import PdfPreviewDialog

WHEN = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)


def entries(db, action: str) -> list[audit.AuditRow]:
    return audit.search_audit(db, action=action)


@pytest.fixture
def laptops(tmp_path, _template_db):
    a, b = make_device(_template_db, tmp_path, "A01"), make_device(_template_db, tmp_path, "B02")
    with a.session() as s:
        s.add(Community(name="阳光社区"))
        s.commit()
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def passphrase(tmp_path) -> Path:
    path = tmp_path / "口令.txt"
    path.write_text(PASSPHRASE, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path) -> PassphraseStore:
    store = PassphraseStore(QSettings(str(tmp_path / "sync.ini"), QSettings.Format.IniFormat))
    store.set(PASSPHRASE)
    return store


@pytest.fixture
def visit_id(db, sample_households) -> str:
    """A fourth visit, beside the three of the sample households."""
    return record_visit(db, values=VisitValues(household_id=sample_households[0], visited_at=WHEN,
                                               purposes=("日常走访",), findings="一切正常")).visit_id


# --- sync files ----------------------------------------------------------------------------------

def test_cli_export_and_import_each_leave_an_entry_and_a_repeated_import_none(laptops, passphrase, tmp_path,
                                                                               capsys):
    a, b = laptops
    out = tmp_path / "a.cpsync"
    assert main(["--db", str(a.path), "export", "--out", str(out), "--passphrase-file", str(passphrase)]) == 0
    [exported] = entries(a, "export")
    assert exported.detail["file"] == str(out) and exported.detail["kind"] == "完整"
    assert exported.detail["rows"] > 0 and "社区 1" in exported.detail["tables"]
    assert main(["--db", str(b.path), "import", str(out), "--passphrase-file", str(passphrase)]) == 0
    [imported] = entries(b, "import")
    assert imported.detail["file"] == str(out) and imported.detail["device"] == "A01"
    assert imported.detail["rows"] == exported.detail["rows"] and imported.detail["conflicts"] == 0
    assert main(["--db", str(b.path), "import", str(out), "--passphrase-file", str(passphrase)]) == 0
    assert "已经导入过" in capsys.readouterr().out
    assert len(entries(b, "import")) == 1  # a no-op import records nothing


def test_the_sync_core_itself_writes_no_export_or_import_entry(laptops, tmp_path):
    """Identical databases on every laptop: the entries are the front doors' (app.sync.journal)."""
    a, b = laptops
    courier = Courier(tmp_path)
    courier.bring(b, courier.export(a))
    assert entries(a, "export") == [] and entries(b, "import") == []


def test_the_export_and_import_dialogs_leave_an_entry_and_a_repeated_import_none(qtbot, laptops, store, tmp_path):
    a, b = laptops
    export = ExportDialog(a, store)
    qtbot.addWidget(export)
    export.path.setText(str(tmp_path / "a.cpsync"))
    with qtbot.waitSignal(export.exported, timeout=10_000) as exported:
        export.run_button.click()
    [entry] = entries(a, "export")
    assert entry.detail["file"] == str(tmp_path / "a.cpsync") and entry.detail["rows"] == exported.args[0].rows
    for attempt in range(2):
        importer = ImportDialog(b, store, path=tmp_path / "a.cpsync")
        qtbot.addWidget(importer)
        with qtbot.waitSignal(importer.imported, timeout=10_000):
            importer.run_button.click()
        assert "审计日志" not in importer.status.text()  # logged without trouble
    assert [e.detail["device"] for e in entries(b, "import")] == ["A01"]  # the second one changed nothing


# --- ledgers -------------------------------------------------------------------------------------

def test_cli_ledgers_leave_an_entry_with_the_period_and_file(db, db_path, visit_id, tmp_path, capsys):
    out = tmp_path / "走访台账.xlsx"
    assert main(["--db", str(db_path), "ledger", "visits", "--from", "2026-11-01", "--to", "2026-11-30",
                 "--out", str(out)]) == 0
    assert main(["--db", str(db_path), "ledger", "disputes", "--from", "2026-01-01", "--to", "2026-12-31",
                 "--out", str(tmp_path / "纠纷台账.xlsx")]) == 0
    disputes, visits = entries(db, "ledger")
    assert visits.detail == {"ledger": "走访台账", "period": "2026-11-01 至 2026-11-30", "file": str(out), "rows": 4}
    assert disputes.detail["ledger"] == "矛盾纠纷排查化解台账" and disputes.detail["rows"] == 0
    assert visits.describe(table=False) == f"台账：走访台账；期间：2026-11-01 至 2026-11-30；文件：{out}；记录数：4"


def test_the_visits_ledger_dialog_leaves_an_entry(qtbot, db, visit_id, tmp_path):
    dialog = LedgerDialog(db)
    qtbot.addWidget(dialog)
    dialog.start.setDate(dialog.start.date().addYears(-2))
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        dialog.export_to(tmp_path / "台账.xlsx")
    [entry] = entries(db, "ledger")
    assert entry.detail["ledger"] == "走访台账" and entry.detail["file"] == str(tmp_path / "台账.xlsx")
    assert entry.detail["period"].endswith(f"至 {date.today()}") and entry.detail["rows"] == 4  # 3 sample visits


def test_the_dispute_statistics_dialog_logs_its_ledger(qtbot, db, tmp_path):
    register(db)
    dialog = StatsDialog(db, today=TODAY)
    qtbot.addWidget(dialog)
    out = tmp_path / "纠纷台账.xlsx"
    assert entries(db, "ledger") == []
    dialog.export_ledger(out)
    assert not dialog.ledger_button.isEnabled()  # at work: the wait below is for this very export
    qtbot.waitUntil(lambda: dialog.ledger_button.isEnabled(), timeout=10_000)
    assert "已导出 1 起纠纷" in dialog.ledger_button.toolTip() and out.stat().st_size > 0
    [entry] = entries(db, "ledger")
    assert (entry.table_name, entry.record_id) == (None, None)
    assert entry.detail == {"ledger": "矛盾纠纷排查化解台账", "period": f"{date(TODAY.year, 1, 1)} 至 {TODAY}",
                            "file": str(out), "rows": 1}


# --- printed and saved documents -------------------------------------------------------------------

def test_the_preview_logs_prints_and_saved_pdfs_of_the_record_it_was_given(qtbot, db, visit_id, tmp_path):
    from app.households.visit_sheet import visit_sheet

    rendered = visit_sheet(db, visit_id=visit_id)
    preview = PdfPreviewDialog(rendered.pdf, title="走访登记表", suggested_name="x.pdf", db=db,
                               audit=("visit", visit_id, "走访登记表"))
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    with qtbot.waitSignal(preview.printed):
        preview.print_to(printer)
    with qtbot.waitSignal(preview.saved):
        preview.save_to(tmp_path / "登记表.pdf")
    [printed] = entries(db, "print")
    [saved] = entries(db, "pdf")
    assert (printed.table_name, printed.record_id, printed.detail) == ("visit", visit_id,
                                                                       {"document": "走访登记表", "pages": 1})
    assert saved.detail == {"document": "走访登记表", "file": str(tmp_path / "登记表.pdf"), "pages": 1}


def test_a_preview_without_an_audit_context_logs_nothing(qtbot, db, visit_id, tmp_path):
    from app.households.visit_sheet import visit_sheet

    preview = PdfPreviewDialog(visit_sheet(db, visit_id=visit_id).pdf, title="t", suggested_name="x.pdf")
    qtbot.addWidget(preview)
    preview.save_to(tmp_path / "x.pdf")
    assert entries(db, "pdf") == []
    with pytest.raises(ValueError):
        PdfPreviewDialog(b"", title="t", suggested_name="x.pdf", audit=("visit", visit_id, "走访登记表"))


def test_blank_sheets_come_with_their_audit_context(qtbot, db, sample_households):
    campaign_id = create_campaign(db, name="十一月走访", starts_on=date(2026, 11, 1), criteria=Criteria())
    window = CampaignsWindow(db)
    qtbot.addWidget(window)
    window.show_campaign(campaign_id)
    with qtbot.waitSignal(window.preview_ready, timeout=10_000) as ready:
        window.print_blank_sheets()
    sheets = ready.args[0]
    assert sheets.audit == ("campaign", campaign_id, BLANK_SHEETS) and sheets.pages == 3 and sheets.pdf


def test_cli_reports_leave_a_pdf_entry(db, db_path, sample_households, visit_id, tmp_path, capsys):
    campaign_id = create_campaign(db, name="十一月走访", starts_on=date(2026, 11, 1), criteria=Criteria())
    dispute = register(db)
    agreement = create_agreement(db, dispute_id=dispute.id, today=TODAY, values=AgreementValues(
        kind="people", facts="噪音扰民", issues="噪音", terms=["不再扰民。"], performance="promised",
        deadline=TODAY + timedelta(days=3), copies=3, signed_on=TODAY))
    for argv in (["visit-sheet", visit_id], ["blank-visit-sheets", "--campaign", campaign_id],
                 ["agreement", agreement.id]):
        assert main(["--db", str(db_path), "report", *argv, "--out", str(tmp_path / f"{argv[0]}.pdf")]) == 0
    logged = {(e.table_name, e.record_id): e.detail for e in entries(db, "pdf")}
    assert logged[("visit", visit_id)] == {"document": "走访登记表", "file": str(tmp_path / "visit-sheet.pdf"),
                                           "pages": 1}
    assert logged[("campaign", campaign_id)]["document"] == "空白走访登记表"
    assert logged[("campaign", campaign_id)]["pages"] == 3  # one blank sheet per household
    assert logged[("agreement", agreement.id)]["file"] == str(tmp_path / "agreement.pdf")
