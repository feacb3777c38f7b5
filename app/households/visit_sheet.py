"""走访登记表: the filled sheet of one visit, and blank sheets for a campaign's households."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select

from app.core.errors import UserError
from app.core.privacy import mask_phone
from app.core.text import format_address
from app.core.timeutil import age_on
from app.core.vocab import HOUSEHOLD_KINDS, VISIT_PURPOSES
from app.households.campaigns import campaign_household_ids, campaign_row
from app.households.visits import MetResident, VisitRecord, visit_record
from app.output.pdf import Rendered, missing_glyphs, register_font, render, styles
from db.engine import Database
from db.models import Community, Grid, Household, Resident

TITLE = "入户走访登记表"
SHEET_TITLE, BLANK_TITLE = "走访登记表", "空白走访登记表"  # what the preview and the audit log call them
PLACEHOLDER = "〓"  # the printer's mark for a character the font lacks: fill it in by hand
CHECKED, UNCHECKED = "■", "□"
NOTHING = "无"  # an empty box on a signed record is written 无, so nothing can be added later
WIDTHS_MM = (24, 59, 24, 59)  # label, value, label, value: 166 mm between the margins
MET_WIDTHS_MM = (28, 22, 14, 14, 32, 32)  # the residents' table inside the right 142 mm
SHADE = colors.HexColor("#EDEDED")  # label cells: light enough to write on, dark enough to photocopy
BLANK_PERSON_ROWS = 2  # empty lines on a blank sheet for people not yet registered
BLANK_BOXES_MM = (26, 14, 14, 12)  # room to write findings, requests, hazards, follow-up
MAX_BLANK_SHEETS = 2000  # ~25 s of rendering and a 7 MB file: split a bigger campaign by grid


@dataclass(frozen=True)
class _Blank:
    """What a blank sheet knows of a household before the visit."""

    address: str
    community: str
    grid: str
    kind: str
    tags: str
    head_name: str
    phone: str
    residents: list[MetResident]


def visit_sheet(db: Database, *, visit_id: str, today: date | None = None) -> Rendered:
    """The filled 走访登记表 of one visit (UserError when there is no such visit)."""
    record = visit_record(db, visit_id, today=today)
    sheet = _Sheet()
    sheet.page(_filled_rows(record), note=_note(record.campaign))
    day = record.visited_at.astimezone().strftime("%Y%m%d")
    return sheet.finish(f"走访登记表-{record.address}-{day}.pdf", title=SHEET_TITLE,
                        audit=("visit", visit_id, SHEET_TITLE))


def blank_visit_sheets(db: Database, *, campaign_id: str, today: date | None = None,
                       progress: Callable[[int, int], None] | None = None) -> Rendered:
    """One blank sheet per household of a campaign, its address and residents filled in."""
    campaign = campaign_row(db, campaign_id)
    if campaign.total > MAX_BLANK_SHEETS:
        raise UserError(f"该计划有 {campaign.total} 户，一次最多打印 {MAX_BLANK_SHEETS} 张：请按网格分成几个计划")
    homes = _blank_households(db, campaign_household_ids(db, campaign_id), today=today or date.today())
    if not homes:
        raise UserError(f"走访计划“{campaign.name}”中已没有住户")
    sheet = _Sheet()
    for n, home in enumerate(homes, 1):
        sheet.page(_blank_rows(home), note=_note(campaign.name, f"第 {n}/{len(homes)} 户"))
        if progress:
            progress(n, len(homes))
    return sheet.finish(f"空白走访登记表-{campaign.name}.pdf", title=BLANK_TITLE,
                        audit=("campaign", campaign_id, BLANK_TITLE))


def _note(campaign: str, extra: str = "") -> str:
    parts = ([f"走访计划：{campaign}"] if campaign else []) + ([extra] if extra else [])
    return "　".join(parts)


class _Sheet:
    """Builds the story page by page and collects the characters the font cannot draw."""

    def __init__(self) -> None:
        register_font()
        self.story: list = []
        self.pages = 0
        self.missing: dict[str, None] = {}
        self.centred = ParagraphStyle("cell-centre", parent=styles()["cell"], alignment=TA_CENTER)
        self.right = ParagraphStyle("note", parent=styles()["small"], alignment=TA_RIGHT)

    def text(self, value: str) -> str:
        """``value`` ready for a Paragraph: missing glyphs marked, markup characters escaped."""
        for char in missing_glyphs([value]):
            self.missing.setdefault(char)
            value = value.replace(char, PLACEHOLDER)
        # Micro Hei draws □ small and reportlab drops U+3000 as a break: size the boxes up, and
        # keep the wide blanks a hand fills in ("　　年　　月") as non-breaking spaces.
        markup = escape(value).replace("\n", "<br/>").replace("　", "&nbsp;" * 3)
        for box in (CHECKED, UNCHECKED):
            markup = markup.replace(box, f'<font size="13">{box}</font>')
        return markup

    def para(self, value: str, *, centre: bool = False) -> Paragraph:
        return Paragraph(self.text(value or ""), self.centred if centre else styles()["cell"])

    def page(self, rows: list, *, note: str) -> None:
        if self.pages:
            self.story.append(PageBreak())
        self.pages += 1
        self.story += [Paragraph(TITLE, styles()["title"]), Paragraph(self.text(note) or "&nbsp;", self.right),
                       Spacer(1, 4), self.table(rows), Spacer(1, 10), KeepTogether(self.signatures())]

    def signatures(self) -> list:
        body, line, day = styles()["body"], "＿" * 9, self.text("日期：　　年　　月　　日")
        cells = [[Paragraph(f"走访民警（签名）：{line}", body), Paragraph(f"被走访人（签名）：{line}", body)],
                 [Paragraph(day, body), Paragraph(day, body)]]
        table = Table(cells, colWidths=[83 * mm, 83 * mm], rowHeights=[12 * mm, 9 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        note = "说明：本表由走访民警填写，被走访人核对无误后签名；涉及个人信息，请妥善保管，不得外传。"
        return [table, Spacer(1, 8), Paragraph(note, styles()["small"])]

    def finish(self, suggested_name: str, *, title: str, audit: tuple[str, str, str]) -> Rendered:
        return Rendered.of(render(self.story, title=TITLE), missing=self.missing, suggested_name=suggested_name,
                           title=title, audit=audit)

    def table(self, rows: list) -> Table:
        """The form's grid: labels shaded on the left, values beside them, a nested grid of people."""
        data, commands, heights = [], [], []
        for i, (shape, label, *rest) in enumerate(rows):
            first = self.para(label, centre=True)
            if shape == "pair":
                data.append([first, self.para(rest[0]), self.para(rest[1]), self.para(rest[2])])
                commands.append(("BACKGROUND", (2, i), (2, i), SHADE))
                heights.append(None)  # one line is 9 mm with the padding; long tags wrap
                continue
            commands.append(("SPAN", (1, i), (3, i)))
            if shape == "wide":
                data.append([first, self.para(rest[0]), "", ""])
                heights.append(None)
            elif shape == "people":
                data.append([first, self.people(rest[0]), "", ""])
                commands += [(side, (1, i), (1, i), 0) for side in
                             ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
                heights.append(None)
            else:  # box: free text with room to write by hand
                text, min_mm = rest
                data.append([first, _MinHeight(self.para(text), min_mm * mm), "", ""])
                commands.append(("VALIGN", (1, i), (1, i), "TOP"))
                heights.append(None)
        table = Table(data, colWidths=[w * mm for w in WIDTHS_MM], rowHeights=heights)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
            ("BOX", (0, 0), (-1, -1), 1.6, colors.black),
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            *commands,
        ]))
        return table

    def people(self, people: list[list[str]]) -> Table:
        header = ["姓名", "与户主关系", "性别", "年龄", "联系电话", "是否见面"]
        data = [[self.para(c, centre=True) for c in row] for row in [header, *people]]
        table = Table(data, colWidths=[w * mm for w in MET_WIDTHS_MM], rowHeights=[7.5 * mm] * len(data))
        table.setStyle(TableStyle([
            ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ]))
        return table


class _MinHeight(Flowable):
    """A flowable at least ``height`` tall: a box left for handwriting keeps its room when empty."""

    def __init__(self, inner: Flowable, height: float) -> None:
        super().__init__()
        self.inner, self.min_height = inner, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = self.inner.wrap(avail_width, avail_height)
        self._inner_height = height
        return width, max(height, self.min_height)

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, max(0, self.min_height - self._inner_height))


def _purposes(chosen: Iterable[str]) -> str:
    chosen = set(chosen)
    return "　".join(f"{CHECKED if p in chosen else UNCHECKED}{p}" for p in VISIT_PURPOSES)


def _filled_rows(r: VisitRecord) -> list:
    when = r.visited_at.astimezone()
    dispute = f"已登记矛盾纠纷，编号 {r.dispute_number}" if r.dispute_number else "无"
    people = [[p.name, p.relation, p.gender, "" if p.age is None else str(p.age), p.phone,
               "—" if p.met is None else (f"{CHECKED}是　{UNCHECKED}否" if p.met else f"{UNCHECKED}是　{CHECKED}否")]
              for p in r.residents]
    return [
        ("pair", "走访时间", f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}", "走访民警", r.officer),
        ("wide", "同行人员", r.companions or NOTHING),
        ("wide", "住址", r.address),
        ("pair", "所属社区", r.community, "网格", r.grid),
        ("pair", "户主", r.head_name, "联系电话", r.phone),
        ("pair", "住户类型", r.kind, "标签", r.tags),
        ("wide", "走访事由", _purposes(r.purposes)),
        ("people", "在户人员", people or [["（未登记人员）", "", "", "", "", ""]]),
        ("box", "发现情况", r.findings or NOTHING, 22),
        ("box", "社情民意", r.requests or NOTHING, 16),
        ("box", "安全隐患", r.hazards or NOTHING, 16),
        ("box", "需跟进事项", r.follow_up or NOTHING, 16),
        ("wide", "矛盾纠纷", dispute),
    ]


def _blank_rows(h: _Blank) -> list:
    blank_met = f"{UNCHECKED}是　{UNCHECKED}否"
    people = [[p.name, p.relation, p.gender, "" if p.age is None else str(p.age), p.phone, blank_met]
              for p in h.residents] + [["", "", "", "", "", blank_met]] * BLANK_PERSON_ROWS
    # One page per household: a big family takes its room from the writing boxes.
    shrink = max(0.4, 1 - max(0, len(people) - 4) * 7.5 / sum(BLANK_BOXES_MM))
    findings, requests, hazards, follow_up = (round(height * shrink) for height in BLANK_BOXES_MM)
    return [
        ("pair", "走访时间", "　　年　　月　　日　　时　　分", "走访民警", ""),
        ("wide", "同行人员", ""),
        ("wide", "住址", h.address),
        ("pair", "所属社区", h.community, "网格", h.grid),
        ("pair", "户主", h.head_name, "联系电话", h.phone),
        ("pair", "住户类型", h.kind, "标签", h.tags),
        ("wide", "走访事由", _purposes(())),
        ("people", "在户人员", people),
        ("box", "发现情况", "", findings),
        ("box", "社情民意", "", requests),
        ("box", "安全隐患", "", hazards),
        ("box", "需跟进事项", "", follow_up),
        ("wide", "矛盾纠纷", f"{UNCHECKED}无　{UNCHECKED}有（请另填矛盾纠纷登记）"),
    ]


def _blank_households(db: Database, household_ids: list[str], *, today: date) -> list[_Blank]:
    """The households in the given order with their living residents (head first, then by age)."""
    h, r = Household.__table__.c, Resident.__table__.c
    community, grid = Community.__table__.c, Grid.__table__.c
    homes: dict[str, _Blank] = {}
    with db.connect() as conn:
        for start in range(0, len(household_ids), 500):  # SQLite's bound-parameter limit
            chunk = household_ids[start:start + 500]
            for row in conn.execute(
                select(h.id, h.estate, h.building, h.unit, h.room, h.kind, h.tags, h.head_name, h.phone,
                       community.name.label("community"), grid.name.label("grid"))
                .outerjoin(Community.__table__, community.id == h.community_id)
                .outerjoin(Grid.__table__, grid.id == h.grid_id).where(h.id.in_(chunk))
            ):
                homes[row.id] = _Blank(format_address(row.estate, row.building, row.unit, row.room),
                                       row.community or "", row.grid or "", HOUSEHOLD_KINDS.get(row.kind, row.kind),
                                       row.tags.replace(",", "、"), row.head_name or "", mask_phone(row.phone), [])
            for p in conn.execute(
                select(r.id, r.household_id, r.name, r.relation, r.gender, r.birth_date, r.phone)
                .where(r.household_id.in_(chunk), r.deleted.is_(False))
                .order_by(r.relation != "户主", r.birth_date)
            ):
                homes[p.household_id].residents.append(MetResident(
                    p.id, p.name, p.relation or "", p.gender or "", age_on(p.birth_date, today),
                    mask_phone(p.phone), None))
    return [homes[hid] for hid in household_ids if hid in homes]
