"""CLI of 义警巡逻: ``roster generate``, ``report roster``, ``report sign-in``, ``ledger hours|volunteers``, and what
``cpdesk show volunteer|shift`` prints (app/cli/show.py names these builders)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.cli.common import add_ledger, add_report, database, day, print_json, print_table, progress

SHOWN_SHIFTS = 30  # a volunteer's latest shifts ``show`` prints

if TYPE_CHECKING:  # the parser must build without sqlalchemy
    from app.cli.show import Shown
    from db.engine import Database


def add_parsers(commands, *, reports, ledgers) -> None:
    about = ("义警排班: generate fills a team's shifts for a period (made from the templates first), shows the "
             "preview (filled, short with the reasons, per-person counts) and saves it")
    roster = commands.add_parser("roster", help=about, description=about)
    roster.add_argument("action", choices=("generate",))
    _team_and_period(roster)
    roster.add_argument("--dry-run", action="store_true", help="show the preview, save nothing")
    roster.add_argument("--json", action="store_true", help="print JSON instead of text")
    roster.set_defaults(handler=cmd_roster_generate)

    sheet = add_report(reports, "roster", help="巡逻排班表 of a team for a week or a month (A4 landscape)",
                       document="app.patrol.roster_pdf:roster_sheet")
    _team_and_period(sheet)
    sign_in = add_report(reports, "sign-in", help="巡逻签到表 of a day's shifts, for paper sign-in on site",
                         document="app.patrol.sign_in_pdf:sign_in_sheet")
    sign_in.add_argument("--on", type=day, required=True, metavar="YYYY-MM-DD")
    sign_in.add_argument("--team", dest="team_id", default=None, metavar="TEAM",
                         help="only this team's shifts: its name or id")
    add_ledger(ledgers, "hours", help="义警服务时长积分台账: hours, points and stars per volunteer",
               module="app.patrol.ledger")
    add_ledger(ledgers, "volunteers", help="义警名册: one row per volunteer, can be imported back "
               "(the period is not a filter)", module="app.patrol.register_ledger")


def _team_and_period(parser) -> None:
    parser.add_argument("--team", dest="team_id", required=True, metavar="TEAM",
                        help="the team's name or id (cpdesk list teams)")
    parser.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")


def cmd_roster_generate(args) -> int:
    from app.core.errors import UserError
    from app.patrol.generation import MAX_DAYS, preview_roster, save_roster
    from app.patrol.listing import find_team
    from app.patrol.schedule import make_shifts

    if args.end < args.start:
        raise UserError("结束日期不能早于开始日期")
    if (args.end - args.start).days >= MAX_DAYS:
        raise UserError(f"一次最多排 {MAX_DAYS} 天的班")
    with database(args) as db:
        with db.connect() as conn:
            team_id, team = find_team(conn, args.team_id)
        made = None
        if not args.dry_run:
            made = make_shifts(db, start=args.start, end=args.end, team_id=team_id, officer_id=db.officer_id)
        try:
            preview = preview_roster(db, start=args.start, end=args.end, team_id=team_id, progress=progress)
        except UserError as refused:
            if args.dry_run:
                raise UserError(f"{refused}（不带 --dry-run 运行会先按模板生成班次）") from None
            raise
        saved = None if args.dry_run else save_roster(db, preview=preview, officer_id=db.officer_id)
    if args.json:
        print_json({
            "team_id": team_id, "team": team, "start": args.start, "end": args.end, "saved": saved is not None,
            "shifts_made": made.made if made else 0, "shifts": preview.shifts, "seats": preview.seats,
            "filled": preview.filled, "added": saved.added if saved else preview.added,
            "removed": saved.removed if saved else preview.removed,
            "short": [{"shift_id": s.shift_id, "missing": s.missing, "leader_missing": s.leader_missing,
                       "reason": s.reason} for s in preview.short],
            "counts": [{"volunteer_id": c.volunteer_id, "name": c.name, "shifts": c.shifts} for c in preview.counts]})
        return 0
    missing = preview.seats - preview.filled
    print(f"{team} {args.start} 至 {args.end}：班次 {preview.shifts} 个，需 {preview.seats} 人次，"
          f"已排 {preview.filled} 人次" + (f"，缺 {missing} 人次" if missing > 0 else "，全部排满"))
    if made is not None and made.made:
        print(f"已按班次模板生成 {made.made} 个新班次")
    if saved is None:
        print(f"预览（--dry-run，未保存）：将新增 {preview.added} 人次，移除 {preview.removed} 人次")
    else:
        print(f"已保存：新增 {saved.added} 人次，移除 {saved.removed} 人次")
    print(f"\n缺人的班次：{len(preview.short)} 个")
    for short in preview.short:
        print(f"  {short.reason}")
    print("\n每人班次：")
    print_table([{"姓名": c.name, "班次": c.shifts} for c in preview.counts])
    return 0


# --- cpdesk show volunteer|shift -----------------------------------------------------------------

def show_volunteer(db: Database, key: str, reveal: bool) -> Shown:
    """A volunteer by id or 身份证号 as his detail pane shows him (app.patrol.details), numbers masked."""
    from sqlalchemy import or_, select

    from app.audit.log import mask_numbers
    from app.cli.show import Shown
    from app.core.errors import UserError
    from app.core.validation import normalize_id_number
    from app.core.vocab import TEAM_ROLES, VOLUNTEER_STATUSES
    from app.patrol.common import token_label
    from app.patrol.details import volunteer_detail
    from db.models import Volunteer

    v = Volunteer.__table__.c
    with db.connect() as conn:
        found = conn.execute(select(v.id, v.id_number, v.phone).where(
            v.deleted.is_(False), or_(v.id == key, v.id_number == normalize_id_number(key)))).first()
    detail = volunteer_detail(db, volunteer_id=found.id) if found else None
    if detail is None:
        raise UserError(f"没有这个义警：{mask_numbers(key)}")
    row, totals = detail.row, detail.totals
    return Shown("volunteer", row.id, f"义警　{row.name}", [
        ("name", "姓名", row.name), ("gender", "性别", row.gender), ("age", "年龄", row.age),
        ("id_number", "身份证号", found.id_number if reveal else row.id_number),
        ("phone", "电话", found.phone if reveal else row.phone), ("status", "状态", row.status_label),
        ("teams", "所在义警队", [[("team", "队", name), ("role", "职务", TEAM_ROLES.get(role, role)),
                              ("home", "本队", home)] for _id, name, role, home in detail.teams]),
        ("skills", "专长", detail.skills), ("trained_on", "培训日期", row.trained_on),
        ("weekly_cap", "每周最多", f"{row.weekly_cap} 班"),
        ("availability", "可排时段", tuple(token_label(t) for t in sorted(detail.availability,
                                                                     key=lambda t: (t[0], "maen".index(t[1]))))),
        ("joined_on", "入队日期", detail.joined_on), ("resident", "辖区居民", detail.resident_linked),
        ("leave", "请假", [[("starts_on", "自", x.starts_on), ("ends_on", "至", x.ends_on),
                            ("reason", "原因", x.reason)] for x in detail.leaves]),
        ("hours", "累计服务时长（小时）", totals.hours), ("points", "累计积分", totals.points),
        ("level", "星级", totals.level), ("upcoming", "待执勤班次", totals.upcoming),
        ("history", "状态变更", [[("status", "状态", VOLUNTEER_STATUSES.get(c.status, c.status)),
                                ("since", "日期", c.since), ("reason", "原因", c.reason)] for c in detail.statuses]),
        ("shifts", "班次", [[("shift_id", "", h.shift_id), ("shift", "班次", h.label), ("team", "义警队", h.team),
                             ("role", "职责", "小组长" if h.as_leader else "队员"),
                             ("attendance", "签到", h.attendance), ("hours", "时长", h.hours)]
                            for h in detail.history[:SHOWN_SHIFTS]]),
    ], people=1)


def show_shift(db: Database, key: str, reveal: bool) -> Shown:
    """A shift by id: route, team, needs, who is on it with their sign-in, and what the patrol found."""
    from sqlalchemy import select

    from app.cli.show import Shown
    from app.core.errors import UserError
    from app.core.vocab import ATTENDANCE, ATTENDANCE_HOW, FINDING_KINDS
    from app.patrol.attendance import findings, sign_ins
    from app.patrol.common import shift_label
    from app.patrol.listing import AWAY
    from db.models import Officer, PatrolRoute, Shift, VolunteerTeam

    s, p, t, o = Shift.__table__.c, PatrolRoute.__table__.c, VolunteerTeam.__table__.c, Officer.__table__.c
    with db.connect() as conn:
        row = conn.execute(select(s.id, s.day, s.starts_at, s.ends_at, s.needed, s.needs_leader, s.skill, s.notes,
                                  s.template_id, s.confirmed_at, p.name.label("route"), p.waypoints,
                                  t.name.label("team"), o.name.label("confirmed_by"))
                           .join(PatrolRoute.__table__, p.id == s.route_id)
                           .outerjoin(VolunteerTeam.__table__, t.id == s.team_id)
                           .outerjoin(Officer.__table__, o.id == s.confirmed_by)
                           .where(s.id == key.strip(), s.deleted.is_(False))).first()
    if row is None:
        raise UserError(f"没有这个班次：{key}（cpdesk list shifts --on 日期 --json 可查编号）")
    people = sign_ins(db, shift_id=row.id)
    found = findings(db, shift_id=row.id)
    names = {x.volunteer_id: x.name for x in people}
    return Shown("shift", row.id, f"巡逻班次　{shift_label(row.day, row.starts_at, row.ends_at, row.route)}", [
        ("day", "日期", row.day), ("hours", "时间", f"{row.starts_at:%H:%M}-{row.ends_at:%H:%M}"),
        ("route", "路线", row.route), ("waypoints", "途经", "→".join(x for x in row.waypoints.splitlines() if x)),
        ("team", "义警队", row.team), ("needed", "需要人数", row.needed),
        ("assigned", "已排人数", sum(x.attendance not in AWAY for x in people)),  # as the lists count
        ("needs_leader", "需要小组长", bool(row.needs_leader)), ("skill", "需要专长", row.skill),
        ("made_from", "来源", "班次模板" if row.template_id else "单独添加"), ("notes", "备注", row.notes),
        ("confirmed_at", "确认时间", row.confirmed_at), ("confirmed_by", "确认民警", row.confirmed_by),
        ("people", "人员", [[("volunteer_id", "", x.volunteer_id), ("name", "姓名", x.name),
                             ("role", "职责", "小组长" if x.as_leader else "队员"),
                             ("attendance", "签到", ATTENDANCE.get(x.attendance, x.attendance)),
                             ("how", "记录方式", ATTENDANCE_HOW.get(x.how, "") if x.how else ""),
                             ("started", "签到时间", x.started), ("ended", "签退时间", x.ended),
                             ("hours", "时长", x.hours)] for x in people]),
        ("findings", "巡逻发现", [[("kind", "类别", FINDING_KINDS.get(f.kind, f.kind)), ("text", "情况", f.text),
                                 ("by", "发现人", names.get(f.volunteer_id, "")),
                                 ("settled", "协助化解", f.settled if f.kind == "dispute" else None)]
                                for f in found]),
    ], people=0)
