"""One 当事人 in the register form: pick an existing resident or type a new person, checked as typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.timeutil import age_on
from app.core.validation import check_id_number, id_birth_date, id_gender, normalize_id_number
from app.core.vocab import PARTY_ROLES
from app.disputes.register import TEXT_LIMITS, PartyValues, ResidentChoice
from ui.widgets.fit import PHONE_LIMIT, limit_length
from ui.widgets.messages import PROBLEM_STYLE

SEARCH_DELAY_MS = 200
FIELDS = ("role", "name", "gender", "ethnicity", "age", "occupation", "phone", "id_number", "address")


class PartyEditor(QGroupBox):
    edited = Signal()
    remove_requested = Signal()
    resident_picked = Signal(object)  # ResidentChoice

    def __init__(self, *, find: Callable[[str], list[ResidentChoice]], fill: Callable[[str, str], PartyValues],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._find, self._fill = find, fill
        self._party_id: str | None = None
        self._resident_id: str | None = None
        self._loading = False
        self.touched: set[str] = set()

        self.search = QLineEdit(self, placeholderText=self.tr("从已登记人员中查找：姓名、电话或身份证号"),
                                clearButtonEnabled=True)
        self.matches = QListWidget(self)
        self.matches.setMaximumHeight(110)
        self.matches.hide()
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._look_up)
        self.search.textEdited.connect(self._timer.start)
        self.matches.itemActivated.connect(self._picked)
        self.matches.itemClicked.connect(self._picked)
        self.linked = QLabel(self)
        self.linked.setStyleSheet("color: #2e7d32; font-size: 12px;")
        self.linked.hide()

        self.role = QComboBox(self)
        for code, label in PARTY_ROLES.items():
            self.role.addItem(self.tr(label), code)
        self.name = QLineEdit(self)
        self.gender = QComboBox(self)
        for text in ("", "男", "女"):
            self.gender.addItem(self.tr(text) if text else self.tr("（未填）"), text)
        self.ethnicity = QLineEdit(self, placeholderText=self.tr("如 汉族"))
        self.age = QSpinBox(self, minimum=-1, maximum=120, specialValueText=self.tr("—"))
        self.age.setValue(-1)
        self.occupation = QLineEdit(self)
        self.phone = QLineEdit(self, placeholderText=self.tr("手机或带区号的固话"))
        self.id_number = QLineEdit(self, placeholderText=self.tr("18位，填后自动带出性别和年龄"))
        self.address = QLineEdit(self)
        for name, limit in {**TEXT_LIMITS, "phone": PHONE_LIMIT, "id_number": 18}.items():
            limit_length(getattr(self, name), limit)
        remove = QPushButton(self.tr("删除此当事人"), self)
        remove.clicked.connect(self.remove_requested)

        self.messages: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        layout = [("role", "身份", self.role, 0, 0), ("name", "姓名", self.name, 0, 2),
                  ("gender", "性别", self.gender, 2, 0), ("ethnicity", "民族", self.ethnicity, 2, 2),
                  ("age", "年龄", self.age, 4, 0), ("occupation", "职业", self.occupation, 4, 2),
                  ("phone", "联系方式", self.phone, 6, 0), ("id_number", "身份证号", self.id_number, 6, 2),
                  ("address", "住址", self.address, 8, 0)]
        for name, label, widget, row, col in layout:
            span = 3 if name == "address" else 1
            grid.addWidget(QLabel(self.tr(label), self), row, col, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, col + 1, 1, span)
            message = QLabel(self)
            message.setStyleSheet(PROBLEM_STYLE)
            message.setObjectName(f"problem_{name}")
            message.hide()
            grid.addWidget(message, row + 1, col + 1, 1, span)
            self.messages[name] = message
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(remove)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.matches)
        box.addWidget(self.linked)
        box.addLayout(grid)

        for name, signal in (("role", self.role.currentIndexChanged), ("name", self.name.textChanged),
                             ("gender", self.gender.currentIndexChanged),
                             ("ethnicity", self.ethnicity.textChanged), ("age", self.age.valueChanged),
                             ("occupation", self.occupation.textChanged), ("phone", self.phone.textChanged),
                             ("id_number", self.id_number.textChanged), ("address", self.address.textChanged)):
            signal.connect(lambda *_a, name=name: self._edited(name))

    # --- values ---------------------------------------------------------------------------
    def values(self) -> PartyValues:
        return PartyValues(
            role=self.role.currentData(), name=self.name.text(), gender=self.gender.currentData(),
            ethnicity=self.ethnicity.text(), age=None if self.age.value() < 0 else self.age.value(),
            occupation=self.occupation.text(), address=self.address.text(), phone=self.phone.text(),
            id_number=self.id_number.text(), resident_id=self._resident_id, id=self._party_id)

    def load(self, party: PartyValues) -> None:
        self._loading = True
        try:
            self._party_id, self._resident_id = party.id, party.resident_id
            self.role.setCurrentIndex(max(0, self.role.findData(party.role)))
            self.name.setText(party.name)
            self.gender.setCurrentIndex(max(0, self.gender.findData(party.gender)))
            self.ethnicity.setText(party.ethnicity)
            self.age.setValue(-1 if party.age is None else party.age)
            self.occupation.setText(party.occupation)
            self.phone.setText(party.phone)
            self.id_number.setText(party.id_number)
            self.address.setText(party.address)
            self.linked.setText(self.tr("已关联人员档案") if party.resident_id else "")
            self.linked.setVisible(bool(party.resident_id))
        finally:
            self._loading = False
        self.edited.emit()

    def show_problems(self, problems: dict[str, str], *, everything: bool = False) -> None:
        for name, label in self.messages.items():
            text = problems.get(name, "") if everything or name in self.touched else ""
            label.setText(text)
            label.setVisible(bool(text))

    # --- picking a resident ---------------------------------------------------------------
    def pick(self, resident: ResidentChoice) -> None:
        role = self.role.currentData()
        self.load(self._fill(resident.id, role))
        self.touched.update(FIELDS)
        self.matches.hide()
        self.search.clear()
        self.resident_picked.emit(resident)

    def _look_up(self) -> None:
        self.matches.clear()
        text = self.search.text().strip()
        found = self._find(text) if text else []
        for r in found:
            born = r.birth_date.isoformat() if r.birth_date else ""
            item = QListWidgetItem(f"{r.name}  {r.gender}  {born}  {r.address}  …{r.id_tail}")
            item.setData(Qt.ItemDataRole.UserRole, r)
            self.matches.addItem(item)
        self.matches.setVisible(bool(found))

    def _picked(self, item: QListWidgetItem) -> None:
        self.pick(item.data(Qt.ItemDataRole.UserRole))

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        self.touched.add(name)
        if name == "name" and self._resident_id:  # another name: no longer the picked resident
            self._resident_id = None
            self.linked.hide()
        if name == "id_number":
            self._from_id_number()
        self.edited.emit()

    def _from_id_number(self) -> None:
        """A valid ID number fills gender and age the officer left empty (as the save would)."""
        text = normalize_id_number(self.id_number.text())
        if not text or check_id_number(text):
            return
        self._loading = True
        try:
            if not self.gender.currentData():
                self.gender.setCurrentIndex(self.gender.findData(id_gender(text)))
            born = id_birth_date(text)
            if self.age.value() < 0 and born:
                today = date.today()
                self.age.setValue(age_on(born, today))
        finally:
            self._loading = False
