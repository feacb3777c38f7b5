"""``cpdesk``: the command line, a second front door onto the same services as the GUI.

Only argparse is imported up front, so ``cpdesk --help`` is instant; each command imports
what it needs. Exit codes: 0 success, 1 refused or a user error (one line on stderr, never a
traceback), 2 bad usage (argparse).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SCALES = ("small", "station", "city")
# Kept here, not imported from app.listing, so building the parser stays cheap.
LIST_TABLES = ("households", "residents", "visits", "disputes", "volunteers", "enterprises")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cpdesk", description="社区警务工作台 Community Policing Desk")
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help="数据库文件 (default: $CPDESK_DB, else the user data folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the program window (the default)")
    gui.add_argument("--smoke", action="store_true",
                     help="print 'painted' and 'ready' and quit once the first list is in")

    demo = commands.add_parser("demo", help="fill an empty database with a synthetic demo station")
    demo.add_argument("--scale", choices=SCALES, default="small")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true", help="do nothing (exit 0) when data exists")

    listing = commands.add_parser("list", help="list records of one table (ID numbers and phones masked)")
    listing.add_argument("table", choices=LIST_TABLES)
    listing.add_argument("--search", default="", help="words that must all appear")
    listing.add_argument("--limit", type=_positive_int, default=50)
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")

    commands.add_parser("check", help="integrity and foreign-key check; exit 1 on damage")

    backup = commands.add_parser("backup", help="copy the database with SQLite's online backup API")
    backup.add_argument("--out", type=Path, required=True, metavar="FILE")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from app.errors import UserError
    from db.errors import StorageError

    try:
        return COMMANDS[args.command or "gui"](args)
    except (UserError, StorageError) as exc:
        print(f"cpdesk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("cpdesk: 已取消", file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback for an officer; keep it in a log instead
        log = _log_traceback()
        print(f"cpdesk: 内部错误：{exc}（详情已记录到 {log}）", file=sys.stderr)
        return 1


def _db_path(args) -> Path:
    from app.paths import default_db_path

    return args.db or default_db_path()


def _open(args, *, create: bool = False):
    from db.engine import Database

    return Database.open(_db_path(args), create=create)


def cmd_gui(args) -> int:
    from ui.app import run

    return run(_db_path(args), smoke=getattr(args, "smoke", False))


def cmd_demo(args) -> int:
    from sqlalchemy import func, select

    from app.demo import build_demo
    from app.errors import UserError
    from db.models import Household

    db = _open(args, create=True)
    try:
        with db.connect() as conn:
            existing = conn.execute(select(func.count()).select_from(Household.__table__)).scalar()
        if existing:
            if args.if_empty:
                return 0
            raise UserError(f"数据库已有 {existing} 户数据：演示数据只能写入空数据库 ({db.path})")
        counts = build_demo(db, scale=args.scale, seed=args.seed, progress=_progress)
    finally:
        db.close()
    print(f"\r演示数据已生成：{db.path}" + " " * 20, file=sys.stderr)
    for table, n in counts.items():
        print(f"{table}\t{n}")
    return 0


def _progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{stage} {done}/{total}", end="", file=sys.stderr, flush=True)


def cmd_list(args) -> int:
    from app.listing import list_rows

    db = _open(args)
    try:
        rows = list_rows(db, args.table, search=args.search, limit=args.limit)
    finally:
        db.close()
    if args.json:
        import json

        print(json.dumps(rows, ensure_ascii=False, default=str, indent=1))
    else:
        _print_table(rows)
    return 0


def cmd_check(args) -> int:
    from app.errors import UserError
    from db.engine import check

    path = _db_path(args)
    if not path.exists():
        raise UserError(f"数据库文件不存在：{path}")
    problems = check(path)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; …（共 {len(problems)} 处）" if len(problems) > 3 else "")
        raise UserError(f"数据库已损坏：{shown}")
    print(f"数据库完好：{path}")
    return 0


def cmd_backup(args) -> int:
    from app.errors import UserError
    from db.backup import backup_file

    path = _db_path(args)
    if not path.exists():
        raise UserError(f"数据库文件不存在：{path}")
    backup_file(path, args.out)
    print(f"已备份到 {args.out}")
    return 0


COMMANDS = {"gui": cmd_gui, "demo": cmd_demo, "list": cmd_list, "check": cmd_check, "backup": cmd_backup}


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _print_table(rows: list[dict]) -> None:
    if not rows:
        print("（无记录）")
        return
    columns = [c for c in rows[0] if c != "id"]
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max(_width(c), *(_width(r[i]) for r in cells)) for i, c in enumerate(columns)]
    for line in [columns, *cells]:
        print("  ".join(text + " " * (w - _width(text)) for text, w in zip(line, widths)).rstrip())


def _cell(value) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= 30 else text[:29] + "…"


def _log_traceback() -> Path:
    import traceback

    from app.paths import data_dir

    log = data_dir() / "cpdesk-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            traceback.print_exc(file=f)
    except OSError:
        pass
    return log
