"""The detail pane of the dispute tab: facts, warnings, actions, and the case's parties and history."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.disputes.revisits import QUICK_DAYS

BADGE = "padding: 2px 8px; border-radius: 8px; color: white; background: {colour};"
RISK_COLOURS = {"high": "#c62828", "medium": "#ef6c00", "low": "#2e7d32"}
STATUS_COLOURS = {"pending": "#6a1b9a", "mediating": "#1565c0", "resolved": "#2e7d32", "terminated": "#616161",
                  "to_center": "#00838f", "to_police": "#4e342e"}
WARNING_STYLE = "color: #b71c1c; background: #fdecea; padding: 6px; border-radius: 4px;"
FLAG_STYLE = "color: #6d4c41; background: #fff4e5; padding: 6px; border-radius: 4px;"
PHONE_COLUMN, ID_NUMBER_COLUMN = 4, 5  # of the parties list, shown masked until revealed
REVEALED_ROLE = Qt.ItemDataRole.UserRole


def _when(value) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def _tree(parent: QWidget, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setRootIsDecorated(False)
    tree.setHeaderLabels(headers)
    tree.setAlternatingRowColors(True)
    return tree


class DisputeDetailPane(QWidget):
    """One dispute; the buttons only ask, by signal. Parties' ID numbers and phones are masked;
    once the tab gave the database (``set_database``), 显示完整号码 shows one party's in full
    and logs it in the audit trail (``revealed``)."""

    transition_requested = Signal()
    session_requested = Signal()
    agreement_requested = Signal()
    edit_requested = Signal()
    revisit_days_requested = Signal(int)
    revisit_date_requested = Signal()
    result_requested = Signal(str)  # revisit id
    print_requested = Signal(str)  # agreement id
    revealed = Signal(str)  # dispute party id, after its numbers were shown in full (and logged)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail = None
        self.db = None  # given by the tab (set_database): needed to reveal numbers
        self.title = QLabel(self)
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.status = QLabel(self)
        self.risk = QLabel(self)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.status)
        heading.addWidget(self.risk)

        self.transition_button = QPushButton(self.tr("状态流转…"), self)
        self.session_button = QPushButton(self.tr("调解记录…"), self)
        self.agreement_button = QPushButton(self.tr("调解协议书…"), self)
        self.edit_button = QPushButton(self.tr("修改登记…"), self)
        self.transition_button.clicked.connect(self.transition_requested)
        self.session_button.clicked.connect(self.session_requested)
        self.agreement_button.clicked.connect(self.agreement_requested)
        self.edit_button.clicked.connect(self.edit_requested)
        actions = QHBoxLayout()
        for button in (self.transition_button, self.session_button, self.agreement_button, self.edit_button):
            actions.addWidget(button)
        actions.addStretch(1)

        revisit_row = QHBoxLayout()
        revisit_row.addWidget(QLabel(self.tr("安排回访："), self))
        self.quick_buttons: dict[int, QToolButton] = {}
        for days in QUICK_DAYS:
            button = QToolButton(self)
            button.setText(self.tr("+{n}天").format(n=days))
            button.setToolTip(self.tr("{n}天后回访").format(n=days))
            button.clicked.connect(lambda _checked=False, days=days: self.revisit_days_requested.emit(days))
            revisit_row.addWidget(button)
            self.quick_buttons[days] = button
        self.date_button = QToolButton(self)
        self.date_button.setText(self.tr("指定日期…"))
        self.date_button.clicked.connect(self.revisit_date_requested)
        revisit_row.addWidget(self.date_button)
        self.next_revisit = QLabel(self)
        revisit_row.addWidget(self.next_revisit, 1)

        self.warnings = QLabel(self, wordWrap=True)
        self.warnings.setObjectName("warnings")
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.flag = QLabel(self, wordWrap=True)
        self.flag.setObjectName("unplannedFlag")
        self.flag.setStyleSheet(FLAG_STYLE)

        self.fields: dict[str, QLabel] = {}
        info = QGridLayout()
        for i, (key, label) in enumerate((("source", "来源"), ("occurred", "发生时间"), ("place", "地点"),
                                          ("community", "社区"), ("officer", "责任民警"), ("visit", "关联走访"),
                                          ("settled", "办结日期"), ("criminal", "民转刑"))):
            value = QLabel(self, wordWrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            info.addWidget(QLabel(self.tr(label) + "：", self), i // 2, (i % 2) * 2, Qt.AlignmentFlag.AlignRight)
            info.addWidget(value, i // 2, (i % 2) * 2 + 1)
        info.setColumnStretch(1, 1)
        info.setColumnStretch(3, 1)
        self.facts = QLabel(self, wordWrap=True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts_form = QFormLayout()
        facts_form.addRow(self.tr("纠纷经过："), self.facts)

        self.tabs = QTabWidget(self)
        self.parties = _tree(self, [self.tr(h) for h in ("身份", "姓名", "性别", "年龄", "电话", "身份证号", "住址")])
        self.sessions = _tree(self, [self.tr(h) for h in ("调解时间", "类型", "主持人", "调解员", "记录")])
        self.agreements = _tree(self, [self.tr(h) for h in ("协议编号", "种类", "签订日期")])
        self.revisits = _tree(self, [self.tr(h) for h in ("计划日期", "回访日期", "结果", "情况")])
        self.transfers = _tree(self, [self.tr(h) for h in ("方向", "单位", "日期", "接收人", "经办人", "结果")])
        self.history = _tree(self, [self.tr(h) for h in ("时间", "民警", "变化", "原因")])
        self.print_button = QPushButton(self.tr("预览 / 打印…"), self)
        self.print_button.clicked.connect(self._print_selected)
        self.agreements.itemDoubleClicked.connect(self._print_selected)
        self.agreements.itemSelectionChanged.connect(self._update_buttons)
        self.result_button = QPushButton(self.tr("登记回访结果…"), self)
        self.result_button.clicked.connect(self._result_selected)
        self.revisits.itemSelectionChanged.connect(self._update_buttons)
        self.reveal_button = QPushButton(self.tr("显示完整号码"), self)
        self.reveal_button.setToolTip(self.tr("显示所选当事人的完整身份证号和电话（记入审计日志）"))
        self.reveal_button.clicked.connect(self.reveal_selected)
        self.reveal_button.hide()  # until the tab gives the database
        self.reveal_action = QAction(self.tr("显示完整号码"), self)
        self.reveal_action.triggered.connect(self.reveal_selected)
        self.parties.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.parties.itemSelectionChanged.connect(self._update_buttons)
        self.tabs.addTab(_with_button(self, self.parties, self.reveal_button), self.tr("当事人"))
        self.tabs.addTab(self.sessions, self.tr("调解"))
        self.tabs.addTab(_with_button(self, self.agreements, self.print_button), self.tr("协议书"))
        self.tabs.addTab(_with_button(self, self.revisits, self.result_button), self.tr("回访"))
        self.tabs.addTab(self.transfers, self.tr("移交流转"))
        self.tabs.addTab(self.history, self.tr("历史"))

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(actions)
        layout.addLayout(revisit_row)
        layout.addWidget(self.warnings)
        layout.addWidget(self.flag)
        layout.addLayout(info)
        layout.addLayout(facts_form)
        layout.addWidget(self.tabs, 1)
        self.show_dispute(None)

    def show_dispute(self, detail) -> None:
        self.detail = detail
        for tree in (self.parties, self.sessions, self.agreements, self.revisits, self.transfers, self.history):
            tree.clear()
        actions = [self.transition_button, self.session_button, self.agreement_button, self.edit_button,
                   self.date_button, *self.quick_buttons.values()]
        for button in actions:
            button.setEnabled(detail is not None)
        if detail is None:
            self.title.setText(self.tr("未选择纠纷"))
            for label in (self.status, self.risk, self.next_revisit, self.facts, *self.fields.values()):
                label.clear()
            self.status.setStyleSheet("")
            self.risk.setStyleSheet("")
            self.warnings.hide()
            self.flag.hide()
            self._update_buttons()
            return
        row = detail.row
        self.title.setText(f"{row.number}　{row.kind}")
        self.status.setText(self.tr(row.status_label))
        self.status.setStyleSheet(BADGE.format(colour=STATUS_COLOURS.get(row.status, "#616161")))
        self.risk.setText(self.tr("风险：{level}").format(level=row.risk_label))
        self.risk.setStyleSheet(BADGE.format(colour=RISK_COLOURS.get(row.risk_level, "#616161")))
        self.transition_button.setEnabled(bool(detail.moves))
        self.next_revisit.setText(row.revisit_note if row.revisit_state != "missing" else "")
        self.next_revisit.setStyleSheet("color: #c62828; font-weight: bold;" if row.revisit_state == "overdue"
                                        else "color: #e65100; font-weight: bold;" if row.revisit_state == "today"
                                        else "")
        self.warnings.setText("\n".join(self.tr("⚠ {w}").format(w=w.message) for w in detail.warnings))
        self.warnings.setVisible(bool(detail.warnings))
        self.flag.setText(self.tr("已化解，但化解后还没有安排回访：请点上方按钮安排。"))
        self.flag.setVisible(row.revisit_state == "missing")
        values = {"source": detail.source, "occurred": _when(row.occurred_at), "place": detail.place,
                  "community": row.community, "officer": row.officer, "visit": detail.visit or "—",
                  "settled": detail.settled_on.isoformat() if detail.settled_on else "—",
                  "criminal": self.tr("是") if detail.escalated_criminal else self.tr("否")}
        for key, value in values.items():
            self.fields[key].setText(value or "—")
        self.facts.setText(detail.facts)
        self._fill(detail)
        self._update_buttons()

    def _fill(self, detail) -> None:
        for p in detail.parties:
            age = "" if p.age is None else str(p.age)
            self.parties.addTopLevelItem(QTreeWidgetItem([p.role, p.name, p.gender, age, p.phone, p.id_number,
                                                          p.address]))
        for held_at, kind, host, mediators, record in detail.sessions:
            self.sessions.addTopLevelItem(QTreeWidgetItem([_when(held_at), kind, host, mediators, record]))
        for agreement_id, number, title, signed_on in detail.agreements:
            item = QTreeWidgetItem([number, title, signed_on.isoformat() if signed_on else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, agreement_id)
            self.agreements.addTopLevelItem(item)
        for revisit_id, due_on, done_on, result, notes in detail.revisits:
            item = QTreeWidgetItem([due_on.isoformat(), done_on.isoformat() if done_on else self.tr("未回访"),
                                    result, notes])
            item.setData(0, Qt.ItemDataRole.UserRole, revisit_id if done_on is None else None)
            self.revisits.addTopLevelItem(item)
        for direction, body, on, receiver, handler, outcome in detail.transfers:
            self.transfers.addTopLevelItem(QTreeWidgetItem([direction, body, on.isoformat(), receiver, handler,
                                                            outcome or self.tr("待反馈")]))
        for at, officer, what, reason in detail.history:
            self.history.addTopLevelItem(QTreeWidgetItem([_when(at), officer, what, reason]))
        for tree in (self.parties, self.sessions, self.agreements, self.revisits, self.transfers, self.history):
            for column in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(column)
        if self.agreements.topLevelItemCount():
            self.agreements.setCurrentItem(self.agreements.topLevelItem(self.agreements.topLevelItemCount() - 1))
        open_items = [self.revisits.topLevelItem(i) for i in range(self.revisits.topLevelItemCount())
                      if self.revisits.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)]
        if open_items:
            self.revisits.setCurrentItem(open_items[0])

    def selected_agreement(self) -> str | None:
        item = self.agreements.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def selected_open_revisit(self) -> str | None:
        item = self.revisits.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _update_buttons(self) -> None:
        self.print_button.setEnabled(self.selected_agreement() is not None)
        self.result_button.setEnabled(self.selected_open_revisit() is not None)
        item = self.parties.currentItem()
        can_reveal = (self.db is not None and self.detail is not None and item is not None and item.isSelected()
                      and not item.data(0, REVEALED_ROLE))
        self.reveal_button.setEnabled(can_reveal)
        self.reveal_action.setEnabled(can_reveal)

    def set_database(self, db) -> None:
        """The database to reveal numbers from (and log to); the tab calls this from ``attach``."""
        self.db = db
        self.reveal_button.setVisible(db is not None)
        if db is not None and self.reveal_action not in self.parties.actions():
            self.parties.addAction(self.reveal_action)
        self._update_buttons()

    def reveal_selected(self) -> None:
        """Show the selected party's ID number and phone in full; the reveal is logged."""
        from app.audit.log import dispute_party_ids, reveal_numbers

        item = self.parties.currentItem()
        if self.db is None or self.detail is None or item is None or not item.isSelected():
            return
        row = self.parties.indexOfTopLevelItem(item)
        ids = dispute_party_ids(self.db, self.detail.row.id)
        if row >= len(ids) or ids[row][1] != item.text(1):  # the list is stale: it is refilled on the next change
            return
        party_id = ids[row][0]
        try:
            numbers = reveal_numbers(self.db, table="dispute_party", record_id=party_id, where="矛盾纠纷")
        except LookupError:
            return
        item.setText(PHONE_COLUMN, numbers.phone)
        item.setText(ID_NUMBER_COLUMN, numbers.id_number)
        item.setData(0, REVEALED_ROLE, True)  # shown in full until the pane is refilled
        for column in (PHONE_COLUMN, ID_NUMBER_COLUMN):
            self.parties.resizeColumnToContents(column)
        self._update_buttons()
        self.revealed.emit(party_id)

    def _print_selected(self, *_args) -> None:
        if agreement_id := self.selected_agreement():
            self.print_requested.emit(agreement_id)

    def _result_selected(self) -> None:
        if revisit_id := self.selected_open_revisit():
            self.result_requested.emit(revisit_id)


def _with_button(parent: QWidget, tree: QTreeWidget, button: QPushButton) -> QWidget:
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(tree, 1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    layout.addLayout(row)
    return page
