"""The generic walk over a form's input widgets: what a draft stores and puts back.

The inputs are the ones a form keeps as attributes (``self.name``, or ``self.texts["findings"]``
for one in a dict of widgets), in the order they were made, so fields that fill others come first.
Values are plain JSON: text, numbers, booleans, a combo box's data and text, ISO dates, the keys of
the checked items of a list. A value that no longer fits its field is skipped, never fatal."""

from __future__ import annotations

import logging

from PySide6.QtCore import QDate, QDateTime, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

log = logging.getLogger(__name__)

ISO = Qt.DateFormat.ISODate


def input_widgets(owner: QObject) -> dict[str, QWidget]:
    """The input widgets an object keeps as attributes, keyed by attribute name (``texts.findings``
    for one in a dict of widgets), in the order they were made: fields that fill others come first."""
    found: dict[str, QWidget] = {}
    for name, value in vars(owner).items():
        if name.startswith("_"):
            continue
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for key, widget in items:
            if isinstance(widget, QWidget) and _is_input(widget):
                found[name if key is None else f"{name}.{key}"] = widget
    return found


def _is_input(widget: QWidget) -> bool:
    if isinstance(widget, QAbstractButton | QGroupBox):
        return widget.isCheckable()
    if isinstance(widget, QListWidget):
        return any(widget.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable for i in range(widget.count()))
    return isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QComboBox | QDateTimeEdit | QSpinBox
                      | QDoubleSpinBox)


def _plain(value):
    return value if value is None or isinstance(value, str | int | float | bool) else None


def widget_values(owner: QObject) -> dict:
    values = {}
    for name, w in input_widgets(owner).items():
        if isinstance(w, QLineEdit):
            values[name] = w.text()
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            values[name] = w.toPlainText()
        elif isinstance(w, QComboBox):
            values[name] = {"data": _plain(w.currentData()), "text": w.currentText()}
        elif isinstance(w, QDateEdit):
            values[name] = w.date().toString(ISO)
        elif isinstance(w, QDateTimeEdit):
            values[name] = w.dateTime().toString(ISO)
        elif isinstance(w, QSpinBox | QDoubleSpinBox):
            values[name] = w.value()
        elif isinstance(w, QAbstractButton | QGroupBox):
            values[name] = w.isChecked()
        elif isinstance(w, QListWidget):
            values[name] = [_item_key(w.item(i)) for i in range(w.count())
                            if w.item(i).checkState() == Qt.CheckState.Checked]
    return values


def _item_key(item):
    data = _plain(item.data(Qt.ItemDataRole.UserRole))
    return item.text() if data is None else data


def restore_widgets(owner: QObject, values: dict) -> None:
    """Put ``values`` (from widget_values) back; a field that no longer fits is skipped, never fatal."""
    for name, w in input_widgets(owner).items():
        if name not in values:
            continue
        try:
            _restore(w, values[name])
        except (TypeError, ValueError, KeyError, AttributeError):
            log.warning("draft value for %s does not fit %s; skipped", name, type(w).__name__)


def _restore(w: QWidget, value) -> None:
    if isinstance(w, QLineEdit):
        w.setText(str(value))
    elif isinstance(w, QPlainTextEdit | QTextEdit):
        w.setPlainText(str(value))
    elif isinstance(w, QComboBox):
        data, text = value["data"], str(value["text"])
        if w.isEditable():
            w.setCurrentText(text)
            return
        index = next((i for i in range(w.count()) if w.itemData(i) == data), -1) if data is not None else -1
        index = w.findText(text) if index < 0 else index
        if index >= 0:
            w.setCurrentIndex(index)
    elif isinstance(w, QDateEdit):
        if (day := QDate.fromString(str(value), ISO)).isValid():
            w.setDate(day)
    elif isinstance(w, QDateTimeEdit):
        if (moment := QDateTime.fromString(str(value), ISO)).isValid():
            w.setDateTime(moment)
    elif isinstance(w, QSpinBox):
        w.setValue(int(value))
    elif isinstance(w, QDoubleSpinBox):
        w.setValue(float(value))
    elif isinstance(w, QAbstractButton | QGroupBox):
        w.setChecked(bool(value))
    elif isinstance(w, QListWidget):
        chosen = set(value)
        for i in range(w.count()):
            item = w.item(i)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked if _item_key(item) in chosen else Qt.CheckState.Unchecked)
