"""Helpers every CLI handler shares: the database path, dates, JSON and table output."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def db_path(args) -> Path:
    """``--db`` wins, then ``CPDESK_DB``, then the user's data folder."""
    from app.paths import default_db_path

    return args.db or default_db_path()


PASSWORD_ENV = "CPDESK_PASSWORD"

# The one list of what ``cpdesk list`` offers: list name -> the table its rows are records of
# (named in the audit entry of a revealed listing). Here, not in app.listing, so building the
# parser stays cheap; app.listing refuses to load when its specs do not cover exactly these.
LIST_TABLES: dict[str, str] = {
    "households": "household", "residents": "resident", "visits": "visit", "disputes": "dispute",
    "agreements": "agreement", "revisits": "revisit", "volunteers": "volunteer", "enterprises": "enterprise",
}


def open_db(args, *, create: bool = False, path: Path | None = None):
    """The database, logged into as ``--user`` when it is encrypted (a plain one, as tests and
    databases from before encryption have, opens as it is)."""
    from app.accounts.service import log_in, station_state
    from db.engine import Database

    path = path or db_path(args)
    if station_state(path) in ("new", "plain"):
        return Database.open(path, create=create)
    user = getattr(args, "user", "admin")
    return log_in(path, user, read_password(f"{user} 的密码：")).db


def unlock(args) -> Path:
    """For commands working on the file itself (check, backup, restore): log in if it is
    encrypted, so its key is known, and return its path."""
    from app.accounts.service import station_state

    path = db_path(args)
    if station_state(path) not in ("new", "plain"):
        open_db(args).close()
    return path


def read_password(prompt: str, *, confirm: bool = False) -> str:
    """``$CPDESK_PASSWORD``, else asked for without echo."""
    import getpass
    import os

    from app.errors import UserError

    if value := os.environ.get(PASSWORD_ENV):
        return value
    if not sys.stdin.isatty():
        raise UserError(f"需要密码：请在终端运行，或设置 {PASSWORD_ENV}")
    password = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输入一次：") != password:
        raise UserError("两次输入的密码不一致")
    return password


def day(text: str) -> date:
    """argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD：{text}") from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
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
