"""A tab whose feature is not built yet: says so plainly instead of showing made-up data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderTab(QWidget):
    def __init__(self, what: str, parent=None) -> None:
        super().__init__(parent)
        label = QLabel(self.tr("{what}\n\n此功能尚在建设中，暂无数据。").format(what=what), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #666; font-size: 15px;")
        QVBoxLayout(self).addWidget(label)
