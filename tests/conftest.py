"""Shared fixtures: offscreen Qt, and a fresh migrated database file per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import gc
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
    _wait_for_workers()
    database.close()


def _wait_for_workers() -> None:
    """A test must not leave work running on the thread pool into the next one."""
    import sys

    if "ui.widgets.ops" in sys.modules:
        sys.modules["ui.widgets.ops"].wait_for_workers()


@pytest.fixture(scope="session", autouse=True)
def _collect_on_the_main_thread_only():
    """As the program does (ui/shell/main_thread_gc.py): no automatic collection, which could run on a
    worker or a test's thread and destroy a Qt object left in a cycle by an earlier test."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_each_test():
    """Cycles a test made are collected before the next one starts, as the program would:
    a full collection after every test cost most of the suite's time."""
    from ui.shell.main_thread_gc import collect_as_python_would

    yield
    collect_as_python_would()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """Keep settings and the default database of the person running the tests untouched."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CPDESK_DB", raising=False)


@pytest.fixture
def sample_households(db):
    """Three communities' worth of households, enough for search, paging and sorting."""
    from datetime import UTC, datetime

    from db.models import Community, Household, Resident, Visit

    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        people = [
            ("阳光花园", "2", "1", "101", "张伟", "13800138000", "11010519491231002X"),
            ("阳光花园", "10", "1", "101", "李娜", "13900139000", "440524198001010013"),
            ("金桂苑", "3", "2", "502", "王芳", "0571-87654321", "330102200001010018"),
        ]
        ids = []
        for estate, building, unit, room, name, phone, id_number in people:
            household = Household(community_id=community.id, estate=estate, building=building, unit=unit,
                                  room=room, head_name=name, kind="rented" if estate == "金桂苑" else "owner")
            s.add(household)
            s.flush()
            s.add(Resident(household_id=household.id, name=name, phone=phone, id_number=id_number,
                           relation="户主"))
            s.add(Visit(household_id=household.id, visited_at=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
                        purposes="日常走访,反诈宣传", findings="一切正常"))
            ids.append(household.id)
        s.commit()
    return ids


# --- fixtures more than one area uses ---------------------------------------------------------
@pytest.fixture
def cheap_kdf(monkeypatch):
    """Argon2 at test cost (the real cost, ~0.15 s a call, is measured in tests/bench)."""
    from argon2 import PasswordHasher

    from app.accounts import keyring, passwords
    from db import cipher

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(keyring, "default_kdf",
                        lambda: {"name": "argon2id", "memory_kib": 1024, "iterations": 1, "lanes": 1})
    yield
    cipher._keys.clear()  # keys unlocked by one test must not open another's files


@pytest.fixture
def officer(db) -> str:
    from db.models import Officer

    with db.session() as s:
        row = Officer(username="jy001", name="王警官", police_room="阳光社区警务室")
        s.add(row)
        s.commit()
        return row.id


@pytest.fixture
def community(db) -> str:
    from db.models import Community

    with db.session() as s:
        row = Community(name="阳光社区", police_room="阳光社区警务室")
        s.add(row)
        s.commit()
        return row.id


@pytest.fixture
def program_language(qapp, tmp_path):
    """``install(language)`` runs install_language and choose_dialogs on the tests' application as
    if the machine spoke English, with the bundled font as the program has it; all is undone afterwards."""
    from PySide6.QtCore import QLocale, QSettings, Qt, QTranslator

    from ui.shell.app import choose_dialogs, install_language
    from ui.shell.fonts import install_cjk_font
    from ui.shell.settings import Settings

    no_native = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    before, native, font = QLocale(), qapp.testAttribute(no_native), qapp.font()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    install_cjk_font(qapp)

    def install(language: str = "zh_CN") -> QLocale:
        settings = Settings(QSettings(str(tmp_path / "language.ini"), QSettings.Format.IniFormat))
        settings.set("ui/language", language)
        locale = install_language(qapp, settings)
        choose_dialogs(qapp, locale)
        return locale

    yield install
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(before)
    qapp.setAttribute(no_native, native)
    qapp.setFont(font)
