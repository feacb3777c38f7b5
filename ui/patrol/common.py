"""What the patrol forms and windows share: their choice of the one form base's options, date and time
fields (an empty date shown as 未填写), choice boxes and the red/grey styles of the roster."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QDateEdit, QTimeEdit, QWidget

from ui.widgets.form import Form

NO_DATE = QDate(1900, 1, 1)  # a date edit's minimum, shown as "未填写"
SHORT = QColor("#c62828")  # a short seat, a missing leader
SHORT_BG = QColor("#fdecea")
DIM = QColor("#888888")  # paused or left, confirmed and past
LEADER_MARK = "★"  # before the name of whoever sits in the leader (小组长) seat


class PatrolForm(Form):
    """A patrol form: a window of its own (switching tabs leaves it open), problems shown once a field is
    touched, and closing with unsaved input asks first."""

    quiet = True
    own_window = True


def q_date(value: date | None) -> QDate:
    return NO_DATE if value is None else QDate(value.year, value.month, value.day)


def py_date(value: QDate) -> date | None:
    return None if value == NO_DATE or not value.isValid() else value.toPython()


def q_time(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def py_time(value: QTime) -> time:
    return time(value.hour(), value.minute())


def date_edit(parent: QWidget, value: date | None = None, *, optional: bool = False) -> QDateEdit:
    """A date picker; ``optional`` ones can be left 未填写 (their minimum)."""
    edit = QDateEdit(parent, calendarPopup=True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumWidth(150)
    if optional:
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(parent.tr("未填写"))
    edit.setDate(q_date(value) if value is not None or optional else QDate.currentDate())
    return edit


def time_edit(parent: QWidget, value: time) -> QTimeEdit:
    edit = QTimeEdit(q_time(value), parent)
    edit.setDisplayFormat("HH:mm")
    edit.setMaximumWidth(90)
    return edit


def combo(parent: QWidget, choices, *, blank: str | None = None, current=None) -> QComboBox:
    """A box of ``choices`` ((code, label) pairs or a {code: label} dict), ``blank`` first with no code."""
    box = QComboBox(parent)
    if blank is not None:
        box.addItem(blank, None)
    for code, label in (choices.items() if isinstance(choices, dict) else choices):
        box.addItem(parent.tr(label), code)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    return box


def weekday_label(day: date) -> str:
    return "一二三四五六日"[day.weekday()]
