"""The roster preview: how many seats were filled, every short shift with its reason, and how many
shifts each volunteer gets; 保存排班 writes it (on the writer thread), 取消 throws it away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.patrol.generation import RosterPreview, save_roster
from ui.patrol.common import SHORT, PatrolForm


class PreviewDialog(PatrolForm):
    """Shows a ``RosterPreview``; ``saved`` carries the ``SavedRoster``. ``made`` is how many shifts were
    made from templates before planning."""

    quiet = False
    on_worker = True

    def __init__(self, db, *, preview: RosterPreview, team: str, made: int = 0, officer_id: str | None = None,
                 parent=None) -> None:
        super().__init__(parent, title=self.tr("排班预览"), save_text=self.tr("保存排班"),
                         busy_text=self.tr("正在保存排班…"))
        self.db, self.preview, self.officer_id = db, preview, officer_id
        p = preview
        self.summary_label = QLabel(self, wordWrap=True)
        self.summary_label.setObjectName("previewSummary")
        short_seats = sum(s.missing for s in p.short)
        lines = [self.tr("{team}　{start} 至 {end}").format(team=team, start=p.start, end=p.end),
                 self.tr("共 {shifts} 个班次，需 {seats} 人次，已排 {filled} 人次（{rate:.0%}）").format(
                     shifts=p.shifts, seats=p.seats, filled=p.filled, rate=p.filled / p.seats if p.seats else 1),
                 self.tr("保存后新增 {added} 条排班，撤下 {removed} 条未固定的排班").format(added=p.added,
                                                                                       removed=p.removed)]
        if made:
            lines.insert(1, self.tr("已按班次模板新建 {n} 个班次").format(n=made))
        if p.short:
            lines.append(self.tr("<b style='color:#c62828'>{n} 个班次人手不足，共缺 {seats} 人，原因见下</b>").format(
                n=len(p.short), seats=short_seats))
        else:
            lines.append(self.tr("<b style='color:#2e7d32'>每个班次都已排满</b>"))
        self.summary_label.setText("<br>".join(lines))

        self.short = QListWidget(self)  # a reason is a sentence ("… 缺 1 人：可排的 6 人本周已满 2 班"): wrapped
        self.short.setWordWrap(True)
        self.short.setResizeMode(QListView.ResizeMode.Adjust)
        self.short.setSpacing(2)
        for s in p.short:
            item = QListWidgetItem(s.reason, self.short)
            item.setForeground(QBrush(SHORT))
            item.setData(Qt.ItemDataRole.UserRole, s.shift_id)

        self.counts = QTreeWidget(self)
        self.counts.setRootIsDecorated(False)
        self.counts.setHeaderLabels([self.tr("义警"), self.tr("班次")])
        for c in p.counts:
            item = QTreeWidgetItem([c.name, str(c.shifts)])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, Qt.ItemDataRole.UserRole, c.volunteer_id)
            self.counts.addTopLevelItem(item)
        self.counts.resizeColumnToContents(0)

        short_box = QGroupBox(self.tr("人手不足的班次（{n}）").format(n=len(p.short)), self)
        QVBoxLayout(short_box).addWidget(self.short)
        counts_box = QGroupBox(self.tr("每人班次（{n} 人）").format(n=len(p.counts)), self)
        QVBoxLayout(counts_box).addWidget(self.counts)
        counts_box.setMaximumWidth(240)
        lists = QHBoxLayout()
        lists.addWidget(short_box, 1)
        lists.addWidget(counts_box)
        self.body.addWidget(self.summary_label)
        self.body.addLayout(lists, 1)
        self.resize(900, 600)
        self.revalidate()

    def save(self):
        preview, db, officer_id = self.preview, self.db, self.officer_id
        return lambda: save_roster(db, preview=preview, officer_id=officer_id)
