"""The progress reporter an ``Op`` shows by default: a window-modal dialog with 取消, after 300 ms."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.widgets.ops import Op


class ProgressDialog(QObject):
    """``Op(parent, fn).with_progress(ProgressDialog(parent, title, stages={...}))``.

    Shows the stage the work reports (``stages`` turns the work's stage names into the words
    shown) and how far it got; 取消 asks the work to stop (``op.cancel()``) and says 正在取消…."""

    def __init__(self, parent: QWidget, title: str, *, stages: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._stages = stages or {}
        self._op: Op | None = None
        self._ended = False
        self.dialog = QProgressDialog(title, self.tr("取消"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.reset()  # not shown until start(): a QProgressDialog would otherwise show itself

    def start(self, op: Op) -> None:
        self._op = op
        self.dialog.setValue(0)  # starts the minimum-duration clock

    def update(self, stage: str, done: int, total: int) -> None:
        if self._op is not None and not self._op.cancelled:
            if stage:  # a work with one stage reports none: the title stays
                self.dialog.setLabelText(self._stages.get(stage, stage))
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, max(total, 1)))

    def finish(self) -> None:
        self._ended = True  # closing a QProgressDialog emits canceled: not a cancel any more
        self.dialog.close()

    def cancel(self) -> None:
        if self._ended:
            return
        if self._op is not None:
            self._op.cancel()
        self.dialog.setLabelText(self.tr("正在取消…"))

    def was_cancelled(self) -> bool:
        return self._op is not None and self._op.cancelled
