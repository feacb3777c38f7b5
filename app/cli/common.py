"""Helpers every CLI handler shares: the database, dates, JSON and table output, and the one way
every area's ``report`` (a document) and ``ledger`` (a 台账) commands are declared and run."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.engine import Database


def db_path(args) -> Path:
    """``--db`` wins, then ``CPDESK_DB``, then the user's data folder. A path that exists must be
    a regular file (a folder or a device such as /dev/null is refused here, before SQLite sees it)."""
    import stat

    from app.core.errors import UserError
    from app.core.paths import default_db_path

    path = args.db or default_db_path()
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return path  # a new file, or one the command reports missing in its own words
    if stat.S_ISDIR(mode):
        raise UserError(f"数据库路径是一个文件夹，不是数据库文件：{path}")
    if not stat.S_ISREG(mode):
        raise UserError(f"数据库路径不是普通文件（是设备或特殊文件）：{path}")
    return path


PASSWORD_ENV = "CPDESK_PASSWORD"
RECOVERY_CODE_ENV = "CPDESK_RECOVERY_CODE"

def open_db(args, *, create: bool = False, path: Path | None = None):
    """The database, logged into as ``--user`` when it is encrypted (a plain one, as tests and
    databases from before encryption have, opens as it is)."""
    from app.accounts.first_start import station_state
    from app.accounts.login import log_in
    from db.engine import Database

    path = path or db_path(args)
    _refuse_read_only(path)
    if station_state(path) in ("new", "plain"):
        return _clock_repaired(Database.open(path, create=create))
    user = getattr(args, "user", "admin")
    return _clock_repaired(log_in(path, user, read_password(f"{user} 的密码：")).db)


@contextmanager
def database(args, **options) -> Iterator[Database]:
    """``with database(args) as db:`` — ``open_db(args, **options)``, closed however the command ends."""
    db = open_db(args, **options)
    try:
        yield db
    finally:
        db.close()


def _clock_repaired(db):
    """Stamps a wrong clock left in the future are brought back as the file opens (app/sync/clock_repair.py);
    what happened goes to stderr, out of the way of the command's output."""
    from app.sync.clock_repair import repair_future_stamps

    try:
        if message := repair_future_stamps(db).message:
            print(f"cpdesk: {message}", file=sys.stderr)
    except BaseException:
        db.close()
        raise
    return db


def _refuse_read_only(path: Path) -> None:
    """Opening writes (the journal beside the file, the schema version, the device row): say so
    up front when the file or its folder cannot be written, rather than fail halfway."""
    import os

    from app.core.errors import UserError

    path = Path(path)
    if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        where = "数据库文件" if not os.access(path, os.W_OK) else "数据库所在的文件夹"
        raise UserError(f"{where}是只读的，无法打开数据库：{path}（请检查写权限或写保护）")


def unlock(args) -> Path:
    """For commands working on the file itself (check, backup, restore): log in if it is
    encrypted, so its key is known, and return its path."""
    from app.accounts.first_start import station_state

    path = db_path(args)
    if station_state(path) not in ("new", "plain"):
        open_db(args).close()
    return path


def read_password(prompt: str, *, confirm: bool = False) -> str:
    """``$CPDESK_PASSWORD``, else asked for without echo."""
    return read_secret(prompt, env=PASSWORD_ENV, what="密码", confirm=confirm)


def read_secret(prompt: str, *, env: str, what: str, confirm: bool = False) -> str:
    """``$env``, else asked for without echo; never an argument, which every user of the
    machine can read in the process list."""
    import getpass
    import os

    from app.core.errors import UserError

    if value := os.environ.get(env):
        return value
    if not sys.stdin.isatty():
        raise UserError(f"需要{what}：请在终端运行，或设置 {env}")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输入一次：") != value:
        raise UserError(f"两次输入的{what}不一致")
    return value


# Days the commands accept: every date arithmetic and local-time conversion works inside them.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)
MAX_COUNT = 1_000_000  # --limit and the like: more than any list holds, and fits SQLite's integer


def day(text: str) -> date:
    """argparse type for YYYY-MM-DD. A malformed date is a usage error (exit 2); a real date out of
    range is refused like any other value (UserError: one line, exit 1)."""
    from app.core.errors import UserError

    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD：{text}") from None
    if not FIRST_DAY <= value <= LAST_DAY:
        raise UserError(f"日期应在 {FIRST_DAY} 至 {LAST_DAY} 之间：{text}")
    return value


def positive_int(text: str) -> int:
    """argparse type for a count: not a count (0, -3, "x") is a usage error (exit 2); a count
    beyond MAX_COUNT is refused like a date out of range (UserError: one line, exit 1)."""
    from app.core.errors import UserError

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    if value > MAX_COUNT:
        raise UserError(f"数量应在 1 至 {MAX_COUNT} 之间：{text}")
    return value


def print_json(data) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, default=str, indent=1))


def print_table(rows: list[dict]) -> None:
    """Aligned columns (Chinese characters count double); the id column is left out."""
    if not rows:
        print("（无记录）")
        return
    columns = [c for c in rows[0] if c != "id"]
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max(text_width(c), *(text_width(r[i]) for r in cells)) for i, c in enumerate(columns)]
    for line in [columns, *cells]:
        print("  ".join(text + " " * (w - text_width(text)) for text, w in zip(line, widths)).rstrip())


def text_width(text: str) -> int:
    """Terminal columns of ``text``: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(value) -> str:
    if hasattr(value, "astimezone") and hasattr(value, "hour"):  # a stored UTC datetime
        value = value.astimezone().strftime("%Y-%m-%d %H:%M")
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= 30 else text[:29] + "…"


def progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{stage} {done}/{total}", end="", file=sys.stderr, flush=True)


# --- every area's documents and ledgers, declared and run one way ---------------------------------

def add_report(reports, kind: str, *, help: str, document: str) -> argparse.ArgumentParser:
    """``cpdesk report KIND … --out FILE.pdf``. ``document`` ("module:function") renders an
    app.output.pdf.Rendered from the database and its required keyword arguments, which the caller
    adds to the returned parser under the same names (``visit_id``, ``campaign_id``…); an optional
    keyword argument is passed too when the caller adds it."""
    parser = reports.add_parser(kind, help=help)
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    parser.set_defaults(handler=cmd_report, document=document)
    return parser


def add_ledger(ledgers, kind: str, *, help: str, module: str) -> argparse.ArgumentParser:
    """``cpdesk ledger KIND --from D --to D --out FILE.xlsx``, written by ``module.write_ledger``."""
    parser = ledgers.add_parser(kind, help=help)
    parser.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    parser.set_defaults(handler=cmd_ledger, ledger_module=module)
    return parser


def cmd_report(args) -> int:
    """Render, then write and log the file (app.output.pdf.save_document); say what the font lacks."""
    import inspect

    from app.areas import resolve
    from app.output.files import check_folder
    from app.output.pdf import save_document

    render = resolve(args.document)
    # its required keyword arguments, and the optional ones the parser adds (``--team`` of a day's sheet)
    wanted = [p.name for p in inspect.signature(render).parameters.values()
              if p.kind is p.KEYWORD_ONLY and (p.default is p.empty or hasattr(args, p.name))]
    check_folder(args.out)  # before any work is done
    with database(args) as db:
        rendered = render(db, **{name: getattr(args, name) for name in wanted})
        save_document(db, rendered, args.out)
    if rendered.missing:
        print(f"cpdesk: 注意：字体缺少这些字，打印后请手写补上：{''.join(rendered.missing)}", file=sys.stderr)
    print(f"已生成 {rendered.title}：{args.out}（{rendered.pages} 页）")
    return 0


def cmd_ledger(args) -> int:
    module = importlib.import_module(args.ledger_module)
    with database(args) as db:
        count = module.write_ledger(db, start=args.start, end=args.end, path=args.out)
    print(f"已导出{module.TITLE} {count} 条记录：{args.out}")
    return 0
