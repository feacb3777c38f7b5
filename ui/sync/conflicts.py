"""同步冲突: each conflict side by side, the officer keeps either; and 疑似重复人员, merged on request."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.privacy import mask_id_number, mask_phone
from ui.sync.common import RowsModel, table_view
from ui.sync.labels import field_label, table_label
from ui.widgets.fit import FitsScreen
from ui.widgets.paged_model import Column


def _replace_model(view, model) -> None:
    old = view.model()
    view.setModel(model)
    if old is not None:
        old.deleteLater()


def _when(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class ConflictsDialog(FitsScreen, QDialog):
    """Open with ``show()``; reports ``changed()`` after a conflict is decided or residents merged."""

    changed = Signal()

    def __init__(self, db, parent=None, *, officer_id: str | None = None) -> None:
        super().__init__(parent)
        self.db, self.officer_id = db, officer_id
        self.setWindowTitle(self.tr("同步冲突"))
        self.resize(900, 560)
        self.conflicts: list = []
        self.groups: list = []
        tabs = QTabWidget(self)
        tabs.addTab(self._conflicts_page(), self.tr("同步冲突"))
        tabs.addTab(self._duplicates_page(), self.tr("疑似重复人员"))
        self.tabs = tabs
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)
        self.reload()

    # --- conflicts ------------------------------------------------------------------------
    def _conflicts_page(self) -> QWidget:
        page = QWidget(self)
        self.note = QLabel(page)
        self.reveal = QCheckBox(self.tr("显示完整号码"), page)
        self.reveal.toggled.connect(self._revealed)
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(self.reveal)
        self.table = table_view(page)
        self.kept_box, self.kept_value, self.kept_from = self._side(page, self.tr("保留的值（当前生效）"))
        self.lost_box, self.lost_value, self.lost_from = self._side(page, self.tr("被覆盖的值"))
        self.keep_button = QPushButton(self.tr("保留当前值"), page)
        self.restore_button = QPushButton(self.tr("改用被覆盖的值"), page)
        self.keep_button.clicked.connect(lambda: self.decide("kept"))
        self.restore_button.clicked.connect(lambda: self.decide("lost"))
        sides = QHBoxLayout()
        sides.addWidget(self.kept_box)
        sides.addWidget(self.lost_box)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.keep_button)
        actions.addWidget(self.restore_button)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(sides)
        layout.addLayout(actions)
        return page

    def _revealed(self, on: bool) -> None:
        """Showing the numbers in full is logged: one entry per record whose number is shown."""
        if on:
            from app.audit import log as audit

            shown = {(c.table, c.record_id): c.field for c in self.conflicts if _is_number(c.field)}
            for (table, record_id), field in shown.items():
                audit.record(self.db, "reveal", officer_id=self.officer_id, table=table, record_id=record_id,
                             where="同步冲突", field=field)
        self.reload()

    def _side(self, parent: QWidget, title: str) -> tuple[QGroupBox, QLabel, QLabel]:
        box = QGroupBox(title, parent)
        value, origin = QLabel(box), QLabel(box)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setStyleSheet("font-size: 15px")
        origin.setStyleSheet("color: #666")
        grid = QGridLayout(box)
        grid.addWidget(value, 0, 0)
        grid.addWidget(origin, 1, 0)
        return box, value, origin

    def show_value(self, field: str, value) -> str:
        if value is None or value == "":
            return self.tr("（空）")
        if field == "deleted":
            return self.tr("已删除") if value else self.tr("未删除（记录有效）")
        if _is_number(field) and not self.reveal.isChecked():
            return mask_id_number(str(value)) if field == "id_number" else mask_phone(str(value))
        return str(value)

    def _conflict_columns(self) -> list[Column]:
        return [
            Column(self.tr("记录"), "table", fmt=table_label),
            Column(self.tr("名称"), "record_label"),
            Column(self.tr("字段"), "field", fmt=field_label),
            Column(self.tr("保留的值"), "kept"),
            Column(self.tr("被覆盖的值"), "lost"),
            Column(self.tr("被覆盖方"), "lost_by"),
            Column(self.tr("修改时间"), "lost_at", fmt=_when),
        ]

    def reload(self) -> None:
        from app.sync.conflicts import list_conflicts
        from app.sync.duplicates import find_duplicate_residents

        self.conflicts = list_conflicts(self.db)
        rows = [_Shown(c, self.show_value(c.field, c.kept_value), self.show_value(c.field, c.lost_value))
                for c in self.conflicts]
        _replace_model(self.table, RowsModel(self._conflict_columns(), rows, self.table))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        if rows:
            self.table.selectRow(0)
        self.note.setText(self.tr("有 {n} 处同步冲突待处理：两台电脑改了同一处，保留了较晚的修改。"
                                  "请逐条确认保留哪一个值。").format(n=len(rows)) if rows
                          else self.tr("没有待处理的同步冲突。"))
        self._show_selected()
        self.groups = find_duplicate_residents(self.db)
        people = [_Person(g.id_number, p) for g in self.groups for p in g.residents]
        _replace_model(self.people, RowsModel(self._people_columns(), people, self.people))
        self.people_note.setText(self.tr("以下人员身份证号相同，可能是在不同电脑上重复录入的同一人。"
                                         "选中要保留的一条，把同组其余人员合并进去。") if people
                                 else self.tr("没有疑似重复的人员。"))
        self.merge_button.setEnabled(bool(people))

    def selected(self):
        index = self.table.currentIndex()
        return self.conflicts[index.row()] if index.isValid() and index.row() < len(self.conflicts) else None

    def _show_selected(self) -> None:
        conflict = self.selected()
        for button in (self.keep_button, self.restore_button):
            button.setEnabled(conflict is not None)
        if conflict is None:
            for label in (self.kept_value, self.kept_from, self.lost_value, self.lost_from):
                label.clear()
            return
        kept = self.show_value(conflict.field, conflict.kept_value)
        if conflict.current_value != conflict.kept_value:
            kept += "\n" + self.tr("（此后又改为：{value}）").format(value=self.show_value(conflict.field,
                                                                                   conflict.current_value))
        self.kept_value.setText(kept)
        self.kept_from.setText(self.tr("来自设备 {who}，{when}").format(who=conflict.kept_by,
                                                                    when=_when(conflict.kept_at)))
        self.lost_value.setText(self.show_value(conflict.field, conflict.lost_value))
        self.lost_from.setText(self.tr("来自设备 {who}，{when}").format(who=conflict.lost_by,
                                                                    when=_when(conflict.lost_at)))

    def decide(self, keep: str) -> None:
        from app.sync.conflicts import resolve_conflict

        conflict = self.selected()
        if conflict is None:
            return
        resolve_conflict(self.db, conflict_id=conflict.id, keep=keep, officer_id=self.officer_id)
        self.reload()
        self.changed.emit()

    # --- probable duplicates ---------------------------------------------------------------
    def _duplicates_page(self) -> QWidget:
        page = QWidget(self)
        self.people_note = QLabel(page)
        self.people_note.setWordWrap(True)
        self.people = table_view(page)
        self.merge_button = QPushButton(self.tr("合并到所选人员"), page)
        self.merge_button.clicked.connect(self.merge_selected)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.merge_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.people_note)
        layout.addWidget(self.people, 1)
        layout.addLayout(actions)
        return page

    def _people_columns(self) -> list[Column]:
        return [Column(self.tr("身份证号"), "id_number"), Column(self.tr("姓名"), "name"),
                Column(self.tr("电话"), "phone"), Column(self.tr("住址"), "address"),
                Column(self.tr("录入设备"), "device"), Column(self.tr("录入时间"), "created_at", fmt=_when),
                Column(self.tr("关联记录"), "references")]

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("合并人员"), text)
        return answer == QMessageBox.StandardButton.Yes

    def merge_selected(self) -> None:
        from app.sync.duplicates import merge_residents

        index = self.people.currentIndex()
        if not index.isValid():
            return
        keep = self.people.model().row(index.row()).person
        group = next(g for g in self.groups if any(p.id == keep.id for p in g.residents))
        others = [p for p in group.residents if p.id != keep.id]
        if not self.confirm(self.tr("把其余 {n} 条合并到“{name}”（{device} 录入）？被合并的记录会标记为已删除，"
                                    "其走访、纠纷、义警记录改指向保留的人员。").format(
                n=len(others), name=keep.name, device=keep.device)):
            return
        for person in others:
            merge_residents(self.db, keep_id=keep.id, drop_id=person.id, officer_id=self.officer_id)
        self.reload()
        self.changed.emit()


def _is_number(field: str) -> bool:
    """Fields shown masked until 显示完整号码 is ticked."""
    return field == "id_number" or field.endswith("phone")


class _Shown:
    """A conflict with its values as shown (masked, labelled)."""

    def __init__(self, conflict, kept: str, lost: str) -> None:
        self.conflict, self.kept, self.lost = conflict, kept, lost

    def __getattr__(self, name):
        return getattr(self.conflict, name)


class _Person:
    def __init__(self, id_number: str, person) -> None:
        self.id_number, self.person = id_number, person

    def __getattr__(self, name):
        return getattr(self.person, name)
