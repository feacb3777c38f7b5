"""A tab whose feature is not built yet: says so plainly instead of showing made-up data.

Built before the first paint, so it avoids ``PySide6.QtCore.Qt``: touching that namespace
creates ~100 Python enums (~20 ms of start-up); HTML centres the text instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def centred_note(text: str, parent: QWidget) -> QLabel:
    lines = "<br>".join(text.splitlines())
    return QLabel(f'<div align="center" style="color:#666; font-size:15px">{lines}</div>', parent)


class PlaceholderTab(QWidget):
    def __init__(self, what: str, parent=None) -> None:
        super().__init__(parent)
        note = self.tr("{what}\n\n此功能尚在建设中，暂无数据。").format(what=what)
        QVBoxLayout(self).addWidget(centred_note(note, self))
