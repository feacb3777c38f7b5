"""``cpdesk export`` and ``cpdesk import``: sync files from the command line.

Handlers take ``args`` and return the exit code; refusals raise UserError, which
the CLI prints as one line. The passphrase comes from ``--passphrase-file``, else
``$CPDESK_SYNC_PASSPHRASE``, else a prompt without echo (twice for an export: a typo would
make a file nobody can open).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.common import database, db_path, text_width

PASSPHRASE_ENV = "CPDESK_SYNC_PASSPHRASE"
_PASSPHRASE_FILE_MAX = 4096  # bytes


def add_parsers(commands, *, reports, ledgers) -> None:
    export = commands.add_parser("export", help="write the changes since the last export to an encrypted sync file")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="the .cpsync file to write")
    export.add_argument("--full", action="store_true", help="every record, not only the changes")
    _passphrase_option(export)
    export.set_defaults(handler=cmd_export)
    imp = commands.add_parser("import", help="merge an encrypted sync file into the database")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--json", action="store_true", help="print the summary as JSON")
    imp.add_argument("--merge-station", action="store_true",
                     help="admin only, audited: merge a file of another station (this laptop joins that station)")
    _passphrase_option(imp)
    imp.set_defaults(handler=cmd_import)


def _passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", type=Path, metavar="F",
                        help=f"read the sync passphrase from F (default: ${PASSPHRASE_ENV}, else ask)")


def read_passphrase(args, *, confirm: bool = False) -> str:
    from app.core.errors import UserError

    path = getattr(args, "passphrase_file", None)
    if path is not None:
        try:
            with Path(path).open("rb") as f:
                raw = f.read(_PASSPHRASE_FILE_MAX + 1)  # bounded: /dev/zero or a photo must not hang
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(f"口令文件不是文本（应为 UTF-8 编码的一行口令）：{path}") from None
        except OSError as exc:
            raise UserError(f"无法读取口令文件 {path}：{exc.strerror or exc}") from None
        if len(raw) > _PASSPHRASE_FILE_MAX:
            raise UserError(f"口令文件太大（应只有一行口令）：{path}")
        passphrase = text.rstrip("\r\n")
    elif os.environ.get(PASSPHRASE_ENV):
        passphrase = os.environ[PASSPHRASE_ENV]
    else:
        if not sys.stdin.isatty():
            raise UserError(f"需要同步口令：用 --passphrase-file 或环境变量 {PASSPHRASE_ENV} 提供")
        import getpass

        passphrase = getpass.getpass("同步口令：")
        if confirm and getpass.getpass("再输入一次：") != passphrase:
            raise UserError("两次输入的同步口令不一致")
    if not passphrase:
        raise UserError("同步口令不能为空")
    return passphrase


def cmd_export(args) -> int:
    from app.sync.export import export_changes
    from app.sync.journal import record_export

    passphrase = read_passphrase(args, confirm=True)
    with database(args) as db:
        result = export_changes(db, out=args.out, passphrase=passphrase, full=args.full, progress=_progress)
        record_export(db, result)
    _clear_progress()
    kind = "完整" if result.full else "增量"
    print(f"已导出{kind}同步包：{result.path}（{result.rows} 条记录，{result.size / 1024:.0f} KB）")
    for table, n in result.counts.items():
        if n:
            print(f"{table}\t{n}")
    return 0


def cmd_import(args) -> int:
    from app.core.errors import UserError
    from app.sync.importer import import_file

    if not (path := db_path(args)).exists():  # a new laptop: its database is made first, then filled
        raise UserError(f"数据库文件不存在：{path}（新电脑请先用 cpdesk init 建库，再导入主机的完整同步包）")
    passphrase = read_passphrase(args)
    with database(args, path=path) as db:  # the audit entry commits with the merge (or neither does)
        summary = import_file(db, path=args.file, passphrase=passphrase, progress=_progress, audit=True,
                              merge_station=args.merge_station)
    _clear_progress()
    if args.json:
        import json

        print(json.dumps({"export_id": summary.export_id, "device": summary.device_code,
                          "already_imported": summary.already_imported, "rows": summary.rows,
                          "station": summary.station,
                          "tables": {t: vars(c) for t, c in summary.tables.items()}}, ensure_ascii=False, indent=1))
        return 0
    if summary.already_imported:
        print(f"这个同步包已经导入过（设备 {summary.device_code}，导出于 {_local(summary.created)}），没有改动")
        return 0
    print(f"已导入设备 {summary.device_code} 的同步包（导出于 {_local(summary.created)}）：{summary.rows} 条记录")
    if summary.station:
        print(summary.station)
    print_summary(summary)
    if summary.conflicts:
        print(f"有 {summary.conflicts} 处同步冲突待处理：请在程序的“同步冲突”中查看")
    return 0


def _local(iso: str) -> str:
    from datetime import datetime

    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def print_summary(summary) -> None:
    """One line per table the file touched: 新增 更新 未变 删除 冲突, then the totals."""
    header = ("表", "新增", "更新", "未变", "删除", "冲突")
    rows = [(t, c.added, c.updated, c.unchanged, c.deleted, c.conflicts) for t, c in summary.tables.items()
            if t != "sync_conflict" and (c.added or c.updated or c.unchanged or c.deleted or c.conflicts)]
    totals = ("合计", *(sum(r[i] for r in rows) for i in range(1, 6)))
    width = max(text_width(r[0]) for r in [*rows, header]) + 2
    for line in [header, *rows, totals]:
        cells = [str(v) for v in line[1:]]
        print(_pad(line[0], width) + "".join(" " * (8 - text_width(c)) + c for c in cells))


def _pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


_shown = False


def _progress(stage: str, done: int, total: int) -> None:
    global _shown
    if sys.stderr.isatty():
        _shown = True
        print(f"\r{stage} {done}/{total}      ", end="", file=sys.stderr, flush=True)


def _clear_progress() -> None:
    if _shown:
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr, flush=True)
