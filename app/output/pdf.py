"""PDF building blocks shared by every document: the embedded CJK font, A4 styles, rendering.

The bundled TrueType font is subset into each PDF, so a document prints the same on a
laptop without any Chinese font. Characters the font lacks (rare 生僻字 such as 𠮷) are
reported by ``missing_glyphs`` so a caller can warn instead of printing a silent blank.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from functools import cache

from app.core.paths import resource_path

FONT = "CPDeskCJK"
FONT_FILE = "wqy-microhei.ttc"  # TrueType collection: face 0 is Micro Hei


@cache
def register_font() -> str:
    """Register the bundled font with reportlab once per process (~100 ms); returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", FONT_FILE)), subfontIndex=0))
    return FONT


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """Characters in ``texts`` the bundled font cannot draw, in first-seen order."""
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(register_font()).face
    seen: dict[str, None] = {}
    for text in texts:
        for char in text or "":
            if char.isprintable() and not char.isspace() and ord(char) not in face.charToGlyph:
                seen.setdefault(char)
    return list(seen)


@cache
def styles() -> dict:
    """Paragraph styles of official forms: a centred title, body text, table cells."""
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    font = register_font()
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, alignment=TA_LEFT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER,
                                spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, alignment=TA_CENTER, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12.5, leading=19, spaceBefore=8, spaceAfter=3),
        "body": base,
        "indent": ParagraphStyle("indent", parent=base, firstLineIndent=22),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10.5, leading=15),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13),
    }


def render(story: list, *, title: str, author: str = "社区警务工作台") -> bytes:
    """Lay out ``story`` on A4 with page numbers; returns the PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    font = register_font()

    def page_number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
                            bottomMargin=22 * mm, title=title, author=author, creator=author)
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()


def chinese_date(day: date | None) -> str:
    """2026年11月23日, or blanks to fill in by hand."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "    年    月    日"
