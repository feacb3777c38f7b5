"""One inspection record on screen (安全检查记录): who, when, which categories, every item with its result and
note, the opinion, and where the rectification flow stands; printed from here too."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.vocab import INSPECTION_RESULTS
from app.enterprises.common import joined
from app.enterprises.inspections import InspectionRecord
from ui.enterprises.checklist_tree import COLOURS
from ui.widgets.fit import FitsScreen


class InspectionRecordDialog(FitsScreen, QDialog):
    """``print_requested(inspection id)`` asks the tab for the printed record."""

    print_requested = Signal(str)

    def __init__(self, record: InspectionRecord, *, state: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = record
        self.setWindowTitle(self.tr("安全检查记录：{name} {day}").format(name=record.enterprise,
                                                                      day=record.inspected_on.isoformat()))
        grid = QGridLayout()
        pairs = (("被检查单位", record.enterprise), ("检查日期", record.inspected_on.isoformat()),
                 ("检查人员", joined(record.inspectors)), ("检查类别", "、".join(record.categories)),
                 ("在场人员", record.present), ("企业签字人", record.signer),
                 ("检查结果", INSPECTION_RESULTS.get(record.result, record.result)), ("进展", state))
        for i, (label, value) in enumerate(pairs):
            text = QLabel(value, self, wordWrap=True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(QLabel(self.tr(label) + "：", self), i // 2, (i % 2) * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(text, i // 2, (i % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.items = QTreeWidget(self)
        self.items.setRootIsDecorated(False)
        self.items.setAlternatingRowColors(True)
        self.items.setHeaderLabels([self.tr(h) for h in ("序号", "类别", "检查项目", "结果", "情况说明")])
        for n, line in enumerate(record.items, 1):
            item = QTreeWidgetItem(self.items, [str(n), line.category, line.item, line.result_label, line.note])
            item.setForeground(3, QBrush(COLOURS[line.result]))
            item.setToolTip(2, line.item)
            item.setToolTip(4, line.note)
        for column, width in ((0, 44), (1, 70), (2, 380), (3, 64)):
            self.items.setColumnWidth(column, width)
        opinion = QLabel(self.tr("整改或处罚意见：{text}").format(text=record.opinion or self.tr("无")), self)
        opinion.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        self.print_button = QPushButton(self.tr("打印检查记录…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(lambda: self.print_requested.emit(record.id))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.items, 1)
        layout.addWidget(opinion)
        layout.addWidget(buttons)
        self.resize(900, 620)
