"""登记纠纷 / 修改登记: source, type, when and where, facts with live risk warnings, and the parties."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from functools import partial

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.vocab import DISPUTE_KINDS, DISPUTE_SOURCES, RISK_LEVELS
from app.disputes import queries
from app.disputes.register import (
    FACTS_LIMIT,
    DisputeValues,
    PartyValues,
    Registered,
    dispute_problems,
    dispute_values,
    find_residents,
    party_from_resident,
    register_dispute,
    update_dispute,
)
from app.disputes.risk import is_below, suggested_level, text_warnings
from app.disputes.status import REASON_LIMIT
from ui.disputes.form import DisputeForm, aware
from ui.disputes.party_editor import PartyEditor
from ui.widgets.fit import limit_length

WARNING_STYLE = "color: #b71c1c; background: #fdecea; padding: 4px; border-radius: 3px;"


class RegisterForm(DisputeForm):
    """Saves with register_dispute (new) or update_dispute (``dispute_id`` given); emits saved(Registered|id)."""

    def __init__(self, db, *, officer_id: str | None = None, dispute_id: str | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title="")
        self.setWindowTitle(self.tr("修改纠纷登记") if dispute_id else self.tr("登记矛盾纠纷"))
        self.db, self.officer_id, self.dispute_id = db, officer_id, dispute_id
        self.today = today or date.today()
        self.household_id: str | None = None
        self.editors: list[PartyEditor] = []
        self.resize(820, 860)

        self.source = _combo(self, DISPUTE_SOURCES, blank=self.tr("请选择…"))
        self.kind = _combo(self, DISPUTE_KINDS, blank=self.tr("请选择…"))
        self.occurred_at = QDateTimeEdit(QDateTime.currentDateTime(), self, calendarPopup=True)
        self.occurred_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.place = QLineEdit(self, placeholderText=self.tr("小区楼栋门牌，或道路、场所"))
        self.community = QComboBox(self)
        self.community.addItem(self.tr("（未指定）"), None)
        for cid, name in queries.community_choices(db):
            self.community.addItem(name, cid)
        self.officer = QComboBox(self)
        self.officer.addItem(self.tr("（未指定）"), None)
        for oid, name in queries.officer_choices(db):
            self.officer.addItem(name, oid)
        self.officer.setCurrentIndex(max(0, self.officer.findData(officer_id)))
        self.visit = QComboBox(self)
        self.visit.addItem(self.tr("（无）"), None)
        self.risk = _combo(self, RISK_LEVELS)
        self.risk_hint = QLabel(self)
        self.risk_hint.setStyleSheet("color: #b71c1c;")
        self.risk_reason = QLineEdit(self, placeholderText=self.tr("定为低于程序建议的等级时，写明理由"))
        self.risk_reason.hide()
        self.facts = QPlainTextEdit(self, placeholderText=self.tr("谁和谁、因为什么、发生了什么、现在怎样"))
        self.facts.setMinimumHeight(90)
        self.facts.setMaximumHeight(140)
        limit_length(self.place, 200)  # as app.disputes.register.dispute_problems
        limit_length(self.facts, FACTS_LIMIT)
        limit_length(self.risk_reason, REASON_LIMIT)
        self.warnings = QLabel(self)
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.hide()

        form = self.new_form()
        self.add_row(form, "source", self.tr("来源"), self.source)
        self.add_row(form, "kind", self.tr("类型"), self.kind)
        self.add_row(form, "occurred_at", self.tr("发生时间"), self.occurred_at)
        self.add_row(form, "place", self.tr("发生地点"), self.place)
        self.add_row(form, "community", self.tr("所属社区"), self.community)
        self.add_row(form, "officer", self.tr("责任民警"), self.officer)
        self.add_row(form, "visit", self.tr("关联走访"), self.visit)
        risk_row = QHBoxLayout()
        risk_row.addWidget(self.risk)
        risk_row.addWidget(self.risk_hint, 1)
        risk_column = QVBoxLayout()
        risk_column.addLayout(risk_row)
        risk_column.addWidget(self.risk_reason)
        self.add_row(form, ("risk_level", "risk_reason"), self.tr("风险等级"), risk_column)
        self.bind("risk_level", self.risk)
        self.bind("risk_reason", self.risk_reason)
        facts_column = QVBoxLayout()
        facts_column.addWidget(self.facts)
        facts_column.addWidget(self.warnings)
        self.add_row(form, "facts", self.tr("纠纷经过"), facts_column)
        self.bind("facts", self.facts)

        parties_box = QGroupBox(self.tr("当事人"), self)
        self.parties_layout = QVBoxLayout(parties_box)
        self.parties_message = self.message_label("parties")
        self.parties_layout.addWidget(self.parties_message)
        add = QPushButton(self.tr("添加当事人"), self)
        add.clicked.connect(lambda: self.add_party(PartyValues(role="third_party"), touched=True))
        self.parties_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)

        content = QWidget(self)
        column = QVBoxLayout(content)
        column.addLayout(form)
        column.addWidget(parties_box)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self.body.addWidget(scroll)

        with self.loading():
            if dispute_id:
                self.load(dispute_values(db, dispute_id))
            else:
                self.add_party(PartyValues(role="applicant"))
                self.add_party(PartyValues(role="respondent"))

    # --- parties --------------------------------------------------------------------------
    def add_party(self, party: PartyValues, *, touched: bool = False) -> PartyEditor:
        editor = PartyEditor(find=partial(self._find), fill=self._fill, parent=self)
        editor.load(party)
        editor.edited.connect(self.on_edit)
        editor.remove_requested.connect(lambda: self.remove_party(editor))
        editor.resident_picked.connect(self._resident_picked)
        self.parties_layout.insertWidget(len(self.editors), editor)
        self.editors.append(editor)
        self._retitle()
        if touched:
            self.on_edit()
        return editor

    def remove_party(self, editor: PartyEditor) -> None:
        self.editors.remove(editor)
        editor.setParent(None)
        editor.deleteLater()
        self._retitle()
        self.touched.add("parties")
        self.on_edit()

    def _retitle(self) -> None:
        for i, editor in enumerate(self.editors, 1):
            editor.setTitle(self.tr("当事人{n}").format(n=i))

    def _find(self, text: str):
        return find_residents(self.db, text=text)

    def _fill(self, resident_id: str, role: str) -> PartyValues:
        return party_from_resident(self.db, resident_id=resident_id, role=role, today=self.today)

    def _resident_picked(self, resident) -> None:
        # The first resident picked places the dispute: their household and community.
        if self.household_id is None and resident.household_id:
            self.set_household(resident.household_id)
            if not self.place.text().strip():
                self.place.setText(resident.address)
        if self.community.currentData() is None and resident.community_id:
            self.community.setCurrentIndex(max(0, self.community.findData(resident.community_id)))

    def set_household(self, household_id: str | None) -> None:
        self.household_id = household_id
        current = self.visit.currentData()
        self.visit.clear()
        self.visit.addItem(self.tr("（无）"), None)
        for vid, text in queries.visit_choices(self.db, household_id=household_id) if household_id else []:
            self.visit.addItem(text, vid)
        self.visit.setCurrentIndex(max(0, self.visit.findData(current)))

    # --- values ---------------------------------------------------------------------------
    def load(self, values: DisputeValues) -> None:
        self.source.setCurrentIndex(max(0, self.source.findData(values.source)))
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.kind)))
        self.occurred_at.setDateTime(QDateTime(values.occurred_at.astimezone().replace(tzinfo=None)))
        self.place.setText(values.place)
        self.community.setCurrentIndex(max(0, self.community.findData(values.community_id)))
        self.officer.setCurrentIndex(max(0, self.officer.findData(values.officer_id)))
        self.set_household(values.household_id)
        self.visit.setCurrentIndex(max(0, self.visit.findData(values.visit_id)))
        self.risk.setCurrentIndex(max(0, self.risk.findData(values.risk_level)))
        self.facts.setPlainText(values.facts)
        for party in values.parties:
            self.add_party(party)

    # --- drafts: the generic fields, plus the household and the parties ------------------------
    def draft_key(self):
        return "register", self.dispute_id, {}

    def draft_values(self) -> dict:
        values = super().draft_values()
        values["household_id"] = self.household_id
        values["parties"] = [asdict(editor.values()) for editor in self.editors]
        return values

    def apply_draft(self, values: dict) -> None:
        self.set_household(values.get("household_id"))  # before the visit choice it offers
        super().apply_draft(values)
        parties = values.get("parties")
        if not isinstance(parties, list):
            return
        for editor in self.editors:
            editor.setParent(None)
            editor.deleteLater()
        self.editors.clear()
        known = {f.name for f in fields(PartyValues)}
        for party in parties:
            if isinstance(party, dict):
                self.add_party(PartyValues(**{k: v for k, v in party.items() if k in known}))

    def values(self) -> DisputeValues:
        return DisputeValues(
            source=self.source.currentData() or "", kind=self.kind.currentData() or "",
            occurred_at=aware(self.occurred_at.dateTime()), place=self.place.text(),
            facts=self.facts.toPlainText(), risk_level=self.risk.currentData(),
            risk_reason="" if self.risk_reason.isHidden() else self.risk_reason.text(),
            community_id=self.community.currentData(), household_id=self.household_id,
            visit_id=self.visit.currentData(), officer_id=self.officer.currentData(),
            parties=[editor.values() for editor in self.editors])

    def problems(self) -> dict[str, str]:
        self._show_warnings()
        problems = dispute_problems(self.values())
        for i, editor in enumerate(self.editors):
            prefix = f"party.{i}."
            editor.show_problems({k[len(prefix):]: v for k, v in problems.items() if k.startswith(prefix)},
                                 everything=self.showing_all())
        if any("role" in editor.touched for editor in self.editors):
            self.touched.add("parties")
        return problems

    def _show_warnings(self) -> None:
        warnings = text_warnings(self.facts.toPlainText())
        self.warnings.setText("\n".join(self.tr("⚠ {w}").format(w=w.message) for w in warnings))
        self.warnings.setVisible(bool(warnings))
        suggested = suggested_level(warnings)
        if is_below(self.risk.currentData(), suggested) and not self.dispute_id and "risk_level" not in self.touched:
            # A threat or a weapon raises a new registration's level; the officer may set it
            # lower again, with a reason that the history keeps.
            self.risk.blockSignals(True)
            self.risk.setCurrentIndex(self.risk.findData(suggested))
            self.risk.blockSignals(False)
        below = is_below(self.risk.currentData(), suggested)
        self.risk_hint.setText(self.tr("程序建议：{level}").format(level=RISK_LEVELS[suggested]) if below else "")
        self.risk_reason.setVisible(below)
        if below:
            self.touched.add("risk_reason")  # say at once that a reason is wanted

    def save(self) -> Registered | str:
        if self.dispute_id:
            update_dispute(self.db, dispute_id=self.dispute_id, values=self.values(), officer_id=self.officer_id)
            return self.dispute_id
        return register_dispute(self.db, values=self.values(), officer_id=self.officer_id)


def _combo(parent: QWidget, choices: dict[str, str], *, blank: str | None = None) -> QComboBox:
    combo = QComboBox(parent)
    if blank is not None:
        combo.addItem(blank, None)
    for code, label in choices.items():
        combo.addItem(parent.tr(label), code)
    return combo
