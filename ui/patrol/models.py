"""The patrol tab's three lists (义警, 义警队, 巡逻路线): their columns, and a volunteer no longer 在队 greyed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from ui.patrol.common import DIM
from ui.widgets.paged_model import Column, PagedTableModel

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
VIEW_HINTS = {
    "volunteers": QT_TRANSLATE_NOOP("PatrolTab", "搜索 姓名、电话、身份证号、队伍或专长（空格分隔多个词）"),
    "teams": QT_TRANSLATE_NOOP("PatrolTab", "搜索 队名、社区、队长或联系方式"),
    "routes": QT_TRANSLATE_NOOP("PatrolTab", "搜索 路线名称、社区或途经点"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("PatrolTab", text)


def _day(value) -> str:
    return value.isoformat() if value else "—"


def columns(view: str) -> list[Column]:
    if view == "volunteers":
        return [
            Column(_tr("姓名"), "name", sort_key="name"),
            Column(_tr("性别"), "gender", sort_key="gender"),
            Column(_tr("年龄"), "age", sort_key="age", align=RIGHT),
            Column(_tr("所在队"), "team", sort_key="team"),
            Column(_tr("状态"), "status_label", sort_key="status"),
            Column(_tr("电话"), "phone"),
            Column(_tr("身份证号"), "id_number"),
            Column(_tr("专长"), "skills"),
            Column(_tr("培训"), "trained_on", sort_key="trained", fmt=_day),
        ]
    if view == "teams":
        return [
            Column(_tr("队名"), "name", sort_key="name"),
            Column(_tr("类型"), "kind", sort_key="kind"),
            Column(_tr("社区"), "community", sort_key="community"),
            Column(_tr("队长"), "captain", sort_key="captain"),
            Column(_tr("人数"), "members", align=RIGHT),
            Column(_tr("路线"), "routes", align=RIGHT),
            Column(_tr("联系方式"), "contact"),
        ]
    return [
        Column(_tr("路线"), "name", sort_key="name"),
        Column(_tr("类型"), "kind", sort_key="kind"),
        Column(_tr("社区"), "community", sort_key="community"),
        Column(_tr("负责队伍"), "teams"),
        Column(_tr("用时(分)"), "minutes", sort_key="minutes", align=RIGHT),
        Column(_tr("途经点"), "waypoints"),
    ]


class PatrolTableModel(PagedTableModel):
    """A volunteer who is 暂停 or 退出 is shown grey."""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.row() < self.rowCount():
            row = self._rows[index.row()]
            if getattr(row, "status", "active") != "active":
                return QBrush(DIM)
        return super().data(index, role)
