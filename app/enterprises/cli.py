"""CLI of 一企一警: the inspection record, 整改通知书 and 复查意见书 of an inspection, the hire-check
request list and answer letter, the three ledgers, and the year view with the 评选 list.
(``cpdesk list`` takes its tables from app/enterprises/listing.py, ``cpdesk show`` its kinds from
app/enterprises/show.py, ``cpdesk reminders`` the deadlines from the area's worklist.)"""

from __future__ import annotations

from app.cli.common import add_ledger, add_report, database, day, print_json, print_table

INSPECTION_HELP = "the inspection's id (cpdesk list inspections --json)"


def add_parsers(commands, *, reports, ledgers) -> None:
    for kind, about, document in (
            ("inspection", "安全检查记录 of one inspection", "app.enterprises.inspection_pdf:inspection_sheet"),
            ("notice", "责令限期整改通知书 of an inspection, with its stub (存根)",
             "app.enterprises.notice_pdf:notice_sheet"),
            ("recheck", "复查意见书 of an inspection's re-check", "app.enterprises.notice_pdf:recheck_sheet")):
        parser = add_report(reports, kind, help=about, document=document)
        parser.add_argument("inspection_id", metavar="INSPECTION_ID", help=INSPECTION_HELP)

    requests = add_report(reports, "hire-checks", help="招工人员身份核查申请清单 of the requests in a period "
                                                      "(for the officer at the police terminal)",
                          document="app.enterprises.hire_check_pdf:hire_check_list")
    requests.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    requests.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    letter = add_report(reports, "hire-check-letter", help="招工人员身份核查情况回复函 to one enterprise "
                                                          "(answered checks only; coarse results)",
                        document="app.enterprises.hire_check_pdf:hire_check_letter")
    letter.add_argument("hire_check_ids", nargs="+", metavar="CHECK_ID",
                        help="the checks' ids (cpdesk list hire-checks --json)")

    for kind, about, module in (("enterprises", "企业基本情况台账", "app.enterprises.ledger"),
                                ("inspections", "安全检查台账", "app.enterprises.inspection_ledger"),
                                ("rectifications", "隐患整改台账", "app.enterprises.rectification_ledger")):
        add_ledger(ledgers, kind, help=about, module=module)

    year = commands.add_parser("enterprise-year", help="一企一警 year view: inspections, failed items, rectified on "
                                                       "time, requests answered; the 评选 list")
    year.add_argument("--year", type=int, default=None, metavar="YYYY", help="default: this year")
    year.add_argument("--on", type=day, default=None, metavar="YYYY-MM-DD",
                      help="the day deadlines count up to (default: today)")
    year.add_argument("--json", action="store_true", help="print JSON instead of tables")
    year.set_defaults(handler=cmd_year)


def cmd_year(args) -> int:
    from datetime import date

    from app.enterprises.stats import format_rate, selection_list, year_view

    on = args.on or date.today()
    with database(args) as db:
        view = year_view(db, year=args.year or on.year, on=on)
    chosen = selection_list(view)
    if args.json:
        print_json({**view.to_dict(), "selection": [
            {"id": c.id, "name": c.name, "liaison": c.liaison, "reason": c.reason} for c in chosen]})
        return 0
    s = view.station
    print(f"{view.year}年一企一警（计至 {view.on}）")
    print(f"检查 {s.inspections} 次　不合格项目 {s.items_failed} 项　到期隐患 {s.rectifications_due} 项"
          f"（按期整改 {s.rectified_on_time}，转执法办案 {s.to_enforcement}）"
          f"　按期整改率 {format_rate(s.on_time_rate)}")
    print(f"诉求 {s.requests} 件　已答复 {s.requests_answered} 件　答复率 {format_rate(s.answered_rate)}"
          f"　警企联络 {s.liaison_visits} 次")
    print(view.definition)
    print("\n按包企民警：")
    print_table([{"民警": name, "检查": c.inspections, "不合格项目": c.items_failed, "到期隐患": c.rectifications_due,
                  "按期整改率": format_rate(c.on_time_rate), "诉求": c.requests, "答复率": format_rate(c.answered_rate),
                  "联络": c.liaison_visits} for name, c in view.by_officer.items()])
    print(f"\n评选候选（{len(chosen)} 家）：")
    print_table([{"企业": c.name, "包企民警": c.liaison, "理由": c.reason} for c in chosen])
    return 0
