"""The detail pane of the household tab: address, residents and visit history."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget


class HouseholdDetailPane(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.title.setWordWrap(True)
        self.facts = QFormLayout()
        self.kind = QLabel(self)
        self.area = QLabel(self)
        self.tags = QLabel(self)
        self.notes = QLabel(self, wordWrap=True)
        self.facts.addRow(self.tr("类型："), self.kind)
        self.facts.addRow(self.tr("社区/网格："), self.area)
        self.facts.addRow(self.tr("标签："), self.tags)
        self.facts.addRow(self.tr("备注："), self.notes)

        self.residents = QTreeWidget(self)
        self.residents.setRootIsDecorated(False)
        self.residents.setHeaderLabels(
            [self.tr("姓名"), self.tr("关系"), self.tr("性别"), self.tr("年龄"), self.tr("身份证号"), self.tr("电话")]
        )
        self.visits = QTreeWidget(self)
        self.visits.setRootIsDecorated(False)
        self.visits.setHeaderLabels([self.tr("走访时间"), self.tr("事由"), self.tr("民警"), self.tr("发现情况")])

        residents_box = QGroupBox(self.tr("人员"), self)
        QVBoxLayout(residents_box).addWidget(self.residents)
        visits_box = QGroupBox(self.tr("走访记录（最新在前）"), self)
        QVBoxLayout(visits_box).addWidget(self.visits)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.facts)
        layout.addWidget(residents_box, 1)
        layout.addWidget(visits_box, 1)
        self.show_household(None)

    def show_household(self, detail) -> None:
        self.residents.clear()
        self.visits.clear()
        if detail is None:
            self.title.setText(self.tr("未选择住户"))
            for label in (self.kind, self.area, self.tags, self.notes):
                label.clear()
            return
        row = detail.row
        self.title.setText(row.address)
        self.kind.setText(row.kind)
        self.area.setText(" / ".join(part for part in (row.community, row.grid) if part))
        self.tags.setText(row.tags.replace(",", "、") or "—")
        self.notes.setText(detail.notes or "—")
        for r in detail.residents:
            age = "" if r.age is None else str(r.age)
            self.residents.addTopLevelItem(QTreeWidgetItem([r.name, r.relation, r.gender, age, r.id_number, r.phone]))
        for v in detail.visits:
            when = v.visited_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.visits.addTopLevelItem(
                QTreeWidgetItem([when, v.purposes.replace(",", "、"), v.officer, v.findings])
            )
        for tree in (self.residents, self.visits):
            for column in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(column)
