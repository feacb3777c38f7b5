"""修改检查清单 (所领导): a category's items one per line; saving makes the next version, and inspections
already recorded keep the items they were made with."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from app.core.vocab import INSPECTION_CATEGORIES
from app.enterprises.checklists import checklist_problems, current_checklists, edit_checklist
from ui.enterprises.common import ShortForm, choice_combo
from ui.widgets.messages import HINT_STYLE


class ChecklistEditForm(ShortForm):
    """``saved`` carries the new app.enterprises.checklists.ChecklistVersion."""

    def __init__(self, db, *, officer_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, title=self.tr("修改检查清单"), save_text=self.tr("保存为新版本"))
        self.db, self.officer_id = db, officer_id
        self.current = current_checklists(db)
        self.category = choice_combo(self, [(c, c) for c in INSPECTION_CATEGORIES])
        self.version = QLabel(self, styleSheet=HINT_STYLE)
        self.items = QPlainTextEdit(self, tabChangesFocus=True)
        self.items.setMinimumHeight(260)
        form = self.new_form()
        self.add_row(form, "category", self.tr("检查类别"), self.category)
        form.addRow("", self.version)
        self.add_row(form, "items", self.tr("检查项目\n（每行一项）"), self.items)
        self.body.addLayout(form)
        self.category.currentIndexChanged.connect(self._load)
        self.resize(640, 0)
        self._load()

    def _load(self) -> None:
        checklist = self.current[self.category.currentData()]
        who = f"，{checklist.edited_by}修改" if checklist.edited_by else self.tr("（内置）")
        self.version.setText(self.tr("现行第{n}版{who}；已有的检查记录保留原来的项目。").format(
            n=checklist.version, who=who))
        with self.loading():
            self.items.setPlainText("\n".join(checklist.items))

    def lines(self) -> list[str]:
        return [line for line in self.items.toPlainText().splitlines() if line.strip()]

    def problems(self) -> dict[str, str]:
        return checklist_problems(category=self.category.currentData(), items=self.lines())

    def save(self):
        return edit_checklist(self.db, category=self.category.currentData(), items=self.lines(),
                              officer_id=self.officer_id)
