"""Shared fixtures: offscreen Qt, and a fresh migrated database file per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import shutil
from pathlib import Path

import pytest

from db.engine import Database


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path:
    """Migrated once per run; each test gets a copy (a migration costs ~1 s)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    Database.open(path, create=True).close()
    return path


@pytest.fixture
def db_path(tmp_path, _template_db) -> Path:
    path = tmp_path / "cpdesk.sqlite3"
    shutil.copy(_template_db, path)
    return path


@pytest.fixture
def db(db_path):
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """Keep settings and the default database of the person running the tests untouched."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CPDESK_DB", raising=False)
