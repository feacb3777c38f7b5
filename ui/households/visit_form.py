"""走访 form: when, who, why, whom the officer met, what was found; a dispute found on the visit."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
)

from app.core.vocab import DISPUTE_KINDS, RISK_LEVELS, VISIT_PURPOSES
from app.disputes.register import FACTS_LIMIT, TEXT_LIMITS, PartyValues, party_from_resident, risk_floor
from app.disputes.risk import text_warnings
from app.households.visits import (
    TEXT_LIMIT,
    DisputeNote,
    VisitValues,
    companion_suggestions,
    officer_choices,
    record_visit,
    visit_problems,
    visit_values,
)
from ui.widgets.fit import limit_length
from ui.widgets.form import Form

TEXTS = ("findings", "requests", "hazards", "follow_up")  # free-text fields of app.households.visits.VisitValues


class VisitForm(Form):
    """Record a visit to a household (or edit ``visit_id``); ``saved`` carries an app.households.visits.SavedVisit.

    "保存并打印" saves and asks for the sheet: ``print_requested`` carries the visit id."""

    print_requested = Signal(str)
    own_window = True
    draft_area = "households"

    def __init__(self, db, *, household, visit_id: str | None = None, officer_id: str | None = None,
                 campaign_id: str | None = None, parent=None) -> None:
        """``household`` is the list's row (app.households.service.HouseholdDetail) of the visited household."""
        super().__init__(parent, title=self.tr("记录走访：{address}").format(address=household.row.address))
        self.db, self.household, self.visit_id, self.officer_id = db, household, visit_id, officer_id
        self._print_after = False

        self.visited_at = QDateTimeEdit(QDateTime.currentDateTime(), self, calendarPopup=True,
                                        displayFormat="yyyy-MM-dd HH:mm")
        self.officer = QComboBox(self)
        self.officer.addItem(self.tr("（请选择）"), None)
        for choice in officer_choices(db):
            self.officer.addItem(f"{choice.name}（{self.tr(choice.role)}）", choice.id)
        self.officer.setCurrentIndex(max(0, self.officer.findData(officer_id)))
        self.companions = QLineEdit(self, placeholderText=self.tr("如 辅警王强、网格员李梅"))
        add_companion = QToolButton(self, text=self.tr("添加"), popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(add_companion)
        for name in companion_suggestions(db, household_id=household.row.id):
            menu.addAction(name, lambda name=name: self._add_companion(name))
        add_companion.setMenu(menu)
        add_companion.setEnabled(not menu.isEmpty())
        companions = QHBoxLayout()
        companions.addWidget(self.companions, 1)
        companions.addWidget(add_companion)
        self.campaign = QComboBox(self)
        self.campaign.addItem(self.tr("（不属于走访计划）"), None)
        from app.households.campaigns import open_campaigns_for

        for cid, name in open_campaigns_for(db, household_id=household.row.id):
            self.campaign.addItem(name, cid)
        self.campaign.setCurrentIndex(max(0, self.campaign.findData(campaign_id)) if campaign_id
                                      else min(1, self.campaign.count() - 1))
        self.purposes = {p: QCheckBox(self.tr(p), self) for p in VISIT_PURPOSES}
        purposes = QGridLayout()
        for i, box in enumerate(self.purposes.values()):
            purposes.addWidget(box, i // 3, i % 3)
        self.met = QListWidget(self)
        self.met.setMaximumHeight(110)
        for r in household.residents:
            item = QListWidgetItem(f"{r.name}（{r.relation or self.tr('人员')}）", self.met)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setCheckState(Qt.CheckState.Unchecked)
        if not household.residents:
            self.met.addItem(self.tr("本户尚未登记人员"))
        self.texts = {name: QPlainTextEdit(self) for name in TEXTS}
        for edit in self.texts.values():
            edit.setFixedHeight(64)
            limit_length(edit, TEXT_LIMIT)

        self.dispute = QGroupBox(self.tr("发现矛盾纠纷（保存时登记为待调处纠纷）"), self, checkable=True, checked=False)
        self.dispute_kind = QComboBox(self.dispute)
        self.dispute_kind.addItem(self.tr("（请选择类型）"), None)
        for code, label in DISPUTE_KINDS.items():
            self.dispute_kind.addItem(self.tr(label), code)
        self.dispute_facts = QPlainTextEdit(self.dispute, placeholderText=self.tr("谁和谁、因为什么、现在怎样"))
        self.dispute_facts.setFixedHeight(56)
        self.dispute_applicant = QComboBox(self.dispute)
        self.dispute_applicant.addItem(self.tr("（请选择）"), None)
        for r in household.residents:
            self.dispute_applicant.addItem(f"{r.name}（{r.relation or self.tr('人员')}）", r.id)
        self.dispute_applicant.setCurrentIndex(min(1, self.dispute_applicant.count() - 1))
        self.dispute_respondent = QLineEdit(self.dispute, placeholderText=self.tr("姓名或称呼，如 楼上住户王某"))
        limit_length(self.companions, 200)  # as app.households.visits.visit_problems
        limit_length(self.dispute_facts, FACTS_LIMIT)
        limit_length(self.dispute_respondent, TEXT_LIMITS["name"])
        self.dispute_risk = QLabel(self.dispute)
        self.dispute_risk.setWordWrap(True)
        self.dispute_risk.setStyleSheet("color: #b71c1c;")
        dispute_form = self.new_form()
        self.add_row(dispute_form, "dispute_kind", self.tr("纠纷类型："), self.dispute_kind)
        self.add_row(dispute_form, "dispute_applicant", self.tr("提出人："), self.dispute_applicant)
        self.add_row(dispute_form, "dispute_respondent", self.tr("对方当事人："), self.dispute_respondent)
        self.add_row(dispute_form, "dispute_facts", self.tr("简要情况："), self.dispute_facts)
        dispute_form.addRow(self.dispute_risk)
        self.dispute.setLayout(dispute_form)
        self._applicants: dict[str, PartyValues] = {}  # resident id -> party, read once

        left, right = self.new_form(), self.new_form()
        self.add_row(left, "visited_at", self.tr("走访时间："), self.visited_at)
        self.add_row(left, "officer", self.tr("走访民警："), self.officer)
        self.add_row(left, "companions", self.tr("同行人员："), companions)
        self.add_row(left, "campaign", self.tr("走访计划："), self.campaign)
        self.add_row(left, "purposes", self.tr("走访事由："), purposes)
        self.add_row(left, "met", self.tr("见面人员："), self.met)
        labels = (self.tr("发现情况："), self.tr("社情民意："), self.tr("安全隐患："), self.tr("需跟进事项："))
        for name, label in zip(TEXTS, labels):
            self.add_row(right, name, label, self.texts[name])
        columns = QHBoxLayout()
        left_column, right_column = QVBoxLayout(), QVBoxLayout()
        left_column.addLayout(left)
        left_column.addStretch(1)  # rows keep their height when the right column is taller
        right_column.addLayout(right)
        right_column.addWidget(self.dispute)
        right_column.addStretch(1)
        columns.addLayout(left_column, 1)
        columns.addSpacing(12)
        columns.addLayout(right_column, 1)
        self.body.addLayout(columns)
        self.save_print_button = self.add_save_button(self.tr("保存并打印登记表"))
        self.save_print_button.clicked.connect(self.submit_and_print)
        self.saved.connect(self._after_save)
        self.resize(980, 0)

        self.watch(self.companions.textChanged, self.dispute.toggled,  # add_row binds the others
                   *(box.toggled for box in self.purposes.values()))
        with self.loading():
            if visit_id is not None:
                self.load(visit_id)

    def _add_companion(self, name: str) -> None:
        current = self.companions.text().strip().strip("、")
        if name not in current.split("、"):
            self.companions.setText(f"{current}、{name}" if current else name)

    def load(self, visit_id: str) -> None:
        values = visit_values(self.db, visit_id)
        if values is None:
            self.refuse(self.tr("该走访记录已被删除"))
            return
        self.setWindowTitle(self.tr("修改走访记录：{address}").format(address=self.household.row.address))
        self.visited_at.setDateTime(QDateTime(values.visited_at.astimezone().replace(tzinfo=None)))
        self.officer.setCurrentIndex(max(0, self.officer.findData(values.officer_id)))
        self.companions.setText(values.companions)
        if values.campaign_id and self.campaign.findData(values.campaign_id) < 0:
            self.campaign.addItem(self.tr("（已结束的计划）"), values.campaign_id)
        self.campaign.setCurrentIndex(max(0, self.campaign.findData(values.campaign_id)))
        for purpose, box in self.purposes.items():
            box.setChecked(purpose in values.purposes)
        for item in self._met_items():
            met = values.met.get(item.data(Qt.ItemDataRole.UserRole))
            item.setCheckState(Qt.CheckState.Checked if met else Qt.CheckState.Unchecked)
        for name, edit in self.texts.items():
            edit.setPlainText(getattr(values, name))
        self.dispute.setTitle(self.tr("发现矛盾纠纷（已登记的纠纷请在矛盾纠纷页处理）"))

    def _met_items(self) -> list[QListWidgetItem]:
        items = (self.met.item(i) for i in range(self.met.count()))
        return [item for item in items if item.data(Qt.ItemDataRole.UserRole)]

    def draft_key(self):
        return "visit", self.visit_id, {"household_id": self.household.row.id}

    def values(self) -> VisitValues:
        when = self.visited_at.dateTime().toPython().astimezone()
        dispute = None
        if self.dispute.isChecked():
            dispute = DisputeNote(kind=self.dispute_kind.currentData() or "", facts=self.dispute_facts.toPlainText(),
                                  applicant=self._applicant(), respondent=self.dispute_respondent.text())
        return VisitValues(
            household_id=self.household.row.id, visited_at=when, officer_id=self.officer.currentData(),
            companions=self.companions.text(), purposes=tuple(p for p, box in self.purposes.items() if box.isChecked()),
            met={item.data(Qt.ItemDataRole.UserRole): item.checkState() == Qt.CheckState.Checked
                 for item in self._met_items()},
            campaign_id=self.campaign.currentData(), dispute=dispute,
            **{name: edit.toPlainText() for name, edit in self.texts.items()})

    def _applicant(self) -> PartyValues | None:
        resident_id = self.dispute_applicant.currentData()
        if resident_id is None:
            return None
        if resident_id not in self._applicants:
            self._applicants[resident_id] = party_from_resident(self.db, resident_id=resident_id)
        return self._applicants[resident_id]

    def problems(self) -> dict[str, str]:
        level = risk_floor(self.dispute_facts.toPlainText())
        self.dispute_risk.setText(self.tr("将登记为{level}风险纠纷（{why}）").format(
            level=RISK_LEVELS[level], why="；".join(w.message for w in text_warnings(self.dispute_facts.toPlainText())))
            if level else "")
        problems = visit_problems(self.values())
        if self.officer.count() > 1 and self.officer.currentData() is None:
            problems["officer"] = self.tr("请选择走访民警")
        return problems

    def save(self):
        return record_visit(self.db, values=self.values(), officer_id=self.officer_id, visit_id=self.visit_id)

    def submit_and_print(self) -> None:
        self._print_after = True
        try:
            self.submit()
        finally:
            self._print_after = False

    def _after_save(self, saved) -> None:
        if self._print_after:
            self.print_requested.emit(saved.visit_id)
