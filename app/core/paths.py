"""Where things live: bundled resources (also inside a PyInstaller bundle) and user data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "cpdesk"
DB_ENV = "CPDESK_DB"


def bundle_root() -> Path:
    """The folder holding app/, db/ and resources/: the source tree or the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parents[2]


def resource_path(*parts: str) -> Path:
    return bundle_root().joinpath("resources", *parts)


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """``--db`` wins over this; then ``CPDESK_DB``; then the user's data folder."""
    env = os.environ.get(DB_ENV)
    return Path(env) if env else data_dir() / "cpdesk.sqlite3"
