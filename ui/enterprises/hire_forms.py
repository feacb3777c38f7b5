"""招工身份核查 forms: an enterprise's request (applicant, ID number checked as typed, job, legal basis or
consent) and the station's coarse answer. The real check runs on the police network; nothing else is kept."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.core.vocab import HIRE_CHECK_RESULTS
from app.enterprises.hire_checks import (
    KEEP_DAYS,
    Added,
    HireCheckLine,
    HireCheckValues,
    add_hire_check,
    answer_hire_check,
    answer_problems,
    hire_check_problems,
)
from ui.enterprises.common import ShortForm, choice_combo, date_edit, py_date, quoted
from ui.widgets.fit import PHONE_LIMIT, limit_length

BASES = ("应聘人员书面同意", "《保安服务管理条例》", "《民用爆炸物品安全管理条例》", "《危险化学品安全管理条例》")


class HireCheckForm(ShortForm):
    """登记核查申请; ``saved`` carries app.enterprises.hire_checks.Added (with earlier checks of the person)."""

    def __init__(self, db, *, enterprise_id: str, name: str, officer_id: str | None = None,
                 today: date | None = None, keep_days: int = KEEP_DAYS, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("招工身份核查申请：{name}").format(name=name))
        self.db, self.enterprise_id, self.officer_id = db, enterprise_id, officer_id
        self.today, self.keep_days = today or date.today(), keep_days
        self.name = QLineEdit(self)
        self.id_number = QLineEdit(self, placeholderText=self.tr("18位身份证号"))
        self.phone = QLineEdit(self)
        self.job = QLineEdit(self, placeholderText=self.tr("如 保安员、仓库保管员"))
        self.requested_on = date_edit(self, self.today)
        self.basis = QComboBox(self, editable=True)
        self.basis.addItems([self.tr(b) for b in BASES])
        self.basis.setCurrentIndex(0)
        limit_length(self.name, 32)
        limit_length(self.id_number, 18)
        limit_length(self.phone, PHONE_LIMIT)
        limit_length(self.job, 32)
        limit_length(self.basis, 100)
        form = self.new_form()
        self.add_row(form, "name", self.tr("应聘人员"), self.name)
        self.add_row(form, "id_number", self.tr("身份证号"), self.id_number)
        self.add_row(form, "phone", self.tr("电话"), self.phone)
        self.add_row(form, "job", self.tr("应聘岗位"), self.job)
        self.add_row(form, "requested_on", self.tr("申请日期"), self.requested_on)
        self.add_row(form, "basis", self.tr("依据或同意"), self.basis)
        form.addRow("", quoted(self, self.tr(
            "本机只记录申请和答复结论，核查在公安网进行；身份证号保存{days}天后只留后4位。").format(days=keep_days)))
        self.body.addLayout(form)
        self.resize(520, 0)
        self.revalidate()

    def values(self) -> HireCheckValues:
        return HireCheckValues(name=self.name.text(), id_number=self.id_number.text(), job=self.job.text(),
                               requested_on=py_date(self.requested_on.date()), basis=self.basis.currentText(),
                               phone=self.phone.text())

    def problems(self) -> dict[str, str]:
        return hire_check_problems(self.values(), today=self.today)

    def save(self) -> Added:
        return add_hire_check(self.db, enterprise_id=self.enterprise_id, values=self.values(),
                              keep_days=self.keep_days, officer_id=self.officer_id, today=self.today)


class HireAnswerForm(ShortForm):
    """登记核查结果: 未见异常 / 需进一步核查 / 已移交, and internal notes no document prints."""

    def __init__(self, db, *, check: HireCheckLine, officer_id: str | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("核查结果：{name}").format(name=check.name))
        self.db, self.check, self.officer_id = db, check, officer_id
        self.today = today or date.today()
        self.answered_on = date_edit(self, self.today)
        self.result = choice_combo(self, HIRE_CHECK_RESULTS, blank=self.tr("请选择…"))
        self.notes = QPlainTextEdit(self, tabChangesFocus=True,
                                    placeholderText=self.tr("仅所内留存，不打印、不告知企业"))
        self.notes.setFixedHeight(70)
        limit_length(self.notes, 500)
        asked = check.requested_on.isoformat() if check.requested_on else ""
        form = self.new_form()
        form.addRow(self.tr("申请"), quoted(self, self.tr("{enterprise}　{asked}申请　{name}　应聘{job}").format(
            enterprise=check.enterprise, asked=asked, name=check.name, job=check.job)))
        self.add_row(form, "answered_on", self.tr("答复日期"), self.answered_on)
        self.add_row(form, "result", self.tr("核查结果"), self.result)
        self.add_row(form, "notes", self.tr("内部备注"), self.notes)
        self.body.addLayout(form)
        self.resize(520, 0)
        self.revalidate()

    def problems(self) -> dict[str, str]:
        return answer_problems(answered_on=py_date(self.answered_on.date()), result=self.result.currentData() or "",
                               notes=self.notes.toPlainText(), requested_on=self.check.requested_on,
                               today=self.today)

    def save(self) -> str:
        answer_hire_check(self.db, hire_check_id=self.check.id, answered_on=py_date(self.answered_on.date()),
                          result=self.result.currentData(), notes=self.notes.toPlainText(),
                          officer_id=self.officer_id, today=self.today)
        return self.check.id


class HireListForm(ShortForm):
    """打印招工核查申请清单: the requests of a period, for the officer at the police terminal;
    ``saved`` carries the rendered list (app.output.pdf.Rendered) for the preview."""

    def __init__(self, db, *, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("招工身份核查申请清单"), save_text=self.tr("预览清单"))
        self.db, self.today = db, today or date.today()
        self.start = date_edit(self, self.today.replace(day=1))
        self.end = date_edit(self, self.today)
        form = self.new_form()
        self.add_row(form, "start", self.tr("申请日期从"), self.start)
        self.add_row(form, "end", self.tr("到"), self.end)
        form.addRow("", quoted(self, self.tr("清单含完整身份证号，仅供所内核查使用，用后交回存档。")))
        self.body.addLayout(form)
        self.revalidate()

    def problems(self) -> dict[str, str]:
        if py_date(self.end.date()) < py_date(self.start.date()):
            return {"end": self.tr("结束日期不能早于开始日期")}
        return {}

    def save(self):
        from app.enterprises.hire_check_pdf import hire_check_list

        return hire_check_list(self.db, start=py_date(self.start.date()), end=py_date(self.end.date()))
