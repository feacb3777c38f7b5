"""``cpdesk``: the command line, a second front door onto the same services as the GUI.

Only argparse is imported up front, so ``cpdesk --help`` is instant; each command imports
what it needs. Exit codes: 0 success, 1 refused or a user error (one line on stderr, never a
traceback), 2 bad usage (argparse). Areas add their own commands (each area's ``cli`` module).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

from app.areas import cli_modules, list_tables
from app.cli.common import (
    PASSWORD_ENV,
    RECOVERY_CODE_ENV,
    database,
    day,
    db_path,
    positive_int,
    print_json,
    print_table,
    progress,
    read_password,
    read_secret,
    unlock,
)

SCALES = ("small", "station", "city")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cpdesk", description="社区警务工作台 Community Policing Desk")
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help="数据库文件 (default: $CPDESK_DB, else the user data folder)")
    parser.add_argument("--user", default="admin", metavar="NAME",
                        help="account that unlocks an encrypted database (password: $CPDESK_PASSWORD, else asked)")
    parser.set_defaults(handler=cmd_gui, smoke=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the program window (the default)")
    gui.add_argument("--smoke", action="store_true",
                     help="print 'painted' and 'ready' and quit once the first list is in")
    gui.set_defaults(handler=cmd_gui)

    demo = commands.add_parser("demo", help="fill an empty database with a synthetic demo station")
    demo.add_argument("--scale", choices=SCALES, default="small")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true", help="do nothing (exit 0) when data exists")
    demo.add_argument("--plain", action="store_true", help="leave it unencrypted (benchmarks and tests only)")
    demo.set_defaults(handler=cmd_demo)

    about = (f"set a new password with the station's recovery code (${RECOVERY_CODE_ENV}, else asked "
             f"without echo; the new password: ${PASSWORD_ENV}, else asked)")
    recover = commands.add_parser("recover", help=about, description=about)
    recover.add_argument("--code", help=argparse.SUPPRESS)  # refused: see cmd_recover
    recover.set_defaults(handler=cmd_recover)

    listing = commands.add_parser("list", help="list records of one table (ID numbers and phones masked)")
    listing.add_argument("table", choices=tuple(list_tables()))
    listing.add_argument("--search", default="", help="words that must all appear")
    listing.add_argument("--limit", type=positive_int, default=50)
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument("--reveal", action="store_true",
                         help="show ID numbers and phones in full (written to the audit log)")
    listing.add_argument("--on", type=day, metavar="YYYY-MM-DD", help="only that day's rows (shifts)")
    listing.set_defaults(handler=cmd_list)

    commands.add_parser("check", help="integrity and foreign-key check, exit 1 on damage; then the areas' "
                                      "housekeeping (hire checks past their keep-until day purged)").set_defaults(
        handler=cmd_check)

    backup = commands.add_parser("backup", help="copy the database with SQLite's online backup API")
    backup.add_argument("--out", type=Path, required=True, metavar="FILE")
    backup.set_defaults(handler=cmd_backup)

    device = commands.add_parser("device", help="show this laptop's identity; --code sets its short code")
    device.add_argument("--code", metavar="A03", help="短编号：1个字母加2位数字，所里每台电脑各不相同")
    device.add_argument("--name", metavar="NAME", help="电脑名称（如 王警官的笔记本），编号冲突时用来指明是哪台")
    device.set_defaults(handler=cmd_device)

    restore = commands.add_parser("restore", help="replace the database by a backup (the current file is kept); "
                                                  "without FILE, list the backups")
    restore.add_argument("file", type=Path, metavar="FILE", nargs="?")
    restore.set_defaults(handler=cmd_restore)

    reports = commands.add_parser("report", help="render a document to PDF").add_subparsers(
        dest="kind", metavar="KIND", required=True)
    ledgers = commands.add_parser("ledger", help="export a ledger (台账) to .xlsx").add_subparsers(
        dest="kind", metavar="KIND", required=True)
    # Every area's commands, reports and ledgers, and the station's (app/areas.py): each module's
    # ``add_parsers(commands, *, reports, ledgers)`` names a handler ``fn(args) -> int`` per parser.
    for module in cli_modules():
        importlib.import_module(module).add_parsers(commands, reports=reports, ledgers=ledgers)
    return parser


def main(argv: list[str] | None = None, *, open_window: Callable[..., int] | None = None) -> int:
    """``open_window(db_path, smoke=)`` runs the GUI (the default command) when given."""
    try:
        # Argument types refuse values out of range with a UserError (one line, exit 1);
        # a malformed value stays argparse's usage error (exit 2).
        args = build_parser().parse_args(argv)
        args.open_window = open_window
        return args.handler(args)
    except KeyboardInterrupt:
        print("cpdesk: 已取消", file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback for an officer; a bug's goes to the log
        from app.core.errors import explain

        print(f"cpdesk: {explain(exc)}", file=sys.stderr)
        return 1


def cmd_gui(args) -> int:
    """The window is handed in by ui/shell/launch.py (``cpdesk``, ``python -m ui``): app/ never
    imports ui/. ``python -m app`` is the command line alone."""
    from app.core.errors import UserError

    if args.open_window is None:
        raise UserError("图形界面请用 cpdesk 或 python -m ui 启动")
    return args.open_window(db_path(args), smoke=args.smoke)


def cmd_demo(args) -> int:
    from sqlalchemy import func, select

    from app.accounts.first_start import station_state
    from app.core.errors import UserError
    from app.demo.build import build_demo
    from db.engine import Database
    from db.models import Household

    path = db_path(args)
    if station_state(path) not in ("new", "plain"):  # an encrypted station is never empty of accounts
        if args.if_empty:
            return 0
        raise UserError(f"数据库已存在且已加密：演示数据只能写入空数据库 ({path})")
    db = Database.open(path, create=True)
    try:
        with db.connect() as conn:
            existing = conn.execute(select(func.count()).select_from(Household.__table__)).scalar()
        if existing:
            if args.if_empty:
                return 0
            raise UserError(f"数据库已有 {existing} 户数据：演示数据只能写入空数据库 ({db.path})")
        counts = build_demo(db, scale=args.scale, seed=args.seed, progress=progress)
    finally:
        db.close()
    print(f"\r演示数据已生成：{db.path}" + " " * 20, file=sys.stderr)
    for table, n in counts.items():
        print(f"{table}\t{n}")
    if not args.plain:
        _encrypt_demo(path)
    return 0


def _encrypt_demo(path: Path) -> None:
    """The demo station's admin gets ``$CPDESK_PASSWORD`` (or a password printed here) and the
    file is encrypted like a real station's."""
    import os

    from app.accounts.first_start import encrypt_with_password
    from app.accounts.passwords import new_password

    password = os.environ.get(PASSWORD_ENV) or new_password()
    code = encrypt_with_password(path, username="admin", password=password)
    if not os.environ.get(PASSWORD_ENV):
        print(f"管理员 admin 的密码：{password}（请记下；可用 {PASSWORD_ENV} 指定）", file=sys.stderr)
    print(f"恢复码：{code}（忘记密码时用 cpdesk recover 重设，请抄写保存）", file=sys.stderr)


def cmd_recover(args) -> int:
    """The code is read like a password. ``--code`` is refused rather than taken: by the time it
    is seen the code is already in the process list and the shell's history, and a run that
    worked would keep the habit."""
    from app.accounts.login import recover
    from app.core.errors import UserError

    if args.code is not None:
        raise UserError(f"恢复码不能写在命令行上（本机其他用户可在进程列表中看到）：请设置 {RECOVERY_CODE_ENV}，"
                        "或不带 --code 运行后按提示输入")
    code = read_secret("恢复码：", env=RECOVERY_CODE_ENV, what="恢复码")
    password = read_password(f"{args.user} 的新密码：", confirm=True)
    recover(db_path(args), code=code, username=args.user, new_password=password).db.close()
    print(f"已为 {args.user} 设置新密码")
    return 0


def cmd_list(args) -> int:
    from app.cli.listing import list_rows

    with database(args) as db:
        rows = list_rows(db, args.table, search=args.search, limit=args.limit, reveal=args.reveal, on=args.on)
    print_json(rows) if args.json else print_table(rows)
    return 0


def cmd_check(args) -> int:
    from app.core.errors import UserError
    from db.engine import check

    path = db_path(args)
    if not path.exists():
        raise UserError(f"数据库文件不存在：{path}")
    unlock(args)
    problems = check(path)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; …（共 {len(problems)} 处）" if len(problems) > 3 else "")
        raise UserError(f"数据库已损坏：{shown}")
    from datetime import date

    from app.areas import upkeep
    from app.audit.log import chain_problem
    from db.engine import Database

    db = Database.open(path)  # its key is known since unlock
    try:
        tampered = chain_problem(db)  # the audit log's hash chain: every entry as written
        done = [] if tampered else upkeep(db, on=date.today())  # the areas' housekeeping, on a sound file only
    finally:
        db.close()
    if tampered:
        raise UserError(tampered)
    print(f"数据库完好，审计日志未被改动：{path}")
    for line in done:  # e.g. hire checks past their keep-until day purged
        print(line)
    return 0


def cmd_backup(args) -> int:
    from app.core.errors import UserError
    from app.output.files import check_output
    from db.backup import backup_file

    path = db_path(args)
    if not path.exists():
        raise UserError(f"数据库文件不存在：{path}")
    out = check_output(args.out)  # never onto a device, a folder or a FIFO
    unlock(args)
    backup_file(path, out)
    print(f"已备份到 {args.out}")
    return 0


def cmd_device(args) -> int:
    from app.core.device import device_name, set_name, set_short_code

    with database(args) as db:
        if args.code is not None:
            set_short_code(db, code=args.code)
        if args.name is not None:
            set_name(db, name=args.name)
        print(f"本机编号 {db.device.short_code}  设备ID {db.device.id}  名称 {device_name(db)}")
    return 0


def cmd_restore(args) -> int:
    from db.backup import describe_backups, restore_backup
    from db.engine import restorable_problems

    if args.file is None:  # what there is to restore from: every kind, newest first
        from app.cli.common import text_width

        backups = describe_backups(db_path(args))
        if not backups:
            print("（没有备份）")
        for b in backups:  # the whole path: it is what ``cpdesk restore FILE`` takes
            print(f"{b.at.astimezone():%Y-%m-%d %H:%M:%S}  {b.label}{' ' * (18 - text_width(b.label))}"
                  f"{b.path.stat().st_size // 1024:>8} KB  {b.path}")
        return 0
    path = unlock(args)
    aside = restore_backup(args.file, path, problems=restorable_problems(args.file, for_db=path))
    print(f"已从 {args.file} 恢复" + (f"；原数据库保存在 {aside}" if aside else ""))
    return 0
