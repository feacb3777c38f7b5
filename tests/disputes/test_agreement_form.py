"""The 调解协议书 form: the officer chooses how the agreement is performed (no default), a term
with a deadline cannot be called performed on the spot, and the copies follow the parties."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from app.disputes.register import PartyValues
from db.models import Agreement
from tests.support.disputes import NOW, TODAY, applicant, register, respondent
from ui.disputes.mediation_forms import AgreementForm


def open_form(qtbot, db, *, parties=None) -> AgreementForm:
    dispute = register(db, **({"parties": parties} if parties else {}))
    form = AgreementForm(db, dispute_id=dispute.id, number=dispute.number, parties=len(parties or [1, 2]),
                         occurred_on=(NOW - timedelta(days=1)).date(), today=TODAY)
    qtbot.addWidget(form)
    form.show()
    return form


def choose(form: AgreementForm, performance: str) -> None:
    form.performance.setCurrentIndex(form.performance.findData(performance))


def agreements(db) -> list[Agreement]:
    with db.session() as s:
        return list(s.execute(select(Agreement)).scalars())


def test_the_form_starts_on_please_choose_and_says_so_beside_the_field_until_chosen(qtbot, db):
    form = open_form(qtbot, db)
    form.terms.setPlainText("李四保证晚十点后不再制造噪音。")
    message = form.findChild(QLabel, "problem_performance")
    assert (form.performance.currentText(), form.performance.currentData()) == ("请选择", "")
    assert message.isVisible() and message.text() == "请选择履行方式"
    assert not form.save_button.isEnabled() and "请选择履行方式" in form.summary.text()
    assert form.submit() is False and agreements(db) == []

    choose(form, "on_the_spot")
    assert not message.isVisible() and form.save_button.isEnabled()
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    [saved] = agreements(db)
    assert (saved.performance, saved.deadline, saved.copies) == ("on_the_spot", None, 3)


def test_a_term_with_a_deadline_under_on_the_spot_is_flagged_until_promised(qtbot, db):
    form = open_form(qtbot, db)
    choose(form, "on_the_spot")
    form.terms.setPlainText("双方今后互相谅解，和睦相处。\n李四于三日内加装接水槽。")
    message = form.findChild(QLabel, "problem_performance")
    assert message.isVisible() and "“三日内”" in message.text() and "承诺履行" in message.text()
    assert not form.save_button.isEnabled() and not form.deadline.isEnabled()

    choose(form, "promised")
    form.deadline.setDate(form.signed_on.date().addDays(3))
    assert form.deadline.isEnabled() and not message.isVisible() and form.save_button.isEnabled()
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    [saved] = agreements(db)
    assert (saved.performance, saved.deadline) == ("promised", TODAY + timedelta(days=3))


def test_three_parties_make_an_agreement_in_four_copies(qtbot, db):
    third = PartyValues(role="third_party", name="物业服务中心")
    form = open_form(qtbot, db, parties=[applicant(), respondent(), third])
    assert form.copies.text().startswith("一式4份")
    form.terms.setPlainText("物业服务中心当场修复楼道灯。")
    choose(form, "on_the_spot")
    with qtbot.waitSignal(form.saved):
        form.save_button.click()
    assert [a.copies for a in agreements(db)] == [4]
