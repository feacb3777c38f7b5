"""The 一企一警 tab through its widgets: the list (views, search, SQL sorting, colours), the detail, the
records it opens, and the register, liaison, request and hire-check forms refusing bad input in the form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlmodel import select

from app.enterprises.hire_checks import HireCheckValues, add_hire_check
from app.enterprises.liaison import RequestValues, add_request
from app.enterprises.queries import search_enterprise_rows
from app.enterprises.register import EnterpriseValues, add_enterprise
from db.models import Enterprise, LiaisonAssignment
from tests.enterprises.conftest import TODAY, credit_code
from tests.support.window import make_context
from ui.enterprises.model import OVERDUE, EnterpriseTableModel
from ui.enterprises.tab import EnterprisesTab
from ui.widgets.paged_model import Column

ID_NUMBER = "11010519491231002X"


def open_tab(qtbot, db, *, officer_id=None, today=TODAY) -> EnterprisesTab:
    tab = EnterprisesTab()
    qtbot.addWidget(tab)
    tab.resize(1366, 690)
    tab.show()
    tab.attach(make_context(db, officer_id=officer_id, today=today))
    return tab


def problem(form, name: str) -> str:
    label = form.findChild(QLabel, f"problem_{name}")
    return label.text() if label is not None and label.isVisible() else ""


@pytest.fixture
def firms(db, officer, second_officer, enterprise, failed_inspection):
    """The chemical firm of the conftest (a failed inspection, the second officer's colleague) and two more."""
    add_enterprise(db, values=EnterpriseValues(name="杭州顺达物流有限公司", category="general",
                                               credit_code=credit_code("91330106MA2B3C4D6"),
                                               address="杭州市西湖区余杭塘路8号", legal_rep="钱多多"),
                   liaison_officer_id=second_officer, today=TODAY)
    add_enterprise(db, values=EnterpriseValues(name="杭州安泰爆破工程有限公司", category="explosives",
                                               address="杭州市西湖区转塘街道", security_head="孙保国"),
                   today=TODAY)
    return enterprise


def test_the_list_its_views_search_and_sorting(qtbot, db, officer, firms):
    tab = open_tab(qtbot, db, officer_id=officer)
    names = [tab.model._rows[r].name for r in range(tab.model.rowCount())]
    assert names == sorted(names) and len(names) == 3
    assert tab.count_label.text() == "3 条"
    chemical = tab.model.row_of(firms)
    assert tab.model.index(chemical, 4).data() == "2项（逾期2）"  # both deadlines have passed
    assert tab.model.index(chemical, 4).data(Qt.ItemDataRole.ForegroundRole).color() == OVERDUE

    def view(code: str) -> list[str]:
        tab.view.setCurrentIndex(tab.view.findData(code))
        return [tab.model._rows[r].name for r in range(tab.model.rowCount())]

    assert view("key") == ["杭州安泰爆破工程有限公司", "杭州恒信化工有限公司"]
    assert view("open") == view("overdue") == ["杭州恒信化工有限公司"]
    assert view("mine") == ["杭州恒信化工有限公司"]  # the officer logged in is its 包企民警
    assert view("requests") == []
    add_request(db, enterprise_id=firms, today=TODAY,
                values=RequestValues(TODAY, "夜间厂区外道路照明不足", TODAY + timedelta(days=5)))
    tab.refresh()
    assert [tab.model._rows[r].requests_note for r in range(tab.model.rowCount())] == ["1件待答复"]
    view("all")

    for text, found in (("顺达", "杭州顺达物流有限公司"), (credit_code()[-6:], "杭州恒信化工有限公司"),
                        ("余杭塘路", "杭州顺达物流有限公司"), ("孙保国", "杭州安泰爆破工程有限公司"),
                        ("李警官", "杭州顺达物流有限公司")):
        tab.search.setText(text)
        tab._apply_search()
        assert [r.name for r in tab.model._rows] == [found], text
        assert tab.detail.title.text() == found  # the first row found is shown
    tab.search.clear()
    tab._apply_search()

    # Sorting is SQL work: 未整改 puts the most open first, a second click the fewest.
    header = tab.table.horizontalHeader()
    tab._sort_by(4)
    assert tab.model._rows[0].name == "杭州恒信化工有限公司"
    tab._sort_by(4)
    assert tab.model._rows[-1].name == "杭州恒信化工有限公司"
    tab._sort_by(5)  # 诉求 is not sortable: nothing moves
    assert header.sortIndicatorSection() == 4


def test_the_model_passes_the_model_tester(qtmodeltester, db, firms):
    model = EnterpriseTableModel([Column("企业名称", "name", sort_key="name"), Column("未整改", "open_note")],
                                 lambda **kw: search_enterprise_rows(db, **kw), page_size=2)
    model.reload()
    assert model.rowCount() == 2 and model.canFetchMore()
    qtmodeltester.check(model)


def test_the_detail_shows_every_page_of_the_enterprise(qtbot, db, officer, firms):
    added = add_hire_check(db, enterprise_id=firms, values=HireCheckValues("赵小明", ID_NUMBER, "仓库保管员",
                                                                          TODAY, "应聘人员书面同意"), today=TODAY)
    tab = open_tab(qtbot, db, officer_id=officer)
    tab.open_record("enterprise", firms)
    pane = tab.detail
    assert pane.title.text() == "杭州恒信化工有限公司" and pane.badge.text() == "涉危化"
    assert pane.fields["liaison"].text() == "王警官" and pane.fields["security"].text() == "吴卫东（0571-87654321）"
    inspections = pane.trees["inspection"]
    assert inspections.topLevelItemCount() == 1 and inspections.topLevelItem(0).text(3) == "待下发整改通知书"
    assert pane.notice_button.isEnabled() and not pane.recheck_button.isEnabled()
    assert "请下发责令限期整改通知书" in pane.flow_note.text()
    assert pane.trees["rectification"].topLevelItemCount() == 2
    hire = pane.trees["hire_check"].topLevelItem(0)
    assert hire.text(1) == "赵小明" and hire.text(2).endswith("002X") and "1949" not in hire.text(2)
    assert pane.history.topLevelItem(0).text(1) == "王警官"

    # The worklist opens records where they are: the right page, the record selected.
    tab.open_record("hire_check", added.id)
    assert pane.tabs.currentIndex() == pane._pages["hire_check"] and pane.selected("hire_check") == [added.id]
    request = add_request(db, enterprise_id=firms, today=TODAY,
                          values=RequestValues(TODAY, "希望协调增设监控", TODAY + timedelta(days=7)))
    tab.open_record("enterprise_request", request)
    assert pane.tabs.currentIndex() == pane._pages["enterprise_request"]
    assert pane.selected("enterprise_request") == [request] and pane.answer_button.isEnabled()
    rectification = pane.page.rectifications[1].id
    tab.open_record("rectification", rectification)
    assert pane.selected("rectification") == [rectification] and pane.done_button.isEnabled()


def test_the_enterprise_form_checks_the_credit_code_as_typed(qtbot, db, officer, firms):
    tab = open_tab(qtbot, db, officer_id=officer)
    form = tab.new_enterprise()
    assert not form.save_button.isEnabled()
    form.name.setText("杭州新兴化工有限公司")
    form.credit_code.setText("91330106MA2B3C4D5X")
    assert problem(form, "credit_code") == "统一社会信用代码校验位不对，请核对" and not form.save_button.isEnabled()
    form.credit_code.setText(credit_code())  # the conftest firm's
    assert problem(form, "credit_code") == "该代码已登记为“杭州恒信化工有限公司”"
    form.credit_code.setText(credit_code("91330106MA2B3C4D7"))
    form.phone.setText("12345")
    assert "电话应为" in problem(form, "phone")
    form.phone.setText("13900139000")
    form.category.setCurrentIndex(form.category.findData("chemicals"))
    form.tags.setText("涉危化、重点单位")
    assert form.liaison.currentData() == officer and form.save_button.isEnabled(), form.summary.text()
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    assert tab.current_id == saved.args[0] and tab.detail.title.text() == "杭州新兴化工有限公司"
    assert tab.detail.fields["tags"].text() == "涉危化、重点单位" and tab.detail.fields["liaison"].text() == "王警官"

    edit = tab.edit_enterprise()
    assert edit.credit_code.text() == credit_code("91330106MA2B3C4D7") and problem(edit, "credit_code") == ""
    edit.employees.setValue(60)
    with qtbot.waitSignal(edit.saved):
        edit.save_button.click()
    assert tab.detail.fields["people"].text() == "60/—"


def test_changing_the_liaison_officer_logging_a_contact_and_answering_a_request(qtbot, db, officer, second_officer,
                                                                                 firms):
    tab = open_tab(qtbot, db, officer_id=officer)
    tab.open_record("enterprise", firms)
    assign = tab.open_assign()
    assign.officer.setCurrentIndex(assign.officer.findData(officer))
    assign.notes.setText("x")
    assert problem(assign, "officer") == "请选择另一名民警（或“不再指定”）"
    assign.officer.setCurrentIndex(assign.officer.findData(second_officer))
    assign.notes.setText("民警调岗")
    with qtbot.waitSignal(assign.saved):
        assign.save_button.click()
    assert tab.detail.fields["liaison"].text() == "李警官"
    assert [tab.detail.history.topLevelItem(i).text(1) for i in range(2)] == ["王警官", "李警官"]
    with db.session() as s:
        assert len(s.exec(select(LiaisonAssignment).where(LiaisonAssignment.enterprise_id == firms)).all()) == 2

    contact = tab.open_liaison()
    contact.kind.setCurrentIndex(contact.kind.findData("incident"))
    contact.visited_on.setDate(contact.visited_on.date().addDays(1))
    assert problem(contact, "visited_on") == "联络日期不能晚于今天"
    contact.visited_on.setDate(contact.visited_on.date().addDays(-1))
    contact.content.setPlainText("通报近期辖区盗窃电缆警情，提醒加强夜间巡查。")
    contact.met.setText("吴卫东（保卫科长）")
    with qtbot.waitSignal(contact.saved):
        contact.save_button.click()
    liaison = tab.detail.trees["liaison"].topLevelItem(0)
    assert liaison.text(1) == "通报警情" and liaison.text(3) == "吴卫东（保卫科长）"

    request = tab.open_request()
    request.content.setPlainText("希望协调在厂区门口增设治安监控")
    request.due_on.setDate(request.raised_on.date().addDays(-1))
    assert problem(request, "due_on") == "答复期限不能早于提出日期"
    request.due_on.setDate(request.raised_on.date().addDays(7))
    with qtbot.waitSignal(request.saved) as saved:
        request.save_button.click()
    pane = tab.detail
    assert pane.selected("enterprise_request") == [saved.args[0]] and pane.answer_button.isEnabled()
    answer = tab.open_answer(saved.args[0])
    assert not answer.save_button.isEnabled()
    answer.answer.setPlainText("已联系社区，下月安装")
    with qtbot.waitSignal(answer.saved):
        answer.save_button.click()
    assert pane.trees["enterprise_request"].topLevelItem(0).text(3) == "已答复" and not pane.answer_button.isEnabled()


def test_a_hire_check_is_asked_with_a_valid_id_number_answered_and_answered_by_letter(qtbot, db, officer, firms):
    tab = open_tab(qtbot, db, officer_id=officer)
    tab.open_record("enterprise", firms)
    form = tab.open_hire_check()
    form.name.setText("赵小明")
    form.id_number.setText("110105194912310021")
    assert problem(form, "id_number") and not form.save_button.isEnabled()
    form.id_number.setText(ID_NUMBER)
    form.job.setText("仓库保管员")
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    check_id = saved.args[0].id
    pane = tab.detail
    assert pane.selected("hire_check") == [check_id] and not pane.letter_button.isEnabled()
    answer = tab.open_hire_answer(check_id)
    assert not answer.save_button.isEnabled()
    answer.result.setCurrentIndex(answer.result.findData("clear"))
    with qtbot.waitSignal(answer.saved):
        answer.save_button.click()
    assert pane.trees["hire_check"].topLevelItem(0).text(4) == "未见异常" and pane.letter_button.isEnabled()
    with qtbot.waitSignal(tab.previewing) as shown:
        pane.letter_button.click()
    preview = shown.args[0]
    assert preview.page_count() == 1 and preview.audit == ("enterprise", firms, "招工人员身份核查情况回复函")
    preview.close()

    # The same person asked about again: the officer is told of the earlier check.
    again = tab.open_hire_check()
    again.name.setText("赵小明")
    again.id_number.setText(ID_NUMBER)
    again.job.setText("叉车司机")
    with qtbot.waitSignal(again.saved) as saved:
        again.save_button.click()
    assert [e.id for e in saved.args[0].earlier] == [check_id]


def test_a_refusal_of_the_service_is_shown_in_the_form(qtbot, db, officer, firms):
    tab = open_tab(qtbot, db, officer_id=officer)
    tab.open_record("enterprise", firms)
    request = tab.open_request()
    request.content.setPlainText("增设监控")
    with db.session() as s:  # deleted meanwhile (by a sync, say)
        s.get(Enterprise, firms).deleted = True
        s.commit()
    request.save_button.click()
    assert request.isVisible() and request.message.text() == "找不到这个企业（可能已被删除）"
    assert request.content.toPlainText() == "增设监控"



def test_an_enterprise_taken_off_the_register_leaves_the_list(qtbot, db, officer, firms):
    tab = open_tab(qtbot, db, officer_id=officer)
    tab.open_record("enterprise", firms)
    assert tab.delete_enterprise(firms)
    assert firms not in [r.id for r in tab.model._rows] and tab.model.rowCount() == 2
    assert tab.delete_enterprise(firms) is False  # said in a box: already gone
    tab.open_record("enterprise", firms)
    assert tab.detail.title.text() == "未选择企业"
