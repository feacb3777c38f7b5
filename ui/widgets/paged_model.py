"""A table model fed page by page from a service; filtering and sorting happen in SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's database id
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the whole row object

# fetch(text=, sort=, descending=, offset=, limit=) -> rows
Fetch = Callable[..., Sequence[Any]]


@dataclass(frozen=True)
class Column:
    title: str  # already translated
    attr: str  # attribute of the row object
    sort_key: str | None = None  # the service's sort key; None = not sortable
    fmt: Callable[[Any], str] = lambda v: "" if v is None else str(v)
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class Paging:
    """The paging, filter and sort of a list fed by a service, over ``self._rows`` (the service's rows):
    mixed into a Qt model class, which adds how rows become cells (``fetchMore``, ``reload``)."""

    def _init_paging(self, columns: Sequence[Column], fetch: Fetch, page_size: int) -> None:
        self._columns = list(columns)
        self._fetch = fetch
        self._page_size = page_size
        self._first_page = page_size
        self._rows: list[Any] = []
        self._exhausted = True
        self._text = ""
        self._sort: str | None = next((c.sort_key for c in self._columns if c.sort_key), None)
        self._descending = False

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the service's (SQL): the list is fetched again in the new order."""
        key = self._columns[column].sort_key if 0 <= column < len(self._columns) else None
        if key is None:
            return
        self._sort, self._descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    # --- what the tab asks --------------------------------------------------------------
    def is_sortable(self, column: int) -> bool:
        return self._columns[column].sort_key is not None

    def set_first_page(self, rows: int) -> None:
        """Fetch only ``rows`` (at most a page) when the list is (re)loaded; the rest as the view scrolls."""
        self._first_page = max(1, min(rows, self._page_size))

    def set_filter(self, text: str) -> None:
        if text.strip() != self._text:
            self._text = text.strip()
            self.reload()

    def row_id(self, row: int) -> str | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == row_id), None)

    def _page(self, offset: int, limit: int | None = None) -> list[Any]:
        limit = limit or self._page_size
        rows = list(
            self._fetch(text=self._text, sort=self._sort, descending=self._descending, offset=offset, limit=limit)
        )
        self._exhausted = len(rows) < limit
        return rows


class PagedTableModel(Paging, QAbstractTableModel):
    """Rows arrive ``page_size`` at a time as the view scrolls (canFetchMore/fetchMore); a (re)load
    fetches ``first_page`` rows (``set_first_page``: a screenful is what the officer waits for)."""

    reloaded = Signal()  # after the filter or sort changed and the first page is in

    def __init__(self, columns: Sequence[Column], fetch: Fetch, *, page_size: int = 100, parent=None) -> None:
        super().__init__(parent)
        self._init_paging(columns, fetch, page_size)

    # --- what the views ask -------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.fmt(getattr(row, column.attr))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self._columns):
                return self._columns[section].title
        return None

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        page = self._page(len(self._rows))
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self._rows = self._page(0, self._first_page)
        self.endResetModel()
        self.reloaded.emit()
