"""The round trip of the enterprise area's work ledgers: the small demo's 企业基本情况台账, 安全检查台账
and 隐患整改台账, imported in that order into an EMPTY database (only the officers' accounts), give
back the same inspections, items, rectifications, notices and re-checks, ledger column by column.

What the two ledgers cannot bring back, and so is not compared: an inspection's 企业签字人 and 备注,
the checklist version of an item, the notice's 送达日期 and 签收人 (none is printed); who confirmed an
item at the re-check (the importing officer stands in)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.enterprises import inspection_ledger, rectification_ledger
from app.enterprises import ledger as enterprise_ledger
from app.imports import mapping, reading
from app.imports.service import check, fields, write
from db.models import Inspection, InspectionItem, Recheck, Rectification, RectificationNotice
from tests.support.cli import DEMO_DAY
from tests.support.imports import import_ledger

START = DEMO_DAY - timedelta(days=365 * 4)  # the ledgers export at most five years; the demo has two


def _export_and_import(demo, db, officer_id, tmp_path):
    paths = {name: tmp_path / f"{name}.xlsx" for name in ("enterprises", "inspections", "rectifications")}
    enterprise_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=paths["enterprises"])
    inspection_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=paths["inspections"])
    rectification_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=paths["rectifications"])
    return {kind: import_ledger(db, kind, path, officer_id) for kind, path in paths.items()}


def _counts(db) -> dict[str, int]:
    with db.connect() as conn:
        return {model.__tablename__: conn.execute(select(func.count()).select_from(model.__table__)
                                                  .where(model.__table__.c.deleted.is_(False))).scalar()
                for model in (Inspection, InspectionItem, Rectification, RectificationNotice, Recheck)}


def test_the_inspection_and_rectification_ledgers_import_back_to_the_same_records(empty, demo, tmp_path):
    db, officer_id = empty
    imported = _export_and_import(demo, db, officer_id, tmp_path)
    for kind, (result, _summary) in imported.items():
        assert [(row.line, row.problems) for row in result.rows if row.problems] == [], kind
        assert result.counts["good"] == result.counts["rows"] > 0, kind
    # every column of both ledgers, 序号 and states included
    assert inspection_ledger.ledger_rows(db, start=START, end=DEMO_DAY) == \
        inspection_ledger.ledger_rows(demo, start=START, end=DEMO_DAY)
    before = rectification_ledger.ledger_rows(demo, start=START, end=DEMO_DAY, on=DEMO_DAY)
    after = rectification_ledger.ledger_rows(db, start=START, end=DEMO_DAY, on=DEMO_DAY)
    assert after == before
    assert _counts(db) == _counts(demo)
    # the demo has every state of the flow and 不适用 items: the comparison means something
    headers = [c.header for c in inspection_ledger.COLUMNS]
    states = {row[headers.index("状态")] for row in inspection_ledger.ledger_rows(demo, start=START, end=DEMO_DAY)}
    assert states == {"检查合格", "待下发整改通知书", "限期整改中", "复查通过", "逾期未改，已转执法办案"}
    assert any("｜不适用｜" in row[-1] for row in inspection_ledger.ledger_rows(demo, start=START, end=DEMO_DAY))


def test_the_same_ledgers_imported_again_are_matched_and_change_nothing(empty, demo, tmp_path):
    db, officer_id = empty
    first = _export_and_import(demo, db, officer_id, tmp_path)
    counts = _counts(db)
    inspections, _ = _check(db, "inspections", tmp_path / "inspections.xlsx")
    assert inspections.counts["matched"] == inspections.counts["rows"] == first["inspections"][0].counts["rows"]
    rectifications, planned = _check(db, "rectifications", tmp_path / "rectifications.xlsx")
    # the items of an inspection with its notice here are that notice's; the others (待下发) only restate
    # their deadline, which changes nothing
    assert 0 < rectifications.counts["matched"] < rectifications.counts["rows"]
    summary = write(db, result=rectifications, officer_id=officer_id)
    assert (summary.added, summary.updated) == (0, 0) and planned > 0
    assert _counts(db) == counts


def _check(db, kind: str, path):
    info = reading.sheets(path)[0]
    headers = reading.headers_at(path, sheet=info.name, header_row=info.header_row, header_rows=info.header_rows)
    result = check(db, kind=kind, path=path, sheets=[info.name], header_row=info.header_row,
                   header_rows=info.header_rows, mapping=mapping.guess(headers, fields(kind)))
    return result, result.counts["good"] - result.counts["matched"]
