"""A list's table model whose cells Qt holds (the household and dispute lists): the lists' paging
(ui.widgets.paged_model.Paging) over cells Qt keeps itself, so a paint of the list never calls into Python."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from ui.widgets.paged_model import Column, Fetch, Paging

_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled  # a QAbstractTableModel's, read-only
_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter  # the delegate's, where a cell sets none


class HeldTableModel(Paging, QStandardItemModel):
    """What PagedTableModel offers the tab and the view (the same ``Paging``: filter, sort,
    ``row_id``/``row_of``; and ``reloaded``), with each cell's text formatted once as its row arrives
    and held by Qt.

    Why not PagedTableModel: a screenful of the list (29 rows x 8 columns) is painted with ~1,600
    ``data()`` calls (seven roles a cell) and ~500 ``rowCount``/``columnCount`` calls, each a call
    from C++ into Python: 10.5 ms of CPU a paint at station scale (8.4 with the texts formatted
    once) against 3.8 ms when Qt holds the cells, and the list is painted after every search,
    scroll and click. Filling the cells of a 40-row page costs ~0.7 ms. The rows' ids are had by
    ``row_id`` (no ID_ROLE/ROW_ROLE: the lists that use it never ask for them)."""

    reloaded = Signal()  # after the filter or sort changed and the first page is in

    def __init__(self, columns: Sequence[Column], fetch: Fetch, *, page_size: int = 100, parent=None) -> None:
        super().__init__(0, len(columns), parent)
        self._init_paging(columns, fetch, page_size)
        self.setHorizontalHeaderLabels([column.title for column in self._columns])
        prototype = QStandardItem()
        prototype.setFlags(_FLAGS)
        self.setItemPrototype(prototype)  # every cell is a C++ copy of it (``_fill``)

    # --- rows into cells (rowCount, columnCount, data: Qt's own) --------------------------
    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        page = self._page(len(self._rows))
        if page:
            first = len(self._rows)
            self._rows.extend(page)
            self.insertRows(first, len(page))  # one rowsInserted for the page
            self._fill(first, page)
            self.dataChanged.emit(self.index(first, 0), self.index(first + len(page) - 1, len(self._columns) - 1))

    def reload(self) -> None:
        self._exhausted = False
        rows = self._page(0, self._first_page)
        self.beginResetModel()
        # Inside the reset the views listen to nothing but its end: the rows go in unannounced.
        blocked = self.blockSignals(True)
        try:
            self._rows = rows
            self.setRowCount(0)
            self.setRowCount(len(rows))
            self._fill(0, rows)
        finally:
            self.blockSignals(blocked)
        self.endResetModel()
        self.reloaded.emit()

    # --- inside ---------------------------------------------------------------------------
    def _fill(self, first: int, rows: list[Any]) -> None:
        """The cells of ``rows``, from row ``first`` on (rows already inserted), without signals.

        Set through the model, not made as QStandardItem here: Qt then makes each cell from the
        prototype (``_FLAGS``) in C++, where an item made in Python is a wrapper that asks Python
        for an override at every ``flags()`` and ``data()`` (thousands a paint)."""
        blocked = self.blockSignals(True)
        try:
            display, align_role = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole
            cells = [(n, column.attr, column.fmt, None if column.align == _ALIGN else column.align)
                     for n, column in enumerate(self._columns)]
            for r, row in enumerate(rows, first):
                for n, attr, fmt, align in cells:
                    index = self.index(r, n)
                    self.setData(index, fmt(getattr(row, attr)), display)
                    if align is not None:
                        self.setData(index, align, align_role)
        finally:
            self.blockSignals(blocked)
