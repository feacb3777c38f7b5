"""CLI of 入户走访: visit sheets (filled and blank), the visits ledger, and the list of campaigns."""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli.common import day, open_db, print_json, print_table


def add_parsers(commands, *, reports, ledgers) -> None:
    sheet = reports.add_parser("visit-sheet", help="走访登记表 of one visit")
    sheet.add_argument("visit_id", metavar="VISIT_ID", help="the visit's id (cpdesk list visits --json)")
    sheet.add_argument("--out", type=Path, required=True, metavar="FILE")
    sheet.set_defaults(handler=cmd_visit_sheet)

    blank = reports.add_parser("blank-visit-sheets",
                               help="blank 走访登记表, one per household of a campaign, to fill in by hand")
    blank.add_argument("--campaign", required=True, metavar="ID", help="the campaign's id (cpdesk campaigns)")
    blank.add_argument("--out", type=Path, required=True, metavar="FILE")
    blank.set_defaults(handler=cmd_blank_sheets)

    ledger = ledgers.add_parser("visits", help="走访台账: one row per visit in the date range")
    ledger.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    ledger.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    ledger.add_argument("--out", type=Path, required=True, metavar="FILE")
    ledger.set_defaults(handler=cmd_visits_ledger)

    campaigns = commands.add_parser("campaigns", help="list visit campaigns (走访计划) with their progress")
    campaigns.add_argument("--json", action="store_true", help="print JSON instead of a table")
    campaigns.set_defaults(handler=cmd_campaigns)


def cmd_visit_sheet(args) -> int:
    from app.households.visit_sheet import visit_sheet

    return _report(args, lambda db: visit_sheet(db, visit_id=args.visit_id),
                   audit=("visit", args.visit_id, "走访登记表"))


def cmd_blank_sheets(args) -> int:
    from app.households.visit_sheet import blank_visit_sheets

    return _report(args, lambda db: blank_visit_sheets(db, campaign_id=args.campaign),
                   audit=("campaign", args.campaign, "空白走访登记表"))


def _report(args, make, *, audit: tuple[str, str, str]) -> int:
    """Render, write, and log the saved PDF (it carries names, addresses and numbers)."""
    from app.audit.log import record_document
    from app.output.files import check_folder, write_atomically

    check_folder(args.out)
    db = open_db(args)
    try:
        rendered = make(db)
        write_atomically(args.out, rendered.pdf)
        table, record_id, document = audit
        record_document(db, "pdf", table=table, record_id=record_id, document=document,
                        path=Path(args.out).absolute(), pages=rendered.pages)
    finally:
        db.close()
    if rendered.missing:
        print(f"注意：字体缺少这些字，已印为〓，请打印后手写补上：{''.join(rendered.missing)}", file=sys.stderr)
    print(f"已生成 {args.out}（{rendered.pages} 页）")
    return 0


def cmd_visits_ledger(args) -> int:
    from app.households.ledger import write_visits_ledger

    db = open_db(args)
    try:
        count = write_visits_ledger(db, start=args.start, end=args.end, path=args.out)
    finally:
        db.close()
    print(f"已导出 {count} 条走访记录到 {args.out}")
    return 0


def cmd_campaigns(args) -> int:
    from app.households.campaigns import list_campaigns

    db = open_db(args)
    try:
        rows = [{"id": c.id, "name": c.name, "starts_on": c.starts_on, "ends_on": c.ends_on,
                 "closed": c.closed, "households": c.total, "visited": c.visited} for c in list_campaigns(db)]
    finally:
        db.close()
    if args.json:
        print_json(rows)
    else:  # the id is what the blank-visit-sheets command needs: show it first
        print_table([{"编号": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in rows])
    return 0
