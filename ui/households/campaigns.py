"""走访计划 window: the campaigns, one campaign's progress per officer, its visited and not-yet households."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.households.campaigns import campaign_households, campaign_progress, campaign_row, list_campaigns, set_closed
from ui.widgets.fit import FitsScreen
from ui.widgets.form import Form
from ui.widgets.messages import tell
from ui.widgets.ops import Op, changes
from ui.widgets.paged_model import Column, PagedTableModel
from ui.widgets.progress import ProgressDialog

ID_ROLE = Qt.ItemDataRole.UserRole
BLANK_SHEETS = "空白走访登记表"  # app.households.visit_sheet.BLANK_TITLE: what the audit log calls them


def _when(value) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"


def _percent(done: int, total: int) -> str:
    return f"{100 * done / total:.0f}%" if total else "—"


class CampaignsWindow(FitsScreen, QDialog):
    SHOWS = ("campaign", "campaign_household", "visit", "household")  # a visit saved anywhere moves a campaign on

    record_visit = Signal(str, str)  # household id, campaign id
    preview_ready = Signal(object)  # app.output.pdf.Rendered: a campaign's blank visit sheets, audited as printed
    changed = Signal()  # a campaign was made, ended or reopened

    def __init__(self, db, *, officer_id: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.db, self.officer_id = db, officer_id
        self.campaign_id: str | None = None
        self._closed = False
        self.setWindowTitle(self.tr("走访计划"))
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1100, 680)

        self.campaigns = QTreeWidget(self)
        self.campaigns.setRootIsDecorated(False)
        self.campaigns.setHeaderLabels([self.tr("计划"), self.tr("开始"), self.tr("进度")])
        self.campaigns.itemSelectionChanged.connect(self._chosen)
        self.new_button = QPushButton(self.tr("新建计划…"), self)
        self.new_button.clicked.connect(self.new_campaign)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.campaigns, 1)
        left_layout.addWidget(self.new_button)

        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.dates = QLabel(self)
        self.progress = QProgressBar(self)
        self.per_officer = QTreeWidget(self)
        self.per_officer.setRootIsDecorated(False)
        self.per_officer.setHeaderLabels([self.tr("民警"), self.tr("分配户数"), self.tr("已走访"), self.tr("完成率")])
        self.per_officer.setMaximumHeight(120)
        self.lists = QTabWidget(self)
        self.not_yet = self._table()
        self.visited = self._table()
        self.lists.addTab(self.not_yet, self.tr("未走访"))
        self.lists.addTab(self.visited, self.tr("已走访"))
        self.visit_button = QPushButton(self.tr("记录走访…"), self)
        self.visit_button.clicked.connect(self._record_visit)
        self.blank_button = QPushButton(self.tr("打印空白登记表…"), self)
        self.blank_button.clicked.connect(self.print_blank_sheets)
        self.close_button = QPushButton(self.tr("结束计划"), self)
        self.close_button.clicked.connect(self._toggle_closed)
        buttons = QHBoxLayout()
        for button in (self.visit_button, self.blank_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.dates, self.progress, self.per_officer):
            right_layout.addWidget(widget)
        right_layout.addWidget(self.lists, 1)
        right_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(splitter)
        self.refresh()
        changes.data_changed.connect(self._heard)

    def _heard(self, tables: frozenset[str], source: object) -> None:
        if source is not self and changes.touches(tables, self.SHOWS):
            self.refresh()

    def _table(self) -> QTableView:
        view = QTableView(self)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        view.horizontalHeader().setStretchLastSection(True)
        view.doubleClicked.connect(self._record_visit)
        return view

    def _columns(self) -> list[Column]:
        return [Column(self.tr("地址"), "address", sort_key="address"), Column(self.tr("户主"), "head_name"),
                Column(self.tr("负责民警"), "officer"), Column(self.tr("走访时间"), "last_visit", fmt=_when)]

    # --- showing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the campaigns and the chosen one's progress (after a visit, say)."""
        chosen = self.campaign_id
        self.campaigns.blockSignals(True)
        self.campaigns.clear()
        for c in list_campaigns(self.db):
            name = c.name + (self.tr("（已结束）") if c.closed else "")
            item = QTreeWidgetItem([name, c.starts_on.isoformat(), f"{c.visited}/{c.total}"])
            item.setData(0, ID_ROLE, c.id)
            self.campaigns.addTopLevelItem(item)
            if c.id == chosen:
                self.campaigns.setCurrentItem(item)
        self.campaigns.resizeColumnToContents(0)
        self.campaigns.blockSignals(False)
        if self.campaigns.currentItem() is None and self.campaigns.topLevelItemCount():
            self.campaigns.setCurrentItem(self.campaigns.topLevelItem(0))
        else:
            self.show_campaign(self.campaigns.currentItem().data(0, ID_ROLE) if self.campaigns.currentItem() else None)

    def _chosen(self) -> None:
        item = self.campaigns.currentItem()
        self.show_campaign(item.data(0, ID_ROLE) if item else None)

    def show_campaign(self, campaign_id: str | None) -> None:
        self.campaign_id = campaign_id
        for button in (self.visit_button, self.blank_button, self.close_button):
            button.setEnabled(campaign_id is not None)
        self.per_officer.clear()
        if campaign_id is None:
            self.title.setText(self.tr("还没有走访计划：点“新建计划…”按网格、标签或走访情况选出住户"))
            self.dates.clear()
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            for view in (self.not_yet, self.visited):
                view.setModel(None)
            return
        c = campaign_row(self.db, campaign_id)
        self.title.setText(c.name)
        end = c.ends_on.isoformat() if c.ends_on else self.tr("不限")
        state = self.tr("已结束") if c.closed else self.tr("进行中")
        self.dates.setText(self.tr("{start} 至 {end}　{state}").format(
            start=c.starts_on.isoformat(), end=end, state=state))
        self.progress.setRange(0, max(1, c.total))
        self.progress.setValue(c.visited)
        self.progress.setFormat(self.tr("已走访 {done}/{total} 户（{percent}）").format(
            done=c.visited, total=c.total, percent=_percent(c.visited, c.total)))
        for p in campaign_progress(self.db, campaign_id):
            self.per_officer.addTopLevelItem(QTreeWidgetItem(
                [p.officer, str(p.total), str(p.visited), _percent(p.visited, p.total)]))
        self._closed = c.closed
        self.close_button.setText(self.tr("重新开启") if c.closed else self.tr("结束计划"))
        counts = {False: c.total - c.visited, True: c.visited}
        for view, visited, title in ((self.not_yet, False, self.tr("未走访")), (self.visited, True, self.tr("已走访"))):
            fetch = partial(campaign_households, self.db, campaign_id, visited=visited)
            model = PagedTableModel(self._columns(), fetch, parent=view)
            old = view.model()
            view.setModel(model)
            if old is not None:
                old.deleteLater()
            model.reload()
            self.lists.setTabText(self.lists.indexOf(view), f"{title}（{counts[visited]}）")
            view.resizeColumnToContents(0)

    # --- unsaved campaign forms are not lost with the window --------------------------------------
    def _unsaved(self) -> list[Form]:
        return [form for form in self.findChildren(Form) if form.has_unsaved()]

    def has_unsaved(self) -> bool:
        return bool(self._unsaved())

    def confirm_discard(self) -> bool:
        return all(form.confirm_discard() for form in self._unsaved())

    def reject(self) -> None:
        if self.has_unsaved() and not self.confirm_discard():
            return
        super().reject()

    # --- actions ------------------------------------------------------------------------------
    def new_campaign(self):
        from ui.households.campaign_form import CampaignForm

        form = CampaignForm(self.db, officer_id=self.officer_id, parent=self)
        form.saved.connect(self._created)
        form.show()
        return form

    def _created(self, campaign_id: str) -> None:
        self.campaign_id = campaign_id
        self.refresh()
        changes.announce("campaign", "campaign_household", source=self)
        self.changed.emit()

    def _record_visit(self) -> None:
        view = self.lists.currentWidget()
        rows = view.selectionModel().selectedRows() if view.selectionModel() else []
        if rows and self.campaign_id:
            self.record_visit.emit(view.model().row_id(rows[0].row()), self.campaign_id)

    def _toggle_closed(self) -> None:
        from app.core.errors import UserError

        try:
            set_closed(self.db, campaign_id=self.campaign_id, closed=not self._closed, officer_id=self.officer_id)
        except UserError as exc:
            tell(self, self.tr("无法完成"), str(exc), icon=QMessageBox.Icon.Warning)
        self.refresh()
        changes.announce("campaign", source=self)
        self.changed.emit()

    def print_blank_sheets(self) -> None:
        """Render one blank sheet per household on a worker, then hand it over for the preview."""
        from app.households.visit_sheet import blank_visit_sheets

        db, campaign_id = self.db, self.campaign_id
        waiting = ProgressDialog(self, self.tr("正在生成空白走访登记表…"))
        self.blank_button.setEnabled(False)

        def done(rendered) -> None:
            self.blank_button.setEnabled(True)
            if not waiting.was_cancelled():  # rendering cannot stop half way; a cancelled result is dropped
                self.preview_ready.emit(rendered)

        def failed(exc: Exception) -> None:
            self.blank_button.setEnabled(True)
            tell(self, self.tr("无法生成"), str(exc), icon=QMessageBox.Icon.Warning)

        op = Op(self, lambda: blank_visit_sheets(db, campaign_id=campaign_id,
                                                 progress=lambda done, total: op.report("", done, total)))
        op.with_progress(waiting)
        op.on_success(done).on_failure(failed).run()
