"""年度统计: the station's year (inspections, failed items, rectified on time, requests answered), the same
per enterprise and per 包企民警, and the list the year-end 评选 (守护星 …) starts from."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.enterprises.stats import YearCounts, YearView, format_rate, selection_list, year_view
from ui.widgets.fit import FitsScreen
from ui.widgets.messages import HINT_STYLE
from ui.widgets.ops import Op

FIGURE_STYLE = "font-size: 20px; font-weight: bold;"
FIGURES = (("inspections", "检查次数"), ("items_failed", "不合格项目"), ("rectifications_due", "到期隐患"),
           ("on_time_rate", "按期整改率"), ("to_enforcement", "转执法办案"), ("requests", "诉求"),
           ("answered_rate", "诉求答复率"), ("liaison_visits", "联络次数"))
COUNT_HEADERS = ("检查", "不合格项", "到期隐患", "按期整改", "按期整改率", "转执法", "诉求", "已答复", "答复率")
NUMBER_ROLE = Qt.ItemDataRole.UserRole  # what a column sorts by
NARROW = 74  # a column of figures


class _SortedItem(QTreeWidgetItem):
    """Sorts numbers as numbers ("—" rates last)."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, NUMBER_ROLE), other.data(column, NUMBER_ROLE)
        if mine is None or theirs is None:
            return self.text(column) < other.text(column)
        return mine < theirs


def _counts(c: YearCounts) -> list[tuple[str, float]]:
    rate = lambda r: (format_rate(r), -1.0 if r is None else r)  # noqa: E731
    return [(str(c.inspections), c.inspections), (str(c.items_failed), c.items_failed),
            (str(c.rectifications_due), c.rectifications_due), (str(c.rectified_on_time), c.rectified_on_time),
            rate(c.on_time_rate), (str(c.to_enforcement), c.to_enforcement), (str(c.requests), c.requests),
            (str(c.requests_answered), c.requests_answered), rate(c.answered_rate)]


def _tree(parent: QWidget, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setHeaderLabels(headers)
    return tree


def _add(tree: QTreeWidget, texts: list[str], numbers: list[tuple[str, float]], record_id: str = "") -> None:
    item = _SortedItem([*texts, *(text for text, _n in numbers)])
    item.setData(0, Qt.ItemDataRole.UserRole + 1, record_id)
    for column, (_text, number) in enumerate(numbers, len(texts)):
        item.setData(column, NUMBER_ROLE, number)
        item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    tree.addTopLevelItem(item)


class YearViewDialog(FitsScreen, QDialog):
    """``loaded`` once a year's figures are shown; ``open_requested(enterprise id)`` on a double-click."""

    loaded = Signal()
    open_requested = Signal(str)

    def __init__(self, db, *, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("一企一警年度统计与评选"))
        self.db, self.today, self.view = db, today, None
        self.year = QSpinBox(self)
        self.year.setRange(2000, today.year)
        self.year.setValue(today.year)
        self.year.setSuffix(self.tr(" 年"))
        self.year.valueChanged.connect(self.reload)
        self.state = QLabel(self, styleSheet=HINT_STYLE)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年度"), self))
        top.addWidget(self.year)
        top.addWidget(self.state, 1)

        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, (key, title) in enumerate(FIGURES):
            figure = QLabel("—", self, styleSheet=FIGURE_STYLE)
            figure.setObjectName(f"figure_{key}")
            self.figures[key] = figure
            grid.addWidget(QLabel(self.tr(title), self), 0, i)
            grid.addWidget(figure, 1, i)
        self.definition = QLabel(self, wordWrap=True, styleSheet=HINT_STYLE)

        counts = [self.tr(h) for h in COUNT_HEADERS]
        self.by_enterprise = _tree(self, [self.tr("企业"), self.tr("类别"), self.tr("包企民警"), *counts])
        self.by_officer = _tree(self, [self.tr("包企民警"), *counts])
        self.candidates = _tree(self, [self.tr("企业"), self.tr("包企民警"), self.tr("检查"), self.tr("不合格项"),
                                       self.tr("按期整改率"), self.tr("理由")])
        for tree in (self.by_enterprise, self.by_officer, self.candidates):
            tree.itemDoubleClicked.connect(self._open)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.by_enterprise, self.tr("按企业"))
        self.tabs.addTab(self.by_officer, self.tr("按包企民警"))
        self.tabs.addTab(self.candidates, self.tr("评选名单"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.definition)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(1080, 660)
        self.reload()

    def reload(self) -> None:
        """Counted on a worker (a station's year takes ~0.1 s); shown when it comes back."""
        year, db, on = self.year.value(), self.db, self.today
        self.state.setText(self.tr("正在统计…"))
        Op(self, lambda: year_view(db, year=year, on=on)).on_success(self.show_view).run()

    def show_view(self, view: YearView) -> None:
        if view.year != self.year.value():  # the officer moved on to another year meanwhile
            return
        self.view = view
        station = view.station.to_dict()
        for key, label in self.figures.items():
            value = station[key]
            label.setText(format_rate(value) if key.endswith("rate") else str(value))
        self.definition.setText(view.definition)
        self.state.setText(self.tr("截至 {on}　共 {n} 家企业").format(on=view.on.isoformat(), n=len(view.enterprises)))
        for tree in (self.by_enterprise, self.by_officer, self.candidates):
            tree.setSortingEnabled(False)
            tree.clear()
        for firm in view.enterprises:
            _add(self.by_enterprise, [firm.name, firm.category, firm.liaison], _counts(firm.counts), firm.id)
        for name, counts in view.by_officer.items():
            _add(self.by_officer, [name], _counts(counts))
        for c in selection_list(view):
            rate = format_rate(c.on_time_rate)
            _add(self.candidates, [c.name, c.liaison], [(str(c.inspections), c.inspections),
                                                        (str(c.items_failed), c.items_failed),
                                                        (rate, -1.0 if c.on_time_rate is None else c.on_time_rate)],
                 c.id)
            item = self.candidates.topLevelItem(self.candidates.topLevelItemCount() - 1)
            item.setText(5, c.reason)
            item.setToolTip(5, c.reason)
        for tree in (self.by_enterprise, self.by_officer):
            tree.setSortingEnabled(True)
            tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.candidates.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the list's own order
        self.candidates.setSortingEnabled(True)
        for tree in (self.by_enterprise, self.by_officer, self.candidates):
            tree.resizeColumnToContents(0)
            tree.setColumnWidth(0, min(tree.columnWidth(0), 260))
            for column in range(1, tree.columnCount() - (tree is self.candidates)):
                tree.setColumnWidth(column, NARROW)
            tree.header().setStretchLastSection(tree is self.candidates)  # the 评选 reason takes the room
        self.loaded.emit()

    def _open(self, item: QTreeWidgetItem) -> None:
        record_id = item.data(0, Qt.ItemDataRole.UserRole + 1)
        if record_id:
            self.open_requested.emit(record_id)
