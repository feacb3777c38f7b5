"""What every area's tab shares (``AreaTab``: attach to a context, refresh on a change of the tables it
shows and when the day turns) and the shape of a list tab (``BaseTab``: a search box, a paged table,
and a detail pane)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.ops import changes
from ui.widgets.paged_model import PagedTableModel

if TYPE_CHECKING:
    from ui.shell.context import Context

SEARCH_DELAY_MS = 200  # filter as you type, but not on every keystroke
SAMPLE_ROWS = 30  # rows a column's width is measured on
FIRST_ROWS = 40  # rows a list loads first: a screenful at 1080p; more arrive as it scrolls
WIDEST_COLUMN = 320  # px: a long address or list of parties is cut (its tooltip and the detail show it)


def fit_columns(table: QTableView, *, sample: int = SAMPLE_ROWS, widest: int = WIDEST_COLUMN) -> None:
    """Size each column to its header and its first ``sample`` rows, at most ``widest``.

    Qt's resizeColumnsToContents asks every loaded row of a hidden table for every role (7,200
    data() calls, ~250 ms for the dispute list at station scale); the text and font of a sample
    is enough to size a column."""
    model, header = table.model(), table.horizontalHeader()
    if model is None:
        return
    base = table.font()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 8
    metrics: dict[str, QFontMetrics] = {}
    rows = min(model.rowCount(), sample)
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        width = header.sectionSizeHint(column)
        for row in range(rows):
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not text:
                continue
            font = index.data(Qt.ItemDataRole.FontRole)
            font = font.resolve(base) if isinstance(font, QFont) else base
            fm = metrics.setdefault(font.key(), QFontMetrics(font))
            width = max(width, fm.horizontalAdvance(str(text)) + margin)
        header.resizeSection(column, min(width, widest))


class AreaTab:
    """What the main window asks of an area's tab (it builds them from app/areas.py): ``Tab(parent)``,
    then ``attach(context)`` once the database is open, ``detach()`` before it is closed.

    ``shows`` names the tables the tab displays: when an operation announces a change of one of
    them (ui.widgets.ops.changes), ``data_changed(tables)`` runs, a ``refresh()`` by default; the
    tab's own announcements are left to it. When the day turns, ``day_turned(day)`` runs, a
    ``refresh()`` too. Optional: ``open_record(table, id)`` for the tables the area ``opens``,
    ``can_close()`` before the window closes, ``menu_title``/``menu_actions()`` for a menu of its own
    (its items are asked for when the menu first opens, building the tab if it was not yet).
    A mixin before QWidget: ``class XTab(AreaTab, QWidget)``."""

    shows: tuple[str, ...] = ()
    warms: tuple[str, ...] = ()  # modules its attach and first page import inside functions (ui/shell/warm.py)
    context: Context | None = None

    @property
    def db(self):
        return self.context.db if self.context is not None else None

    @property
    def officer_id(self) -> str | None:
        """The officer logged in: stamps what he saves."""
        return self.context.officer_id if self.context is not None else None

    def today(self) -> date:
        return self.context.today() if self.context is not None else date.today()

    def attach(self, context: Context) -> None:
        self.detach()
        self.context = context
        self._listening = [(changes.data_changed, self._heard)]
        if context.day is not None:
            self._listening.append((context.day.day_turned, self.day_turned))
        for signal, slot in self._listening:
            signal.connect(slot)

    def detach(self) -> None:
        """Stop listening (the database is about to close); the tab is thrown away after."""
        for signal, slot in getattr(self, "_listening", ()):
            signal.disconnect(slot)
        self._listening = []

    def refresh(self) -> None:
        raise NotImplementedError

    @staticmethod
    def warm_up(db, today: date) -> None:
        """Optional, no Qt: the services the tab's first showing calls, run once on a worker while the
        window idles after the login (ui/shell/tabs.py), their results dropped: SQLAlchemy compiles a
        statement the first time it runs (~30 ms for a dispute's detail), better there than on the UI
        thread when the officer opens the tab."""

    def when_listed(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the tab shows its first page: at once for a tab that lists as it
        attaches; a tab loading it on a worker (the 工作台) calls it when it is in."""
        callback()

    def data_changed(self, tables: frozenset[str]) -> None:
        self.refresh()

    def day_turned(self, day: date) -> None:
        self.refresh()

    def _heard(self, tables: frozenset[str], source: object) -> None:
        if source is not self and self.context is not None and changes.touches(tables, self.shows):
            self.data_changed(tables)


class BaseTab(AreaTab, QWidget):
    """A tab listing one kind of record. Subclasses give the model and the detail pane.

    ``attach(context)`` is called once the database is open (after the window first painted);
    until then the tab shows its empty list.
    """

    selected = Signal(str)  # record id

    def __init__(self, *, search_hint: str, parent=None) -> None:
        super().__init__(parent)
        self.model: PagedTableModel | None = None

        self.search = QLineEdit(self, placeholderText=search_hint, clearButtonEnabled=True)
        self.search.setObjectName("search")
        self.count_label = QLabel(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._apply_search)

        self.table = QTableView(self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.detail = self.make_detail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self._split_done = False

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

    # --- for subclasses -----------------------------------------------------------------
    def make_model(self, db) -> PagedTableModel:
        raise NotImplementedError

    def make_detail(self) -> QWidget:
        raise NotImplementedError

    def show_detail(self, record_id: str | None) -> None:
        raise NotImplementedError

    # --- shared behaviour ---------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._split_done:  # start at 3:2, whatever the panes' size hints ask for
            self._split_done = True
            width = self.splitter.width()
            self.splitter.setSizes([width * 3 // 5, width - width * 3 // 5])

    def attach(self, context: Context) -> None:
        super().attach(context)
        db = context.db
        self.model = self.make_model(db)
        self.model.set_first_page(FIRST_ROWS)  # what the officer waits for; a page costs ~0.5 ms a row
        self.table.setModel(self.model)
        self._sort_column, self._sort_order = 0, Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.reloaded.connect(self._after_reload)
        self.refresh()
        fit_columns(self.table)  # once, on the first page: widths then stay put

    def refresh(self) -> None:
        if self.model is not None:
            self.model.reload()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        if self.model is not None:
            self.model.set_filter(self.search.text())

    def _sort_by(self, column: int) -> None:
        # Sorting is SQL work: the model re-queries; columns SQL cannot sort stay inert.
        header = self.table.horizontalHeader()
        if not self.model.is_sortable(column):
            header.setSortIndicator(self._sort_column, self._sort_order)
            return
        same = column == self._sort_column and self._sort_order == Qt.SortOrder.AscendingOrder
        order = Qt.SortOrder.DescendingOrder if same else Qt.SortOrder.AscendingOrder
        self._sort_column, self._sort_order = column, order
        header.setSortIndicator(column, order)
        self.model.sort(column, order)

    def _after_reload(self) -> None:
        more = "+" if self.model.canFetchMore() else ""
        self.count_label.setText(self.tr("{n}{more} 条").format(n=self.model.rowCount(), more=more))
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.show_detail(None)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        record_id = self.model.row_id(rows[0].row()) if rows else None
        self.show_detail(record_id)
        if record_id:
            self.selected.emit(record_id)
