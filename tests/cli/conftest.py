"""Fixtures of the command-line tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.areas import list_tables
from db.engine import Database
from tests.support.cli import DEMO_DAY


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory, _template_db) -> Path:
    """The ``small`` demo station, built once per module: a row in every table ``list`` offers.
    Tests only read it (a test that writes, e.g. an audit entry, works on a copy)."""
    from app.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copy(_template_db, path)
    db = Database.open(path)
    try:
        counts = build_demo(db, scale="small", seed=1, today=DEMO_DAY)
    finally:
        db.close()
    assert all(counts.get(table) for table in list_tables().values()), counts
    return path
