"""Fixtures of the import tests: check a made workbook the way the wizard and the CLI do; the small demo
and an empty database with its accounts, for the round trips."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from app.imports import mapping, reading
from app.imports.service import check, fields
from db.engine import Database
from db.models import Officer
from tests.support.cli import DEMO_DAY


@pytest.fixture
def checked(db):
    """``checked(made, kind="households", mapping=None)``: the CheckResult of ``made`` (tests/imports/files.py)
    over all its sheets, with the mapping guessed from its headers unless one is given."""

    def run(made, kind: str = "households", chosen: dict[int, str] | None = None, **options):
        info = reading.sheets(made.path)[0]
        headers = reading.headers_at(made.path, sheet=info.name, header_row=made.header_row,
                                     header_rows=made.header_rows)
        return check(db, kind=kind, path=made.path, sheets=made.sheets, header_row=made.header_row,
                     header_rows=made.header_rows, mapping=chosen or mapping.guess(headers, fields(kind)), **options)

    return run


@pytest.fixture(scope="module")
def demo(tmp_path_factory, _template_db) -> Database:
    """The small demo station, built once per module; tests only read it."""
    from app.demo.build import build_demo

    path = tmp_path_factory.mktemp("round-trip") / "demo.sqlite3"
    shutil.copy(_template_db, path)
    db = Database.open(path)
    build_demo(db, scale="small", seed=1, today=DEMO_DAY)
    yield db
    db.close()


@pytest.fixture
def empty(db, demo) -> tuple[Database, str]:
    """A fresh database with the demo's officer accounts only (an import names officers, it does not
    make accounts); (db, the importing officer's id)."""
    o = Officer.__table__.c
    with demo.connect() as conn:
        accounts = conn.execute(select(o.username, o.name, o.role, o.active).where(o.deleted.is_(False))).all()
    with db.session() as session:
        rows = [Officer(username=a.username, name=a.name, role=a.role, active=a.active) for a in accounts]
        session.add_all(rows)
        session.commit()
        return db, next(row.id for row in rows if row.role == "admin")
