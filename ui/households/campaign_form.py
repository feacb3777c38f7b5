"""新建走访计划: name and dates, which households (grids, tags, types, not visited lately), who visits."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
)

from app.core.vocab import HOUSEHOLD_KINDS, HOUSEHOLD_TAGS
from app.households.campaigns import Criteria, campaign_problems, count_matching, create_campaign, grid_choices
from app.households.visits import officer_choices
from ui.widgets.fit import limit_length
from ui.widgets.form import Form
from ui.widgets.ops import Op

COUNT_DELAY_MS = 250  # the live count is a query over every household: not on every click
NO_END = QDate(2000, 1, 1)  # the end date's minimum, shown as "不限"
NAME_LIMIT = 64  # as app.households.campaigns.campaign_problems


def _checklist(parent, entries: list[tuple[str, str]]) -> QListWidget:
    widget = QListWidget(parent)
    for key, text in entries:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setCheckState(Qt.CheckState.Unchecked)
    return widget


def _checked(widget: QListWidget) -> tuple[str, ...]:
    items = (widget.item(i) for i in range(widget.count()))
    return tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)


class CampaignForm(Form):
    """``saved`` carries the new campaign's id."""

    own_window = True
    draft_area = "households"

    def __init__(self, db, *, officer_id: str | None = None, parent=None) -> None:
        super().__init__(parent, title=self.tr("新建走访计划"))
        self.db, self.officer_id = db, officer_id
        today = date.today()
        self.name = QLineEdit(self, placeholderText=self.tr("如 11月独居老人走访、敲门行动第一期"))
        limit_length(self.name, NAME_LIMIT)
        self.starts_on = QDateEdit(QDate(today.year, today.month, today.day), self, calendarPopup=True,
                                   displayFormat="yyyy-MM-dd")
        self.ends_on = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.ends_on.setMinimumDate(NO_END)
        self.ends_on.setSpecialValueText(self.tr("不限"))
        self.ends_on.setDate(NO_END)
        self.grids = _checklist(self, [(g.id, g.name if g.name.startswith(g.community) else f"{g.community} / {g.name}")
                                       for g in grid_choices(db)])
        self.grids.setMaximumHeight(120)
        self.tags = {tag: QCheckBox(self.tr(tag), self) for tag in HOUSEHOLD_TAGS}
        self.kinds = {code: QCheckBox(self.tr(label), self) for code, label in HOUSEHOLD_KINDS.items()}
        tags, kinds = QGridLayout(), QHBoxLayout()
        for i, box in enumerate(self.tags.values()):
            tags.addWidget(box, i // 4, i % 4)
        for box in self.kinds.values():
            kinds.addWidget(box)
        kinds.addStretch(1)
        self.not_visited = QCheckBox(self.tr("超过"), self)
        self.days = QSpinBox(self, minimum=1, maximum=3650, value=90, suffix=self.tr(" 天未走访"))
        recent = QHBoxLayout()
        recent.addWidget(self.not_visited)
        recent.addWidget(self.days)
        recent.addStretch(1)
        self.officers = _checklist(self, [(o.id, f"{o.name}（{self.tr(o.role)}）") for o in officer_choices(db)])
        self.officers.setMaximumHeight(110)
        self.count = QLabel(self)
        self.count.setStyleSheet("font-weight: bold;")

        form = self.new_form()
        self.add_row(form, "name", self.tr("计划名称："), self.name)
        self.add_row(form, "starts_on", self.tr("开始日期："), self.starts_on)
        self.add_row(form, "ends_on", self.tr("结束日期："), self.ends_on)
        self.add_row(form, "grids", self.tr("网格："), self.grids)
        form.addRow("", QLabel(self.tr("不勾选网格即为全部网格；标签勾选多个时，有其一即可。"), self))
        self.add_row(form, "tags", self.tr("标签："), tags)
        self.add_row(form, "kinds", self.tr("住户类型："), kinds)
        self.add_row(form, "not_visited_days", self.tr("走访情况："), recent)
        self.add_row(form, "officers", self.tr("分配给："), self.officers)
        form.addRow("", QLabel(self.tr("勾选多名民警时，按地址顺序把住户连片分给各人。"), self))
        form.addRow(self.tr("符合条件："), self.count)
        self.body.addLayout(form)
        self.save_button.setText(self.tr("创建计划"))
        self.resize(600, 0)

        self._count_timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._asked = 0
        self._count_timer.timeout.connect(self._count_later)
        self.watch(self.not_visited.toggled, self.days.valueChanged,  # add_row binds the others
                   *(b.toggled for b in (*self.tags.values(), *self.kinds.values())))
        for signal in (self.grids.itemChanged, self.not_visited.toggled, self.days.valueChanged,
                       *(b.toggled for b in (*self.tags.values(), *self.kinds.values()))):
            signal.connect(self._count_timer.start)
        self._count_later()
        self.revalidate()

    def draft_key(self):
        return "campaign", None, {}

    def criteria(self) -> Criteria:
        return Criteria(grid_ids=_checked(self.grids), tags=tuple(t for t, b in self.tags.items() if b.isChecked()),
                        kinds=tuple(k for k, b in self.kinds.items() if b.isChecked()),
                        not_visited_days=self.days.value() if self.not_visited.isChecked() else None)

    def _ends_on(self) -> date | None:
        return None if self.ends_on.date() == NO_END else self.ends_on.date().toPython()

    def update_count(self) -> int:
        """Count now, on this thread (tests, and a quick answer on a small station)."""
        n = count_matching(self.db, criteria=self.criteria())
        self._show_count(n)
        return n

    def _count_later(self) -> None:
        # A count over a station's 50,000 households takes ~0.2 s: a worker does it, and only
        # the answer to the latest question is shown.
        self._asked += 1
        asked, criteria = self._asked, self.criteria()
        self.count.setText(self.tr("正在统计…"))
        Op(self, lambda: count_matching(self.db, criteria=criteria)).on_success(
            lambda n: self._show_count(n) if asked == self._asked else None).on_failure(
            lambda exc: self.count.setText(str(exc))).run()

    def _show_count(self, n: int) -> None:
        self.count.setText(self.tr("{n} 户").format(n=n))

    def problems(self) -> dict[str, str]:
        return campaign_problems(name=self.name.text(), starts_on=self.starts_on.date().toPython(),
                                 ends_on=self._ends_on(), criteria=self.criteria())

    def save(self) -> str:
        return create_campaign(self.db, name=self.name.text(), starts_on=self.starts_on.date().toPython(),
                               ends_on=self._ends_on(), criteria=self.criteria(), officer_ids=_checked(self.officers),
                               officer_id=self.officer_id)
