"""Every form and dialog fits a 1366x768 laptop, the commonest here (1366x728 above the taskbar):
it opens no larger, its fields scroll while its save/OK button stays in view, long text is cut
rather than widening the window, and fields stop at the services' length limits as typed.

With CPDESK_SHOTS=<folder> each dialog is also saved there as <name>.png, to be looked at."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton

from app.disputes.agreement_pdf import render_agreement
from app.disputes.mediation import AgreementValues, SessionValues, add_session, agreement_document, create_agreement
from app.disputes.register import FACTS_LIMIT
from app.disputes.revisits import schedule_revisit
from app.households.service import FIELD_LIMITS, household_detail
from tests.support.accounts import make_station
from tests.support.disputes import NOW, TODAY, register
from ui.accounts.dialog import AccountsDialog
from ui.accounts.forms import ChangePasswordDialog, EnrollDialog, NewAccountDialog, ResetPasswordDialog
from ui.audit.view import AuditDialog
from ui.disputes.dialogs import RevisitDateDialog, RevisitResultForm, TransitionForm
from ui.disputes.mediation_forms import AgreementForm, SessionForm
from ui.disputes.register_form import RegisterForm
from ui.disputes.stats_dialog import StatsDialog
from ui.households.campaign_form import CampaignForm
from ui.households.campaigns import CampaignsWindow
from ui.households.household_form import HouseholdForm
from ui.households.ledger_dialog import LedgerDialog
from ui.households.resident_form import ResidentForm
from ui.households.visit_form import VisitForm
from ui.shell.login import FirstStartDialog, LoginDialog, RecoverDialog, RecoveryCodeDialog
from ui.sync.conflicts import ConflictsDialog
from ui.sync.dialogs import ExportDialog, ImportDialog, SyncSettingsDialog
from ui.widgets import fit
from ui.widgets.fit import limit_length
from ui.widgets.print_preview import PdfPreviewDialog

LAPTOP = QRect(0, 0, 1366, 728)  # 1366x768 less the Windows taskbar
pytestmark = pytest.mark.usefixtures("cheap_kdf")


@pytest.fixture(autouse=True)
def laptop(monkeypatch, program_language):
    """Windows open on a laptop screen (the offscreen one is 800x600), as the program shows them:
    in Chinese, in the bundled font."""
    monkeypatch.setattr(fit, "available_area", lambda _window: QRect(LAPTOP))
    program_language()


class World:
    """An encrypted station with a household, a dispute mediated to an agreement, and a revisit."""

    def __init__(self, tmp_path: Path) -> None:
        from sqlmodel import select

        from db.models import Household, Resident

        self.tmp_path = tmp_path
        self.path = tmp_path / "station.sqlite3"
        self.login = make_station(self.path)
        self.db = self.login.db
        with self.db.session() as s:
            self.household = s.exec(select(Household)).one().id
            self.resident = s.exec(select(Resident)).one().id
        self.dispute = register(self.db, officer_id=self.login.officer.id, occurred_at=NOW - timedelta(days=2))
        add_session(self.db, dispute_id=self.dispute.id, values=SessionValues(
            held_at=NOW - timedelta(days=1), place="阳光社区警务室", host="张所长", mediators="张所长",
            attendees="张三、李四", record="双方陈述意见，达成和解意向。"))
        self.agreement = create_agreement(self.db, dispute_id=self.dispute.id, today=TODAY, values=AgreementValues(
            facts="李四家夜间噪音扰民，双方发生口角。", issues="噪音扰民", terms=["李四保证晚十点后不再制造噪音。"],
            performance="promised", deadline=TODAY + timedelta(days=3), signed_on=TODAY))
        self.revisit = schedule_revisit(self.db, dispute_id=self.dispute.id, days=2, today=TODAY)

    def account(self):
        from app.accounts.manage import list_accounts

        return next(a for a in list_accounts(self.db) if a.username == "wang")

    def store(self):
        from ui.sync.common import PassphraseStore

        return PassphraseStore(QSettings(str(self.tmp_path / "sync.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def world(tmp_path):
    world = World(tmp_path)
    yield world
    from ui.widgets.ops import wait_for_workers

    wait_for_workers()
    world.db.close()


def named(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


# --- every dialog, with its save/OK button ----------------------------------------------------------------
def saving(form):
    return form, form.save_button


def ok(dialog):
    return dialog, dialog.ok_button


def print_preview(w):
    pdf = render_agreement(agreement_document(w.db, w.agreement.id))
    dialog = PdfPreviewDialog(pdf, title=f"人民调解协议书 {w.agreement.number}", suggested_name="协议书.pdf")
    return dialog, named(dialog, "打印(&P)…")


OCCURRED = NOW - timedelta(days=2)
DIALOGS = {
    "household_form": lambda w: saving(HouseholdForm(w.db, household_id=w.household)),
    "resident_form": lambda w: saving(ResidentForm(w.db, household_id=w.household, address="阳光花园2栋1单元101室",
                                                   resident_id=w.resident)),
    "visit_form": lambda w: saving(VisitForm(w.db, household=household_detail(w.db, w.household))),
    "campaign_form": lambda w: saving(CampaignForm(w.db)),
    "campaigns_window": lambda w: (window := CampaignsWindow(w.db), window.new_button),
    "ledger_dialog": lambda w: (dialog := LedgerDialog(w.db), dialog.export_button),
    "register_form": lambda w: saving(RegisterForm(w.db, officer_id=w.login.officer.id)),
    "edit_dispute_form": lambda w: saving(RegisterForm(w.db, officer_id=w.login.officer.id, dispute_id=w.dispute.id)),
    "transition_form": lambda w: saving(TransitionForm(w.db, dispute_id=w.dispute.id, number=w.dispute.number,
                                                       current="mediating", occurred_at=OCCURRED,
                                                       preselect="to_center")),
    "session_form": lambda w: saving(SessionForm(w.db, dispute_id=w.dispute.id, number=w.dispute.number,
                                                 occurred_at=OCCURRED, host="张所长", attendees="张三、李四")),
    "agreement_form": lambda w: saving(AgreementForm(w.db, dispute_id=w.dispute.id, number=w.dispute.number,
                                                     parties=2, occurred_on=OCCURRED.date(), today=TODAY)),
    "revisit_result_form": lambda w: saving(RevisitResultForm(
        w.db, revisit_id=w.revisit, number=w.dispute.number, due_on=TODAY + timedelta(days=2),
        occurred_on=OCCURRED.date(), today=TODAY)),
    "revisit_date_dialog": lambda _w: (dialog := RevisitDateDialog(today=TODAY), named(dialog, "安排回访")),
    "stats_dialog": lambda w: (dialog := StatsDialog(w.db, today=TODAY), dialog.ledger_button),
    "print_preview": print_preview,
    "accounts_dialog": lambda w: (dialog := AccountsDialog(w.db), dialog.new_button),
    "change_password_dialog": lambda w: ok(ChangePasswordDialog(w.db)),
    "new_account_dialog": lambda w: ok(NewAccountDialog(w.db)),
    "reset_password_dialog": lambda w: ok(ResetPasswordDialog(w.db, w.account())),
    "enroll_dialog": lambda w: ok(EnrollDialog(w.db, w.account())),
    "export_dialog": lambda w: (dialog := ExportDialog(w.db, w.store()), dialog.run_button),
    "import_dialog": lambda w: (dialog := ImportDialog(w.db, w.store(), path=w.tmp_path / "所里主机的同步包.cpsync"),
                                dialog.run_button),
    "sync_settings_dialog": lambda w: (dialog := SyncSettingsDialog(w.db, w.store()), named(dialog, "保存口令")),
    "conflicts_dialog": lambda w: (dialog := ConflictsDialog(w.db), named(dialog, "关闭")),
    "audit_dialog": lambda w: (dialog := AuditDialog(w.db), dialog.export_button),
    "login_dialog": lambda w: ok(LoginDialog(w.path, username="wang")),
    "first_start_dialog": lambda w: ok(FirstStartDialog(w.tmp_path / "new.sqlite3")),
    "recover_dialog": lambda w: ok(RecoverDialog(w.path, username="wang")),
    "recovery_code_dialog": lambda _w: (dialog := RecoveryCodeDialog("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ"),
                                        dialog.done_button),
}


def shown(qtbot, dialog):
    # A form left with input would ask "放弃修改？" when closed after a failed check: discard it.
    qtbot.addWidget(dialog, before_close_func=lambda form: form.discard() if hasattr(form, "discard") else None)
    dialog.show()
    QApplication.processEvents()  # let the layouts settle
    return dialog


def assert_fits(dialog, button: QPushButton) -> None:
    size = dialog.frameGeometry().size()
    assert size.width() <= LAPTOP.width() and size.height() <= LAPTOP.height(), f"{size.width()}x{size.height()}"
    assert button.isVisible() and not button.visibleRegion().isEmpty()
    assert dialog.rect().contains(QRect(button.mapTo(dialog, QPoint(0, 0)), button.size()))


def type_chinese(edit, text: str, *, phrase: int = 4) -> None:
    """Type as a Chinese input method does: each chosen phrase is committed to the field."""
    from PySide6.QtGui import QInputMethodEvent

    edit.setFocus()
    for start in range(0, len(text), phrase):
        event = QInputMethodEvent("", [])
        event.setCommitString(text[start:start + phrase])
        QApplication.sendEvent(edit, event)


def shoot(qtbot, dialog, name: str) -> None:
    if folder := os.environ.get("CPDESK_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        qtbot.wait(300)  # a PDF page is rendered on a thread
        dialog.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.mark.parametrize("name", DIALOGS)
def test_every_dialog_opens_within_a_laptop_screen_with_its_button_in_view(qtbot, world, name):
    dialog, button = DIALOGS[name](world)
    shown(qtbot, dialog)
    assert_fits(dialog, button)
    shoot(qtbot, dialog, name)


def test_a_1000_character_estate_is_capped_and_the_household_form_stays_narrow(qtbot, world):
    form = shown(qtbot, HouseholdForm(world.db))
    form.community.setCurrentText("阳光社区")
    type_chinese(form.estate, "长" * 1000)
    form.room.setText("101")
    assert form.estate.text() == "长" * FIELD_LIMITS["estate"]
    assert form.address_preview.text() == "长" * FIELD_LIMITS["estate"] + "101室"  # whole, though shown cut
    assert form.save_button.isEnabled()
    assert_fits(form, form.save_button)
    shoot(qtbot, form, "household_form_long_estate")


def test_a_long_address_is_cut_in_the_label_not_by_widening_the_window(qtbot, world):
    address = "阳光花园" * 120 + "2栋1单元101室"
    form = shown(qtbot, ResidentForm(world.db, household_id=world.household, address=address))
    assert_fits(form, form.save_button)
    assert form.width() < 1000


def test_a_form_taller_than_the_screen_scrolls_its_fields_and_keeps_save_in_view(qtbot, world):
    form, button = DIALOGS["register_form"](world)
    shown(qtbot, form)
    for _ in range(4):
        form.add_party(form.editors[0].values())
    QApplication.processEvents()
    assert form.frameGeometry().height() <= LAPTOP.height()
    assert_fits(form, button)


def test_line_edits_stop_where_the_service_would_refuse(qtbot, world):
    """At the cap the service takes the text; one character more it would refuse."""
    household, _ = DIALOGS["household_form"](world)
    session, _ = DIALOGS["session_form"](world)
    register, _ = DIALOGS["register_form"](world)
    campaign, _ = DIALOGS["campaign_form"](world)
    checks = [(household, household.estate, "estate"), (household, household.head_name, "head_name"),
              (campaign, campaign.name, "name"), (register, register.place, "place"),
              (register, register.editors[0].address, "party.0.address")]
    checks += [(session, getattr(session, name), name) for name in ("place", "host", "mediators", "attendees")]
    for form, edit, problem in checks:
        qtbot.addWidget(form)
        edit.setText("字" * 5000)
        capped = edit.text()
        assert 0 < len(capped) < 5000 and problem not in form.problems(), problem
        edit.setMaxLength(len(capped) + 1)
        edit.setText(capped + "字")
        assert problem in form.problems(), problem


def test_plain_text_boxes_stop_at_the_service_limit(qtbot, world):
    form, _ = DIALOGS["register_form"](world)
    qtbot.addWidget(form)
    form.facts.insertPlainText("事" * (FACTS_LIMIT + 500))
    assert len(form.facts.toPlainText()) == FACTS_LIMIT and "facts" not in form.problems()


def test_what_goes_past_the_limit_is_cut_where_it_was_typed_and_a_loaded_text_keeps_its_start(qtbot):
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    limit_length(edit, 10)
    edit.setPlainText("一二三四五六七八")
    cursor = edit.textCursor()
    cursor.setPosition(2)
    edit.setTextCursor(cursor)
    edit.insertPlainText("ABCDEF")  # a paste in the middle: only what fits of it stays
    assert edit.toPlainText() == "一二AB三四五六七八" and edit.textCursor().position() == 4
    edit.setPlainText("零一二三四五六七八九十十一")
    assert edit.toPlainText() == "零一二三四五六七八九"
