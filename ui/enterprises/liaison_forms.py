"""警企联络 forms: change the 包企民警 (dated), log a contact, record a request (诉求) and answer it."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.core.vocab import LIAISON_KINDS
from app.enterprises.liaison import (
    CONTENT_LIMIT,
    MET_LIMIT,
    LiaisonValues,
    RequestLine,
    RequestValues,
    add_liaison,
    add_request,
    answer_problems,
    answer_request,
    liaison_problems,
    request_problems,
)
from app.enterprises.queries import officer_choices
from app.enterprises.register import assign_liaison, assignment_problems
from ui.enterprises.common import ShortForm, choice_combo, date_edit, py_date, quoted
from ui.widgets.fit import limit_length

REQUEST_DAYS = 7  # a request's default answer-by day, a week on


def _text_box(parent: QWidget, limit: int, *, placeholder: str = "", height: int = 110) -> QPlainTextEdit:
    box = QPlainTextEdit(parent, tabChangesFocus=True, placeholderText=placeholder)
    box.setFixedHeight(height)
    limit_length(box, limit)
    return box


class AssignForm(ShortForm):
    """更换包企民警 from a day; the change is kept with its date. ``saved`` carries the new officer id."""

    def __init__(self, db, *, enterprise_id: str, name: str, current_id: str | None, current: str,
                 officer_id: str | None = None, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("更换包企民警：{name}").format(name=name))
        self.db, self.enterprise_id, self.current_id, self.officer_id = db, enterprise_id, current_id, officer_id
        self.today = today or date.today()
        self.officer = choice_combo(self, officer_choices(db), blank=self.tr("（不再指定）"))
        self.officer.setCurrentIndex(max(0, self.officer.findData(officer_id if officer_id != current_id else None)))
        self.on = date_edit(self, self.today)
        self.notes = QLineEdit(self, placeholderText=self.tr("如 民警调岗、社区调整"))
        limit_length(self.notes, 200)
        form = self.new_form()
        form.addRow(self.tr("现包企民警"), QLabel(current or self.tr("（未指定）"), self))
        self.add_row(form, "officer", self.tr("改为"), self.officer)
        self.add_row(form, "assigned_on", self.tr("变更日期"), self.on)
        self.add_row(form, "notes", self.tr("原因"), self.notes)
        self.body.addLayout(form)
        self.revalidate()

    def problems(self) -> dict[str, str]:
        problems = assignment_problems(on=py_date(self.on.date()), notes=self.notes.text(), today=self.today)
        if self.officer.currentData() == self.current_id:
            problems["officer"] = self.tr("请选择另一名民警（或“不再指定”）")
        return problems

    def save(self) -> str | None:
        assign_liaison(self.db, enterprise_id=self.enterprise_id, liaison_officer_id=self.officer.currentData(),
                       on=py_date(self.on.date()), notes=self.notes.text(), officer_id=self.officer_id,
                       today=self.today)
        return self.officer.currentData()


class LiaisonForm(ShortForm):
    """记录联络: what kind, when, what was said, whom the officer met. ``saved`` carries its id."""

    def __init__(self, db, *, enterprise_id: str, name: str, officer_id: str | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("警企联络：{name}").format(name=name))
        self.db, self.enterprise_id, self.officer_id = db, enterprise_id, officer_id
        self.today = today or date.today()
        self.kind = choice_combo(self, LIAISON_KINDS, blank=self.tr("请选择…"))
        self.visited_on = date_edit(self, self.today)
        self.content = _text_box(self, CONTENT_LIMIT, placeholder=self.tr("通报了什么、听取了什么、解决了什么"))
        self.met = QLineEdit(self, placeholderText=self.tr("如 吴卫东（保卫科长）、李梅"))
        limit_length(self.met, MET_LIMIT)
        form = self.new_form()
        self.add_row(form, "kind", self.tr("联络事项"), self.kind)
        self.add_row(form, "visited_on", self.tr("日期"), self.visited_on)
        self.add_row(form, "content", self.tr("内容"), self.content)
        self.add_row(form, "met", self.tr("见面人员"), self.met)
        self.body.addLayout(form)
        self.resize(560, 0)
        self.revalidate()

    def values(self) -> LiaisonValues:
        return LiaisonValues(kind=self.kind.currentData() or "", visited_on=py_date(self.visited_on.date()),
                             content=self.content.toPlainText(), met=self.met.text())

    def problems(self) -> dict[str, str]:
        return liaison_problems(self.values(), today=self.today)

    def save(self) -> str:
        return add_liaison(self.db, enterprise_id=self.enterprise_id, values=self.values(), officer_id=self.officer_id,
                           today=self.today)


class RequestForm(ShortForm):
    """登记诉求 with the day it must be answered by (on the 工作台 until answered)."""

    def __init__(self, db, *, enterprise_id: str, name: str, officer_id: str | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("登记诉求：{name}").format(name=name))
        self.db, self.enterprise_id, self.officer_id = db, enterprise_id, officer_id
        self.today = today or date.today()
        self.raised_on = date_edit(self, self.today)
        self.content = _text_box(self, CONTENT_LIMIT, placeholder=self.tr("企业提出的困难、意见或请求"))
        self.due_on = date_edit(self, self.today + timedelta(days=REQUEST_DAYS))
        form = self.new_form()
        self.add_row(form, "raised_on", self.tr("提出日期"), self.raised_on)
        self.add_row(form, "content", self.tr("诉求内容"), self.content)
        self.add_row(form, "due_on", self.tr("答复期限"), self.due_on)
        self.body.addLayout(form)
        self.resize(560, 0)
        self.revalidate()

    def values(self) -> RequestValues:
        return RequestValues(raised_on=py_date(self.raised_on.date()), content=self.content.toPlainText(),
                             due_on=py_date(self.due_on.date()))

    def problems(self) -> dict[str, str]:
        return request_problems(self.values(), today=self.today)

    def save(self) -> str:
        return add_request(self.db, enterprise_id=self.enterprise_id, values=self.values(), officer_id=self.officer_id,
                           today=self.today)


class AnswerForm(ShortForm):
    """答复诉求: the day and what the enterprise was told (once)."""

    def __init__(self, db, *, request: RequestLine, officer_id: str | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("答复诉求：{name}").format(name=request.enterprise))
        self.db, self.request, self.officer_id = db, request, officer_id
        self.today = today or date.today()
        self.answered_on = date_edit(self, self.today)
        self.answer = _text_box(self, CONTENT_LIMIT, placeholder=self.tr("如何解决、答复了谁"))
        form = self.new_form()
        form.addRow(self.tr("诉求"), quoted(self, self.tr("{raised}提出，限{due}前答复：{content}").format(
            raised=request.raised_on.isoformat(), due=request.due_on.isoformat(), content=request.content)))
        self.add_row(form, "answered_on", self.tr("答复日期"), self.answered_on)
        self.add_row(form, "answer", self.tr("答复内容"), self.answer)
        self.body.addLayout(form)
        self.resize(560, 0)
        self.revalidate()

    def problems(self) -> dict[str, str]:
        return answer_problems(answered_on=py_date(self.answered_on.date()), answer=self.answer.toPlainText(),
                               raised_on=self.request.raised_on, today=self.today)

    def save(self) -> str:
        answer_request(self.db, request_id=self.request.id, answered_on=py_date(self.answered_on.date()),
                       answer=self.answer.toPlainText(), officer_id=self.officer_id, today=self.today)
        return self.request.id
