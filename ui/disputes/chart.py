"""A bar chart of disputes per type (registered vs settled) for a period, for the tab and the 工作台."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget


class DisputeChart(QChartView):
    """``set_stats(app.disputes.stats.statistics(...))`` draws registered, settled and open per type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(chart.margins())
        self.setChart(chart)

    def set_stats(self, stats) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        kinds = list(stats.by_kind)
        series = QBarSeries()
        peak = 1
        for title, attr, colour in ((self.tr("登记"), "registered", "#90a4ae"),
                                    (self.tr("已化解"), "settled", "#43a047"),
                                    (self.tr("未结"), "open", "#fb8c00")):
            bars = QBarSet(title)
            bars.setColor(QColor(colour))
            for kind in kinds:
                value = getattr(stats.by_kind[kind], attr)
                bars.append(value)
                peak = max(peak, value)
            series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(kinds)
        values = QValueAxis()
        values.setRange(0, max(peak, 4))
        values.applyNiceNumbers()  # whole, evenly spaced ticks: 0 2 4 6 8
        values.setLabelFormat("%d")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        chart.setTitle(self.tr("各类纠纷（{start} 至 {end}）").format(start=stats.start, end=stats.end))
