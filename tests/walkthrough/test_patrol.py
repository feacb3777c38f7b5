"""义警巡逻 as the officer meets it, logged into the real window on the small demo: each list's (义警,
义警队, 巡逻路线) first, a middle and its last row and one found by search, opened with their forms; a
volunteer registered and found again; the 工作台's patrol rows opening where they are worked on; then a
week generated (progress, preview, 保存), a shift signed in and confirmed, and both sheets printed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.support.walk import (
    agenda_rows,
    click_row,
    close_form,
    double_click_row,
    rows_to_open,
    search,
    take_forms,
    type_text,
)

FORM_ID = {"volunteers": "volunteer_id", "teams": "team_id", "routes": "route_id"}


def patrol_tab(window):
    tab = window.tab("patrol")
    window.tabs.setCurrentWidget(tab)
    return tab


def check_shown(tab, row: int) -> None:
    listed = tab.model._rows[row]
    pane = tab.detail.panes[tab.view_key]
    assert tab.current_id() == listed.id and pane.title.text().startswith(listed.name)
    if tab.view_key == "volunteers":
        assert pane.fields["phone"].text() in (listed.phone, "—") and "*" in (listed.id_number or "*")
    if tab.view_key == "teams":
        assert pane.members.topLevelItemCount() == listed.members
    edit = take_forms(tab, tab.edit_button)
    assert getattr(edit, FORM_ID[tab.view_key]) == listed.id and edit.name.text() == listed.name
    close_form(edit)


def test_every_list_opens_its_first_middle_last_and_searched_rows(qtbot, officer_at_work):
    window, _day = officer_at_work
    tab = patrol_tab(window)
    opened = 0
    for index, view in enumerate(("volunteers", "teams", "routes")):
        tab.view.setCurrentIndex(index)
        assert tab.view_key == view and tab.model.rowCount() >= 2  # the demo has teams, people and routes
        for row in rows_to_open(tab.model):
            click_row(tab.table, row)
            check_shown(tab, row)
            opened += 1
        middle = tab.model._rows[tab.model.rowCount() // 2]
        search(qtbot, tab, middle.name)
        found = tab.model.row_of(middle.id)
        assert found is not None
        click_row(tab.table, found)
        check_shown(tab, found)
        tab.search.clear()
        tab._apply_search()
    assert opened >= 9


def test_a_volunteer_registered_is_found_again_with_his_history(qtbot, officer_at_work):
    from app.core.validation import id_check_char

    window, _day = officer_at_work
    tab = patrol_tab(window)
    tab.view.setCurrentIndex(0)
    form = take_forms(tab, tab.new_button)
    form.team.setCurrentIndex(1)
    type_text(form.name, "欧阳振华")
    first17 = "33010619880315071"
    type_text(form.id_number, first17 + ("0" if id_check_char(first17) != "0" else "1"))
    assert not form.save_button.isEnabled() and "校验码" in form.summary.text()
    form.id_number.setText(first17 + id_check_char(first17))
    assert form.derived.text() == "男，" + form.derived.text().split("，")[1]
    type_text(form.phone, "13905710000")
    form.skills["外卖员"].setChecked(True)
    form.availability.evenings.setChecked(True)
    with qtbot.waitSignal(form.saved) as saved:
        form.save_button.click()
    assert tab.current_id() == saved.args[0] and tab.detail.volunteer.title.text().startswith("欧阳振华")
    search(qtbot, tab, "欧阳振华")
    assert tab.model.rowCount() == 1 and tab.model._rows[0].phone == "139****0000"


def test_the_worklists_patrol_rows_open_where_they_are_worked_on(qtbot, officer_at_work):
    window, _day = officer_at_work
    items = [(row, item) for row, item in enumerate(agenda_rows(window)) if item.table == "shift"]
    assert items  # today's shifts and those still to confirm
    tab = window.tab("patrol")
    for row, item in [items[0], items[-1]]:
        window.tabs.setCurrentWidget(window.today)
        opened = []
        tab.form_opened.connect(opened.append)
        double_click_row(window.today.table, row)
        tab.form_opened.disconnect(opened.append)
        assert window.tabs.currentWidget() is tab and opened
        shown = opened[-1]
        if type(shown).__name__ == "ShiftSignInForm":
            assert shown.shift_id == item.record_id
        else:
            assert shown.chosen_shift().id == item.record_id
        shown.close()


def test_a_week_is_generated_a_shift_signed_in_and_the_sheets_printed(qtbot, officer_at_work, tmp_path):
    from db.models import Shift, ShiftAssignment

    window, day = officer_at_work
    tab = patrol_tab(window)
    tab.view.setCurrentIndex(1)  # 义警队: generate the first team's next week
    click_row(tab.table, 0)
    team = tab.current_id()

    # Generate: choose, plan on a worker behind a progress dialog, preview, 保存.
    chooser = take_forms(tab, tab.generate_button)
    assert chooser.team.currentData() == team
    with qtbot.waitSignal(tab.roster_previewed, timeout=30000) as shown:
        chooser.save_button.click()
    preview = shown.args[0]
    assert preview.preview.shifts > 0 and preview.counts.topLevelItemCount() > 0
    with qtbot.waitSignal(preview.saved, timeout=30000):
        preview.save_button.click()
    roster = take_forms(tab, tab.roster_button)
    roster.go_to(preview.preview.start)
    assert roster.model.rowCount() >= 1 and any(roster.model.grid.shifts.values())
    roster.close()

    # Sign in: the latest day with a shift of the team still to confirm, in a few clicks.
    with window.db.connect() as conn:
        S, A = Shift.__table__.c, ShiftAssignment.__table__.c
        people = select(func.count()).where(A.shift_id == S.id, A.deleted.is_(False)).scalar_subquery()
        shift_id, shift_day = conn.execute(
            select(S.id, S.day).where(S.deleted.is_(False), S.confirmed_at.is_(None), S.day <= day(), people > 0)
            .order_by(S.day.desc(), S.starts_at).limit(1)).first()
    sign_in = take_forms(tab, tab.sign_in_button)
    sign_in.go_to(shift_day)
    sign_in.select(shift_id)
    opened = []
    tab.form_opened.connect(opened.append)
    sign_in.open_button.click()
    form = opened[-1]
    assert form.shift_id == shift_id and form.table.rowCount() >= 1
    form.mark_all_present()
    with qtbot.waitSignal(form.saved):
        form.confirm_button.click()
    with window.db.connect() as conn:
        assert conn.execute(select(S.confirmed_at).where(S.id == shift_id)).scalar() is not None
    sign_in.select(shift_id)
    assert sign_in.shifts.currentItem().text(4).startswith("已确认")

    # Print the day's sign-in sheet and the team's roster through the preview.
    previews = []
    tab.preview_opened.connect(previews.append)
    sign_in.print_button.click()
    tab.print_roster(team, preview.preview.start, preview.preview.start + timedelta(days=6))
    assert len(previews) == 2
    qtbot.waitUntil(lambda: all(p.page_count() >= 1 for p in previews), timeout=10000)
    previews[0].save_to(tmp_path / "巡逻签到表.pdf")
    previews[1].save_to(tmp_path / "巡逻排班表.pdf")
    assert (tmp_path / "巡逻排班表.pdf").read_bytes().startswith(b"%PDF")
    for p in previews:
        p.close()
    sign_in.close()
