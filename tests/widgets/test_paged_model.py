"""The paged table model: valid for Qt's model tester, fetches page by page, filters in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from ui.widgets.paged_model import ID_ROLE, Column, PagedTableModel


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    n: int


ROWS = [Row(id=f"{i:04d}", name=f"住户{i}", n=i) for i in range(250)]


class FakeService:
    """Stands in for a service: answers pages like SQL would, and counts the calls."""

    def __init__(self) -> None:
        self.calls = []

    def __call__(self, *, text, sort, descending, offset, limit):
        self.calls.append((text, sort, descending, offset, limit))
        rows = [r for r in ROWS if text in r.name]
        rows.sort(key=lambda r: r.n, reverse=descending)
        return rows[offset:offset + limit]


def make_model(service=None) -> PagedTableModel:
    columns = [Column("名称", "name", sort_key="n"), Column("序号", "n")]
    return PagedTableModel(columns, service or FakeService(), page_size=100)


def test_model_passes_qt_model_tester(qtmodeltester):
    model = make_model()
    model.reload()
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    qtmodeltester.check(model, force_py=True)


def test_rows_arrive_one_page_at_a_time_until_the_last():
    service = FakeService()
    model = make_model(service)
    model.reload()
    assert model.rowCount() == 100 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 250 and not model.canFetchMore()
    assert [c[3] for c in service.calls] == [0, 100, 200]


def test_filter_is_handed_to_the_service_and_restarts_paging():
    service = FakeService()
    model = make_model(service)
    model.reload()
    model.set_filter(" 住户12 ")
    assert service.calls[-1] == ("住户12", "n", False, 0, 100)
    assert [model.data(model.index(i, 0)) for i in range(model.rowCount())] == [
        "住户12", "住户120", "住户121", "住户122", "住户123", "住户124", "住户125", "住户126", "住户127",
        "住户128", "住户129",
    ]


def test_sorting_a_sortable_column_asks_the_service_and_others_are_ignored():
    service = FakeService()
    model = make_model(service)
    model.reload()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "住户249"
    calls = len(service.calls)
    model.sort(1)  # not sortable in SQL
    assert len(service.calls) == calls


def test_id_role_and_headers():
    model = make_model()
    model.reload()
    assert model.data(model.index(3, 0), ID_ROLE) == "0003"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "序号"
    assert model.row_of("0003") == 3 and model.row_id(999) is None
