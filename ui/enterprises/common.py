"""What the 一企一警 forms share: their choices on the one form base (ui/widgets/form.py), days in and out
of date fields, and the combo boxes of a vocabulary or of officers."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QLabel, QWidget

from ui.widgets.form import Form

DAY_FORMAT = "yyyy-MM-dd"


class ShortForm(Form):
    """A short 一企一警 form: a dialog over the tab, its problems shown once a field is touched."""

    quiet = True


def q_date(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def py_date(value: QDate) -> date:
    return value.toPython()


def date_edit(parent: QWidget, day: date) -> QDateEdit:
    edit = QDateEdit(q_date(day), parent, calendarPopup=True)
    edit.setDisplayFormat(DAY_FORMAT)
    return edit


def choice_combo(parent: QWidget, choices, *, blank: str | None = None, current=None) -> QComboBox:
    """A combo of ``choices`` ({code: label} or [(code, label)]), with a ``blank`` first entry (None) if given."""
    combo = QComboBox(parent)
    if blank is not None:
        combo.addItem(blank, None)
    for code, label in (choices.items() if isinstance(choices, dict) else choices):
        combo.addItem(parent.tr(label), code)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def quoted(parent: QWidget, text: str) -> QLabel:
    """A line of what the form is about (the request answered, the inspection re-checked), read-only."""
    label = QLabel(text, parent, wordWrap=True)
    label.setStyleSheet("color: #333; background: #f4f6f8; padding: 6px; border-radius: 4px;")
    return label


def inspector_pair(parent: QWidget, names: list[str], *, first: str = "",
                   second: str = "") -> tuple[QComboBox, QComboBox]:
    """Two inspectors (the law asks for two): officers to choose, or any name typed."""
    pair = []
    for chosen in (first, second):
        combo = QComboBox(parent, editable=True)
        combo.addItems(names)
        combo.setCurrentIndex(-1)
        combo.setEditText(chosen)
        combo.lineEdit().setPlaceholderText(parent.tr("姓名"))
        combo.lineEdit().setMaxLength(16)
        combo.setMinimumWidth(110)
        pair.append(combo)
    return pair[0], pair[1]


def names_of(*combos: QComboBox) -> tuple[str, ...]:
    return tuple(name for name in (c.currentText().strip() for c in combos) if name)
