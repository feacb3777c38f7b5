"""企业 form: register an enterprise (with its 包企民警) or correct one; the credit code is checked as typed,
its checksum and whether another enterprise already holds it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from app.core.vocab import ENTERPRISE_CATEGORIES
from app.enterprises.queries import code_holder, community_choices, officer_choices
from app.enterprises.register import (
    LIMITS,
    MAX_PEOPLE,
    EnterpriseValues,
    add_enterprise,
    assignment_problems,
    enterprise_detail,
    enterprise_problems,
    update_enterprise,
)
from ui.enterprises.common import choice_combo, date_edit, py_date
from ui.widgets.fit import PHONE_LIMIT, limit_length
from ui.widgets.form import Form

NOT_GIVEN = -1  # a count spin box's "未填"


class EnterpriseEditForm(Form):
    """New enterprise (``enterprise_id`` None) or edit one; ``saved`` carries the enterprise id."""

    quiet = True
    own_window = True

    def __init__(self, db, *, enterprise_id: str | None = None, officer_id: str | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("登记企业") if enterprise_id is None else self.tr("修改企业信息"))
        self.db, self.enterprise_id, self.officer_id = db, enterprise_id, officer_id
        self.today = today or date.today()
        self.name = QLineEdit(self, placeholderText=self.tr("营业执照上的名称"))
        self.credit_code = QLineEdit(self, placeholderText=self.tr("18位统一社会信用代码"))
        self.category = choice_combo(self, ENTERPRISE_CATEGORIES)
        self.address = QLineEdit(self)
        self.community = choice_combo(self, community_choices(db), blank=self.tr("（未指定）"))
        self.industry = QLineEdit(self, placeholderText=self.tr("如 化工、物流、商贸"))
        self.legal_rep = QLineEdit(self)
        self.phone = QLineEdit(self, placeholderText=self.tr("手机号或带区号的固定电话"))
        self.security_head = QLineEdit(self)
        self.security_phone = QLineEdit(self)
        self.employees, self.guards = self._count(), self._count()
        self.tags = QLineEdit(self, placeholderText=self.tr("用“、”分隔，如 重点单位、夜间营业"))
        self.notes = QPlainTextEdit(self, tabChangesFocus=True)
        self.notes.setFixedHeight(60)
        for name, limit in LIMITS.items():
            limit_length(getattr(self, name), limit)
        limit_length(self.credit_code, 18)
        limit_length(self.phone, PHONE_LIMIT)
        limit_length(self.security_phone, PHONE_LIMIT)
        self.liaison: QComboBox | None = None
        self.liaison_from = None

        form = self.new_form()
        self.add_row(form, "name", self.tr("企业名称"), self.name)
        self.add_row(form, "credit_code", self.tr("统一社会信用代码"), self.credit_code)
        self.add_row(form, "category", self.tr("类别"), self.category)
        self.add_row(form, "address", self.tr("地址"), self.address)
        self.add_row(form, "community", self.tr("所属社区"), self.community)
        self.add_row(form, "industry", self.tr("行业"), self.industry)
        self.add_row(form, ("legal_rep", "phone"), self.tr("法定代表人 / 电话"), self._pair(self.legal_rep, self.phone))
        self.bind("legal_rep", self.legal_rep)
        self.bind("phone", self.phone)
        self.add_row(form, ("security_head", "security_phone"), self.tr("保卫负责人 / 电话"),
                     self._pair(self.security_head, self.security_phone))
        self.bind("security_head", self.security_head)
        self.bind("security_phone", self.security_phone)
        counts = QHBoxLayout()
        for label, spin in ((self.tr("职工"), self.employees), (self.tr("保安"), self.guards)):
            counts.addWidget(QLabel(label, self))
            counts.addWidget(spin)
        counts.addStretch(1)
        self.add_row(form, ("employees", "guards"), self.tr("人数"), counts)
        self.bind("employees", self.employees)
        self.bind("guards", self.guards)
        self.add_row(form, "tags", self.tr("标签"), self.tags)
        self.add_row(form, "notes", self.tr("备注"), self.notes)
        if enterprise_id is None:  # a new one gets its liaison officer here; later changes are dated
            self.liaison = choice_combo(self, officer_choices(db), blank=self.tr("（暂不指定）"), current=officer_id)
            self.liaison_from = date_edit(self, self.today)
            self.add_row(form, "liaison", self.tr("包企民警"), self.liaison)
            self.add_row(form, "assigned_on", self.tr("包企起始日期"), self.liaison_from)
        self.body.addLayout(form)
        self.resize(620, 0)
        if enterprise_id is not None:
            with self.loading():
                self._load(enterprise_detail(db, enterprise_id=enterprise_id).values)
        else:
            self.revalidate()

    def _count(self) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(NOT_GIVEN, MAX_PEOPLE)
        spin.setSpecialValueText(self.tr("未填"))
        spin.setValue(NOT_GIVEN)
        spin.setMinimumWidth(90)
        return spin

    def _pair(self, first: QLineEdit, second: QLineEdit) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(first, 1)
        row.addWidget(second, 1)
        return row

    def _load(self, values: EnterpriseValues) -> None:
        for name in ("name", "credit_code", "address", "industry", "legal_rep", "phone", "security_head",
                     "security_phone"):
            getattr(self, name).setText(getattr(values, name))
        self.category.setCurrentIndex(max(0, self.category.findData(values.category)))
        self.community.setCurrentIndex(max(0, self.community.findData(values.community_id)))
        self.employees.setValue(NOT_GIVEN if values.employees is None else values.employees)
        self.guards.setValue(NOT_GIVEN if values.guards is None else values.guards)
        self.tags.setText("、".join(values.tags))
        self.notes.setPlainText(values.notes)

    def values(self) -> EnterpriseValues:
        def count(spin: QSpinBox) -> int | None:
            return None if spin.value() == NOT_GIVEN else spin.value()

        tags = tuple(t for t in self.tags.text().replace(",", "、").replace("，", "、").split("、") if t.strip())
        return EnterpriseValues(
            name=self.name.text(), credit_code=self.credit_code.text(), category=self.category.currentData(),
            address=self.address.text(), community_id=self.community.currentData(), industry=self.industry.text(),
            legal_rep=self.legal_rep.text(), phone=self.phone.text(), security_head=self.security_head.text(),
            security_phone=self.security_phone.text(), employees=count(self.employees), guards=count(self.guards),
            tags=tags, notes=self.notes.toPlainText())

    def problems(self) -> dict[str, str]:
        values = self.values()
        problems = enterprise_problems(values)
        if "credit_code" not in problems and (holder := code_holder(self.db, credit_code=values.credit_code,
                                                                    own_id=self.enterprise_id)):
            problems["credit_code"] = self.tr("该代码已登记为“{name}”").format(name=holder)
        if self.liaison is not None and self.liaison.currentData() is not None:
            problems.update(assignment_problems(on=py_date(self.liaison_from.date()), notes="", today=self.today))
        return problems

    def save(self) -> str:
        if self.enterprise_id is not None:
            update_enterprise(self.db, enterprise_id=self.enterprise_id, values=self.values(),
                              officer_id=self.officer_id)
            return self.enterprise_id
        liaison = self.liaison.currentData()
        return add_enterprise(self.db, values=self.values(), liaison_officer_id=liaison,
                              liaison_from=py_date(self.liaison_from.date()) if liaison else None,
                              officer_id=self.officer_id, today=self.today)
