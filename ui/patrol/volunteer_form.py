"""义警 form: the ID number checked as typed (gender and age from it, a warning outside 18-65, one person
one record), phone, skills, training, the weekly cap and the availability grid (weekday x time band)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.core.timeutil import age_on
from app.core.validation import check_id_number, id_birth_date, id_gender, normalize_id_number
from app.core.vocab import TIME_BANDS, VOLUNTEER_SKILLS
from app.patrol.queries import team_choices
from app.patrol.volunteers import (
    VolunteerValues,
    add_volunteer,
    find_volunteer,
    update_volunteer,
    volunteer_problems,
    volunteer_values,
    volunteer_warnings,
)
from ui.patrol.common import PatrolForm, combo, date_edit, py_date, q_date
from ui.widgets.fit import PHONE_LIMIT, limit_length
from ui.widgets.messages import HINT_STYLE

WARNING_STYLE = "color: #8a4b00; background: #fff4e5; padding: 3px; border-radius: 3px;"
WEEKDAYS = "一二三四五六日"
BAND_HOURS = {"m": "06-12", "a": "12-18", "e": "18-24", "n": "00-06"}


class AvailabilityGrid(QWidget):
    """Check boxes, a weekday a column and a time band a row; a band's or a day's label ticks its line."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for d in range(1, 8):
            label = QLabel(self.tr("周{d}").format(d=WEEKDAYS[d - 1]), self)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, 0, d)
        for row, (band, name) in enumerate(TIME_BANDS.items(), 1):
            grid.addWidget(QLabel(f"{self.tr(name)}（{BAND_HOURS[band]}）", self), row, 0)
            for d in range(1, 8):
                box = QCheckBox(self)
                box.setToolTip(self.tr("周{d}{band}").format(d=WEEKDAYS[d - 1], band=self.tr(name)))
                box.toggled.connect(self.changed)
                grid.addWidget(box, row, d, Qt.AlignmentFlag.AlignCenter)
                self.boxes[f"{d}{band}"] = box
        evenings = QCheckBox(self.tr("每晚"), self)
        evenings.setToolTip(self.tr("勾选或取消每天晚上"))
        evenings.toggled.connect(lambda on: self._tick("e", on))
        grid.addWidget(evenings, len(TIME_BANDS) + 1, 0)
        self.evenings = evenings

    def _tick(self, band: str, on: bool) -> None:
        for d in range(1, 8):
            self.boxes[f"{d}{band}"].setChecked(on)

    def tokens(self) -> frozenset[str]:
        return frozenset(token for token, box in self.boxes.items() if box.isChecked())

    def set_tokens(self, tokens: frozenset[str]) -> None:
        for token, box in self.boxes.items():
            box.setChecked(token in tokens)
        self.evenings.blockSignals(True)  # ticked when every evening is, without ticking them again
        self.evenings.setChecked(all(f"{d}e" in tokens for d in range(1, 8)))
        self.evenings.blockSignals(False)


class VolunteerForm(PatrolForm):
    """Register a volunteer in ``team_id`` (``volunteer_id`` None) or edit one; ``saved`` carries his id."""

    def __init__(self, db, *, volunteer_id: str | None = None, team_id: str | None = None,
                 officer_id: str | None = None, today: date | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("新增义警") if volunteer_id is None else self.tr("编辑义警"))
        self.db, self.volunteer_id, self.officer_id = db, volunteer_id, officer_id
        self.today = today or date.today()
        self.resident_id: str | None = None
        self.team = combo(self, team_choices(db), blank=self.tr("请选择…"), current=team_id)
        self.name = QLineEdit(self)
        self.id_number = QLineEdit(self, placeholderText=self.tr("18位身份证号"))
        self.derived = QLabel(self, styleSheet=HINT_STYLE)  # 男，38 岁
        self.warning = QLabel(self, wordWrap=True, styleSheet=WARNING_STYLE)
        self.warning.setObjectName("ageWarning")
        self.warning.hide()
        self.phone = QLineEdit(self, placeholderText=self.tr("手机号"))
        self.skills = {skill: QCheckBox(self.tr(skill), self) for skill in VOLUNTEER_SKILLS}
        skills = QGridLayout()
        skills.setVerticalSpacing(2)
        for n, box in enumerate(self.skills.values()):
            skills.addWidget(box, n // 5, n % 5)
        self.trained_on = date_edit(self, None, optional=True)
        self.joined_on = date_edit(self, None if volunteer_id else self.today, optional=True)
        self.weekly_cap = QSpinBox(self, minimum=1, maximum=7, value=2, suffix=self.tr(" 班"), maximumWidth=120)
        self.availability = AvailabilityGrid(self)
        limit_length(self.name, 32)
        limit_length(self.id_number, 18)
        limit_length(self.phone, PHONE_LIMIT)

        form = self.new_form()
        if volunteer_id is None:
            self.add_row(form, "team", self.tr("所在队伍："), self.team)
        else:  # his teams are changed from his detail (加入队伍, 移出该队)
            self.team.hide()
        self.add_row(form, "name", self.tr("姓名："), self.name)
        id_row = QHBoxLayout()
        self.id_number.setMinimumWidth(self.fontMetrics().horizontalAdvance("0" * 18) + 24)
        id_row.addWidget(self.id_number)
        id_row.addWidget(self.derived, 1)
        self.add_row(form, "id_number", self.tr("身份证号："), id_row)
        self.bind("id_number", self.id_number)
        form.addRow("", self.warning)
        self.add_row(form, "phone", self.tr("电话："), self.phone)
        self.add_row(form, "skills", self.tr("专长："), skills)
        self.add_row(form, "trained_on", self.tr("培训日期："), self.trained_on)
        self.add_row(form, "joined_on", self.tr("入队日期："), self.joined_on)
        self.add_row(form, "weekly_cap", self.tr("每周最多："), self.weekly_cap)
        self.add_row(form, "availability", self.tr("可排时段："), self.availability)
        self.body.addLayout(form)
        self.watch(self.availability.changed, *(box.toggled for box in self.skills.values()))
        self.resize(640, 0)
        with self.loading():
            if volunteer_id is not None:
                self.load(volunteer_values(db, volunteer_id=volunteer_id))

    def load(self, values: VolunteerValues | None) -> None:
        if values is None:
            self.refuse(self.tr("该义警不存在或已删除"))
            return
        self.resident_id = values.resident_id
        self.name.setText(values.name)
        self.id_number.setText(values.id_number)
        self.phone.setText(values.phone)
        for skill, box in self.skills.items():
            box.setChecked(skill in values.skills)
        self.trained_on.setDate(q_date(values.trained_on))
        self.joined_on.setDate(q_date(values.joined_on))
        self.weekly_cap.setValue(values.weekly_cap)
        self.availability.set_tokens(values.availability)

    def values(self) -> VolunteerValues:
        return VolunteerValues(
            name=self.name.text(), id_number=self.id_number.text(), phone=self.phone.text(),
            skills=tuple(skill for skill, box in self.skills.items() if box.isChecked()),
            trained_on=py_date(self.trained_on.date()), weekly_cap=self.weekly_cap.value(),
            availability=self.availability.tokens(), joined_on=py_date(self.joined_on.date()),
            resident_id=self.resident_id)

    def problems(self) -> dict[str, str]:
        values = self.values()
        problems = volunteer_problems(values, today=self.today)
        if self.volunteer_id is None and self.team.currentData() is None:
            problems["team"] = self.tr("请选择所在队伍")
        self._show_derived(values, "id_number" not in problems)
        if "id_number" not in problems and (other := find_volunteer(self.db, id_number=values.id_number,
                                                                     exclude_id=self.volunteer_id)):
            problems["id_number"] = self.tr("该身份证号已登记为义警：{name}，一人只登记一次，请把他加入本队").format(
                name=other[1])
        return problems

    def _show_derived(self, values: VolunteerValues, valid: bool) -> None:
        """Gender and age from a valid ID number, and the warning outside 18-65."""
        if not valid or check_id_number(values.id_number, today=self.today):
            self.derived.clear()
            self.warning.hide()
            return
        number = normalize_id_number(values.id_number)
        age = age_on(id_birth_date(number), self.today)
        self.derived.setText(self.tr("{gender}，{age} 岁").format(
            gender=id_gender(number), age=age))
        warnings = volunteer_warnings(values, today=self.today)
        self.warning.setText("⚠ " + "；".join(warnings))
        self.warning.setVisible(bool(warnings))

    def save(self) -> str:
        if self.volunteer_id is None:
            return add_volunteer(self.db, team_id=self.team.currentData(), values=self.values(),
                                 officer_id=self.officer_id, today=self.today)
        update_volunteer(self.db, volunteer_id=self.volunteer_id, values=self.values(), officer_id=self.officer_id,
                         today=self.today)
        return self.volunteer_id
