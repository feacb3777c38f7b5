"""签到 of one shift: each person's attendance, how it was recorded and the actual times (hours shown),
then 确认; the patrol log's findings, a 矛盾纠纷 among them one click from the dispute registration."""

from __future__ import annotations

import re
from datetime import date, time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.core.errors import UserError
from app.core.vocab import ATTENDANCE, ATTENDANCE_HOW, FINDING_KINDS
from app.patrol.attendance import (  # _on_shift: the one rule of a time past midnight
    _on_shift,
    add_finding,
    confirm_shift,
    findings,
    hours_of,
    sign_in,
    sign_in_problems,
    sign_ins,
    unconfirm_shift,
)
from app.patrol.common import span
from app.patrol.grid import grid_shift
from ui.patrol.common import LEADER_MARK, PatrolForm, combo
from ui.widgets.fit import limit_length
from ui.widgets.messages import ERROR_STYLE

NAME, STATUS, HOW, STARTED, ENDED, HOURS = range(6)
CLOCK = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
ATTENDED = ("present", "late", "left_early")


def _clock(text: str) -> time | None | bool:
    """"19:05" -> time; "" -> None; anything else False."""
    if not text.strip():
        return None
    match = CLOCK.match(text.strip())
    return time(int(match[1]), int(match[2])) if match else False


class ShiftSignInForm(PatrolForm):
    """Sign in ``shift_id``'s people; ``saved`` carries the shift id. ``dispute_requested(finding id)`` asks
    the tab to open the dispute registration prefilled from a 矛盾纠纷 finding."""

    quiet = False
    dispute_requested = Signal(str)
    findings_changed = Signal()

    def __init__(self, db, *, shift_id: str, officer_id: str | None = None, today: date | None = None,
                 parent=None) -> None:
        super().__init__(parent, title=self.tr("签到"), save_text=self.tr("保存签到"))
        self.db, self.shift_id, self.officer_id = db, shift_id, officer_id
        self.today = today or date.today()
        self.shift = grid_shift(db, shift_id=shift_id)
        self.setWindowTitle(self.tr("签到：{label}").format(label=self.shift.label if self.shift else ""))
        self._confirm = False
        self.heading = QLabel(self, wordWrap=True)
        self.how = combo(self, ATTENDANCE_HOW)
        self.all_present = QPushButton(self.tr("全部已签到"), self)
        self.all_present.clicked.connect(self.mark_all_present)
        quick = QHBoxLayout()
        quick.addWidget(QLabel(self.tr("记录方式："), self))
        quick.addWidget(self.how)
        quick.addWidget(self.all_present)
        quick.addStretch(1)
        # One shift's people (a handful, each row holding its own editors): a small fixed table, not a list.
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("签到情况"), self.tr("记录方式"),
                                              self.tr("签到时间"), self.tr("签退时间"), self.tr("时长")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in ((NAME, 96), (STATUS, 96), (HOW, 140), (STARTED, 90), (ENDED, 90)):
            header.resizeSection(column, width)
        self.table.setMinimumHeight(150)
        self.rows: list[dict] = []
        self.body.addWidget(self.heading)
        self.body.addLayout(quick)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.message_label("rows"))
        self.body.addWidget(self._findings_box())
        self.confirm_button = self.add_save_button(self.tr("保存并确认"))
        self.confirm_button.clicked.connect(self.submit_and_confirm)
        self.unconfirm_button = QPushButton(self.tr("撤销确认"), self)
        self.unconfirm_button.clicked.connect(self.unconfirm)
        self.footer.insertWidget(1, self.unconfirm_button)
        self.resize(760, 620)
        with self.loading():
            self.load()

    # --- building -----------------------------------------------------------------------------
    def _findings_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("巡逻日志（发现情况）"), self)
        self.log = QTreeWidget(self)
        self.log.setRootIsDecorated(False)
        self.log.setHeaderLabels([self.tr("类别"), self.tr("情况"), self.tr("发现人"), self.tr("纠纷")])
        self.log.setMaximumHeight(110)
        self.log.header().setStretchLastSection(False)
        self.log.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.log.itemSelectionChanged.connect(self._enable_log)
        self.finding_kind = combo(self, FINDING_KINDS)
        self.finding_by = QComboBox(self)
        self.finding_text = QLineEdit(self, placeholderText=self.tr("发现了什么、在哪里"))
        limit_length(self.finding_text, 500)
        self.add_finding_button = QPushButton(self.tr("添加"), self)
        self.add_finding_button.clicked.connect(self.add_finding)
        self.dispute_button = QPushButton(self.tr("登记纠纷…"), self)
        self.dispute_button.setToolTip(self.tr("把所选的矛盾纠纷登记到“矛盾纠纷”，经过、地点和时间已填好"))
        self.dispute_button.clicked.connect(self.request_dispute)
        self.log_message = QLabel(self, wordWrap=True, styleSheet=ERROR_STYLE)
        self.log_message.hide()
        row = QHBoxLayout()
        for widget in (self.finding_kind, self.finding_by):
            row.addWidget(widget)
        row.addWidget(self.finding_text, 1)
        row.addWidget(self.add_finding_button)
        row.addWidget(self.dispute_button)
        column = QVBoxLayout(box)
        column.addWidget(self.log)
        column.addLayout(row)
        column.addWidget(self.log_message)
        return box

    def load(self) -> None:
        self.shift = grid_shift(self.db, shift_id=self.shift_id)
        if self.shift is None:
            self.refuse(self.tr("该班次不存在或已取消"))
            return
        s = self.shift
        self.start, self.end = span(s.day, s.starts_at, s.ends_at)
        state = self.tr("已确认：时长与积分已计入") if s.confirmed else self.tr("待确认")
        self.heading.setText(self.tr("<b>{label}</b>　需 {needed} 人，已排 {on} 人　{state}").format(
            label=s.label, needed=s.needed, on=len(s.people), state=state))
        self.table.setRowCount(0)
        self.rows = []
        self.finding_by.clear()
        self.finding_by.addItem(self.tr("（全班）"), None)
        for line in sign_ins(self.db, shift_id=self.shift_id):
            self._add_row(line)
            self.finding_by.addItem(line.name, line.volunteer_id)
        self._load_findings()
        for widget in (self.table, self.how, self.all_present):
            widget.setEnabled(not s.confirmed)
        self.unconfirm_button.setVisible(s.confirmed)

    def _add_row(self, line) -> None:
        n = self.table.rowCount()
        self.table.insertRow(n)
        name = QTableWidgetItem((LEADER_MARK if line.as_leader else "") + line.name)
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(n, NAME, name)
        status = combo(self, ATTENDANCE, current=line.attendance)
        how = combo(self, ATTENDANCE_HOW, blank="—", current=line.how)
        started = QLineEdit(line.started.strftime("%H:%M") if line.started else "", self)
        ended = QLineEdit(line.ended.strftime("%H:%M") if line.ended else "", self)
        started.setPlaceholderText(f"{self.start:%H:%M}")
        ended.setPlaceholderText(f"{self.end:%H:%M}")
        hours = QTableWidgetItem(f"{line.hours:g}")
        hours.setFlags(hours.flags() & ~Qt.ItemFlag.ItemIsEditable)
        for column, widget in ((STATUS, status), (HOW, how), (STARTED, started), (ENDED, ended)):
            self.table.setCellWidget(n, column, widget)
        self.table.setItem(n, HOURS, hours)
        row = {"id": line.assignment_id, "name": line.name, "status": status, "how": how, "started": started,
               "ended": ended, "hours": hours,
               "loaded": (line.attendance, line.how, _clock(started.text()), _clock(ended.text()))}
        self.rows.append(row)
        status.currentIndexChanged.connect(lambda _i, row=row: self._status_changed(row))
        self.bind("rows", status, how, started, ended)

    def _status_changed(self, row: dict) -> None:
        status = row["status"].currentData()
        if status != "planned" and row["how"].currentData() is None:
            row["how"].setCurrentIndex(row["how"].findData(self.how.currentData()))
        if status == "planned":
            row["how"].setCurrentIndex(0)
        if status not in ATTENDED:
            row["started"].clear()
            row["ended"].clear()
        for field in ("started", "ended"):
            row[field].setEnabled(status in ATTENDED)

    def mark_all_present(self) -> None:
        """Every person still 待签到 as 已签到, recorded the way chosen above."""
        for row in self.rows:
            if row["status"].currentData() == "planned":
                row["status"].setCurrentIndex(row["status"].findData("present"))
        self.touched.add("rows")
        self.on_edit()

    def set_row(self, n: int, attendance: str, *, how: str | None = None, started: str = "", ended: str = "") -> None:
        """Fill row ``n`` as the officer would (tests, a paper sheet typed in)."""
        row = self.rows[n]
        row["status"].setCurrentIndex(row["status"].findData(attendance))
        if how is not None:
            row["how"].setCurrentIndex(row["how"].findData(how))
        row["started"].setText(started)
        row["ended"].setText(ended)

    # --- checking and saving ---------------------------------------------------------------------
    def _values(self, row: dict):
        return (row["status"].currentData(), row["how"].currentData(), _clock(row["started"].text()),
                _clock(row["ended"].text()))

    def problems(self) -> dict[str, str]:
        if self.shift is None:
            return {"rows": self.tr("该班次不存在或已取消")}
        if self.shift.confirmed:
            return {"rows": self.tr("该班次已确认；如需修改，请先撤销确认")}
        if self.shift.day > self.today:
            return {"rows": self.tr("班次还没到，不能签到")}
        for row in self.rows:
            attendance, how, started, ended = self._values(row)
            if started is False or ended is False:
                return {"rows": self.tr("{name}：时间请写成 时:分，如 19:05").format(name=row["name"])}
            first = _on_shift(started, self.start) if started else None
            last = _on_shift(ended, first or self.start) if ended else None
            problems = sign_in_problems(attendance=attendance, how=how, started=first, ended=last, start=self.start,
                                        end=self.end)
            hours = hours_of(attendance=attendance, started=first, ended=last, start=self.start, end=self.end)
            row["hours"].setText(f"{hours:g}")
            if problems:
                return {"rows": f"{row['name']}：{next(iter(problems.values()))}"}
        return {}

    def submit_and_confirm(self) -> bool:
        self._confirm = True
        try:
            return self.submit()
        finally:
            self._confirm = False

    def save(self) -> str:
        for row in self.rows:
            attendance, how, started, ended = self._values(row)
            if (attendance, how, started, ended) != row["loaded"]:
                sign_in(self.db, assignment_id=row["id"], attendance=attendance, how=how, started=started,
                        ended=ended, officer_id=self.officer_id, today=self.today)
                row["loaded"] = (attendance, how, started, ended)
        if self._confirm:
            confirm_shift(self.db, shift_id=self.shift_id, officer_id=self.officer_id, today=self.today)
        return self.shift_id

    def unconfirm(self) -> None:
        try:
            unconfirm_shift(self.db, shift_id=self.shift_id, officer_id=self.officer_id)
        except UserError as exc:
            self.refuse(str(exc))
            return
        with self.loading():
            self.load()
        self.saved_elsewhere()

    def saved_elsewhere(self) -> None:
        """A change made without closing (a finding, an undone confirmation): the tab refreshes."""
        self.findings_changed.emit()

    # --- the patrol log -----------------------------------------------------------------------
    def _load_findings(self) -> None:
        self.log.clear()
        box = self.finding_by
        by_volunteer = {box.itemData(n): box.itemText(n) for n in range(1, box.count())}
        for f in findings(self.db, shift_id=self.shift_id):
            item = QTreeWidgetItem([FINDING_KINDS.get(f.kind, f.kind), f.text, by_volunteer.get(f.volunteer_id, ""),
                                    self.tr("已登记") if f.dispute_id else ("" if f.kind != "dispute" else
                                                                          self.tr("未登记"))])
            item.setData(0, Qt.ItemDataRole.UserRole, f.id)
            item.setData(1, Qt.ItemDataRole.UserRole, f.kind == "dispute" and not f.dispute_id)
            item.setToolTip(1, f.text)
            self.log.addTopLevelItem(item)
        self._enable_log()

    def _enable_log(self) -> None:
        item = self.log.currentItem()
        self.dispute_button.setEnabled(item is not None and bool(item.data(1, Qt.ItemDataRole.UserRole)))
        editable = self.shift is not None and not self.shift.confirmed
        for widget in (self.finding_kind, self.finding_by, self.finding_text, self.add_finding_button):
            widget.setEnabled(editable)

    def add_finding(self) -> str | None:
        """Add what was typed to the patrol log at once (it does not wait for 保存签到)."""
        try:
            finding_id = add_finding(self.db, shift_id=self.shift_id, kind=self.finding_kind.currentData(),
                                     text=self.finding_text.text(), volunteer_id=self.finding_by.currentData(),
                                     officer_id=self.officer_id)
        except UserError as exc:
            self.log_message.setText(str(exc))
            self.log_message.show()
            return None
        self.log_message.hide()
        self.finding_text.clear()
        self._load_findings()
        for n in range(self.log.topLevelItemCount()):
            if self.log.topLevelItem(n).data(0, Qt.ItemDataRole.UserRole) == finding_id:
                self.log.setCurrentItem(self.log.topLevelItem(n))
        self.saved_elsewhere()
        return finding_id

    def request_dispute(self) -> None:
        item = self.log.currentItem()
        if item is not None and item.data(1, Qt.ItemDataRole.UserRole):
            self.dispute_requested.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def dispute_registered(self) -> None:
        """The dispute of a finding was registered: show it so."""
        self._load_findings()
