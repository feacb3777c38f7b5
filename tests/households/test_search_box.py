"""The 入户走访 search box: its list model shows and pages exactly as the shared PagedTableModel does,
a search shows the list and the first household's detail, and the head of the list the search
keeps between searches is read again after any write."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from unittest import mock

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.households import search
from app.households.service import household_detail, search_households
from db.models import Community, Household
from ui.widgets.held_model import HeldTableModel
from ui.widgets.paged_model import Column, PagedTableModel


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    n: int
    seen: date | None


ROWS = [Row(id=f"{i:04d}", name=f"住户{i}", n=i, seen=date(2026, 1, 1 + i % 28) if i % 3 else None)
        for i in range(250)]
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COLUMNS = [Column("名称", "name", sort_key="n"), Column("序号", "n", align=RIGHT),
           Column("走访", "seen", fmt=lambda d: d.isoformat() if d else "—")]


def service(*, text, sort, descending, offset, limit):
    rows = sorted((r for r in ROWS if text in r.name), key=lambda r: r.n, reverse=descending)
    return rows[offset:offset + limit]


def shown(model) -> list[tuple]:
    """Every cell's text and alignment, row by row, and whether more can be fetched."""
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole)
    cells = [tuple(_plain(model.data(model.index(r, c), role)) for c in range(model.columnCount()) for role in roles)
             for r in range(model.rowCount())]
    return [*cells, ("more", model.canFetchMore())]


def _plain(value):
    """An alignment as an int, whichever way the model gives it; the delegate's default where none."""
    if value is None:
        return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return value if isinstance(value, str) else int(value)


def both() -> tuple[HeldTableModel, PagedTableModel]:
    ours, shared = HeldTableModel(COLUMNS, service), PagedTableModel(COLUMNS, service)
    for model in (ours, shared):
        model.set_first_page(40)
        model.reload()
    return ours, shared


def test_the_household_model_passes_qt_model_tester(qtmodeltester):
    model, _shared = both()
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model, force_py=True)


def test_the_household_model_shows_pages_filters_and_sorts_as_the_paged_model():
    ours, shared = both()
    assert shown(ours) == shown(shared) and ours.rowCount() == 40
    for step in (lambda m: m.fetchMore(), lambda m: m.set_filter(" 住户1 "), lambda m: m.fetchMore(),
                 lambda m: m.sort(0, Qt.SortOrder.DescendingOrder), lambda m: m.sort(1),
                 lambda m: m.set_filter("没有"), lambda m: m.set_filter("")):
        step(ours)
        step(shared)
        assert shown(ours) == shown(shared)
        assert [ours.row_id(r) for r in range(-1, ours.rowCount() + 1)] == \
               [shared.row_id(r) for r in range(-1, shared.rowCount() + 1)]
    assert ours.row_of("0246") == shared.row_of("0246") == 3 and ours.row_of("x") is None  # sorted descending
    assert [ours.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["名称", "序号", "走访"]


def test_the_household_list_cells_are_selectable_not_editable():
    model, _shared = both()
    flags = model.flags(model.index(5, 1))
    assert flags & Qt.ItemFlag.ItemIsSelectable and flags & Qt.ItemFlag.ItemIsEnabled
    assert not flags & Qt.ItemFlag.ItemIsEditable


def test_a_reload_is_announced_once_with_its_rows_in():
    model, _shared = both()
    counts = []
    model.reloaded.connect(lambda: counts.append(model.rowCount()))
    model.set_filter("住户2")
    assert counts == [40]


def test_enter_in_the_search_box_shows_the_list_and_the_first_households_detail(qtbot, tab, db, sample_households):
    tab.search.setText("阳光花园")
    tab.search.returnPressed.emit()
    assert tab.model.rowCount() == 2 and tab.count_label.text() == "2 条"
    first = search_households(db, text="阳光花园")[0]
    assert tab.table.selectionModel().isRowSelected(0) and tab.current_household_id() == first.id
    assert tab.detail.title.text() == first.address == tab.model.data(tab.model.index(0, 0))
    assert tab.detail.detail == household_detail(db, first.id, today=tab.today())
    tab.search.setText("没有这户")
    tab.search.returnPressed.emit()
    assert tab.model.rowCount() == 0 and tab.detail.detail is None and tab.count_label.text() == "0 条"


def test_the_head_of_the_list_is_read_again_after_a_write_here_or_elsewhere(db, sample_households):
    from db.engine import Database

    other = Database.open(db.path)
    try:
        with mock.patch.object(search, "WINDOW", 2), db.connect() as conn:
            before = search.head_of_list(conn, descending=False)
            assert search.head_of_list(conn, descending=False) == before
            with other.session() as s:  # another connection, as another window or a sync would
                community = s.execute(select(Community)).scalars().first()
                s.add(Household(community_id=community.id, estate="A区", room="1"))
                s.commit()
            moved = search.head_of_list(conn, descending=False)
            assert moved != before
            conn.exec_driver_sql("UPDATE household SET estate = '龥区' WHERE estate = 'A区'")  # here: now last
            assert search.head_of_list(conn, descending=False) == before
    finally:
        other.close()


def test_a_search_fetches_the_rows_the_list_has_room_for_and_more_as_it_grows(qtbot, tab):
    from ui.widgets.base_tab import FIRST_ROWS

    asked: list[int] = []
    fetch = tab.model._fetch
    tab.model._fetch = lambda **page: asked.append(page["limit"]) or fetch(**page)
    room = tab.table.viewport().height() // tab.table.verticalHeader().defaultSectionSize()
    tab.search.setText("阳光")
    tab.search.returnPressed.emit()
    assert asked == [room + 2] and room + 2 < FIRST_ROWS
    tab.resize(tab.width(), tab.height() + 200)
    qtbot.waitUntil(lambda: tab.table.viewport().height() // tab.table.verticalHeader().defaultSectionSize() > room)
    tab.refresh()  # as after a change: the taller list is filled at once
    assert asked[-1] > room + 2


def test_the_list_and_detail_draw_their_text_unshaped_in_the_inherited_font(tab):
    from PySide6.QtGui import QFont

    for widget in (tab.table, tab.detail.residents):
        assert widget.font().styleStrategy() & QFont.StyleStrategy.PreferNoShaping
        assert widget.font().family() == tab.font().family() and widget.font().pointSize() == tab.font().pointSize()


def test_the_detail_columns_fit_the_widest_text_and_do_not_shrink_for_a_shorter_one(tab, db, sample_households):
    pane, residents = tab.detail, tab.detail.residents
    detail = household_detail(db, sample_households[0])
    long_name = [replace(detail.residents[0], name="欧阳娜娜娜娜娜")]
    pane.show_household(replace(detail, residents=long_name))
    metrics = residents.fontMetrics()
    for column in range(residents.columnCount() - 1):
        assert residents.columnWidth(column) >= metrics.horizontalAdvance(residents.topLevelItem(0).text(column))
    widths = [residents.columnWidth(c) for c in range(residents.columnCount())]
    pane.show_household(detail)  # 张伟: a shorter name
    assert [residents.columnWidth(c) for c in range(residents.columnCount())] == widths
