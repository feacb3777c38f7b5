"""调解记录 and 调解协议书 forms: a session moves a pending dispute into mediation; an agreement settles it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.core.vocab import MEDIATION_KINDS
from app.disputes.mediation import (
    AGREEMENT_KINDS,
    PERFORMANCE,
    TEXT_LIMIT,
    AgreementValues,
    SessionValues,
    add_session,
    agreement_copies,
    agreement_defaults,
    agreement_problems,
    create_agreement,
    session_problems,
)
from ui.disputes.form import DisputeForm, aware, py_date, q_date
from ui.widgets.fit import limit_length
from ui.widgets.messages import HINT_STYLE

SESSION_LIMITS = {"place": 200, "host": 32, "mediators": 200, "attendees": 400,
                  "record": TEXT_LIMIT}  # as app.disputes.mediation.session_problems


class SessionForm(DisputeForm):
    def __init__(self, db, *, dispute_id: str, number: str, occurred_at, host: str = "", place: str = "",
                 attendees: str = "", officer_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title="")
        self.setWindowTitle(self.tr("调解记录：{number}").format(number=number))
        self.db, self.dispute_id, self.officer_id, self.occurred_at = db, dispute_id, officer_id, occurred_at
        self.held_at = QDateTimeEdit(QDateTime.currentDateTime(), self, calendarPopup=True)
        self.held_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.kind = QComboBox(self)
        for code, label in MEDIATION_KINDS.items():
            self.kind.addItem(self.tr(label), code)
        self.place = QLineEdit(place, self)
        self.host = QLineEdit(host, self)
        self.mediators = QLineEdit(self, placeholderText=self.tr("多人用“、”分隔"))
        self.attendees = QLineEdit(attendees, self)
        self.record = QPlainTextEdit(self, placeholderText=self.tr("各方陈述、调解经过、达成的意向或分歧"))
        for name, limit in SESSION_LIMITS.items():
            limit_length(getattr(self, name), limit)
        form = self.new_form()
        self.add_row(form, "held_at", self.tr("调解时间"), self.held_at)
        self.add_row(form, "kind", self.tr("调解类型"), self.kind)
        self.add_row(form, "place", self.tr("调解地点"), self.place)
        self.add_row(form, "host", self.tr("主持人"), self.host)
        self.add_row(form, "mediators", self.tr("调解员"), self.mediators)
        self.add_row(form, "attendees", self.tr("参加人"), self.attendees)
        self.add_row(form, "record", self.tr("调解记录"), self.record)
        self.body.addLayout(form)
        self.resize(620, 520)
        self.revalidate()

    def draft_key(self):
        return "session", None, {"dispute_id": self.dispute_id}

    def values(self) -> SessionValues:
        return SessionValues(held_at=aware(self.held_at.dateTime()), kind=self.kind.currentData(),
                             place=self.place.text(), host=self.host.text(), mediators=self.mediators.text(),
                             attendees=self.attendees.text(), record=self.record.toPlainText())

    def problems(self) -> dict[str, str]:
        return session_problems(self.values(), occurred_at=self.occurred_at)

    def save(self) -> str:
        return add_session(self.db, dispute_id=self.dispute_id, values=self.values(), officer_id=self.officer_id)


class AgreementForm(DisputeForm):
    """One term per line, in order; saving gives the next 协议编号 and (by default) settles the dispute."""

    def __init__(self, db, *, dispute_id: str, number: str, parties: int, occurred_on: date | None = None,
                 officer_id: str | None = None, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title="")
        self.setWindowTitle(self.tr("制作调解协议书：{number}").format(number=number))
        self.save_button.setText(self.tr("保存并预览"))
        self.db, self.dispute_id, self.officer_id = db, dispute_id, officer_id
        self.parties, self.today, self.occurred_on = parties, today or date.today(), occurred_on
        self.kind = QComboBox(self)
        for code, label in AGREEMENT_KINDS.items():
            self.kind.addItem(self.tr(label), code)
        self.facts = QPlainTextEdit(self)
        self.facts.setMaximumHeight(110)
        limit_length(self.facts, TEXT_LIMIT)
        self.issues = QLineEdit(self)
        self.responsibilities = QLineEdit(self, placeholderText=self.tr("可不填"))
        self.terms = QPlainTextEdit(self, placeholderText=self.tr("每行一条，按顺序编号打印，例如：\n"
                                                                  "张三于十日内赔偿李四修理费八百元。"))
        self.terms.setMinimumHeight(120)
        self.term_count = QLabel(self)
        self.term_count.setStyleSheet(HINT_STYLE)
        # No default: 当场履行 printed beside a term such as 三日内 is a false statement.
        self.performance = QComboBox(self)
        self.performance.addItem(self.tr("请选择"), "")
        for code, label in PERFORMANCE.items():
            self.performance.addItem(self.tr(label), code)
        self.deadline = QDateEdit(QDate.currentDate().addDays(7), self, calendarPopup=True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.copies = QLabel(self.tr("一式{n}份（当事人各执一份，调解组织留存一份）").format(
            n=agreement_copies(parties)), self)
        self.signed_on = QDateEdit(QDate.currentDate(), self, calendarPopup=True)
        self.signed_on.setDisplayFormat("yyyy-MM-dd")
        self.mark_resolved = QCheckBox(self.tr("保存后将纠纷标记为“已化解”"), self)
        self.mark_resolved.setChecked(True)

        how = QHBoxLayout()
        how.addWidget(self.performance)
        how.addWidget(QLabel(self.tr("履行期限"), self))
        how.addWidget(self.deadline)
        how.addStretch(1)
        form = self.new_form()
        self.add_row(form, "kind", self.tr("协议书种类"), self.kind)
        self.add_row(form, "facts", self.tr("纠纷主要事实"), self.facts)
        self.add_row(form, "issues", self.tr("争议事项"), self.issues)
        self.add_row(form, "responsibilities", self.tr("责任认定"), self.responsibilities)
        self.add_row(form, "terms", self.tr("协议内容"), self.terms)
        form.addRow("", self.term_count)
        # One message line for both (never wrong at once); named after the last: problem_performance.
        self.add_row(form, ("deadline", "performance"), self.tr("履行方式"), how)
        self.bind(("deadline", "performance"), self.performance, self.deadline)
        self.add_row(form, "copies", self.tr("份数"), self.copies)
        self.add_row(form, "signed_on", self.tr("签订日期"), self.signed_on)
        form.addRow("", self.mark_resolved)
        self.body.addLayout(form)
        self.performance.currentIndexChanged.connect(
            lambda: self.deadline.setEnabled(self.performance.currentData() == "promised"))
        self.resize(680, 720)
        self.touched.add("performance")  # the choice is still to make: say so beside the field
        with self.loading():
            self.load(agreement_defaults(db, dispute_id, today=self.today))

    def draft_key(self):
        return "agreement", None, {"dispute_id": self.dispute_id}

    def load(self, values: AgreementValues) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.kind)))
        self.facts.setPlainText(values.facts)
        self.issues.setText(values.issues)
        self.responsibilities.setText(values.responsibilities)
        self.terms.setPlainText("\n".join(values.terms))
        self.performance.setCurrentIndex(max(0, self.performance.findData(values.performance)))
        self.deadline.setEnabled(values.performance == "promised")
        if values.deadline:
            self.deadline.setDate(q_date(values.deadline))
        if values.signed_on:
            self.signed_on.setDate(q_date(values.signed_on))

    def values(self) -> AgreementValues:
        performance = self.performance.currentData()
        return AgreementValues(
            kind=self.kind.currentData(), facts=self.facts.toPlainText(), issues=self.issues.text(),
            responsibilities=self.responsibilities.text(),
            terms=[line for line in self.terms.toPlainText().splitlines() if line.strip()],
            performance=performance, deadline=py_date(self.deadline.date()) if performance == "promised" else None,
            signed_on=py_date(self.signed_on.date()))

    def problems(self) -> dict[str, str]:
        values = self.values()
        self.term_count.setText(self.tr("共 {n} 条").format(n=len(values.terms)) if values.terms else "")
        return agreement_problems(values, parties=self.parties, today=self.today, occurred_on=self.occurred_on)

    def save(self):
        return create_agreement(self.db, dispute_id=self.dispute_id, values=self.values(),
                                officer_id=self.officer_id, mark_resolved=self.mark_resolved.isChecked(),
                                today=self.today)
