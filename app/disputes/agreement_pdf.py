"""人民调解协议书 and 治安调解协议书 laid out like the official forms, ready to sign and fingerprint.

``agreement_sheet`` is the document (a ``Rendered``, as every area's); the rest lays it out."""

from __future__ import annotations

from xml.sax.saxutils import escape

from app.core.vocab import PARTY_ROLES
from app.disputes.mediation import PERFORMANCE, AgreementDocument, agreement_document, find_agreement
from app.output.pdf import Rendered, chinese_date, missing_glyphs, register_font, render, styles
from db.engine import Database

_DIGITS = "零一二三四五六七八九"
_SECURITY_EFFECT = (
    "本协议自各方当事人签名之时起生效。对已履行协议的，公安机关对违反治安管理行为人不再处罚；"
    "不履行协议的，公安机关依法对违反治安管理行为人予以处罚；当事人可以就民事争议依法向人民法院提起民事诉讼。"
)
_PEOPLE_EFFECT = (
    "本协议经各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章后生效，具有法律约束力，"
    "当事人应当按照约定履行。当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"
)


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 25 -> 二十五 (协议条款 and copies are small numbers)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def texts_of(doc: AgreementDocument) -> list[str]:
    """Every piece of text the document prints (to look for characters the font lacks)."""
    people = [getattr(p, f) for p in doc.parties for f in ("name", "ethnicity", "occupation", "address")]
    return [*people, doc.facts, doc.issues, doc.responsibilities, *doc.terms, doc.body, doc.host, doc.place,
            *doc.mediators]


def unprintable(doc: AgreementDocument) -> list[str]:
    """Rare characters (生僻字) the bundled font cannot draw: the officer must write them by hand."""
    return missing_glyphs(texts_of(doc))


def _p(text: str, style) -> object:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _party_table(doc: AgreementDocument) -> object:
    """Four ruled rows per party: 姓名 性别 民族 年龄 / 职业 联系方式 / 身份证号 / 住址."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    cell, font = styles()["cell"], register_font()
    widths = [w * mm for w in (16, 18, 34, 13, 12, 13, 18, 13, 23)]  # 160 mm: the frame, less its padding
    shade = colors.HexColor("#F2F2F2")
    rows, style = [], []
    for i, party in enumerate(doc.parties):
        top = i * 4
        role = PARTY_ROLES.get(party.role, party.role)
        age = "" if party.age is None else f"{party.age}岁"
        rows += [
            [_p("\n".join(role), cell), "姓名", _p(party.name, cell), "性别", party.gender, "民族",
             _p(party.ethnicity, cell), "年龄", age],
            ["", "职业", _p(party.occupation, cell), "联系方式", "", party.phone, "", "", ""],
            ["", "身份证号", party.id_number, "", "", "", "", "", ""],
            ["", "住址", _p(party.address, cell), "", "", "", "", "", ""],
        ]
        labels = [(1, top), (3, top), (5, top), (7, top), (1, top + 1), (3, top + 1), (1, top + 2), (1, top + 3)]
        style += [("BACKGROUND", at, at, shade) for at in labels]
        style += [("ALIGN", at, at, "CENTER") for at in labels]
        style += [("SPAN", (0, top), (0, top + 3)), ("SPAN", (3, top + 1), (4, top + 1)),
                  ("SPAN", (5, top + 1), (8, top + 1)), ("SPAN", (2, top + 2), (8, top + 2)),
                  ("SPAN", (2, top + 3), (8, top + 3))]
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 10.5),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *style,
    ]))
    return table


def _fingerprint_box(size: float) -> object:
    from reportlab.platypus import Flowable

    class Box(Flowable):
        def wrap(self, *_args):
            return size, size

        def draw(self) -> None:
            self.canv.setLineWidth(0.6)
            self.canv.rect(0, 0, size, size)

    return Box()


def _signatures(doc: AgreementDocument) -> object:
    """A line to sign and a box to fingerprint (捺印) for each party; then the mediator."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    font = register_font()
    rows = [[f"{PARTY_ROLES.get(p.role, p.role)}（签名）：", "", "（捺印）", _fingerprint_box(12 * mm)]
            for p in doc.parties]
    # 治安调解 prints its host at the top; the police officer who mediated signs as 调解人.
    rows.append(["人民调解员（签名）：" if doc.kind == "people" else "调解人（签名）：", "", "", ""])
    table = Table(rows, colWidths=[44 * mm, 62 * mm, 24 * mm, 18 * mm], rowHeights=13 * mm)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 11),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("ALIGN", (0, 0), (0, -1), "RIGHT"),
        ("ALIGN", (2, 0), (2, -1), "RIGHT"),
        ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _header_line(doc: AgreementDocument) -> object:
    """治安调解: who hosted and where, as the form's first line."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    cell = styles()["body"]
    table = Table([[_p(f"主持人：{doc.host}", cell), _p(f"调解地点：{doc.place}", cell)]],
                  colWidths=[60 * mm, 100 * mm])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    return table


def agreement_story(doc: AgreementDocument) -> list:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    s = styles()
    right = ParagraphStyle("right", parent=s["body"], alignment=TA_RIGHT)
    sides = "双方" if len(doc.parties) == 2 else "各方"
    story = []
    if doc.kind == "security":  # the mediating police body heads the form
        story.append(_p(doc.body, ParagraphStyle("body_name", parent=s["subtitle"], spaceAfter=2)))
    story += [_p(doc.title, s["title"]), _p(f"编号：{doc.number}", right), Spacer(1, 1 * mm)]
    if doc.kind == "security":
        story += [_header_line(doc), Spacer(1, 1 * mm)]
    story += [_p("当事人基本情况：", s["heading"]), _party_table(doc)]
    story += [_p("纠纷主要事实、争议事项：", s["heading"]), _p(doc.facts, s["indent"]),
              _p(f"争议事项：{doc.issues}", s["indent"])]
    if doc.responsibilities:
        story.append(_p(f"责任认定：{doc.responsibilities}", s["indent"]))
    story.append(_p(f"经调解，{sides}自愿达成如下协议：", s["heading"]))
    for i, term in enumerate(doc.terms, 1):
        story.append(_p(f"{chinese_number(i)}、{term}", s["indent"]))
    story.append(_p("履行方式和期限：", s["heading"]))
    if doc.performance == "promised":
        deadline = chinese_date(doc.deadline)
        story.append(_p(f"{PERFORMANCE['promised']}：当事人承诺于{deadline}前履行完毕。", s["indent"]))
    else:
        story.append(_p(f"{PERFORMANCE['on_the_spot']}：本协议所列事项于签订时当场履行完毕。", s["indent"]))
    keeper = "人民调解委员会" if doc.kind == "people" else "调解机关"
    story.append(_p(_PEOPLE_EFFECT if doc.kind == "people" else _SECURITY_EFFECT, s["indent"]))
    seal = f"{doc.body}（盖章）" if doc.kind == "people" else f"{doc.body}（印）"
    # The copies line goes with the signatures: a signature page never stands without text.
    closing = [_p(f"本协议一式{chinese_number(doc.copies)}份，当事人各执一份，{keeper}留存一份。", s["indent"]),
               _signatures(doc), Spacer(1, 4 * mm), _p(seal, right),
               _p(chinese_date(doc.signed_on), right)]
    story.append(KeepTogether(closing))
    return story


def render_agreement(doc: AgreementDocument) -> bytes:
    """The agreement as PDF bytes (A4, the bundled font embedded)."""
    return render(agreement_story(doc), title=f"{doc.title} {doc.number}")


def agreement_sheet(db: Database, *, agreement_id: str) -> Rendered:
    """The printed 协议书 of one agreement, given its id or its 协议编号 (what an officer reads off the paper)."""
    agreement_id = find_agreement(db, agreement_id)
    doc = agreement_document(db, agreement_id)
    return Rendered.of(render_agreement(doc), missing=unprintable(doc), suggested_name=f"{doc.title}-{doc.number}.pdf",
                       title=f"{doc.title} {doc.number}", audit=("agreement", agreement_id, doc.title))
