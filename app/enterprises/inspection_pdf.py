"""安全检查记录: the enterprise, the inspectors, the checklist with results and notes, the opinion, signatures."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from app.core.vocab import INSPECTION_RESULTS, ITEM_RESULTS
from app.enterprises.common import issuing_body, joined
from app.enterprises.document import Doc
from app.enterprises.inspections import InspectionRecord, inspection_record
from app.output.pdf import Rendered, chinese_date, styles
from db.engine import Database

TITLE = "安全检查记录"
CHECKED, UNCHECKED = "■", "□"


def _boxes(chosen: str, labels: dict[str, str]) -> str:
    return "　".join(f"{CHECKED if code == chosen else UNCHECKED}{label}" for code, label in labels.items())


def inspection_sheet(db: Database, *, inspection_id: str) -> Rendered:
    """The printed record of one inspection, to be signed by the inspectors and the enterprise."""
    record = inspection_record(db, inspection_id=inspection_id)
    with db.connect() as conn:
        body = issuing_body(conn)
    doc = Doc()
    doc.heading(TITLE, body=body)
    _header(doc, record)
    doc.add(Spacer(1, 3 * mm), doc.para("检查内容及结果：", styles()["heading"]))
    rows = [["序号", "类别", "检查项目", "结果", "情况说明"]]
    rows += [[str(n), item.category, item.item, ITEM_RESULTS[item.result], item.note]
             for n, item in enumerate(record.items, 1)]
    doc.add(doc.grid(rows, (12, 20, 70, 16, 48), header=True, centred_columns=(0, 1, 3), repeat=True))
    opinion = record.opinion or ("无" if record.result == "passed" else "")
    closing = [
        Spacer(1, 3 * mm),
        doc.grid([["整改或处罚意见", opinion], *([["备注", record.notes]] if record.notes else [])], (30, 136),
                 label_columns=(0,)),
        Spacer(1, 4 * mm),
        doc.signatures(["检查人员", "检查人员", "被检查单位负责人"]),
        Spacer(1, 3 * mm),
        doc.para("说明：本记录一式两份，检查单位和被检查单位各执一份。被检查单位负责人拒绝签名的，检查人员应当注明。",
                 styles()["small"]),
    ]
    doc.add(KeepTogether(closing))
    day = record.inspected_on.strftime("%Y%m%d")
    return doc.finish(title=f"{TITLE} {record.enterprise} {record.inspected_on.isoformat()}",
                      suggested_name=f"{TITLE}-{record.enterprise}-{day}.pdf",
                      audit=("inspection", inspection_id, TITLE))


def _header(doc: Doc, record: InspectionRecord) -> None:
    rows = [
        ["被检查单位", record.enterprise, "单位类别", record.enterprise_category],
        ["地址", record.address, "法定代表人", record.legal_rep],
        ["检查日期", chinese_date(record.inspected_on), "检查类别", "、".join(record.categories)],
        ["检查人员", joined(record.inspectors), "在场人员", record.present],
        ["企业签字人", record.signer, "检查结果", _boxes(record.result, INSPECTION_RESULTS)],
    ]
    doc.add(doc.grid(rows, (24, 59, 24, 59), label_columns=(0, 2)))
