"""住户 form: community and grid, address parts, type, tags, head of household, phone, notes."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit

from app.core.vocab import HOUSEHOLD_KINDS, HOUSEHOLD_TAGS
from app.households.service import FIELD_LIMITS, HouseholdValues, household_problems, place_names, save_household
from ui.widgets.fit import PHONE_LIMIT, ElidedLabel, limit_length
from ui.widgets.form import Form


class HouseholdForm(Form):
    """New household (``household_id`` None) or edit one; ``saved`` carries the household id."""

    own_window = True
    draft_area = "households"

    def __init__(self, db, *, household_id: str | None = None, officer_id: str | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("新增住户") if household_id is None else self.tr("编辑住户"))
        self.db, self.household_id, self.officer_id = db, household_id, officer_id
        self._places = place_names(db)

        self.community = QComboBox(self, editable=True)
        self.community.addItems(list(self._places))
        self.community.lineEdit().setPlaceholderText(self.tr("选择或输入社区名称"))
        self.grid = QComboBox(self, editable=True)
        self.grid.lineEdit().setPlaceholderText(self.tr("选择或输入网格（可不填）"))
        self.estate = QLineEdit(self, placeholderText=self.tr("小区或街巷，如 阳光花园"))
        self.building = QLineEdit(self, maximumWidth=70)
        self.unit = QLineEdit(self, maximumWidth=70)
        self.room = QLineEdit(self, maximumWidth=90)
        number = QHBoxLayout()
        for field, suffix in ((self.building, self.tr("栋")), (self.unit, self.tr("单元")), (self.room, self.tr("室"))):
            number.addWidget(field)
            number.addWidget(QLabel(suffix, self))
        number.addStretch(1)
        self.address_preview = ElidedLabel("", self)
        self.address_preview.setStyleSheet("color: #555;")
        self.kind = QComboBox(self)
        for code, label in HOUSEHOLD_KINDS.items():
            self.kind.addItem(self.tr(label), code)
        self.tags = {tag: QCheckBox(self.tr(tag), self) for tag in HOUSEHOLD_TAGS}
        tag_grid = QGridLayout()
        for i, box in enumerate(self.tags.values()):
            tag_grid.addWidget(box, i // 4, i % 4)
        self.head_name = QLineEdit(self)
        self.phone = QLineEdit(self, placeholderText=self.tr("手机号或带区号的固定电话"))
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(70)
        for name, limit in FIELD_LIMITS.items():
            limit_length(getattr(self, name), limit)
        limit_length(self.phone, PHONE_LIMIT)

        self.community.currentTextChanged.connect(self._fill_grids)  # before add_row binds it: grids first
        form = self.new_form()
        self.add_row(form, "community", self.tr("社区："), self.community)
        self.add_row(form, "grid", self.tr("网格："), self.grid)
        self.add_row(form, "estate", self.tr("小区/街巷："), self.estate)
        self.add_row(form, ("building", "unit", "room"), self.tr("楼栋/单元/房号："), number)
        form.addRow(self.tr("地址："), self.address_preview)
        self.add_row(form, "kind", self.tr("住户类型："), self.kind)
        self.add_row(form, "tags", self.tr("标签："), tag_grid)
        self.add_row(form, "head_name", self.tr("户主："), self.head_name)
        self.add_row(form, "phone", self.tr("联系电话："), self.phone)
        self.add_row(form, "notes", self.tr("备注："), self.notes)
        self.body.addLayout(form)
        self.resize(560, 0)

        self.watch(self.building.textChanged, self.unit.textChanged, self.room.textChanged,
                   *(box.toggled for box in self.tags.values()))
        with self.loading():
            self._fill_grids(self.community.currentText())
            if household_id is not None:
                self.load(household_id)

    def _fill_grids(self, community: str) -> None:
        current = self.grid.currentText()
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.addItems([""] + self._places.get(community.strip(), []))
        self.grid.setCurrentText(current if current in self._places.get(community.strip(), []) else "")
        self.grid.blockSignals(False)

    def load(self, household_id: str) -> None:
        from app.households.service import household_values

        values = household_values(self.db, household_id)
        if values is None:
            self.refuse(self.tr("该住户已被删除"))
            return
        self.community.setCurrentText(values.community)
        self.grid.setCurrentText(values.grid)
        for field in ("estate", "building", "unit", "room", "head_name", "phone"):
            getattr(self, field).setText(getattr(values, field))
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.kind)))
        for tag, box in self.tags.items():
            box.setChecked(tag in values.tags)
        self.notes.setPlainText(values.notes)

    def draft_key(self):
        return "household", self.household_id, {}

    def values(self) -> HouseholdValues:
        return HouseholdValues(
            community=self.community.currentText(), grid=self.grid.currentText(), estate=self.estate.text(),
            building=self.building.text(), unit=self.unit.text(), room=self.room.text(),
            kind=self.kind.currentData(), tags=tuple(tag for tag, box in self.tags.items() if box.isChecked()),
            head_name=self.head_name.text(), phone=self.phone.text(), notes=self.notes.toPlainText())

    def problems(self) -> dict[str, str]:
        from app.core.text import format_address

        values = self.values()
        address = format_address(*(part.strip() for part in (values.estate, values.building, values.unit, values.room)))
        self.address_preview.setText(address or "—")
        return household_problems(values)  # the services word their messages in Chinese

    def save(self) -> str:
        return save_household(self.db, values=self.values(), officer_id=self.officer_id,
                              household_id=self.household_id)
