"""Small dispute forms: a status transition (with transfer details), a revisit date, a revisit result."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QDateTime, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.vocab import DISPUTE_STATUSES, REVISIT_RESULTS
from app.disputes.revisits import HORIZON_DAYS, NOTES_LIMIT, REOPENING, record_result, result_problems
from app.disputes.status import (
    REASON_LIMIT,
    TRANSFER_BODIES,
    TRANSITIONS,
    TransferDetails,
    transition,
    transition_problems,
)
from ui.disputes.form import DisputeForm, aware, py_date, q_date
from ui.widgets.fit import FitsScreen, limit_length
from ui.widgets.messages import HINT_STYLE

TRANSFER_LIMITS = {"body_name": 64, "receiver": 32, "handler": 32}  # the transfer table's columns (db/models)


class TransitionForm(DisputeForm):
    """状态流转: only the moves the table allows are offered; a reason is always asked for."""

    def __init__(self, db, *, dispute_id: str, number: str, current: str, occurred_at, officer_id: str | None = None,
                 preselect: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title="")
        self.setWindowTitle(self.tr("状态流转：{number}").format(number=number))
        self.db, self.dispute_id, self.current, self.officer_id = db, dispute_id, current, officer_id
        self.occurred_at = occurred_at
        self.to = QComboBox(self)
        for (frm, to), label in TRANSITIONS.items():
            if frm == current:
                status = DISPUTE_STATUSES[to]
                moved = self.tr("{action}（→ {status}）").format(action=label, status=status)
                text = label if label == status else moved
                self.to.addItem(self.tr(text), to)
        if preselect:
            self.to.setCurrentIndex(max(0, self.to.findData(preselect)))
        self.at = QDateTimeEdit(QDateTime.currentDateTime(), self, calendarPopup=True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.reason = QPlainTextEdit(self, placeholderText=self.tr("原因、依据，或接收单位的反馈"))
        self.reason.setMaximumHeight(110)

        self.transfer_box = QGroupBox(self.tr("移交信息（双向流转）"), self)
        self.body_name = QLineEdit(self)
        self.transferred_on = QDateEdit(QDate.currentDate(), self, calendarPopup=True)
        self.transferred_on.setDisplayFormat("yyyy-MM-dd")
        self.receiver = QLineEdit(self, placeholderText=self.tr("接收人"))
        self.handler = QLineEdit(self, placeholderText=self.tr("经办人"))
        self.criminal = QCheckBox(self.tr("已立为刑事案件（民转刑）"), self)
        limit_length(self.reason, REASON_LIMIT)
        for name, limit in TRANSFER_LIMITS.items():
            limit_length(getattr(self, name), limit)
        transfer_form = self.new_form()
        self.add_row(transfer_form, "body", self.tr("接收单位"), self.body_name)
        self.add_row(transfer_form, "transferred_on", self.tr("移交日期"), self.transferred_on)
        self.add_row(transfer_form, "receiver", self.tr("接收人"), self.receiver)
        self.add_row(transfer_form, "handler", self.tr("经办人"), self.handler)
        transfer_form.addRow("", self.criminal)
        self.transfer_box.setLayout(transfer_form)

        form = self.new_form()
        form.addRow(self.tr("当前状态"), QLabel(self.tr(DISPUTE_STATUSES.get(current, current)), self))
        self.add_row(form, "to", self.tr("改为"), self.to)
        self.add_row(form, "at", self.tr("时间"), self.at)
        self.add_row(form, "reason", self.tr("原因"), self.reason)
        self.body.addLayout(form)
        self.body.addWidget(self.transfer_box)
        self.body.addStretch(1)
        self.resize(560, 460)
        self.to.currentIndexChanged.connect(self._to_changed)
        with self.loading():
            self._to_changed()

    def _to_changed(self) -> None:
        to = self.to.currentData()
        self.transfer_box.setVisible(to in TRANSFER_BODIES)
        self.criminal.setVisible(to == "to_police")
        if to in TRANSFER_BODIES:
            self.body_name.setText(TRANSFER_BODIES[to])

    def transfer(self) -> TransferDetails | None:
        if self.to.currentData() not in TRANSFER_BODIES:
            return None
        return TransferDetails(on=py_date(self.transferred_on.date()), body=self.body_name.text(),
                               receiver=self.receiver.text(), handler=self.handler.text())

    def problems(self) -> dict[str, str]:
        return transition_problems(current=self.current, to=self.to.currentData() or "",
                                   reason=self.reason.toPlainText(), transfer=self.transfer(),
                                   at=aware(self.at.dateTime()), occurred_at=self.occurred_at)

    def save(self) -> str:
        transition(self.db, dispute_id=self.dispute_id, to=self.to.currentData(), reason=self.reason.toPlainText(),
                   officer_id=self.officer_id, at=aware(self.at.dateTime()), transfer=self.transfer(),
                   escalated_criminal=self.criminal.isChecked())
        return self.to.currentData()


class RevisitDateDialog(FitsScreen, QDialog):
    """指定日期: a calendar from today to a year ahead; reports the day by signal."""

    chosen = Signal(object)  # date

    def __init__(self, *, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("安排回访日期"))
        self.calendar = QCalendarWidget(self)
        self.calendar.setMinimumDate(q_date(today))
        self.calendar.setMaximumDate(q_date(today + timedelta(days=HORIZON_DAYS)))
        self.calendar.setSelectedDate(q_date(today + timedelta(days=7)))
        buttons = QDialogButtonBox(self)
        buttons.addButton(QPushButton(self.tr("安排回访"), self), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QPushButton(self.tr("取消"), self), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.calendar)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        self.chosen.emit(py_date(self.calendar.selectedDate()))
        self.accept()


class RevisitResultForm(DisputeForm):
    """回访结果: 稳定 closes it; 反复/升级 reopen a settled dispute (升级 also raises the risk)."""

    def __init__(self, db, *, revisit_id: str, number: str, due_on: date, occurred_on: date,
                 officer_id: str | None = None, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title="")
        self.setWindowTitle(self.tr("登记回访结果：{number}").format(number=number))
        self.db, self.revisit_id, self.officer_id = db, revisit_id, officer_id
        self.today, self.occurred_on = today or date.today(), occurred_on
        self.result = QComboBox(self)
        self.result.addItem(self.tr("请选择…"), None)
        for code, label in REVISIT_RESULTS.items():
            self.result.addItem(self.tr(label), code)
        self.done_on = QDateEdit(q_date(self.today), self, calendarPopup=True)
        self.done_on.setDisplayFormat("yyyy-MM-dd")
        self.notes = QPlainTextEdit(self, placeholderText=self.tr("当事人现状、协议履行情况"))
        self.notes.setMaximumHeight(120)
        limit_length(self.notes, NOTES_LIMIT)
        self.effect = QLabel(self)
        self.effect.setStyleSheet(HINT_STYLE)
        self.effect.setWordWrap(True)
        form = self.new_form()
        form.addRow(self.tr("计划日期"), QLabel(due_on.isoformat(), self))
        self.add_row(form, "result", self.tr("回访结果"), self.result)
        self.add_row(form, "done_on", self.tr("回访日期"), self.done_on)
        self.add_row(form, "notes", self.tr("情况说明"), self.notes)
        form.addRow("", self.effect)
        self.body.addLayout(form)
        self.body.addStretch(1)
        self.resize(560, 320)
        self.result.currentIndexChanged.connect(self._explain)
        with self.loading():
            self._explain()

    def _explain(self) -> None:
        result = self.result.currentData()
        if result == "escalated":
            text = self.tr("已化解或已终止的纠纷将重新置为“调处中”，风险等级调为高，并记入流转历史。")
        elif result in REOPENING:
            text = self.tr("已化解或已终止的纠纷将重新置为“调处中”，并记入流转历史。")
        else:
            text = ""
        self.effect.setText(text)

    def problems(self) -> dict[str, str]:
        return result_problems(result=self.result.currentData() or "", done_on=py_date(self.done_on.date()),
                               notes=self.notes.toPlainText(), today=self.today, occurred_on=self.occurred_on)

    def save(self):
        return record_result(self.db, revisit_id=self.revisit_id, result=self.result.currentData(),
                             notes=self.notes.toPlainText(), done_on=py_date(self.done_on.date()),
                             officer_id=self.officer_id, today=self.today)
