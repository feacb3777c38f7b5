"""Every patrol window on a 1366x768 laptop (1366x728 above the taskbar), in Chinese in the bundled font:
it opens no larger, and its save or main button is in view. With CPDESK_SHOTS=<folder> each is also
saved there as patrol_<name>.png, to be looked at."""

from __future__ import annotations

import os
from datetime import time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from app.patrol.attendance import add_finding
from app.patrol.changes import assign
from app.patrol.generation import preview_roster, save_roster
from app.patrol.schedule import ShiftValues, add_shift, make_shifts
from app.patrol.volunteers import add_leave
from tests.patrol.conftest import NEXT_MONDAY, TODAY, make_squad
from tests.patrol.test_ui_tab import open_tab
from ui.widgets import fit

LAPTOP = QRect(0, 0, 1366, 728)


@pytest.fixture(autouse=True)
def laptop(monkeypatch, program_language):
    monkeypatch.setattr(fit, "available_area", lambda _window: QRect(LAPTOP))
    program_language()


@pytest.fixture
def station(db, squad, officer):
    """The squad with a second route, next week generated (some shifts short), yesterday's shift to sign in."""
    make_squad(db, squad.team, size=4, first=10, route_name="文化广场重点路线", starts_at=time(8, 30),
               ends_at=time(10, 30), weekdays=(6, 7))
    make_shifts(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6), team_id=squad.team)
    save_roster(db, preview=preview_roster(db, start=NEXT_MONDAY, end=NEXT_MONDAY + timedelta(days=6),
                                           team_id=squad.team))
    shift = add_shift(db, values=ShiftValues(route_id=squad.route, team_id=squad.team, day=TODAY - timedelta(days=1),
                                             starts_at=time(19), ends_at=time(21), needed=3, needs_leader=True))
    for volunteer in (squad.leader, *squad.members[:2]):
        assign(db, shift_id=shift, volunteer_id=volunteer)
    add_finding(db, shift_id=shift, kind="hazard", text="云栖里东门路灯不亮，已告知物业。")
    add_leave(db, volunteer_id=squad.leader, starts_on=TODAY + timedelta(days=20), ends_on=TODAY + timedelta(days=25),
              reason="出差")
    return squad, shift


def shoot(qtbot, widget, name: str) -> None:
    if folder := os.environ.get("CPDESK_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        qtbot.wait(300)
        widget.grab().save(str(Path(folder) / f"patrol_{name}.png"))


def assert_fits(window, button) -> None:
    QApplication.processEvents()
    size = window.frameGeometry().size()
    assert size.width() <= LAPTOP.width() and size.height() <= LAPTOP.height(), f"{size.width()}x{size.height()}"
    assert button.isVisible() and not button.visibleRegion().isEmpty()
    assert window.rect().contains(QRect(button.mapTo(window, QPoint(0, 0)), button.size()))


WINDOWS = {
    "volunteer_form": lambda tab, s, shift: (f := tab.new_volunteer(s.team), f.save_button),
    "volunteer_edit_form": lambda tab, s, shift: (f := tab.edit_volunteer(s.leader), f.save_button),
    "team_form": lambda tab, s, shift: (f := tab.edit_team(s.team), f.save_button),
    "route_form": lambda tab, s, shift: (f := tab.edit_route(s.route), f.save_button),
    "template_form": lambda tab, s, shift: (f := tab.open_template(s.template), f.save_button),
    "shift_form": lambda tab, s, shift: (f := tab.new_shift(s.team, TODAY), f.save_button),
    "generate_form": lambda tab, s, shift: (f := tab.open_generate(s.team), f.save_button),
    "leave_form": lambda tab, s, shift: (tab.open_record("volunteer", s.leader), f := tab.open_leave(),
                                         f.save_button)[1:],
    "status_form": lambda tab, s, shift: (tab.open_record("volunteer", s.leader), f := tab.open_status(),
                                          f.save_button)[1:],
    "membership_form": lambda tab, s, shift: (tab.open_record("volunteer", s.leader),
                                              f := tab.open_membership(s.team), f.save_button)[1:],
    "roster_week": lambda tab, s, shift: (w := tab.open_roster(s.team, anchor=NEXT_MONDAY), w.generate_button),
    "roster_month": lambda tab, s, shift: (w := tab.open_roster(s.team, anchor=NEXT_MONDAY, mode="month"),
                                           w.print_button),
    "sign_in_day": lambda tab, s, shift: (w := tab.open_day(TODAY - timedelta(days=1)), w.open_button),
    "sign_in_form": lambda tab, s, shift: (f := tab.open_sign_in(shift), f.confirm_button),
}


@pytest.mark.parametrize("name", WINDOWS)
def test_every_patrol_window_fits_a_laptop_screen(qtbot, db, station, officer, name):
    squad, shift = station
    tab = open_tab(qtbot, db, officer_id=officer)
    window, button = WINDOWS[name](tab, squad, shift)
    qtbot.addWidget(window, before_close_func=lambda w: w.discard() if hasattr(w, "discard") else None)
    if name == "roster_week":
        window.select(next(s for cell in window.model.grid.shifts.values() for s in cell if s.missing).id)
    assert_fits(window, button)
    shoot(qtbot, window, name)


def test_the_tab_and_the_roster_preview_fit(qtbot, db, station, officer):
    squad, _shift = station
    tab = open_tab(qtbot, db, officer_id=officer)
    tab.resize(1366, 680)  # the main window's tab area on the laptop
    for view in ("volunteers", "teams", "routes"):
        tab.view.setCurrentIndex(tab.view.findData(view))
        tab.open_record({"volunteers": "volunteer", "teams": "volunteer_team", "routes": "patrol_route"}[view],
                        {"volunteers": squad.leader, "teams": squad.team, "routes": squad.route}[view])
        shoot(qtbot, tab, f"tab_{view}")
    with qtbot.waitSignal(tab.roster_previewed, timeout=10000) as shown:
        tab.generate(squad.team, NEXT_MONDAY + timedelta(days=7), NEXT_MONDAY + timedelta(days=13))
    preview = shown.args[0]
    qtbot.addWidget(preview)
    assert_fits(preview, preview.save_button)
    shoot(qtbot, preview, "preview")
