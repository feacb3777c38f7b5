"""The drawing the area's documents share: marked text, ruled grids, the seal and signature lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from app.output.pdf import Rendered, chinese_date, missing_glyphs, register_font, render, styles

PLACEHOLDER = "〓"  # a character the font lacks: written in by hand
SHADE = colors.HexColor("#EDEDED")
FRAME_MM = 166  # between the margins
_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五: the numbering of a notice's items."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


class Doc:
    """A document's story, with the characters the font cannot draw collected as it is written."""

    def __init__(self) -> None:
        register_font()  # and Chinese punctuation never starts a line (app.output.pdf)
        s = styles()
        self.story: list = []
        self.missing: dict[str, None] = {}
        self.centre = ParagraphStyle("ent-centre", parent=s["cell"], alignment=TA_CENTER)
        self.right = ParagraphStyle("ent-right", parent=s["body"], alignment=TA_RIGHT)
        self.body_name = ParagraphStyle("ent-body-name", parent=s["subtitle"], fontSize=13, leading=18, spaceAfter=0)
        self.indent = ParagraphStyle("ent-indent", parent=s["body"], firstLineIndent=22, leading=20)

    def text(self, value: str) -> str:
        for char in missing_glyphs([value]):
            self.missing.setdefault(char)
            value = value.replace(char, PLACEHOLDER)
        markup = escape(value).replace("\n", "<br/>").replace("　", "&nbsp;" * 3)
        for box in ("■", "□"):  # Micro Hei draws them small
            markup = markup.replace(box, f'<font size="13">{box}</font>')
        return markup

    def para(self, value: str, style=None) -> Paragraph:
        return Paragraph(self.text(value or ""), style or styles()["cell"])

    def add(self, *flowables) -> None:
        self.story.extend(flowables)

    def heading(self, title: str, *, body: str = "", number: str = "") -> None:
        """The issuing body, the title, the number on the right."""
        if body:
            self.add(self.para(body, self.body_name))
        self.add(self.para(title, styles()["title"]))
        if number:
            self.add(self.para(f"编号：{number}", self.right))
        self.add(Spacer(1, 3 * mm))

    def line(self, value: str, *, indent: bool = True) -> None:
        self.add(self.para(value, self.indent if indent else styles()["body"]))

    def grid(self, rows: Sequence[Sequence], widths_mm: Sequence[float], *, header: bool = False,
             label_columns: Sequence[int] = (), centred_columns: Sequence[int] = (), repeat: bool = False,
             small: bool = False) -> Table:
        """Ruled cells (text wraps); label columns shaded, the first row too with ``header``; ``small``: 9 pt."""
        plain = styles()["small"] if small else styles()["cell"]
        centre = ParagraphStyle("ent-centre-small", parent=plain, alignment=TA_CENTER) if small else self.centre
        data = [[self.para(str(cell), centre if (header and r == 0) or c in centred_columns else plain)
                 for c, cell in enumerate(row)] for r, row in enumerate(rows)]
        commands = [("GRID", (0, 0), (-1, -1), 0.7, colors.black), ("BOX", (0, 0), (-1, -1), 1.3, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
        commands += [("BACKGROUND", (c, 0), (c, -1), SHADE) for c in label_columns]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
        table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1 if repeat else 0)
        table.setStyle(TableStyle(commands))
        return table

    def seal(self, body: str, day: date | None) -> list:
        """``body（印）`` and the date, on the right."""
        return [Spacer(1, 8 * mm), self.para(f"{body}（印）", self.right), self.para(chinese_date(day), self.right)]

    def signatures(self, labels: Sequence[str], *, dated: bool = True) -> Table:
        """A line to sign for each label, one under the other with room to sign, dated when ``dated``."""
        day = "　　日期：　　年　　月　　日" if dated else ""
        rows = [[self.para(f"{label}（签名）：{'＿' * 10}{day}", styles()["body"])] for label in labels]
        table = Table(rows, colWidths=[FRAME_MM * mm], rowHeights=[12 * mm] * len(rows))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return table

    def finish(self, *, title: str, suggested_name: str, audit: tuple[str, str | None, str]) -> Rendered:
        return Rendered.of(render(self.story, title=title), missing=self.missing, suggested_name=suggested_name,
                           title=title, audit=audit)
