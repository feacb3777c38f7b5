"""CLI of 入户走访: visit sheets (filled and blank), the visits ledger, and the list of campaigns."""

from __future__ import annotations

from app.cli.common import add_ledger, add_report, database, print_json, print_table


def add_parsers(commands, *, reports, ledgers) -> None:
    sheet = add_report(reports, "visit-sheet", help="走访登记表 of one visit",
                       document="app.households.visit_sheet:visit_sheet")
    sheet.add_argument("visit_id", metavar="VISIT_ID", help="the visit's id (cpdesk list visits --json)")
    blank = add_report(reports, "blank-visit-sheets",
                       help="blank 走访登记表, one per household of a campaign, to fill in by hand",
                       document="app.households.visit_sheet:blank_visit_sheets")
    blank.add_argument("--campaign", dest="campaign_id", required=True, metavar="ID",
                       help="the campaign's id (cpdesk campaigns)")
    add_ledger(ledgers, "visits", help="走访台账: one row per visit in the date range", module="app.households.ledger")
    add_ledger(ledgers, "residents", help="实有人口登记台账: every living resident with the household's address "
               "(the period is not a filter; the import reads it back)", module="app.households.register_ledger")

    campaigns = commands.add_parser("campaigns", help="list visit campaigns (走访计划) with their progress")
    campaigns.add_argument("--json", action="store_true", help="print JSON instead of a table")
    campaigns.set_defaults(handler=cmd_campaigns)


def cmd_campaigns(args) -> int:
    from app.households.campaigns import list_campaigns

    with database(args) as db:
        rows = [{"id": c.id, "name": c.name, "starts_on": c.starts_on, "ends_on": c.ends_on,
                 "closed": c.closed, "households": c.total, "visited": c.visited} for c in list_campaigns(db)]
    if args.json:
        print_json(rows)
    else:  # the id is what the blank-visit-sheets command needs: show it first
        print_table([{"编号": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in rows])
    return 0
