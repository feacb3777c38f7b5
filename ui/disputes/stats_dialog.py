"""统计与台账: counts and 化解率 for a period (with the definition), per type, officer and community."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.disputes.stats import format_rate, statistics
from ui.disputes.chart import DisputeChart
from ui.disputes.form import py_date, q_date
from ui.widgets.fit import FitsScreen
from ui.widgets.messages import HINT_STYLE, guarded, show_error

HEADERS = ("名称", "登记", "已化解", "调解终止", "移交", "未结", "化解率", "逾期回访", "民转刑")
FIGURE_STYLE = "font-size: 20px; font-weight: bold;"


class StatsDialog(FitsScreen, QDialog):
    def __init__(self, db, *, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("矛盾纠纷统计与台账"))
        self.resize(900, 720)
        self.db, self.today, self.stats = db, today, None
        self.start = QDateEdit(q_date(date(today.year, 1, 1)), self, calendarPopup=True)
        self.end = QDateEdit(q_date(today), self, calendarPopup=True)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self.reload)
        self.ledger_button = QPushButton(self.tr("导出台账（Excel）…"), self)
        self.ledger_button.clicked.connect(self._ask_ledger)
        period = QHBoxLayout()
        period.addWidget(QLabel(self.tr("统计期：发生时间从"), self))
        period.addWidget(self.start)
        period.addWidget(QLabel(self.tr("到"), self))
        period.addWidget(self.end)
        period.addStretch(1)
        period.addWidget(self.ledger_button)

        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, (key, title) in enumerate((("registered", "登记"), ("settled", "已化解"), ("transferred", "移交"),
                                          ("open", "未结"), ("rate", "化解率"), ("overdue_revisits", "逾期回访"),
                                          ("criminal", "民转刑"))):
            figure = QLabel("—", self)
            figure.setObjectName(f"figure_{key}")
            figure.setStyleSheet(FIGURE_STYLE)
            self.figures[key] = figure
            grid.addWidget(QLabel(self.tr(title), self), 0, i)
            grid.addWidget(figure, 1, i)
        self.definition = QLabel(self, wordWrap=True)
        self.definition.setObjectName("definition")
        self.definition.setStyleSheet(HINT_STYLE)

        self.chart = DisputeChart(self)
        self.tables = QTabWidget(self)
        self.trees: dict[str, QTreeWidget] = {}
        for key, title in (("by_kind", "按类型"), ("by_officer", "按民警"), ("by_community", "按社区")):
            tree = QTreeWidget(self)
            tree.setRootIsDecorated(False)
            tree.setHeaderLabels([self.tr(h) for h in HEADERS])
            self.trees[key] = tree
            self.tables.addTab(tree, self.tr(title))
        splitter = QSplitter(self)
        splitter.setOrientation(splitter.orientation().Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.tables)

        buttons = QDialogButtonBox(self)
        buttons.addButton(QPushButton(self.tr("关闭"), self), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addLayout(grid)
        layout.addWidget(self.definition)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.reload()

    def period(self) -> tuple[date, date]:
        return py_date(self.start.date()), py_date(self.end.date())

    def reload(self, *_args) -> None:
        start, end = self.period()
        ok, stats = guarded(self, self.tr("无法统计"), lambda: statistics(self.db, start=start, end=end, on=self.today))
        if not ok:
            return
        self.stats = stats
        total = stats.total
        for key, label in self.figures.items():
            label.setText(format_rate(total.rate) if key == "rate" else str(getattr(total, key)))
        self.definition.setText(self.tr(stats.definition))
        for key, tree in self.trees.items():
            tree.clear()
            for name, c in getattr(stats, key).items():
                tree.addTopLevelItem(QTreeWidgetItem([name, *map(str, (c.registered, c.settled, c.terminated,
                                                                       c.transferred, c.open)),
                                                      format_rate(c.rate), str(c.overdue_revisits), str(c.criminal)]))
            for column in range(tree.columnCount()):
                tree.resizeColumnToContents(column)
        self.chart.set_stats(stats)

    def _ask_ledger(self) -> None:
        start, end = self.period()
        suggested = str(Path.home() / f"矛盾纠纷排查化解台账-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出台账"), suggested, self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.export_ledger(Path(path))

    def export_ledger(self, path: Path):
        """Write the ledger on a worker (openpyxl takes seconds for a big station)."""
        from app.disputes.ledger import write_ledger
        from ui.widgets.ops import Op

        start, end = self.period()
        self.ledger_button.setEnabled(False)
        op = Op(self, lambda: write_ledger(self.db, start=start, end=end, path=path, on=self.today))

        def done(count: int) -> None:  # the writer has logged it (the ledger carries parties' names)
            self.ledger_button.setEnabled(True)
            self.ledger_button.setToolTip(self.tr("已导出 {n} 起纠纷到 {path}").format(n=count, path=path))

        def failed(exc: Exception) -> None:
            self.ledger_button.setEnabled(True)
            show_error(self, self.tr("导出失败"), str(exc))

        op.on_success(done).on_failure(failed).run()
        return op
