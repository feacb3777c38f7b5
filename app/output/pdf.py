"""PDF building blocks shared by every document: the embedded CJK font, A4 styles, rendering,
and the one shape every document comes in (``Rendered``) with the one way to save it.

The bundled TrueType font is subset into each PDF, so a document prints the same on a
laptop without any Chinese font. Characters the font lacks (rare 生僻字 such as 𠮷) are
reported by ``missing_glyphs`` so a caller can warn instead of printing a silent blank.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.paths import resource_path

if TYPE_CHECKING:
    from db.engine import Database

FONT = "CPDeskCJK"
FONT_FILE = "wqy-microhei.ttc"  # TrueType collection: face 0 is Micro Hei
# Full-width punctuation that must not start a line. Reportlab's list is Japanese and lacks these,
# so a comma could begin a line of a notice; added to it once, for every document of the process.
CANNOT_START_LINE = "，。、：；！？）》」』】〕”’…"


@cache
def register_font() -> str:
    """Register the bundled font with reportlab once per process (~100 ms) and teach its line
    breaking Chinese punctuation: every document registers the font before laying out any text."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", FONT_FILE)), subfontIndex=0))
    _chinese_line_breaks()
    return FONT


def _chinese_line_breaks() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):  # one-piece and many-piece paragraphs wrap in different places
        if missing := "".join(c for c in CANNOT_START_LINE if c not in module.ALL_CANNOT_START):
            module.ALL_CANNOT_START += missing


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


def render(story: list, *, title: str, author: str = "社区警务工作台", landscape: bool = False) -> bytes:
    """Lay out ``story`` on A4 (turned sideways when ``landscape``, margins 15 mm) with page numbers;
    returns the PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as sideways
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    font = register_font()
    size, side, top = (sideways(A4), 15 * mm, 14 * mm) if landscape else (A4, 22 * mm, 20 * mm)

    def page_number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(size[0] / 2, (8 if landscape else 12) * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=size, leftMargin=side, rightMargin=side, topMargin=top,
                            bottomMargin=top + 2 * mm, title=title, author=author, creator=author)
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()


def chinese_date(day: date | None) -> str:
    """2026年11月23日, or blanks to fill in by hand."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "    年    月    日"


@dataclass(frozen=True)
class Rendered:
    """A document rendered once, as every area's documents return it: the CLI saves it, the window
    previews, prints or saves it, and both log it in the audit trail with ``audit``."""

    pdf: bytes
    pages: int  # printed pages
    missing: list[str]  # characters the font lacks: the officer writes them in by hand
    suggested_name: str  # a file name to offer when saving
    title: str  # what the preview window calls it
    audit: tuple[str, str | None, str]  # (table, record id, document name) of the audit entry of a print or save

    @classmethod
    def of(cls, pdf: bytes, *, missing: Iterable[str], suggested_name: str, title: str,
           audit: tuple[str, str | None, str]) -> Rendered:
        """Counts the pages (a long sheet takes two) and makes the name safe for any file system."""
        pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
        name = "".join("-" if c in '\\/:*?"<>|' else c for c in suggested_name)
        return cls(pdf, pages, list(missing), name, title, audit)


def save_document(db: Database, rendered: Rendered, path: Path) -> None:
    """Write ``rendered`` to ``path`` (whole or not at all) and log it: it carries names, addresses
    and numbers. The print preview logs a print the same way (app.audit.log.record_document)."""
    from app.audit.log import record_document
    from app.output.files import write_atomically

    write_atomically(Path(path), rendered.pdf)
    table, record_id, document = rendered.audit
    record_document(db, "pdf", table=table, record_id=record_id, document=document, path=Path(path).absolute(),
                    pages=rendered.pages)
