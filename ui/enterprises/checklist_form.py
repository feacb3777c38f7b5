"""安全检查 form: the record's head (day, two inspectors, people present, categories), the checklist filled
by keyboard (ui/enterprises/checklist_tree.py), and its foot (signer, 整改期限, the result it comes to, the
整改或处罚意见). Each 不合格 item becomes a rectification when saved."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.enterprises.checklists import current_checklists, default_categories
from app.enterprises.inspections import (
    OPINION_LIMIT,
    InspectionValues,
    inspection_problems,
    record_inspection,
)
from ui.enterprises.checklist_tree import ChecklistTree
from ui.enterprises.common import date_edit, inspector_pair, names_of, py_date
from ui.widgets.fit import limit_length
from ui.widgets.form import Form
from ui.widgets.messages import HINT_STYLE

DEADLINE_DAYS = 15  # the default 整改期限 after the inspection day
OPINION = "针对检查发现的问题，责令限期整改；逾期不改的，依法处理。"
KEY_HELP = "↑↓ 选项目　1 合格　2 不合格（接着写明问题）　3 不适用　空格 切换　回车 写说明　F3 单项期限　Ctrl+S 保存"
RESULT_STYLE = "font-weight: bold; color: {colour};"


class InspectionForm(Form):
    """Record an inspection of one enterprise; ``saved`` carries the inspection id. Kept when closed
    (稍后再填) until saved or given up; ``print_after`` is set by 保存并打印."""

    quiet = True
    keep_on_close = True
    own_window = True

    def __init__(self, db, *, enterprise_id: str, name: str, category: str, officers: list[str],
                 inspector: str = "", second: str = "", officer_id: str | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("安全检查：{name}").format(name=name))
        self.db, self.enterprise_id, self.officer_id = db, enterprise_id, officer_id
        self.today, self.print_after = today or date.today(), False

        self.inspected_on = date_edit(self, self.today)
        self.first, self.second = inspector_pair(self, officers, first=inspector, second=second)
        self.present = QLineEdit(self, placeholderText=self.tr("企业在场人员，如 吴卫东（保卫科长）"))
        limit_length(self.present, 100)
        checklists = current_checklists(db)
        shown = default_categories(category)
        self.categories = {c: QCheckBox(self.tr(c), self, checked=c in shown) for c in checklists}
        self.tree = ChecklistTree(self)
        self.tree.set_checklists(checklists, shown)
        self.items_message = self.message_label("items")
        self.signer = QLineEdit(self, placeholderText=self.tr("代表企业签字的人"))
        limit_length(self.signer, 32)
        self.deadline = date_edit(self, self.today + timedelta(days=DEADLINE_DAYS))
        self.result = QLabel(self)
        self.result.setObjectName("result")
        self.opinion = QPlainTextEdit(self, tabChangesFocus=True, placeholderText=self.tr("有不合格项目时必填"))
        self.opinion.setFixedHeight(52)
        limit_length(self.opinion, OPINION_LIMIT)

        head = QGridLayout()
        head.addWidget(QLabel(self.tr("检查日期"), self), 0, 0)
        head.addWidget(self.inspected_on, 0, 1)
        head.addWidget(QLabel(self.tr("检查人员"), self), 0, 2)
        head.addWidget(self.first, 0, 3)
        head.addWidget(self.second, 0, 4)
        head.addWidget(QLabel(self.tr("在场人员"), self), 0, 5)
        head.addWidget(self.present, 0, 6)
        head.addWidget(self._messages_of(("inspected_on", "inspectors", "present")), 1, 1, 1, 6)
        boxes = QHBoxLayout()
        for box in self.categories.values():
            boxes.addWidget(box)
        boxes.addStretch(1)
        head.addWidget(QLabel(self.tr("检查类别"), self), 2, 0)
        head.addLayout(boxes, 2, 1, 1, 6)
        head.addWidget(self.message_label("categories"), 3, 1, 1, 6)
        head.setColumnStretch(6, 1)
        keys = QLabel(self.tr(KEY_HELP), self, styleSheet=HINT_STYLE)
        keys.setWordWrap(True)

        foot = QGridLayout()
        foot.addWidget(QLabel(self.tr("企业签字人"), self), 0, 0)
        foot.addWidget(self.signer, 0, 1)
        foot.addWidget(QLabel(self.tr("整改期限"), self), 0, 2)
        foot.addWidget(self.deadline, 0, 3)
        foot.addWidget(QLabel(self.tr("检查结果"), self), 0, 4)
        foot.addWidget(self.result, 0, 5)
        foot.addWidget(self._messages_of(("signer", "deadline")), 1, 1, 1, 5)
        foot.addWidget(QLabel(self.tr("整改或处罚意见"), self), 2, 0, Qt.AlignmentFlag.AlignTop)
        foot.addWidget(self.opinion, 2, 1, 1, 5)
        foot.addWidget(self.message_label("opinion"), 3, 1, 1, 5)
        foot.setColumnStretch(1, 1)
        foot.setColumnStretch(5, 1)

        self.body.addLayout(head)
        self.body.addWidget(keys)
        self.body.addWidget(self.tree, 1)
        self.body.addWidget(self.items_message)
        self.body.addLayout(foot)

        self.bind("inspected_on", self.inspected_on)
        self.bind("inspectors", self.first, self.second)
        self.bind("present", self.present)
        self.bind("categories", *self.categories.values())
        self.bind("signer", self.signer)
        self.bind("opinion", self.opinion)
        self.watch(self.deadline.dateChanged, self.tree.changed)
        self.tree.changed.connect(self._items_edited)
        for category, box in self.categories.items():
            box.toggled.connect(lambda shown, category=category: self.tree.show_category(category, shown))
        self.deadline.dateChanged.connect(self._deadline_changed)
        self.print_button = self.add_save_button(self.tr("保存并打印"))
        self.print_button.clicked.connect(self._save_and_print)
        QShortcut(QKeySequence.StandardKey.Save, self, self.submit)  # Enter only moves on (keyPressEvent)
        self.resize(1120, 690)
        self._deadline_changed()
        self.revalidate()
        self._first_focus = self.second if not self.second.currentText() else self.tree

    def _messages_of(self, names: tuple[str, ...]) -> QWidget:
        """The problems of several fields of a row, one line under the row."""
        line = QWidget(self)
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        for name in names:
            row.addWidget(self.message_label(name))
        row.addStretch(1)
        return line

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._first_focus is not None:
            self.tree.start()
            if self._first_focus is not self.tree:
                self._first_focus.setFocus()
            self._first_focus = None

    def keyPressEvent(self, event) -> None:
        """Enter in a field moves to the next one: it must not save a checklist half filled (every item
        starts 合格). Saving is the button or Ctrl+S."""
        on_button = isinstance(self.focusWidget(), QPushButton)  # Enter on a button presses it
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() and not on_button:
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    # --- as the officer fills it ---------------------------------------------------------------
    def _deadline_changed(self) -> None:
        self.tree.default_deadline = py_date(self.deadline.date())
        self.tree.refresh_deadlines()

    _failed = 0  # failed items at the last check

    def _items_edited(self) -> None:
        self.touched.add("items")
        self.on_edit()

    def revalidate(self) -> dict[str, str]:
        failed = sum(1 for item in self.tree.items() if item.result == "fail")
        self.result.setText(self.tr("不合格（{n}项）").format(n=failed) if failed else self.tr("合格"))
        self.result.setStyleSheet(RESULT_STYLE.format(colour="#c62828" if failed else "#2e7d32"))
        self.deadline.setEnabled(bool(failed))
        opinion, before = self.opinion.toPlainText().strip(), self._failed
        self._failed = failed
        if failed and not before and not opinion:  # at the first failure, a suggestion the officer may change
            self.opinion.setPlainText(self.tr(OPINION))
        elif not failed and before and opinion == self.tr(OPINION):  # gone again with the failures
            self.opinion.clear()
        return super().revalidate()

    # --- checking and saving --------------------------------------------------------------------
    def values(self) -> InspectionValues:
        items = self.tree.items()
        failed = any(item.result == "fail" for item in items)
        return InspectionValues(
            inspected_on=py_date(self.inspected_on.date()), inspectors=names_of(self.first, self.second),
            categories=self.tree.shown_categories(), items=items, result="issues" if failed else "passed",
            opinion=self.opinion.toPlainText(),
            present=self.present.text(), signer=self.signer.text(),
            deadline=py_date(self.deadline.date()) if failed else None)

    def problems(self) -> dict[str, str]:
        found = inspection_problems(self.values(), today=self.today)
        problems, wrong_items = {}, set()
        items = self.tree.items()
        for key, message in found.items():
            if not key.startswith("item."):
                if key != "result":  # the result follows the items
                    problems[key] = message
                continue
            _item, index, field = key.split(".")
            item = items[int(index)]
            if field == "deadline" and item.deadline is None:  # the record's 整改期限 is wrong
                problems.setdefault("deadline", message)
                continue
            wrong_items.add(int(index))
            if "“" not in message:
                message = self.tr("“{item}”：{message}").format(item=item.item, message=message)
            problems.setdefault("items", message)
        self.tree.mark_problems(wrong_items)
        return problems

    def _save_and_print(self) -> None:
        self.print_after = True
        if not self.submit():
            self.print_after = False

    def save(self) -> str:
        return record_inspection(self.db, enterprise_id=self.enterprise_id, values=self.values(),
                                 officer_id=self.officer_id, today=self.today)
