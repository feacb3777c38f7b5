"""The rectification flow's forms: issue the 责令限期整改通知书, note its delivery, report an item put right,
and the 复查 (passed, or overdue and handed to enforcement). A move the flow does not allow is refused by
the service; the form shows its reason and keeps the input."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QWidget

from app.core.vocab import RECHECK_OUTCOMES
from app.enterprises.common import joined
from app.enterprises.inspections import InspectionRecord
from app.enterprises.notices import (
    OPINION_LIMIT,
    NoticeValues,
    RecheckValues,
    deliver_notice,
    issue_notice,
    notice_problems,
    recheck_problems,
    record_recheck,
)
from app.enterprises.rectifications import RectificationLine, report_done
from ui.enterprises.common import ShortForm, choice_combo, date_edit, inspector_pair, names_of, py_date, quoted
from ui.widgets.fit import limit_length

DEFAULT_DAYS = 15  # 改正期限 when every item's own has passed already
PASSED_OPINION = "经复查，上述隐患均已整改到位。"
OVERDUE_OPINION = "经复查，{items}逾期未整改。"


def _problems_text(items: list[RectificationLine]) -> str:
    return "\n".join(f"{n}. {item.problem}（限{item.deadline.isoformat()}）" for n, item in enumerate(items, 1))


class NoticeForm(ShortForm):
    """下发责令限期整改通知书 of a failed inspection; ``saved`` carries its number (Numbered).
    ``print_after`` is set when 下发并打印 was pressed: the tab then opens the preview."""

    def __init__(self, db, *, record: InspectionRecord, items: list[RectificationLine], issuer: str = "",
                 officer_id: str | None = None, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("下发责令限期整改通知书：{name}").format(name=record.enterprise),
                         save_text=self.tr("下发"))
        self.db, self.record, self.officer_id = db, record, officer_id
        self.today, self.print_after = today or date.today(), False
        latest = max((item.deadline for item in items), default=self.today)
        self.addressee = QLineEdit(record.enterprise, self)
        self.issued_on = date_edit(self, self.today)
        self.deadline = date_edit(self, latest if latest > self.today else self.today + timedelta(days=DEFAULT_DAYS))
        self.issuer = QLineEdit(issuer, self)
        self.delivered = QCheckBox(self.tr("当场送达"), self)
        self.delivered_on = date_edit(self, self.today)
        self.receiver = QLineEdit(self, placeholderText=self.tr("签收人"))
        for field, limit in ((self.addressee, 100), (self.issuer, 32), (self.receiver, 32)):
            limit_length(field, limit)
        form = self.new_form()
        form.addRow(self.tr("检查"), quoted(self, self.tr("{day}　检查人员 {who}").format(
            day=record.inspected_on.isoformat(), who=joined(record.inspectors))))
        form.addRow(self.tr("存在问题"), quoted(self, _problems_text(items)))
        self.add_row(form, "addressee", self.tr("被通知单位"), self.addressee)
        self.add_row(form, "issued_on", self.tr("下发日期"), self.issued_on)
        self.add_row(form, "deadline", self.tr("改正期限"), self.deadline)
        self.add_row(form, "issuer", self.tr("签发人"), self.issuer)
        delivery = QHBoxLayout()
        delivery.addWidget(self.delivered)
        delivery.addWidget(self.delivered_on)
        delivery.addWidget(self.receiver, 1)
        self.add_row(form, ("delivered_on", "receiver"), self.tr("送达"), delivery)
        self.bind("delivered_on", self.delivered, self.delivered_on)
        self.bind("receiver", self.receiver)
        self.body.addLayout(form)
        self.delivered.toggled.connect(self._delivery_shown)
        self.print_button = self.add_save_button(self.tr("下发并打印"))
        self.print_button.clicked.connect(self._issue_and_print)
        self.resize(600, 0)
        self._delivery_shown(False)
        self.revalidate()

    def _delivery_shown(self, shown: bool) -> None:
        self.delivered_on.setEnabled(shown)
        self.receiver.setEnabled(shown)

    def _issue_and_print(self) -> None:
        self.print_after = True
        if not self.submit():
            self.print_after = False

    def values(self) -> NoticeValues:
        delivered = self.delivered.isChecked()
        return NoticeValues(issued_on=py_date(self.issued_on.date()), issuer=self.issuer.text(),
                            addressee=self.addressee.text(), deadline=py_date(self.deadline.date()),
                            delivered_on=py_date(self.delivered_on.date()) if delivered else None,
                            receiver=self.receiver.text() if delivered else "")

    def problems(self) -> dict[str, str]:
        problems = notice_problems(self.values(), inspected_on=self.record.inspected_on, today=self.today)
        if self.delivered.isChecked() and not self.receiver.text().strip():  # shown once 当场送达 is ticked
            problems.setdefault("delivered_on", self.tr("当场送达的，请填写签收人"))
        return problems

    def save(self):
        return issue_notice(self.db, inspection_id=self.record.id, values=self.values(), officer_id=self.officer_id,
                            today=self.today)


class DeliverForm(ShortForm):
    """登记送达: the stub's delivery day and who signed for the notice."""

    def __init__(self, db, *, inspection_id: str, number: str, issued_on: date, officer_id: str | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("登记送达：{number}").format(number=number))
        self.db, self.inspection_id, self.officer_id = db, inspection_id, officer_id
        self.today, self.issued_on = today or date.today(), issued_on
        self.delivered_on = date_edit(self, self.today)
        self.receiver = QLineEdit(self)
        limit_length(self.receiver, 32)
        form = self.new_form()
        self.add_row(form, "delivered_on", self.tr("送达日期"), self.delivered_on)
        self.add_row(form, "receiver", self.tr("签收人"), self.receiver)
        self.body.addLayout(form)
        self.revalidate()

    def problems(self) -> dict[str, str]:
        problems = {}
        if py_date(self.delivered_on.date()) < self.issued_on:
            problems["delivered_on"] = self.tr("送达日期不能早于下发日期")
        elif py_date(self.delivered_on.date()) > self.today:
            problems["delivered_on"] = self.tr("送达日期不能晚于今天")
        if not self.receiver.text().strip():
            problems["receiver"] = self.tr("请填写签收人")
        return problems

    def save(self) -> str:
        deliver_notice(self.db, inspection_id=self.inspection_id, delivered_on=py_date(self.delivered_on.date()),
                       receiver=self.receiver.text(), officer_id=self.officer_id, today=self.today)
        return self.inspection_id


class DoneForm(ShortForm):
    """报告已整改: the day the enterprise reported (or the officer saw) the problem put right."""

    def __init__(self, db, *, item: RectificationLine, officer_id: str | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("报告已整改：{name}").format(name=item.enterprise))
        self.db, self.item, self.officer_id = db, item, officer_id
        self.today = today or date.today()
        self.done_on = date_edit(self, self.today)
        form = self.new_form()
        form.addRow(self.tr("隐患"), quoted(self, self.tr("{problem}（限{deadline}前整改）").format(
            problem=item.problem, deadline=item.deadline.isoformat())))
        self.add_row(form, "done_on", self.tr("整改日期"), self.done_on)
        self.body.addLayout(form)
        self.revalidate()

    def problems(self) -> dict[str, str]:
        return {"done_on": self.tr("整改日期不能晚于今天")} if py_date(self.done_on.date()) > self.today else {}

    def save(self) -> str:
        report_done(self.db, rectification_id=self.item.id, done_on=py_date(self.done_on.date()),
                    officer_id=self.officer_id, today=self.today)
        return self.item.id


class RecheckForm(ShortForm):
    """复查: which problems are put right, the opinion, and the outcome (suggested from the ticks until
    the officer chooses one). ``print_after`` as NoticeForm's, for the 复查意见书."""

    def __init__(self, db, *, record: InspectionRecord, items: list[RectificationLine], officers: list[str],
                 inspector: str = "", officer_id: str | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("复查：{name}").format(name=record.enterprise),
                         save_text=self.tr("保存复查"))
        self.db, self.record, self.items, self.officer_id = db, record, items, officer_id
        self.today, self.print_after, self._chosen = today or date.today(), False, False
        self.rechecked_on = date_edit(self, self.today)
        self.first, self.second = inspector_pair(self, officers, first=inspector)
        self.fixed = QListWidget(self)
        for item in items:
            row = QListWidgetItem(f"{item.problem}（限{item.deadline.isoformat()}"
                                  + (f"，{item.done_on.isoformat()}报整改）" if item.done_on else "）"), self.fixed)
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setCheckState(Qt.CheckState.Checked if item.done_on else Qt.CheckState.Unchecked)
        self.fixed.setMaximumHeight(24 * min(max(len(items), 2), 6) + 8)
        self.outcome = choice_combo(self, RECHECK_OUTCOMES)
        self.opinion = QPlainTextEdit(self, tabChangesFocus=True)
        self.opinion.setFixedHeight(80)
        limit_length(self.opinion, OPINION_LIMIT)
        pair = QHBoxLayout()
        pair.addWidget(self.first, 1)
        pair.addWidget(self.second, 1)
        form = self.new_form()
        self.add_row(form, "rechecked_on", self.tr("复查日期"), self.rechecked_on)
        self.add_row(form, "inspectors", self.tr("复查人员"), pair)
        self.bind("inspectors", self.first, self.second)
        self.add_row(form, "fixed", self.tr("已整改到位\n（勾选）"), self.fixed)
        self.add_row(form, "outcome", self.tr("复查结论"), self.outcome)
        self.add_row(form, "opinion", self.tr("复查意见"), self.opinion)
        self.body.addLayout(form)
        self.print_button = self.add_save_button(self.tr("保存并打印意见书"))
        self.print_button.clicked.connect(self._save_and_print)
        self.fixed.itemChanged.connect(self._suggest)
        self.outcome.activated.connect(self._outcome_chosen)
        self.resize(720, 0)
        with self.loading():
            self._suggest()

    def _outcome_chosen(self) -> None:
        self._chosen = True

    def _suggest(self) -> None:
        """Until the officer picks an outcome, it follows the ticks; so does an opinion he has not written."""
        missing = [self.fixed.item(i).text() for i in range(self.fixed.count())
                   if self.fixed.item(i).checkState() != Qt.CheckState.Checked]
        if not self._chosen:
            self.outcome.setCurrentIndex(self.outcome.findData("enforcement" if missing else "passed"))
        text = self.opinion.toPlainText().strip()
        automatic = not text or text == PASSED_OPINION or text.startswith("经复查，") and text.endswith("逾期未整改。")
        if automatic:
            self.opinion.setPlainText(OVERDUE_OPINION.format(items="、".join(m.split("（")[0] for m in missing))
                                      if missing else PASSED_OPINION)

    def _save_and_print(self) -> None:
        self.print_after = True
        if not self.submit():
            self.print_after = False

    def values(self) -> RecheckValues:
        fixed = tuple(self.fixed.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.fixed.count())
                      if self.fixed.item(i).checkState() == Qt.CheckState.Checked)
        return RecheckValues(rechecked_on=py_date(self.rechecked_on.date()),
                             inspectors=names_of(self.first, self.second), opinion=self.opinion.toPlainText(),
                             outcome=self.outcome.currentData(), fixed=fixed)

    def problems(self) -> dict[str, str]:
        return recheck_problems(self.values(), today=self.today)

    def save(self):
        return record_recheck(self.db, inspection_id=self.record.id, values=self.values(), officer_id=self.officer_id,
                              today=self.today)
