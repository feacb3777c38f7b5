"""The 工作台 gathers deadlines from every area, overdue first, and counts them."""

from __future__ import annotations

from datetime import date, time, timedelta

from app.enterprises.rectifications import rectifications_due
from app.patrol.worklist import shifts_on
from app.today import AgendaItem, agenda
from db.models import (
    Enterprise,
    EnterpriseRequest,
    PatrolRoute,
    Rectification,
    Shift,
    ShiftAssignment,
    Volunteer,
    VolunteerLeave,
    VolunteerTeam,
)
from tests.support.window import make_context

ON = date(2026, 11, 23)


def add_deadlines(db):
    with db.session() as s:
        enterprise = Enterprise(name="永安五金厂")
        team = VolunteerTeam(name="红袖标义警队")
        s.add_all([enterprise, team])
        s.flush()
        route = PatrolRoute(name="滨河夜巡线", team_id=team.id)
        s.add(route)
        s.flush()
        s.add_all([
            Rectification(enterprise_id=enterprise.id, problem="灭火器过期", deadline=date(2026, 11, 20)),
            Rectification(enterprise_id=enterprise.id, problem="监控不足", deadline=ON),
            Rectification(enterprise_id=enterprise.id, problem="消防通道堵塞", deadline=date(2026, 11, 25)),
            Rectification(enterprise_id=enterprise.id, problem="远期事项", deadline=date(2026, 12, 30)),
            Rectification(enterprise_id=enterprise.id, problem="已整改", deadline=date(2026, 11, 1),
                          done_on=date(2026, 11, 2)),
        ])
        shift = Shift(route_id=route.id, team_id=team.id, day=ON, starts_at=time(19), ends_at=time(21), needed=3)
        volunteer = Volunteer(team_id=team.id, name="赵大勇")
        s.add_all([shift, volunteer])
        s.flush()
        s.add(ShiftAssignment(shift_id=shift.id, volunteer_id=volunteer.id))
        s.commit()


def test_open_rectifications_due_soon_or_overdue_are_listed_done_and_distant_ones_not(db):
    add_deadlines(db)
    items = rectifications_due(db, on=ON)
    assert [(i.what.split("：")[1], i.state(ON)) for i in items] == [
        ("灭火器过期", "逾期3天"), ("监控不足", "今日到期"), ("消防通道堵塞", "2天后到期")]


def test_todays_shifts_show_assigned_against_needed(db):
    add_deadlines(db)
    [item] = shifts_on(db, on=ON)
    assert item.what == "缺2人：滨河夜巡线 19:00-21:00（已排1/需3人）" and item.state(ON) == "今日"
    assert shifts_on(db, on=date(2026, 11, 24)) == []


def test_agenda_puts_overdue_first(db):
    add_deadlines(db)
    assert [i.overdue_days(ON) for i in agenda(db, on=ON)] == [3, 0, 0, -2]


def test_agenda_item_states():
    item = AgendaItem("回访", "x", date(2026, 11, 22), "id", "revisit")
    assert (item.state(ON), item.state(date(2026, 11, 22)), item.state(date(2026, 11, 20))) == (
        "逾期1天", "今日到期", "2天后到期")


def test_today_tab_counts_and_colours_the_agenda(qtbot, db):
    from ui.today.tab import OVERDUE, TodayTab

    add_deadlines(db)
    tab = TodayTab()
    qtbot.addWidget(tab)
    with qtbot.waitSignals([tab.coverage_loaded, tab.tally_loaded], timeout=10000):
        tab.attach(make_context(db, today=ON))
    counts = {key: card.number.text() for key, card in tab.cards.items()}
    assert counts == {"overdue": "1", "due": "1", "soon": "1", "high_risk": "0", "patrol": "1", "coverage": "0%"}
    assert tab.model.rowCount() == 4
    from PySide6.QtCore import Qt

    assert tab.model.data(tab.model.index(0, 3), Qt.ItemDataRole.ForegroundRole) == OVERDUE
    assert "2026年11月23日 星期一" in tab.title.text()


def test_today_tab_shows_visit_coverage_per_grid(qtbot, db, sample_households):
    from ui.today.tab import TodayTab

    tab = TodayTab()
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.coverage_loaded, timeout=10000):
        tab.attach(make_context(db, today=ON))
    item = tab.coverage.topLevelItem(0)
    assert [item.text(i) for i in range(5)] == ["阳光社区", "（未分网格）", "3", "3", "100%"]
    assert tab.cards["coverage"].number.text() == "100%"


def test_a_revisit_in_two_days_is_on_the_agenda_as_coming_and_then_due(db):
    from app.disputes.revisits import schedule_revisit
    from tests.support.disputes import register

    dispute = register(db)
    schedule_revisit(db, dispute_id=dispute.id, days=2, today=ON)
    far = register(db, place="金桂苑")
    schedule_revisit(db, dispute_id=far.id, days=30, today=ON)
    [coming] = [item for item in agenda(db, on=ON) if item.kind == "回访"]
    assert (coming.record_id, coming.table, coming.state(ON)) == (dispute.id, "dispute", "2天后到期")
    assert [item.state(ON) for item in agenda(db, on=ON, soon_days=1) if item.kind == "回访"] == []
    [due] = [item for item in agenda(db, on=ON + timedelta(days=2)) if item.kind == "回访"]
    assert due.state(ON + timedelta(days=2)) == "今日到期"


# --- a city's agenda, a page at a time --------------------------------------------------------
def add_revisits(db) -> None:
    """Revisits on several days around ON (two on the first day, one done after ON: still open on it),
    beside add_deadlines' rectifications and shift."""
    from db.models import Revisit
    from tests.support.disputes import NOW, add_dispute

    due = [(date(2026, 11, 10), None), (date(2026, 11, 10), None), (date(2026, 11, 12), ON + timedelta(days=1)),
           (date(2026, 11, 15), None), (date(2026, 11, 20), None), (ON, None), (date(2026, 11, 26), None),
           (date(2026, 11, 11), ON - timedelta(days=1)), (date(2026, 12, 20), None)]  # done; too far
    ids = [add_dispute(db, number=f"2026-T01-{n:04d}", occurred=NOW - timedelta(days=60)) for n in range(len(due))]
    with db.session() as s:
        s.add_all([Revisit(dispute_id=i, due_on=day, done_on=done) for i, (day, done) in zip(ids, due, strict=True)])
        s.commit()


def pages(db, *, limit: int) -> list[list[AgendaItem]]:
    from app.today import next_page

    found, since = [], None
    while True:
        found.append(agenda(db, on=ON, since=since, limit=limit))
        if (since := next_page(found[-1], limit=limit)) is None:
            return found


def test_the_agenda_read_page_by_page_is_the_whole_agenda_in_its_order_no_day_split(db):
    add_deadlines(db)
    add_revisits(db)
    whole = agenda(db, on=ON)
    assert len(whole) == 11
    for limit in (1, 2, 3, 4, 10, 11, 12):
        read = pages(db, limit=limit)
        assert [item for page in read for item in page] == whole, limit
        assert all(len(page) >= limit for page in read[:-1]), limit
        days = [{item.due for item in page} for page in read]
        assert all(not before & after for before, after in zip(days, days[1:], strict=False)), limit


def test_a_page_of_revisits_reads_only_the_whole_days_of_its_first_items(db):
    from app.disputes.revisits import revisits_due

    add_revisits(db)
    assert [i.due for i in revisits_due(db, on=ON, limit=1)] == [date(2026, 11, 10)] * 2
    assert [i.due for i in revisits_due(db, on=ON, limit=3)] == [date(2026, 11, 10)] * 2 + [date(2026, 11, 12)]
    assert [i.due for i in revisits_due(db, on=ON, since=date(2026, 11, 13), limit=2)] == [
        date(2026, 11, 15), date(2026, 11, 20)]
    assert len(revisits_due(db, on=ON)) == len(revisits_due(db, on=ON, limit=100)) == 7


def test_the_tally_counts_every_page_of_the_agenda(db):
    from app.today import Tally, tally

    add_deadlines(db)
    add_revisits(db)
    assert tally(db, on=ON) == Tally.of(agenda(db, on=ON), on=ON) == Tally(overdue=6, due=2, soon=2, appointments=1)


def test_today_tab_lists_a_first_page_fetches_the_rest_as_it_scrolls_and_counts_them_all(qtbot, db, monkeypatch):
    import ui.today.tab
    from ui.today.tab import TodayTab

    monkeypatch.setattr(ui.today.tab, "PAGE", 3)
    add_deadlines(db)
    add_revisits(db)
    tab = TodayTab()
    qtbot.addWidget(tab)
    with qtbot.waitSignals([tab.agenda_loaded, tab.tally_loaded], timeout=10000):
        tab.attach(make_context(db, today=ON))
    model = tab.model
    assert model.rowCount() == 3 and model.canFetchMore()
    counts = {key: tab.cards[key].number.text() for key in ("overdue", "due", "soon", "patrol")}
    assert counts == {"overdue": "6", "due": "2", "soon": "2", "patrol": "1"}  # of all 11, not the page's 3
    while model.canFetchMore():
        model.fetchMore()
    assert [model.item(row) for row in range(model.rowCount())] == agenda(db, on=ON)
    with qtbot.waitSignal(tab.tally_loaded, timeout=10000):
        tab.refresh()
    assert model.rowCount() == 3 and tab.cards["overdue"].number.text() == "6"


def add_many_days(db):
    """Each paged worklist's rows over several days, some days holding two (a page must not split them)."""
    with db.session() as s:
        enterprise, team = Enterprise(name="永安五金厂"), VolunteerTeam(name="红袖标义警队")
        s.add_all([enterprise, team])
        s.flush()
        route = PatrolRoute(name="滨河夜巡线", team_id=team.id)
        volunteer = Volunteer(team_id=team.id, name="赵大勇", trained_on=date(2026, 1, 1))
        s.add_all([route, volunteer])
        s.flush()
        for days_ago in (9, 7, 7, 4, 2, 2, 1):
            day = ON - timedelta(days=days_ago)
            s.add_all([Shift(route_id=route.id, team_id=team.id, day=day, starts_at=time(19), ends_at=time(21)),
                       Rectification(enterprise_id=enterprise.id, problem=f"隐患{days_ago}", deadline=day),
                       EnterpriseRequest(enterprise_id=enterprise.id, raised_on=day - timedelta(days=3),
                                         content=f"诉求{days_ago}", due_on=day)])
        for days_ahead in (0, 3, 3, 6):
            s.add(VolunteerLeave(volunteer_id=volunteer.id, starts_on=ON - timedelta(days=5),
                                 ends_on=ON + timedelta(days=days_ahead)))
        s.commit()


def test_every_worklist_read_for_a_page_holds_what_that_page_of_its_whole_list_holds(db):
    """A worklist asked for a page (``since``, ``limit``) may read less than its whole list, but never
    less than whole_days cuts from it: every row of the page's days, none split off."""
    from app.areas import AREAS, resolve
    from app.today import whole_days

    add_many_days(db)
    add_revisits(db)
    for area in (area for area in AREAS if area.worklist):
        worklist = resolve(area.worklist)
        whole = sorted(worklist(db, on=ON), key=lambda item: (item.due, item.kind, item.what))
        assert len({item.due for item in whole}) > 3, area.key  # several days to page through
        for since in (None, *sorted({item.due for item in whole})):
            for limit in range(1, len(whole) + 2):
                page = sorted(worklist(db, on=ON, since=since, limit=limit),
                              key=lambda item: (item.due, item.kind, item.what))
                assert whole_days(page, since=since, limit=limit) == whole_days(whole, since=since, limit=limit), (
                    area.key, since, limit)


def test_a_page_of_a_long_worklist_reads_only_its_first_days(db):
    from app.enterprises.worklist import enterprise_worklist
    from app.patrol.worklist import patrol_worklist

    add_many_days(db)
    assert {i.due for i in enterprise_worklist(db, on=ON, limit=1)} == {ON - timedelta(days=9)}
    page = patrol_worklist(db, on=ON, since=ON - timedelta(days=8), limit=2)
    assert [i.due for i in page if i.table == "shift"] == [ON - timedelta(days=7)] * 2  # one day's two shifts
    assert [i.due for i in page if i.table == "volunteer"] == [ON, ON + timedelta(days=3), ON + timedelta(days=3)]


def test_each_areas_own_tally_counts_what_its_worklist_lists(db):
    from app.areas import AREAS, resolve
    from app.today import Tally

    add_many_days(db)
    add_revisits(db)
    areas = [area for area in AREAS if area.tally]
    assert areas
    for area in areas:
        for on in (ON - timedelta(days=8), ON, ON + timedelta(days=5)):
            for soon_days in (0, 7):
                listed = resolve(area.worklist)(db, on=on, soon_days=soon_days)
                assert resolve(area.tally)(db, on=on, soon_days=soon_days) == Tally.of(listed, on=on), (area.key, on)
