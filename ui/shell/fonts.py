"""The bundled CJK font, registered as the UI's fallback so Chinese never shows as boxes."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.core.paths import resource_path

CJK_FONT_FILE = "wqy-microhei.ttc"


def install_cjk_font(app: QApplication) -> str | None:
    """Register the shipped font and put it behind the default family; returns its family."""
    font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", CJK_FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    font = QFont(app.font())
    font.setFamilies([font.family(), families[0]])
    app.setFont(font)
    return families[0]
