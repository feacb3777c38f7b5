"""入户走访: the household list with search, and the selected household's detail."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt

from ui.base_tab import BaseTab
from ui.households.detail import HouseholdDetailPane
from ui.paged_model import Column, PagedTableModel


def _date(value) -> str:
    return value.isoformat() if value else "—"


class HouseholdsTab(BaseTab):
    def __init__(self, parent=None) -> None:
        super().__init__(search_hint=self.tr("搜索 地址、姓名、电话或身份证号（空格分隔多个词）"), parent=parent)

    def columns(self) -> list[Column]:
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return [
            Column(self.tr("地址"), "address", sort_key="address"),
            Column(self.tr("户主"), "head_name", sort_key="head"),
            Column(self.tr("类型"), "kind", sort_key="kind"),
            Column(self.tr("人数"), "residents", align=right),
            Column(self.tr("电话"), "phone"),
            Column(self.tr("社区/网格"), "community", sort_key="community"),
            Column(self.tr("最近走访"), "last_visit", fmt=_date),
            Column(self.tr("标签"), "tags", fmt=lambda tags: tags.replace(",", "、")),
        ]

    def make_model(self, db) -> PagedTableModel:
        from app.households import PAGE_SIZE, search_households

        return PagedTableModel(self.columns(), partial(search_households, db), page_size=PAGE_SIZE, parent=self)

    def make_detail(self) -> HouseholdDetailPane:
        return HouseholdDetailPane(self)

    def show_detail(self, record_id: str | None) -> None:
        from app.households import household_detail

        self.detail.show_household(household_detail(self.db, record_id) if record_id else None)
