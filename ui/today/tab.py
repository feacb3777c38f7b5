"""工作台: today's counts at a glance and the agenda of what is due and overdue."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.areas import AREAS
from app.today import SOON_DAYS
from ui.widgets.base_tab import AreaTab
from ui.widgets.ops import Op

COVERAGE_DAYS = 90
PAGE = 100  # the agenda's items read at once (whole days: a page may be longer); more as the list scrolls

OVERDUE = QColor("#c62828")
DUE = QColor("#e65100")
WEEKDAYS = "一二三四五六日"


class AgendaModel(QAbstractTableModel):
    """A day's agenda, a page at a time (app.today.agenda ``since``/``limit``): a city's runs to tens of
    thousands of overdue items; the next page is read as the view scrolls to the end (fetchMore)."""

    HEADERS = ("类别", "事项", "期限", "状态")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list = []
        self._on: date | None = None  # the day of the items, given with them
        self._more = None  # the page from a day on, (since) -> items; None when the items are all
        self._next: date | None = None  # the day the next page starts (None: no more)

    def set_items(self, items: list, *, on: date, more=None) -> None:
        """``items``: the agenda's first page, or all of it when ``more`` is None."""
        from app.today import next_page

        self.beginResetModel()
        self._items, self._on, self._more = list(items), on, more
        self._next = next_page(self._items, limit=PAGE) if more is not None else None
        self.endResetModel()

    def complete(self) -> bool:
        """Every item of the agenda is in (nothing more to fetch)."""
        return self._next is None

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and self._next is not None

    def fetchMore(self, parent=QModelIndex()) -> None:
        from app.today import next_page

        if parent.isValid() or self._next is None:
            return
        page = self._more(self._next)
        self._next = next_page(page, limit=PAGE)
        if page:
            self.beginInsertRows(QModelIndex(), len(self._items), len(self._items) + len(page) - 1)
            self._items.extend(page)
            self.endInsertRows()

    def item(self, row: int):
        return self._items[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.kind, item.what, item.due.isoformat(), item.state(self._on))[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and item.deadline:
            days = item.overdue_days(self._on)
            return OVERDUE if days > 0 else DUE if days == 0 else None
        return None


class CountCard(QFrame):
    """A big number with a caption, coloured when something needs attention."""

    def __init__(self, caption: str, parent=None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel("—", self)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(caption, self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def set_count(self, count: int, *, alert: QColor | None = None) -> None:
        self.number.setText(str(count))
        color = alert.name() if alert is not None and count else "palette(window-text)"
        self.number.setStyleSheet(f"color: {color};")


class TodayTab(AreaTab, QWidget):
    """The day's agenda; ``open_requested(table, record id)`` asks the window to show a row's record
    where it is worked on (double-click or Enter). The day is the context's ``today()``; how far
    ahead it looks is the 工作台 setting ``worklist/soon_days``."""

    # Whatever the agenda, the cards, the coverage or the chart count.
    shows = ("dispute", "dispute_party", "revisit", "household", "visit", "community", "grid",
             "shift", "shift_assignment", "patrol_route", "volunteer", "volunteer_leave",
             "enterprise", "enterprise_request", "inspection", "rectification", "rectification_notice", "recheck")
    # Imported by the first agenda (every area's worklist), coverage and chart: before the login (ui/shell/warm.py).
    warms = ("app.disputes.queries", *(area.worklist.split(":")[0] for area in AREAS if area.worklist),
             "app.households.campaigns", "app.disputes.stats", "ui.disputes.chart")
    coverage_loaded = Signal()
    stats_loaded = Signal()
    agenda_loaded = Signal()
    tally_loaded = Signal()  # the cards are counted (the whole agenda, the high-risk disputes)
    open_requested = Signal(str, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.on: date | None = None  # the context's today(), at each refresh
        self.listed = False  # the agenda is in (the first one comes from a worker)
        self._refreshes = 0  # a first agenda arriving after a refresh is older: dropped
        self.soon_days = SOON_DAYS  # the setting's, at attach
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.title.setFont(font)
        refresh = QPushButton(self.tr("刷新"), self)
        refresh.clicked.connect(self.refresh)

        self.cards = {
            "overdue": CountCard(self.tr("已逾期"), self),
            "due": CountCard(self.tr("今日到期"), self),
            "soon": CountCard(self.tr("即将到期（{n}天内）").format(n=SOON_DAYS), self),
            "high_risk": CountCard(self.tr("高风险纠纷"), self),
            "patrol": CountCard(self.tr("今日巡逻班次"), self),
            "coverage": CountCard(self.tr("近{n}天走访覆盖率").format(n=COVERAGE_DAYS), self),
        }
        cards = QGridLayout()
        for column, card in enumerate(self.cards.values()):
            cards.addWidget(card, 0, column)

        self.model = AgendaModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.setToolTip(self.tr("双击或按回车打开该事项"))
        self.table.activated.connect(self._open_row)  # double-click, or Enter on the current row

        self.coverage = QTreeWidget(self)
        self.coverage.setRootIsDecorated(False)
        self.coverage.setHeaderLabels([self.tr("社区"), self.tr("网格"), self.tr("户数"), self.tr("已走访"),
                                       self.tr("覆盖率")])

        agenda_box, coverage_box = QWidget(self), QWidget(self)
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.setContentsMargins(0, 0, 0, 0)
        agenda_layout.addWidget(QLabel(self.tr("待办事项（逾期在前）"), self))
        agenda_layout.addWidget(self.table, 1)
        coverage_layout = QVBoxLayout(coverage_box)
        coverage_layout.setContentsMargins(0, 0, 0, 0)
        coverage_layout.addWidget(QLabel(
            self.tr("各网格走访覆盖（近{n}天有走访的住户占比）").format(n=COVERAGE_DAYS), self))
        coverage_layout.addWidget(self.coverage, 1)
        self.chart = None  # ui.disputes.chart.DisputeChart, made with the first figures (QtCharts: ~0.1 s)
        self.chart_label = QLabel(self)
        self.chart_label.setWordWrap(True)
        coverage_layout.addWidget(self.chart_label)
        self._chart_box = QWidget(self)  # keeps the chart's place until it is made
        self._chart_box.setMinimumHeight(120)
        QVBoxLayout(self._chart_box).setContentsMargins(0, 0, 0, 0)
        coverage_layout.addWidget(self._chart_box, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(agenda_box)
        splitter.addWidget(coverage_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(splitter, 1)

    def attach(self, context) -> None:
        super().attach(context)
        self.soon_days = context.setting("worklist/soon_days")
        self.cards["soon"].caption.setText(self.tr("即将到期（{n}天内）").format(n=self.soon_days))
        self._load_first()

    def when_listed(self, callback) -> None:
        if self.listed:
            callback()
        else:
            self.agenda_loaded.connect(callback, Qt.ConnectionType.SingleShotConnection)

    def _load_first(self) -> None:
        """The first page of the agenda on a worker (~10 ms at station, ~0.1 s at city scale, beside the
        login's other work): the window is usable at once. Later refreshes stay on the UI thread, so the
        agenda agrees with a save as soon as it is made."""
        from app.today import agenda

        db, on, soon_days, refreshes = self.db, self._show_day(), self.soon_days, self._refreshes

        def loaded(items: list) -> None:
            if refreshes == self._refreshes and self.db is db:
                self._show_agenda(items, on)
                self._load_coverage()
                self._load_stats()

        Op(self, lambda: agenda(db, on=on, soon_days=soon_days, limit=PAGE)).on_success(loaded).run()

    def refresh(self) -> None:
        if self.db is None:
            return
        from app.today import agenda

        self._refreshes += 1
        on = self._show_day()
        self._show_agenda(agenda(self.db, on=on, soon_days=self.soon_days, limit=PAGE), on)
        self._load_coverage()
        self._load_stats()

    def _show_day(self) -> date:
        on = self.on = self.today()
        self.title.setText(self.tr("今天是 {y}年{m}月{d}日 星期{w}").format(
            y=on.year, m=on.month, d=on.day, w=WEEKDAYS[on.weekday()]))
        return on

    def _show_agenda(self, first_page: list, on: date) -> None:
        from ui.widgets.base_tab import fit_columns

        db, soon_days = self.db, self.soon_days

        def more(since: date) -> list:
            from app.today import agenda

            return agenda(db, on=on, soon_days=soon_days, since=since, limit=PAGE)

        self.model.set_items(first_page, on=on, more=more)
        fit_columns(self.table)  # from the first rows
        self._load_counts(on, whole=first_page if self.model.complete() else None)
        self.listed = True
        self.agenda_loaded.emit()

    def _load_counts(self, on: date, *, whole: list | None) -> None:
        """The cards, on a worker: the high-risk disputes, and every page of the agenda (``whole`` when the
        first page held all of it). At city scale that is ~0.15 s of reading (cold pages of an encrypted
        file: more) that the list, painted first, does not wait for."""
        from app.disputes.queries import count_high_risk
        from app.today import Tally, tally

        db, soon_days, refreshes = self.db, self.soon_days, self._refreshes

        def work() -> tuple:
            counts = Tally.of(whole, on=on) if whole is not None else tally(db, on=on, soon_days=soon_days)
            return counts, count_high_risk(db)

        Op(self, work).on_success(
            lambda result: self._show_counts(*result, refreshes=refreshes) if self.db is db else None).run()

    def _show_counts(self, counts, high_risk: int, *, refreshes: int) -> None:
        if refreshes != self._refreshes:  # older counts, arriving after a refresh: dropped
            return
        self.cards["overdue"].set_count(counts.overdue, alert=OVERDUE)
        self.cards["due"].set_count(counts.due, alert=DUE)
        self.cards["soon"].set_count(counts.soon)
        self.cards["patrol"].set_count(counts.appointments)
        self.cards["high_risk"].set_count(high_risk, alert=OVERDUE)
        self.tally_loaded.emit()

    def _open_row(self, index) -> None:
        item = self.model.item(index.row())
        self.open_requested.emit(item.table, item.record_id)

    def _load_stats(self) -> None:
        """化解率 by type over the last year, for the chart."""
        from app.disputes.stats import statistics

        db, on = self.db, self.on
        start = on - timedelta(days=365)
        Op(self, lambda: statistics(db, start=start, end=on, on=on)).on_success(self.show_stats).run()

    def show_stats(self, stats) -> None:
        from app.disputes.stats import format_rate

        if self.chart is None:
            from ui.disputes.chart import DisputeChart

            self.chart = DisputeChart(self)
            self.chart.setMinimumHeight(120)  # the chart shrinks with the window; the lists matter more
            self.chart.chart().setMinimumHeight(120)
            self._chart_box.layout().addWidget(self.chart)
        self.chart.set_stats(stats)
        self.chart_label.setText(self.tr("近一年矛盾纠纷：登记 {n} 件，化解率 {rate}（{definition}）").format(
            n=stats.total.registered, rate=format_rate(stats.total.rate), definition=stats.definition))
        self.stats_loaded.emit()

    def _load_coverage(self) -> None:
        """Counting visits per grid takes ~0.2 s at station scale: done on a worker."""
        from app.households.campaigns import coverage_by_grid

        db, on = self.db, self.on
        Op(self, lambda: coverage_by_grid(db, today=on, days=COVERAGE_DAYS)).on_success(self.show_coverage).run()

    def show_coverage(self, grids: list) -> None:
        self.coverage.clear()
        for grid in grids:
            item = QTreeWidgetItem([grid.community, grid.grid or self.tr("（未分网格）"), str(grid.households),
                                    str(grid.visited), f"{grid.share:.0%}"])
            for column in (2, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.coverage.addTopLevelItem(item)
        for column in range(4):
            self.coverage.resizeColumnToContents(column)
        households = sum(g.households for g in grids)
        share = sum(g.visited for g in grids) / households if households else 0.0
        self.cards["coverage"].number.setText(f"{share:.0%}")
        self.coverage_loaded.emit()
