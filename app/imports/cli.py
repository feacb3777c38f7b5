"""CLI of the Excel import: ``cpdesk import-xlsx KIND FILE …`` (check, report, write) and ``cpdesk import-undo``."""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli.common import database, positive_int, print_json, progress
from app.imports.kinds import KIND_MODULES

KIND_NAMES = tuple(KIND_MODULES)  # the kinds package imports nothing heavy: `cpdesk --help` stays fast


def add_parsers(commands, *, reports, ledgers) -> None:
    about = ("import an Excel/WPS ledger (.xlsx/.csv): map columns to fields (guessed from the headers, or a "
             "template, or --map), check every row with the forms' rules, print the reasons per row, then write "
             "in one transaction (undo with cpdesk import-undo)")
    parser = commands.add_parser("import-xlsx", help=about, description=about)
    parser.add_argument("kind", choices=KIND_NAMES, metavar="KIND", help="|".join(KIND_NAMES))
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--sheet", action="append", default=[], metavar="S",
                        help="a sheet to read (repeat for several); default: the first sheet and every sheet "
                             "with the same headers (one sheet per community)")
    parser.add_argument("--header-row", type=positive_int, default=None, metavar="N",
                        help="the row number of the header (default: found automatically)")
    parser.add_argument("--header-rows", type=int, choices=(1, 2), default=None,
                        help="2 when the header is two rows (the upper one merged over several columns)")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--template", metavar="T", help="a mapping saved before with --save-template")
    how.add_argument("--map", action="append", default=[], metavar="列=字段",
                     help="map a column (header text or letter A/B/…) to a field (key or label); repeat; "
                          "columns not named keep the guess")
    parser.add_argument("--save-template", metavar="NAME", help="save the mapping used under this name")
    parser.add_argument("--dry-run", action="store_true", help="check and report only, write nothing")
    parser.add_argument("--report", type=Path, metavar="OUT.xlsx",
                        help="save the rows with problems and the rows already stored (行号, original columns, "
                             "问题) to fix in Excel; the good rows are counted above the table, not listed")
    parser.add_argument("--on-match", choices=("update", "skip", "both"), default="skip",
                        help="rows already in the database: update them, skip them (default) or keep both")
    parser.add_argument("--yes", action="store_true", help="write without asking")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(handler=cmd_import)

    undo = commands.add_parser("import-undo", help="undo the last Excel import (refused if its records were "
                                                   "edited since)")
    undo.add_argument("--yes", action="store_true", help="undo without asking")
    undo.add_argument("--json", action="store_true", help="print JSON instead of text")
    undo.set_defaults(handler=cmd_undo)


def _mapping(args, kind: str, headers: list[str]) -> dict[int, str]:
    from app.imports import mapping
    from app.imports.service import fields

    known = fields(kind)
    if args.template:
        from app.imports import templates

        return templates.apply_template(templates.load_template(kind, args.template), headers)
    chosen = mapping.guess(headers, known)
    if args.map:
        named = mapping.parse_map_options(args.map, headers, known)
        chosen = {index: key for index, key in chosen.items() if index not in named and key not in named.values()}
        chosen.update(named)
    return dict(sorted(chosen.items()))


def _sheets(args, infos) -> list:
    from app.core.errors import UserError

    by_name = {info.name: info for info in infos}
    if args.sheet:
        if unknown := [name for name in args.sheet if name not in by_name]:
            raise UserError(f"文件里没有这个工作表：{'、'.join(unknown)}（有：{'、'.join(by_name)}）")
        return [by_name[name] for name in args.sheet]
    if not infos:
        raise UserError("文件里没有工作表")
    first = infos[0]
    return [info for info in infos if info is first or (info.headers == first.headers and info.headers)]


def _confirm(question: str) -> bool:
    from app.core.errors import UserError

    if not sys.stdin.isatty():
        raise UserError("需要确认：加 --yes 写入（或先用 --dry-run 检查）")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes", "是")


def cmd_import(args) -> int:
    from app.core.errors import UserError
    from app.imports import reading
    from app.imports.service import KINDS, check, fields, save_report, write

    chosen = _sheets(args, reading.sheets(args.file))
    first = chosen[0]
    header_row = args.header_row or first.header_row
    header_rows = args.header_rows or (first.header_rows if header_row == first.header_row else 1)
    headers = first.headers if (header_row, header_rows) == (first.header_row, first.header_rows) else \
        reading.headers_at(args.file, sheet=first.name, header_row=header_row, header_rows=header_rows)
    mapping = _mapping(args, args.kind, headers)
    labels = {field.key: field.label for field in fields(args.kind)}
    with database(args) as db:
        result = check(db, kind=args.kind, path=args.file, sheets=[info.name for info in chosen],
                       header_row=header_row, header_rows=header_rows, mapping=mapping, progress=progress)
        result.set_matched(args.on_match)
        if args.report:
            save_report(result, args.report)
        if args.save_template:
            from app.imports import templates

            templates.save_template(args.kind, args.save_template, {headers[i]: key for i, key in mapping.items()})
        counts = result.counts
        writing = result.writing()
        summary = None
        if not args.dry_run and writing:
            if not args.json:
                _print_check(result, headers, mapping, labels)
            if args.yes or _confirm(f"写入 {writing} 行（{KINDS[args.kind]}）？"):
                summary = write(db, result=result, officer_id=db.officer_id, progress=progress)
            if sys.stderr.isatty():
                print(file=sys.stderr)
        elif not args.json:
            _print_check(result, headers, mapping, labels)
    if args.json:
        print_json({
            "kind": args.kind, "file": str(args.file), "sheets": result.sheets, "header_row": header_row,
            "mapping": {headers[i] or str(i): key for i, key in mapping.items()}, "counts": counts,
            "rows": [{"sheet": row.sheet, "line": row.line, "problems": row.problems, "match": row.match_label,
                      "action": row.action} for row in result.flagged.values()],
            "written": None if summary is None else {"batch_id": summary.batch_id, "added": summary.added,
                                                     "updated": summary.updated, "skipped": summary.skipped}})
        return 0
    if summary is not None:
        print(f"已导入 {summary.file_name}：新增 {summary.added} 条记录，更新 {summary.updated} 条，"
              f"跳过 {summary.skipped} 行（撤销：cpdesk import-undo）")
    elif args.dry_run:
        print("试运行：未写入任何数据")
    elif not writing:
        raise UserError("没有可写入的行：每一行都有问题或都选择了跳过")
    else:
        print("未写入")
    return 0


def _print_check(result, headers, mapping, labels) -> None:
    from app.imports.mapping import column_letter
    from app.imports.report import ACTION_LABELS

    shown = "，".join(f"{column_letter(i)}「{headers[i]}」→{labels.get(key, key)}" for i, key in mapping.items())
    print(f"列对应：{shown}")
    several = len(result.sheets) > 1
    for row in result.flagged.values():  # the rows with a problem or a stored record; the rest are counted
        where = f"{row.sheet} 行 {row.line}" if several else f"行 {row.line}"
        if row.problems:
            print(f"{where}：{'；'.join(row.problems)}")
        elif row.match_id:
            print(f"{where}：已有 {row.match_label}（{ACTION_LABELS[row.action]}）")
    c = result.counts
    print(f"共 {c['rows']} 行：可导入 {c['good']} 行，有问题 {c['bad']} 行，已有记录 {c['matched']} 行")


def cmd_undo(args) -> int:
    from app.core.errors import UserError
    from app.imports.service import KINDS, last_import, undo_last

    with database(args) as db:
        last = last_import(db)
        if last is None:
            raise UserError("没有可以撤销的导入")
        what = f"{last.at.astimezone():%Y-%m-%d %H:%M} 导入的 {last.file_name}（{KINDS.get(last.kind, last.kind)}）"
        if not args.yes and not _confirm(f"撤销 {what}？"):
            print("未撤销")
            return 0
        done = undo_last(db, officer_id=db.officer_id)
    if args.json:
        print_json({"batch_id": done.batch_id, "file": done.file_name, "removed": done.added,
                    "restored": done.updated})
    else:
        print(f"已撤销 {what}：删除 {done.added} 条，恢复 {done.updated} 条")
    return 0
