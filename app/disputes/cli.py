"""CLI of the 矛盾纠纷 area: ``report agreement``, ``reminders``, ``stats``, ``ledger disputes``."""

from __future__ import annotations

from app.cli.common import add_ledger, add_report, database, day, print_json, print_table


def add_parsers(commands, *, reports, ledgers) -> None:
    agreement = add_report(reports, "agreement", help="调解协议书 (人民调解/治安调解) as PDF",
                           document="app.disputes.agreement_pdf:agreement_sheet")
    agreement.add_argument("agreement_id", metavar="AGREEMENT", help="the agreement's id or its 协议编号")

    reminders = commands.add_parser("reminders", help="revisits (回访) due on a day and overdue")
    reminders.add_argument("--on", type=day, default=None, metavar="YYYY-MM-DD", help="default: today")
    reminders.add_argument("--json", action="store_true", help="print JSON instead of tables")
    reminders.set_defaults(handler=cmd_reminders)

    stats = commands.add_parser("stats", help="dispute statistics for a period (化解率 and more)")
    stats.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    stats.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    stats.add_argument("--json", action="store_true", help="print JSON instead of tables")
    stats.set_defaults(handler=cmd_stats)

    add_ledger(ledgers, "disputes", help="矛盾纠纷排查化解台账", module="app.disputes.ledger")


def cmd_reminders(args) -> int:
    from datetime import date

    from app.core.vocab import RISK_LEVELS
    from app.disputes.revisits import reminders
    from app.today import agenda

    on = args.on or date.today()
    with database(args) as db:
        found = reminders(db, on=on)
        others = agenda(db, on=on, excluding=("disputes",))  # the other areas' deadlines and shifts
    if args.json:
        print_json({**found.to_dict(), "deadlines": [
            {"kind": i.kind, "what": i.what, "due": i.due, "state": i.state(on), "table": i.table,
             "id": i.record_id} for i in others]})
        return 0
    for title, items in ((f"今日到期回访（{found.on}）", found.due_today), ("逾期回访", found.overdue)):
        print(f"{title}：{len(items)} 件")
        print_table([{"编号": r.number, "类型": r.kind, "当事人": r.parties, "应回访": r.due_on,
                      "逾期天数": r.days_overdue, "风险": RISK_LEVELS.get(r.risk_level, r.risk_level),
                      "状态": r.status, "责任民警": r.officer} for r in items])
        print()
    print(f"已化解未安排回访：{len(found.unplanned)} 件")
    print_table([{"编号": u.number, "类型": u.kind, "当事人": u.parties, "化解日期": u.settled_on,
                  "责任民警": u.officer} for u in found.unplanned])
    print()
    print(f"整改、复查、诉求与今日巡逻（{found.on}）：{len(others)} 件")
    print_table([{"类别": i.kind, "事项": i.what, "期限": i.due, "状态": i.state(found.on)} for i in others])
    return 0


def cmd_stats(args) -> int:
    from app.disputes.stats import format_rate, statistics

    with database(args) as db:
        stats = statistics(db, start=args.start, end=args.end)
    if args.json:
        print_json(stats.to_dict())
        return 0
    t = stats.total
    print(f"统计期：{stats.start} 至 {stats.end}")
    print(f"登记 {t.registered}　已化解 {t.settled}　调解终止 {t.terminated}　移交 {t.transferred}"
          f"（矛调中心 {t.to_center}，办案队 {t.to_police}）　未结 {t.open}")
    print(f"化解率 {format_rate(t.rate)}　逾期回访 {t.overdue_revisits}　民转刑 {t.criminal}　高风险 {t.high_risk}")
    print(stats.definition)
    for title, groups in (("按类型", stats.by_kind), ("按民警", stats.by_officer), ("按社区", stats.by_community)):
        print(f"\n{title}：")
        print_table([{"名称": name, "登记": c.registered, "化解": c.settled, "终止": c.terminated,
                      "移交": c.transferred, "未结": c.open, "化解率": format_rate(c.rate),
                      "逾期回访": c.overdue_revisits, "民转刑": c.criminal} for name, c in groups.items()])
    return 0
