"""Every 一企一警 form and dialog fits a 1366x768 laptop (1366x728 above the taskbar), in Chinese in the
bundled font, with its save button in view; so does the tab. With CPDESK_SHOTS=<folder> each is also
saved there as <name>.png, to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QPushButton

from app.enterprises.inspections import inspection_record
from app.enterprises.liaison import RequestValues, add_request, requests_of
from app.enterprises.rectifications import rectifications_of
from tests.enterprises.conftest import TODAY
from tests.support.window import make_context
from ui.enterprises.tab import EnterprisesTab
from ui.widgets import fit

LAPTOP = QRect(0, 0, 1366, 728)


@pytest.fixture(autouse=True)
def laptop(monkeypatch, program_language):
    monkeypatch.setattr(fit, "available_area", lambda _window: QRect(LAPTOP))
    program_language()


@pytest.fixture
def tab(qtbot, db, officer, second_officer, enterprise, failed_inspection):
    add_request(db, enterprise_id=enterprise, values=RequestValues(TODAY, "希望协调增设监控", TODAY), today=TODAY)
    tab = EnterprisesTab()
    qtbot.addWidget(tab)
    tab.resize(1366, 728 - 60)  # the window's tab page: less the menu, the tab bar and the status bar
    tab.show()
    tab.attach(make_context(db, officer_id=officer, today=TODAY))
    tab.open_record("inspection", failed_inspection)
    return tab


def _save(form):
    return form, form.save_button


def _request(tab):
    from ui.enterprises.liaison_forms import AnswerForm

    request = requests_of(tab.db, enterprise_id=tab.current_id)[0]
    return _save(AnswerForm(tab.db, request=request, parent=tab))


def _recheck(tab, inspection_id):
    from ui.enterprises.flow_forms import RecheckForm

    return _save(RecheckForm(tab.db, record=inspection_record(tab.db, inspection_id=inspection_id),
                             items=rectifications_of(tab.db, inspection_id=inspection_id), officers=["王警官"],
                             parent=tab))


def _year(tab):
    dialog = tab.open_year_view()
    return dialog, next(b for b in dialog.findChildren(QPushButton) if b.text() == "关闭")


FORMS = {
    "enterprise_form": lambda tab, _i: _save(tab.new_enterprise()),
    "assign_form": lambda tab, _i: _save(tab.open_assign()),
    "liaison_form": lambda tab, _i: _save(tab.open_liaison()),
    "request_form": lambda tab, _i: _save(tab.open_request()),
    "answer_form": lambda tab, _i: _request(tab),
    "hire_check_form": lambda tab, _i: _save(tab.open_hire_check()),
    "hire_list_form": lambda tab, _i: _save(tab.open_hire_list()),
    "checklist_form": lambda tab, _i: _save(tab.flow.open_inspection()),
    "notice_form": lambda tab, i: _save(tab.flow.open_notice(i)),
    "recheck_form": _recheck,
    "record_view": lambda tab, i: (dialog := tab.flow.open_record(i), dialog.print_button),
    "year_view": lambda tab, _i: _year(tab),
    "checklist_editor": lambda tab, _i: _save(tab.open_checklist_editor()),
}


def shoot(qtbot, widget, name: str) -> None:
    if folder := os.environ.get("CPDESK_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        qtbot.wait(200)
        widget.grab().save(str(Path(folder) / f"enterprises_{name}.png"))


@pytest.mark.parametrize("name", FORMS)
def test_every_form_fits_a_laptop_with_its_button_in_view(qtbot, tab, failed_inspection, name):
    dialog, button = FORMS[name](tab, failed_inspection)
    qtbot.addWidget(dialog, before_close_func=lambda f: f.discard() if hasattr(f, "discard") else None)
    dialog.show()
    QApplication.processEvents()
    size = dialog.frameGeometry().size()
    assert size.width() <= LAPTOP.width() and size.height() <= LAPTOP.height(), f"{size.width()}x{size.height()}"
    assert button.isVisible() and not button.visibleRegion().isEmpty()
    assert dialog.rect().contains(QRect(button.mapTo(dialog, QPoint(0, 0)), button.size()))
    shoot(qtbot, dialog, name)


def test_the_tab_shows_its_list_and_detail_at_laptop_size(qtbot, tab):
    QApplication.processEvents()
    pane = tab.detail
    for button in (pane.notice_button, pane.recheck_button, pane.inspect_button, tab.year_button):
        assert not button.visibleRegion().isEmpty(), button.text()
    assert tab.table.isColumnHidden(0) is False and tab.table.columnWidth(0) <= 260
    shoot(qtbot, tab, "tab")
