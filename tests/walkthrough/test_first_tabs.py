"""The program as an officer meets it: the real login into the real MainWindow on the small demo,
driven through the widgets. Every list tab and view is opened at its first, a middle and its last
row and at a row found by search, and its detail buttons are used; then two days of work end to
end (issue 9): a dispatched dispute settled on the spot with a revisit "+2天", and a threat found
on a visit. Each area's walk is a module of this folder; the officer is made in its conftest.py."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtTest import QTest

from app.areas import AREAS
from tests.support.walk import (
    agenda_rows,
    click_row,
    close_form,
    double_click_row,
    rows_to_open,
    search,
    shoot,
    take_forms,
    type_text,
)


def check_dispute_shown(window, row: int) -> None:
    tab = window.disputes
    listed = tab.model._rows[row]
    assert tab.current_id == listed.id
    assert tab.detail.title.text() == f"{listed.number}　{listed.kind}"
    assert tab.detail.fields["officer"].text() == (listed.officer or "（未指定）")
    from app.disputes.queries import dispute_detail

    detail = dispute_detail(window.db, listed.id, today=window.today_fn())
    assert tab.detail.transition_button.isEnabled() == bool(detail.moves)
    edit = take_forms(tab, tab.detail.edit_button)
    assert edit.dispute_id == listed.id and edit.place.text() == detail.place
    close_form(edit)
    session = take_forms(tab, tab.detail.session_button)
    assert session.dispute_id == listed.id and listed.number in session.windowTitle()
    close_form(session)


def test_every_dispute_view_opens_its_first_middle_last_and_searched_rows(qtbot, officer_at_work):
    window, _day = officer_at_work
    tab = window.disputes
    window.tabs.setCurrentWidget(tab)
    from app.disputes.queries import VIEWS

    opened = 0
    for index, code in enumerate(VIEWS):
        tab.view.setCurrentIndex(index)
        assert tab.view.currentData() == code
        for row in rows_to_open(tab.model):
            if tab.model.rowCount() == 0:
                break
            click_row(tab.table, row)
            check_dispute_shown(window, row)
            opened += 1
    assert opened >= 2 * len(VIEWS)  # every view of the demo has rows

    tab.view.setCurrentIndex(0)
    last = tab.model._rows[-1]
    search(qtbot, tab, last.number)
    assert tab.model.rowCount() == 1
    click_row(tab.table, 0)
    check_dispute_shown(window, 0)
    assert tab.current_id == last.id


def test_a_dispute_is_found_by_a_partys_phone_id_number_or_a_word_and_a_word_held_nowhere_lists_none(
        qtbot, officer_at_work):
    """What the officer has on paper (a phone, the end of an ID number, a word of the facts), typed
    into the search box: the trigram index finds the dispute (migration 0013), as it finds nothing
    for a word no dispute holds."""
    from sqlalchemy import select

    from db.models import Dispute, DisputeParty

    window, _day = officer_at_work
    tab = window.disputes
    window.tabs.setCurrentWidget(tab)
    p, d = DisputeParty.__table__.c, Dispute.__table__.c
    with window.db.connect() as conn:  # a party from the middle of the demo's, with a phone and an ID
        parties = conn.execute(select(p.dispute_id, p.phone, p.id_number).join(Dispute.__table__, d.id == p.dispute_id)
                               .where(p.deleted.is_(False), d.deleted.is_(False), p.phone.is_not(None),
                                      p.id_number.is_not(None)).order_by(p.id)).all()
    dispute_id, phone, id_number = parties[len(parties) // 2]
    for text in (phone, id_number[-6:], f"{phone} {id_number[-4:]}"):
        search(qtbot, tab, text)
        ids = [row.id for row in tab.model._rows]
        assert dispute_id in ids, text
        click_row(tab.table, ids.index(dispute_id))
        check_dispute_shown(window, ids.index(dispute_id))
        if text == phone:
            shoot(qtbot, window, "disputes_found_by_phone")
    facts = tab.detail.facts.text()  # three characters from the middle of what happened
    word = next(facts[i:i + 3] for i in range(len(facts) // 2, len(facts) - 2)
                if not any(ch.isspace() for ch in facts[i:i + 3]))
    search(qtbot, tab, word)
    assert dispute_id in [row.id for row in tab.model._rows], word

    tab.search.clear()
    type_text(tab.search, "查无此词")
    QTest.keyClick(tab.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=3000)
    assert tab.count_label.text() == "0 条"
    shoot(qtbot, window, "disputes_search_nowhere")


def test_every_household_opens_from_the_list_and_from_search_with_working_buttons(qtbot, officer_at_work):
    window, _day = officer_at_work
    tab = window.households
    window.tabs.setCurrentWidget(tab)

    def check(row: int) -> None:
        listed = tab.model._rows[row]
        assert tab.current_household_id() == listed.id
        assert tab.detail.title.text() == listed.address
        form = take_forms(tab, tab.edit_button)
        assert form.household_id == listed.id
        close_form(form)
        visit = take_forms(tab, tab.visit_button)
        assert listed.address in visit.windowTitle()
        close_form(visit)

    for row in rows_to_open(tab.model):
        click_row(tab.table, row)
        check(row)
    middle = tab.model._rows[tab.model.rowCount() // 2]
    search(qtbot, tab, middle.address)
    click_row(tab.table, 0)
    check(0)


def shown(window, tab, item) -> bool:
    """Whether the worklist row's record is the one on screen, where its area shows it: the
    dispute in the 矛盾纠纷 detail; an enterprise's record selected on its page of the enterprise's
    detail; a volunteer in the 义警巡逻 detail; a shift in its sign-in form or roster window."""
    from PySide6.QtWidgets import QApplication

    from app.enterprises.queries import enterprise_of
    from ui.patrol.roster_grid import RosterWindow
    from ui.patrol.sign_in_form import ShiftSignInForm

    table, record = item.table, item.record_id
    if table == "dispute":
        return tab.current_id == record
    if table == "shift":
        opened = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        return any(isinstance(w, ShiftSignInForm) and w.shift_id == record for w in opened) or any(
            isinstance(w, RosterWindow) and w.table.currentIndex() == w.model.index_of(record) for w in opened)
    if table in ("volunteer", "volunteer_team"):
        return tab.current_id() == record
    owner = enterprise_of(window.db, table=table, record_id=record)
    return tab.current_id == owner and (table == "enterprise" or tab.detail.selected(table) == [record])


def test_the_worklists_first_middle_and_last_rows_open_where_they_are_worked_on(qtbot, officer_at_work):
    window, _day = officer_at_work
    items = agenda_rows(window)
    assert {item.kind for item in items} >= {"回访", "整改", "巡逻"}  # the demo has every kind due
    first_of_each_kind = {item.table: row for row, item in reversed(list(enumerate(items)))}.values()
    for row in sorted({*rows_to_open(window.today.model), *first_of_each_kind}):
        window.tabs.setCurrentWidget(window.today)
        item = items[row]
        double_click_row(window.today.table, row)
        area = next(a for a in AREAS if item.table in a.opens)
        tab = window.tab(area.key)
        if tab is not None:  # opened where it is worked on, on that very record
            assert window.tabs.currentWidget() is tab, (item, area.key)
            assert shown(window, tab, item), item
        else:  # an area not built yet: the officer is told, nothing else moves
            assert window.tabs.currentWidget() is window.today
            assert window.statusBar().currentMessage() == "该事项所在的页面尚未建成"
        if item.table == "dispute":
            assert item.what.split()[0] in window.disputes.detail.title.text()
    revisit = next(row for row, item in enumerate(items) if item.table == "dispute")
    window.tabs.setCurrentWidget(window.today)
    double_click_row(window.today.table, revisit)
    assert window.disputes.current_id == items[revisit].record_id


# --- two days of work -----------------------------------------------------------------------
def test_a_dispatched_dispute_settled_on_the_spot_comes_back_on_the_worklist_two_days_later(
        qtbot, officer_at_work, tmp_path):
    window, day = officer_at_work
    tab = window.disputes
    window.tabs.setCurrentWidget(tab)
    admin = window.officer.name

    # Registered from the dispatch: the logged-in officer answers for it.
    form = take_forms(tab, tab.register_button)
    assert form.officer.currentData() == window.officer.id
    form.source.setCurrentIndex(form.source.findData("dispatch"))
    form.kind.setCurrentIndex(form.kind.findData("neighbour"))
    form.occurred_at.setDateTime(QDateTime.currentDateTime().addSecs(-1800))
    type_text(form.place, "幸福里5栋楼下")
    type_text(form.facts, "楼上住户空调滴水落在楼下晾晒的衣物上，双方争吵，110派单到场。")
    applicant, respondent = form.editors
    type_text(applicant.name, "孙丽")
    type_text(applicant.phone, "13912345678")
    type_text(respondent.name, "周强")
    assert form.save_button.isEnabled(), form.summary.text()
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    number = saved.args[0].number
    assert tab.detail.title.text() == f"{number}　邻里"
    assert tab.detail.fields["officer"].text() == admin
    history = tab.detail.history.topLevelItem(0)
    assert (history.text(1), history.text(2)) == (admin, "登记")

    # Mediated on the spot: the host is the officer.
    session = take_forms(tab, tab.detail.session_button)
    assert session.host.text() == admin
    type_text(session.mediators, f"{admin}、社区调解员刘敏")
    with qtbot.waitSignal(session.saved):
        session.save_button.click()
    assert tab.detail.status.text() == "调处中"

    # Settled with an agreement, printed.
    agreement = take_forms(tab, tab.detail.agreement_button)
    type_text(agreement.terms, "周强三日内加装空调接水槽。\n孙丽不再追究衣物损失。")
    agreement.performance.setCurrentIndex(agreement.performance.findData("promised"))
    assert agreement.save_button.isEnabled(), agreement.summary.text()
    with qtbot.waitSignal(tab.previewing) as previewing:
        agreement.save_button.click()
    preview = previewing.args[0]
    assert preview.page_count() >= 1
    preview.save_to(tmp_path / "协议书.pdf")
    assert (tmp_path / "协议书.pdf").stat().st_size > 1000
    preview.close()
    assert tab.detail.status.text() == "已化解"

    # "+2天": on the worklist today as coming, and due on the day.
    with qtbot.waitSignal(window.today.tally_loaded, timeout=10000):  # the cards count on a worker
        tab.detail.quick_buttons[2].click()
    mine = [item for item in agenda_rows(window) if number in item.what]
    assert [item.state(day()) for item in mine] == ["2天后到期"]
    soon = int(window.today.cards["soon"].number.text())
    assert soon >= 1
    day.value += timedelta(days=2)
    window.day_watcher.check()
    mine = [item for item in agenda_rows(window) if number in item.what]
    assert [item.state(day()) for item in mine] == ["今日到期"]

    # Double-click on the worklist opens the dispute where it is worked on.
    window.tabs.setCurrentWidget(window.today)
    row = agenda_rows(window).index(mine[0])
    table = window.today.table
    index = window.today.model.index(row, 1)
    double_click_row(table, row)
    assert window.tabs.currentWidget() is tab and tab.detail.title.text() == f"{number}　邻里"
    window.tabs.setCurrentWidget(window.today)  # and Enter on the current row does the same
    tab.table.clearSelection()
    table.setCurrentIndex(index)
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is tab and tab.detail.title.text() == f"{number}　邻里"

    # The revisit result, on the day.
    tab.detail.revisits.setCurrentItem(tab.detail.revisits.topLevelItem(0))
    result = take_forms(tab, tab.detail.result_button)
    result.result.setCurrentIndex(result.result.findData("stable"))
    with qtbot.waitSignal(result.saved):
        result.save_button.click()
    assert tab.detail.revisits.topLevelItem(0).text(2) == "稳定"


def test_a_threat_found_on_a_visit_is_a_high_risk_dispute_everywhere(qtbot, officer_at_work):
    window, _day = officer_at_work
    households = window.households
    window.tabs.setCurrentWidget(households)
    click_row(households.table, households.model.rowCount() // 2)
    address = households.detail.title.text()
    before = int(window.today.cards["high_risk"].number.text())

    visit = take_forms(households, households.visit_button)
    visit.purposes["矛盾纠纷排查"].setChecked(True)
    visit.dispute.setChecked(True)
    visit.dispute_kind.setCurrentIndex(visit.dispute_kind.findData("romance"))
    type_text(visit.dispute_facts, "前男友多次上门纠缠，称“不跟我复合，就同归于尽”。")
    type_text(visit.dispute_respondent, "前男友陈某")
    assert "将登记为高风险纠纷" in visit.dispute_risk.text()
    assert visit.save_button.isEnabled(), visit.summary.text()
    with qtbot.waitSignal(households.dispute_created) as created, \
            qtbot.waitSignal(window.today.tally_loaded, timeout=10000):  # the cards count on a worker
        visit.save_button.click()
    dispute_id = created.args[0]

    disputes = window.disputes
    window.tabs.setCurrentWidget(disputes)
    disputes.view.setCurrentIndex(disputes.view.findData("high"))
    ids = [row.id for row in disputes.model._rows]
    assert dispute_id in ids
    row = ids.index(dispute_id)
    assert disputes.model.index(row, 0).data() == "高 ⚠"
    click_row(disputes.table, row)
    assert disputes.detail.fields["place"].text() == address
    assert disputes.detail.fields["officer"].text() == window.officer.name
    assert disputes.detail.parties.topLevelItemCount() == 2
    high = int(window.today.cards["high_risk"].number.text())
    assert high == before + 1 == len(ids)


def test_the_worklist_read_a_page_at_a_time_scrolls_to_every_item_and_counts_them_all(
        qtbot, officer_at_work, monkeypatch):
    """A city's 工作台 runs to tens of thousands of items, so it lists a page at a time (issue 15); a
    page of 5 here gives the small demo's agenda (30 items) several. Scrolled to its end, the list holds the
    whole agenda in order, the cards count all of it, and its last item opens where it is worked on."""
    import ui.today.tab
    from app.today import Tally, agenda

    monkeypatch.setattr(ui.today.tab, "PAGE", 5)
    window, _day = officer_at_work
    today = window.today
    window.tabs.setCurrentWidget(today)
    today.refresh()  # read again with the page of 5
    whole = agenda(window.db, on=window.today_fn(), soon_days=today.soon_days)
    assert len(whole) > 3 * 5 and today.model.rowCount() < len(whole)  # paged: not all in at once
    counts = Tally.of(whole, on=window.today_fn())
    qtbot.waitUntil(lambda: [today.cards[key].number.text() for key in ("overdue", "due", "soon", "patrol")]
                    == [str(n) for n in (counts.overdue, counts.due, counts.soon, counts.appointments)], timeout=5000)
    bar = today.table.verticalScrollBar()
    for _ in range(len(whole)):  # the officer scrolls down until nothing more comes
        bar.setValue(bar.maximum())
        QTest.qWait(1)
        if today.model.complete():
            break
    assert [today.model.item(row) for row in range(today.model.rowCount())] == whole
    shoot(qtbot, window, "today_scrolled_to_the_end")
    last = today.model.rowCount() - 1
    double_click_row(today.table, last)
    area = next(a for a in AREAS if whole[last].table in a.opens)
    assert window.tabs.currentWidget() is window.tab(area.key)
    assert shown(window, window.tab(area.key), whole[last]), whole[last]
