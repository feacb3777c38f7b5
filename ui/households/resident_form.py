"""人员 form: gender and birth date follow the ID number; an ID number already registered offers
that person (to move here and edit) instead of making a duplicate."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.core.vocab import RELATIONS
from app.households.residents import (
    LIMITS,
    ResidentValues,
    consistent,
    derived_from_id,
    find_person,
    resident_problems,
    resident_values,
    save_resident,
)
from ui.widgets.fit import PHONE_LIMIT, ElidedLabel, limit_length
from ui.widgets.form import Form

NO_DATE = QDate(1900, 1, 1)  # the date edit's minimum, shown as "未填写"


class ResidentForm(Form):
    """Add a person to ``household_id`` or edit ``resident_id``; ``saved`` carries the resident id."""

    own_window = True
    draft_area = "households"

    offered = Signal(str)  # id of the registered person the ID number belongs to

    def __init__(self, db, *, household_id: str, address: str, resident_id: str | None = None,
                 officer_id: str | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("新增人员") if resident_id is None else self.tr("编辑人员"))
        self.db, self.household_id, self.resident_id, self.officer_id = db, household_id, resident_id, officer_id
        self.existing = None  # the registered person the typed ID number belongs to, if any

        self.offer = QFrame(self)
        self.offer.setStyleSheet("QFrame { background: #fff4d6; border: 1px solid #e0b84c; border-radius: 3px; }")
        self.offer_text = QLabel(self.offer, wordWrap=True)
        self.use_existing_button = QPushButton(self.tr("使用已登记的人员"), self.offer)
        self.use_existing_button.clicked.connect(self.use_existing)
        row = QHBoxLayout(self.offer)
        row.addWidget(self.offer_text, 1)
        row.addWidget(self.use_existing_button)
        self.offer.hide()

        self.name = QLineEdit(self)
        self.id_number = QLineEdit(self, placeholderText=self.tr("18位，最后一位可为X"), maxLength=18)
        self.derived = QLabel(self, wordWrap=True)  # may name another address: "迁入本户"
        self.derived.setStyleSheet("color: #555;")
        self.gender = QComboBox(self)
        for code, label in (("", ""), ("男", self.tr("男")), ("女", self.tr("女"))):
            self.gender.addItem(label, code)  # the stored value is the code, whatever the UI language
        self.birth_date = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.birth_date.setMinimumDate(NO_DATE)
        self.birth_date.setSpecialValueText(self.tr("未填写"))
        self.birth_date.setDate(NO_DATE)
        self.relation = QComboBox(self, editable=True)
        self.relation.addItems([""] + [self.tr(r) for r in RELATIONS])
        self.phone = QLineEdit(self, placeholderText=self.tr("手机号或带区号的固定电话"))
        self.hukou_place = QLineEdit(self, placeholderText=self.tr("如 浙江省杭州市西湖区"))
        self.ethnicity = QLineEdit(self, placeholderText=self.tr("如 汉族"))
        self.occupation = QLineEdit(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(60)
        for name, limit in LIMITS.items():
            limit_length(getattr(self, name), limit)
        limit_length(self.phone, PHONE_LIMIT)

        form = self.new_form()
        form.addRow(self.tr("所在住户："), ElidedLabel(address, self))
        self.add_row(form, "name", self.tr("姓名："), self.name)
        id_column = QVBoxLayout()
        id_column.setSpacing(2)
        id_column.addWidget(self.id_number)
        id_column.addWidget(self.derived)
        self.add_row(form, "id_number", self.tr("身份证号："), id_column)
        self.add_row(form, "gender", self.tr("性别："), self.gender)
        self.add_row(form, "birth_date", self.tr("出生日期："), self.birth_date)
        self.add_row(form, "relation", self.tr("与户主关系："), self.relation)
        self.add_row(form, "phone", self.tr("联系电话："), self.phone)
        self.add_row(form, "hukou_place", self.tr("户籍地："), self.hukou_place)
        self.add_row(form, "ethnicity", self.tr("民族："), self.ethnicity)
        self.add_row(form, "occupation", self.tr("职业："), self.occupation)
        self.add_row(form, "notes", self.tr("备注："), self.notes)
        self.body.addWidget(self.offer)
        self.body.addLayout(form)
        self.resize(520, 0)

        self.id_number.textChanged.connect(self._id_changed)  # the other fields are bound by add_row
        with self.loading():
            if resident_id is not None:
                self.load(resident_id)
            self._id_changed(self.id_number.text())

    # --- the ID number drives gender, birth date and the duplicate offer -----------------------
    def _id_changed(self, text: str) -> None:
        derived = derived_from_id(text)
        for field in (self.gender, self.birth_date):
            field.setEnabled(derived is None)
        if derived:
            gender, born = derived
            self.gender.setCurrentIndex(self.gender.findData(gender))
            self.birth_date.setDate(QDate(born.year, born.month, born.day))
            self.derived.setText(self.tr("{gender}，{born} 出生（由身份证号得出）").format(gender=gender, born=born))
        else:
            self.derived.setText("")
        self.derived.setVisible(bool(self.derived.text()))
        self._look_up(text if derived else "")
        self.on_edit()

    def _look_up(self, id_number: str) -> None:
        self.existing = find_person(self.db, id_number=id_number, exclude_id=self.resident_id) if id_number else None
        self.offer.setVisible(self.existing is not None)
        if self.existing is not None:
            self.offer_text.setText(self.tr("该身份证号已登记：{name}（{address}）。可直接使用已登记的人员，避免重复登记。")
                                    .format(name=self.existing.name, address=self.existing.address))
            self.offered.emit(self.existing.id)

    def use_existing(self) -> None:
        """Switch to editing the registered person; saving moves them into this household."""
        person = self.existing
        if person is None:
            return
        self.resident_id = person.id
        self.setWindowTitle(self.tr("编辑人员"))
        typed = {name: getattr(self, name).text() for name in ("phone", "hukou_place", "occupation")}
        self.load(person.id)
        for name, text in typed.items():  # what the officer just typed beats what was on file
            if text.strip():
                getattr(self, name).setText(text)
        self.offer.hide()
        self.existing = None
        if person.household_id != self.household_id:
            self.derived.setText(self.tr("保存后，{name} 将从 {address} 迁入本户").format(name=person.name,
                                                                                     address=person.address))
            self.derived.setVisible(True)
        self.on_edit()

    # --- values ---------------------------------------------------------------------------
    def load(self, resident_id: str) -> None:
        found = resident_values(self.db, resident_id)
        if found is None:
            self.refuse(self.tr("该人员已被删除"))
            return
        _household, values = found
        self.id_number.blockSignals(True)
        self.id_number.setText(values.id_number)
        self.id_number.blockSignals(False)
        for name in ("name", "phone", "hukou_place", "ethnicity", "occupation"):
            getattr(self, name).setText(getattr(values, name))
        self.gender.setCurrentIndex(max(0, self.gender.findData(values.gender)))
        born = values.birth_date
        self.birth_date.setDate(QDate(born.year, born.month, born.day) if born else NO_DATE)
        self.relation.setCurrentText(values.relation)
        self.notes.setPlainText(values.notes)

    def draft_key(self):
        return "resident", self.resident_id, {"household_id": self.household_id}

    def values(self) -> ResidentValues:
        qdate = self.birth_date.date()
        born = None if qdate == NO_DATE else date(qdate.year(), qdate.month(), qdate.day())
        return consistent(ResidentValues(
            name=self.name.text(), id_number=self.id_number.text(), gender=self.gender.currentData(), birth_date=born,
            phone=self.phone.text(), relation=self.relation.currentText(), hukou_place=self.hukou_place.text(),
            ethnicity=self.ethnicity.text(), occupation=self.occupation.text(), notes=self.notes.toPlainText()))

    def problems(self) -> dict[str, str]:
        problems = resident_problems(self.values())
        if self.existing is not None:
            problems.setdefault("id_number", self.tr("该身份证号已登记，请点击上方“使用已登记的人员”"))
        return problems

    def save(self) -> str:
        return save_resident(self.db, household_id=self.household_id, values=self.values(),
                             officer_id=self.officer_id, resident_id=self.resident_id)
