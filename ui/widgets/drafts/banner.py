"""The bar at the top of a tab offering the drafts an earlier run left behind: 恢复 / 放弃.

Nothing modal at startup: the officer may go on working and answer the bar later."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.widgets.drafts.keeper import track
from ui.widgets.drafts.store import Draft, DraftStore

log = logging.getLogger(__name__)


class DraftBanner(QFrame):
    """The bar at the top of a tab: "有 N 份未保存的草稿" with 恢复 / 放弃; nothing modal at startup.

    ``reopen(draft)`` is the tab's: open the form the draft belongs to (shown), or None when its
    record is gone; the banner then fills it with the draft's values."""

    restored = Signal(list)  # the forms opened with their drafts

    def __init__(self, reopen: Callable[[Draft], QWidget | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBanner")
        self.setStyleSheet("#draftBanner { background: #fff4d6; border: 1px solid #e0b84c; border-radius: 3px; }")
        self._reopen = reopen
        self.store: DraftStore | None = None
        self.drafts: list[Draft] = []
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.details = QLabel(self)
        self.details.setStyleSheet("color: #555;")
        self.details.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("恢复"), self)
        self.discard_button = QPushButton(self.tr("放弃"), self)
        self.close_button = QPushButton(self.tr("知道了"), self)
        self.restore_button.setToolTip(self.tr("重新打开这些表单，填写过的内容原样恢复"))
        self.discard_button.setToolTip(self.tr("删除这些草稿，不再提示"))
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        self.close_button.clicked.connect(self.hide)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.details)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addLayout(text, 1)
        for button in (self.restore_button, self.discard_button, self.close_button):
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def offer(self, store: DraftStore, *, area: str) -> list[Draft]:
        """Show the drafts of ``area`` left in ``store`` (none: the bar stays hidden)."""
        self.store, self.drafts = store, store.load(area=area)
        self._show_offer()
        return self.drafts

    def _show_offer(self) -> None:
        if not self.drafts:
            self.hide()
            return
        n = len(self.drafts)
        if all(d.parked for d in self.drafts):
            self.title.setText(self.tr("有 {n} 份“稍后再填”的草稿").format(n=n))
        else:
            self.title.setText(self.tr("有 {n} 份未保存的草稿（上次未正常关闭）").format(n=n))
        lines = [self.tr("{title}（{when}）").format(title=d.title or self.tr("未命名表单"), when=d.when())
                 for d in self.drafts[:4]]
        if n > 4:
            lines.append(self.tr("等 {n} 份").format(n=n))
        self.details.setText("；".join(lines))
        self.details.setVisible(True)
        self._buttons(offering=True)
        self.show()

    def _buttons(self, *, offering: bool) -> None:
        self.restore_button.setVisible(offering)
        self.discard_button.setVisible(offering)
        self.close_button.setVisible(not offering)

    def restore(self) -> list[QWidget]:
        """Open every offered draft's form with its values; a draft whose record is gone is dropped."""
        opened, kept, lost = [], [], []
        for draft in self.drafts:
            try:
                form = self._reopen(draft)
            except Exception:  # a bug in one draft must not stop the others
                log.exception("could not reopen the draft %s", draft.id)
                form = None
            if form is None:
                self.store.remove(draft.id)
                lost.append(draft)
            elif form.has_unsaved():  # that form is already open with other input: offer this one later
                kept.append(draft)
            else:
                form.restore_draft(draft.values)
                keeper = track(form)
                if keeper is not None:
                    keeper.adopt(draft)
                opened.append(form)
        self.drafts = kept
        if kept:
            self._show_offer()
        elif lost:
            self.title.setText(
                self.tr("{n} 份草稿无法恢复：对应的记录已被删除或已变化，草稿已丢弃。").format(n=len(lost)))
            self.details.setText("；".join(d.title for d in lost if d.title))
            self.details.setVisible(bool(self.details.text()))
            self._buttons(offering=False)
            self.show()
        else:
            self.hide()
        self.restored.emit(opened)
        return opened

    def discard(self) -> None:
        for draft in self.drafts:
            self.store.remove(draft.id)
        self.drafts = []
        self.hide()
