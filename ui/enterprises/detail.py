"""The detail pane of the 一企一警 tab: the enterprise's register, and in pages its inspections (with
where each stands in the rectification flow), rectifications, liaison log, requests, hire checks and
liaison officers. The buttons only ask, by signal: the tab opens the forms and the documents."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.privacy import mask_id_number
from app.core.vocab import HAZARDOUS_CATEGORIES

ID_ROLE = Qt.ItemDataRole.UserRole
LATE, DUE, DONE = QColor("#c62828"), QColor("#e65100"), QColor("#2e7d32")
BADGE = "padding: 2px 8px; border-radius: 8px; color: white; background: {colour};"
STATE_COLOURS = {"passed": "#2e7d32", "notice_due": "#c62828", "rectifying": "#e65100",
                 "recheck_passed": "#2e7d32", "enforcement": "#4e342e"}
PAGES = ("inspection", "rectification", "liaison", "enterprise_request", "hire_check", "history")


def _day(value) -> str:
    return value.isoformat() if value else ""


def _tree(parent: QWidget, headers: list[str], *, multi: bool = False) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setRootIsDecorated(False)
    tree.setHeaderLabels(headers)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    if multi:
        tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    return tree


def _item(tree: QTreeWidget, record_id: str, texts: list[str], colour: QColor | None = None) -> QTreeWidgetItem:
    item = QTreeWidgetItem(tree, [str(t) for t in texts])
    item.setData(0, ID_ROLE, record_id)
    for column, text in enumerate(texts):
        item.setToolTip(column, str(text))
    if colour is not None:
        for column in range(len(texts)):
            item.setForeground(column, QBrush(colour))
    return item


class EnterpriseDetailPane(QWidget):
    """One enterprise (an app.enterprises.queries.EnterprisePage) or none."""

    edit_requested = Signal()
    assign_requested = Signal()
    inspect_requested = Signal()
    liaison_requested = Signal()
    record_requested = Signal(str)  # inspection id: the record, on screen
    print_requested = Signal(str, str)  # document ("inspection"/"notice"/"recheck"), inspection id
    notice_requested = Signal(str)  # inspection id
    deliver_requested = Signal(str)
    recheck_requested = Signal(str)
    done_requested = Signal(str)  # rectification id
    request_requested = Signal()
    answer_requested = Signal(str)  # request id
    hire_requested = Signal()
    hire_answer_requested = Signal(str)  # hire check id
    letter_requested = Signal(list)  # hire check ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = None
        self.today = date.today  # the tab gives its context's day: what is overdue
        self.title = QLabel(self, wordWrap=True)
        self.title.setObjectName("detailTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge = QLabel(self)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)

        self.fields: dict[str, QLabel] = {}
        info = QGridLayout()
        info.setHorizontalSpacing(6)
        info.setVerticalSpacing(2)
        pairs = (("credit_code", "信用代码"), ("liaison", "包企民警"), ("community", "社区"), ("industry", "行业"),
                 ("legal_rep", "法定代表人"), ("security", "保卫负责人"), ("people", "职工/保安"), ("tags", "标签"))
        for i, (key, label) in enumerate(pairs):
            self._field(info, key, label, i // 2, (i % 2) * 2)
        self._field(info, "address", "地址", 4, 0, span=3)
        self._field(info, "notes", "备注", 5, 0, span=3)
        info.setColumnStretch(1, 1)
        info.setColumnStretch(3, 1)

        self.edit_button = self._button(self.tr("修改信息…"), self.edit_requested.emit)
        self.assign_button = self._button(self.tr("更换包企民警…"), self.assign_requested.emit)
        self.inspect_button = self._button(self.tr("安全检查…"), self.inspect_requested.emit)
        self.liaison_button = self._button(self.tr("记录联络…"), self.liaison_requested.emit)
        self.inspect_button.setToolTip(self.tr("按检查清单逐项记录一次安全检查（人防、物防、技防、消防…）"))
        actions = QHBoxLayout()
        for button in (self.inspect_button, self.liaison_button, self.assign_button, self.edit_button):
            actions.addWidget(button)
        actions.addStretch(1)

        self.tabs = QTabWidget(self)
        self.trees: dict[str, QTreeWidget] = {}
        self._pages: dict[str, int] = {}
        self._build_inspections()
        self._build_rectifications()
        self._build_liaison()
        self._build_requests()
        self._build_hire_checks()
        self.history = _tree(self, [self.tr(h) for h in ("变更日期", "包企民警", "说明")])
        self._add_page("history", self.history, self.tr("包企民警"))
        self.tabs.currentChanged.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(heading)
        layout.addLayout(info)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        self.show_page(None)

    # --- building ---------------------------------------------------------------------------
    def _field(self, grid: QGridLayout, key: str, label: str, row: int, column: int, *, span: int = 1) -> None:
        value = QLabel(self, wordWrap=True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields[key] = value
        grid.addWidget(QLabel(self.tr(label) + "：", self), row, column, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(value, row, column + 1, 1, span)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    def _add_page(self, key: str, tree: QTreeWidget, title: str, *rows: list) -> None:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(tree, 1)
        for buttons in rows:
            line = QHBoxLayout()
            for button in buttons:
                line.addWidget(button)
            line.addStretch(1)
            column.addLayout(line)
        self.trees[key] = tree
        tree.itemSelectionChanged.connect(self._update_buttons)
        self._pages[key] = self.tabs.addTab(page, title)

    def _build_inspections(self) -> None:
        tree = _tree(self, [self.tr(h) for h in ("检查日期", "结果", "不合格", "进展", "检查类别", "检查人员")])
        tree.itemDoubleClicked.connect(lambda item: self.record_requested.emit(item.data(0, ID_ROLE)))
        self.new_inspection_button = self._button(self.tr("新增检查…"), self.inspect_requested.emit)
        self.record_button = self._button(self.tr("查看记录"), lambda: self._emit("inspection", self.record_requested))
        self.print_button = QToolButton(self)
        self.print_button.setText(self.tr("打印"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.print_button)
        self.print_actions = {}
        for kind, text in (("inspection", "安全检查记录"), ("notice", "责令限期整改通知书（含存根）"),
                           ("recheck", "复查意见书")):
            action = menu.addAction(self.tr(text))
            action.triggered.connect(lambda _checked=False, kind=kind: self._print(kind))
            self.print_actions[kind] = action
        self.print_button.setMenu(menu)
        self.notice_button = self._button(self.tr("下发整改通知书…"),
                                          lambda: self._emit("inspection", self.notice_requested))
        self.deliver_button = self._button(self.tr("登记送达…"),
                                           lambda: self._emit("inspection", self.deliver_requested))
        self.recheck_button = self._button(self.tr("复查…"), lambda: self._emit("inspection", self.recheck_requested))
        self.flow_note = QLabel(self, wordWrap=True)
        self.flow_note.setStyleSheet("color: #555;")
        self._add_page("inspection", tree, self.tr("安全检查"),
                       [self.new_inspection_button, self.record_button, self.print_button],
                       [self.notice_button, self.deliver_button, self.recheck_button])
        tree.parentWidget().layout().addWidget(self.flow_note)

    def _build_rectifications(self) -> None:
        tree = _tree(self, [self.tr(h) for h in ("整改期限", "状态", "类别", "隐患")])
        self.done_button = self._button(self.tr("报告已整改…"), lambda: self._emit("rectification",
                                                                              self.done_requested))
        self._add_page("rectification", tree, self.tr("隐患整改"), [self.done_button])

    def _build_liaison(self) -> None:
        tree = _tree(self, [self.tr(h) for h in ("日期", "事项", "内容", "见面人员", "民警")])
        self._add_page("liaison", tree, self.tr("警企联络"),
                       [self._button(self.tr("记录联络…"), self.liaison_requested.emit)])

    def _build_requests(self) -> None:
        tree = _tree(self, [self.tr(h) for h in ("提出日期", "诉求", "答复期限", "状态", "答复")])
        tree.itemDoubleClicked.connect(lambda item: self._emit("enterprise_request", self.answer_requested))
        self.request_button = self._button(self.tr("登记诉求…"), self.request_requested.emit)
        self.answer_button = self._button(self.tr("答复…"), lambda: self._emit("enterprise_request",
                                                                              self.answer_requested))
        self._add_page("enterprise_request", tree, self.tr("诉求"), [self.request_button, self.answer_button])

    def _build_hire_checks(self) -> None:
        tree = _tree(self, [self.tr(h) for h in ("申请日期", "姓名", "身份证号", "应聘岗位", "核查结果", "答复日期")],
                     multi=True)
        self.hire_button = self._button(self.tr("登记核查申请…"), self.hire_requested.emit)
        self.hire_answer_button = self._button(self.tr("登记核查结果…"),
                                               lambda: self._emit("hire_check", self.hire_answer_requested))
        self.letter_button = self._button(self.tr("打印回复函…"), self._letter)
        self.letter_button.setToolTip(self.tr("为所选的已答复核查出具回复函（可多选）"))
        self._add_page("hire_check", tree, self.tr("招工核查"),
                       [self.hire_button, self.hire_answer_button, self.letter_button])

    # --- showing ----------------------------------------------------------------------------
    def show_page(self, page) -> None:
        """Show ``page`` (app.enterprises.queries.EnterprisePage), keeping the open page and selections."""
        kept = {key: self.selected(key) for key in self.trees} if self.page is not None and page is not None \
            and page.id == self.page.id else {}
        self.page = page
        for tree in self.trees.values():
            tree.clear()
        if page is None:
            self.title.setText(self.tr("未选择企业"))
            self.badge.clear()
            self.badge.setStyleSheet("")
            for label in self.fields.values():
                label.clear()
            self._update_buttons()
            return
        detail, values = page.detail, page.detail.values
        self.title.setText(values.name)
        self.badge.setText(detail.row.category)
        hazardous = values.category in HAZARDOUS_CATEGORIES
        self.badge.setStyleSheet(BADGE.format(colour="#c62828" if hazardous else "#546e7a"))
        phone = f"（{values.phone}）" if values.phone else ""
        security = f"（{values.security_phone}）" if values.security_phone else ""
        counts = "/".join("—" if n is None else str(n) for n in (values.employees, values.guards))
        texts = {"credit_code": values.credit_code or self.tr("（未登记）"),
                 "liaison": detail.row.liaison or self.tr("（未指定）"), "community": detail.row.community,
                 "industry": values.industry, "legal_rep": values.legal_rep + phone,
                 "security": values.security_head + security, "people": counts, "tags": "、".join(values.tags),
                 "address": values.address, "notes": values.notes}
        for key, label in self.fields.items():
            label.setText(texts[key])
        self._fill(page)
        for key, tree in self.trees.items():  # what was selected stays so; elsewhere the newest line is
            if not (kept.get(key) and self.select(key, *kept[key])) and tree.topLevelItemCount():
                tree.setCurrentItem(tree.topLevelItem(0))
        self._update_buttons()

    def _fill(self, page) -> None:
        today = self.today()
        for line in page.inspections:
            colour = QColor(STATE_COLOURS[line.state]) if line.state in ("notice_due", "rectifying") else None
            _item(self.trees["inspection"], line.id, [_day(line.inspected_on), line.result_label,
                                                       str(line.failed or ""), line.state_label, line.categories,
                                                       line.inspectors], colour)
        for line in page.rectifications:
            state = line.state(today)
            colour = LATE if state.startswith("逾期") else DUE if state == "今日到期" else (
                DONE if line.closed_on and line.verified else None)
            _item(self.trees["rectification"], line.id, [_day(line.deadline), state, line.category, line.problem],
                  colour)
        for line in page.liaison_log:
            _item(self.trees["liaison"], line.id, [_day(line.visited_on), line.kind, line.content, line.met,
                                                   line.officer])
        for line in page.requests:
            state = line.state(today)
            colour = LATE if state.startswith("逾期") else DUE if line.answered_on is None else None
            _item(self.trees["enterprise_request"], line.id, [_day(line.raised_on), line.content, _day(line.due_on),
                                                              state, line.answer], colour)
        for line in page.hire_checks:
            _item(self.trees["hire_check"], line.id, [_day(line.requested_on), line.name,
                                                      mask_id_number(line.id_number), line.job, line.result_label,
                                                      _day(line.answered_on)],
                  DUE if line.answered_on is None else None)
        for change in page.detail.liaison_history:
            _item(self.history, change.officer_id or "", [_day(change.on) or self.tr("（未记日期）"),
                                                          change.officer or self.tr("（无）"), change.notes])
        for tree in self.trees.values():
            for column in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(column)
                tree.setColumnWidth(column, min(tree.columnWidth(column), 220))

    # --- selection --------------------------------------------------------------------------
    def selected(self, key: str) -> list[str]:
        return [item.data(0, ID_ROLE) for item in self.trees[key].selectedItems()]

    def select(self, key: str, *record_ids: str) -> bool:
        """Select ``record_ids`` in page ``key`` (and show that page when asked for one record)."""
        tree, found = self.trees[key], False
        tree.clearSelection()
        for row in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(row)
            if item.data(0, ID_ROLE) in record_ids:
                item.setSelected(True)
                if not found:  # NoUpdate: a Ctrl held down must not toggle the selection just made
                    tree.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
                    tree.scrollToItem(item)
                found = True
        return found

    def open_page(self, key: str) -> None:
        self.tabs.setCurrentIndex(self._pages[key])

    def current_inspection(self):
        ids = self.selected("inspection")
        if self.page is None or not ids:
            return None
        return next((line for line in self.page.inspections if line.id == ids[0]), None)

    def _emit(self, key: str, signal) -> None:
        ids = self.selected(key)
        if ids:
            signal.emit(ids[0])

    def _print(self, kind: str) -> None:
        ids = self.selected("inspection")
        if ids:
            self.print_requested.emit(kind, ids[0])

    def _letter(self) -> None:
        ids = self.selected("hire_check")
        if ids:
            self.letter_requested.emit(ids)

    def _update_buttons(self) -> None:
        shown = self.page is not None
        for button in (self.edit_button, self.assign_button, self.inspect_button, self.liaison_button,
                       self.new_inspection_button, self.request_button, self.hire_button):
            button.setEnabled(shown)
        line = self.current_inspection()
        state = line.state if line is not None else ""
        self.record_button.setEnabled(line is not None)
        self.print_button.setEnabled(line is not None)
        self.print_actions["notice"].setEnabled(bool(line and line.notice_number))
        self.print_actions["recheck"].setEnabled(bool(line and line.recheck_number))
        self.notice_button.setEnabled(state == "notice_due")
        self.deliver_button.setEnabled(state == "rectifying" and line.notice_delivered is None)
        self.recheck_button.setEnabled(state == "rectifying")
        self.flow_note.setText(self._flow_text(line))
        rectification = self._chosen(self.page.rectifications if shown else [], "rectification")
        self.done_button.setEnabled(bool(rectification and rectification.closed_on is None
                                         and rectification.done_on is None))
        request = self._chosen(self.page.requests if shown else [], "enterprise_request")
        self.answer_button.setEnabled(bool(request and request.answered_on is None))
        checks = [c for c in (self.page.hire_checks if shown else []) if c.id in self.selected("hire_check")]
        self.hire_answer_button.setEnabled(len(checks) == 1 and checks[0].answered_on is None)
        self.letter_button.setEnabled(bool(checks) and all(c.answered_on for c in checks))

    def _chosen(self, lines, key: str):
        ids = self.selected(key)
        return next((line for line in lines if ids and line.id == ids[0]), None)

    def _flow_text(self, line) -> str:
        if line is None:
            return ""
        if line.state == "notice_due":
            return self.tr("检查发现{n}项不合格：请下发责令限期整改通知书。").format(n=line.failed)
        if line.state == "rectifying":
            delivered = self.tr("，已送达") if line.notice_delivered else self.tr("，尚未登记送达")
            return self.tr("整改通知书 {number}，限{deadline}前改正{delivered}；期限届满后复查。").format(
                number=line.notice_number, deadline=_day(line.notice_deadline), delivered=delivered)
        if line.state in ("recheck_passed", "enforcement"):
            return self.tr("整改通知书 {notice}；复查意见书 {recheck}：{state}。").format(
                notice=line.notice_number, recheck=line.recheck_number, state=line.state_label)
        return self.tr("检查合格。")
