"""What the dispute forms choose on the one form base (ui/widgets/form.py), and the date conversions
they share. A dispute form is quiet until touched and is kept when closed (稍后再填): its tab shows
it again, and its draft is kept on disk under 矛盾纠纷."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime

from ui.widgets.form import Form


class DisputeForm(Form):
    quiet = True
    keep_on_close = True
    own_window = True
    draft_area = "disputes"


def aware(value: QDateTime) -> datetime:
    """A QDateTime the officer picked (local time) as an aware datetime."""
    return value.toPython().astimezone()


def py_date(value: QDate) -> date:
    return value.toPython()


def q_date(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)
