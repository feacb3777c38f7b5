"""Changing a roster by hand, each a form whose refusal says the service's reason: put a volunteer on a
shift (安排), find a stand-in (替班, least loaded first), swap two people's shifts (对调)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem

from app.core.vocab import ATTENDANCE, TEAM_ROLES
from app.patrol.changes import assign, stand_in, stand_in_candidates, swap
from app.patrol.grid import GridShift, RosterGrid
from app.patrol.teams import members
from ui.patrol.common import LEADER_MARK, PatrolForm

ID_ROLE = Qt.ItemDataRole.UserRole


class _PickForm(PatrolForm):
    """A list to pick one line from, filtered as typed; Save is enabled once one is picked."""

    quiet = False
    pick_problem = ""

    def _build(self, heading: str, lines: list[tuple[str, str]], *, empty: str) -> None:
        self.heading = QLabel(heading, self, wordWrap=True)
        self.filter = QLineEdit(self, placeholderText=self.tr("输入姓名筛选"), clearButtonEnabled=True)
        self.choices = QListWidget(self)
        for key, text in lines:
            item = QListWidgetItem(text, self.choices)
            item.setData(ID_ROLE, key)
        self.empty = QLabel(empty, self, wordWrap=True)
        self.empty.setVisible(not lines)
        self.filter.textChanged.connect(self._filter)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.filter)
        self.body.addWidget(self.choices, 1)
        self.body.addWidget(self.empty)
        self.body.addWidget(self.message_label("choice"))
        self.watch(self.choices.currentRowChanged)
        self.choices.itemDoubleClicked.connect(lambda _item: self.submit())
        self.resize(460, 480)
        self.revalidate()

    def _filter(self, text: str) -> None:
        for row in range(self.choices.count()):
            item = self.choices.item(row)
            item.setHidden(bool(text.strip()) and text.strip() not in item.text())

    def pick(self, key: str) -> None:
        """Choose the line of ``key`` (as a click would)."""
        for row in range(self.choices.count()):
            if self.choices.item(row).data(ID_ROLE) == key:
                self.choices.setCurrentRow(row)

    def chosen(self) -> str | None:
        item = self.choices.currentItem()
        return item.data(ID_ROLE) if item is not None and not item.isHidden() else None

    def problems(self) -> dict[str, str]:
        return {} if self.chosen() else {"choice": self.pick_problem}


class AssignForm(_PickForm):
    """Put one of the team's volunteers on ``shift``; ``saved`` carries the assignment id."""

    def __init__(self, db, *, shift: GridShift, officer_id: str | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("安排义警"), save_text=self.tr("安排"))
        self.db, self.shift, self.officer_id = db, shift, officer_id
        self.pick_problem = self.tr("请选择一名义警")
        on = {seat.volunteer_id for seat in shift.people}
        lines = [(m.volunteer_id, f"{m.name}　{TEAM_ROLES.get(m.role, m.role)}　{m.phone}")
                 for m in (members(db, team_id=shift.team_id) if shift.team_id else [])
                 if m.volunteer_id not in on and m.status == "active"]
        heading = self.tr("{label}（需 {needed} 人，已排 {on} 人）").format(label=shift.label, needed=shift.needed,
                                                                     on=len(shift.people))
        self._build(heading, lines, empty=self.tr("本队没有其他在队义警可安排"))

    def save(self) -> str:
        return assign(self.db, shift_id=self.shift.id, volunteer_id=self.chosen(), officer_id=self.officer_id)


class StandInForm(_PickForm):
    """Someone to take ``seat``'s place on ``shift`` (替班); ``saved`` carries the new assignment id."""

    def __init__(self, db, *, shift: GridShift, assignment_id: str, officer_id: str | None = None,
                 parent=None) -> None:
        super().__init__(parent, title=self.tr("找人替班"), save_text=self.tr("替班"))
        self.db, self.assignment_id, self.officer_id = db, assignment_id, officer_id
        self.pick_problem = self.tr("请选择替班的义警")
        seat = next(s for s in shift.people if s.assignment_id == assignment_id)
        lines = [(c.volunteer_id, self.tr("{name}　本周 {week} 班　本月 {month} 班{lead}").format(
            name=c.name, week=c.week, month=c.month, lead=self.tr("　可任小组长") if c.leads else ""))
            for c in stand_in_candidates(db, assignment_id=assignment_id)]
        heading = self.tr("{label}\n替下：{name}{leader}\n按本周、本月班次由少到多排列，只列出符合排班规则的人").format(
            label=shift.label, name=seat.name, leader=self.tr("（小组长）") if seat.as_leader else "")
        none = self.tr("没有符合规则的义警可以替班：他们当天已有班次、不在可排时段、请假或本周已满。")
        self._build(heading, lines, empty=none)

    def save(self) -> str:
        return stand_in(self.db, assignment_id=self.assignment_id, volunteer_id=self.chosen(),
                        officer_id=self.officer_id)


class SwapForm(_PickForm):
    """Swap ``assignment_id`` with another person's shift shown in ``grid``; ``saved`` carries None."""

    def __init__(self, db, *, grid: RosterGrid, shift: GridShift, assignment_id: str, officer_id: str | None = None,
                 parent=None) -> None:
        super().__init__(parent, title=self.tr("对调班次"), save_text=self.tr("对调"))
        self.db, self.assignment_id, self.officer_id = db, assignment_id, officer_id
        self.pick_problem = self.tr("请选择与谁对调")
        seat = next(s for s in shift.people if s.assignment_id == assignment_id)
        lines = []
        for cell in sorted(grid.shifts.values(), key=lambda c: (c[0].day, c[0].starts_at)):
            for other in cell:
                if other.id == shift.id or other.confirmed:
                    continue
                lines += [(s.assignment_id, f"{other.label}　{LEADER_MARK if s.as_leader else ''}{s.name}")
                          for s in other.people if s.volunteer_id != seat.volunteer_id]
        heading = self.tr("{name}：{label}\n与下列哪一班的人对调？（两人各自接替对方的位置）").format(
            name=seat.name, label=shift.label)
        self._build(heading, lines, empty=self.tr("这段时间没有其他可对调的排班"))

    def save(self) -> None:
        swap(self.db, first_id=self.assignment_id, second_id=self.chosen(), officer_id=self.officer_id)


def seat_status(attendance: str, pinned: bool) -> str:
    """What the roster shows after a name: its sign-in when recorded, 固定 when pinned by hand."""
    parts = [ATTENDANCE[attendance]] if attendance != "planned" else []
    return "、".join(parts + (["固定"] if pinned and attendance == "planned" else []))
