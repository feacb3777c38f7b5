"""The round trip of the 义警名册 (app/patrol/register_ledger.py): exported from the demo and imported into
an EMPTY database, it gives back the same volunteers (every column the register prints), and
``cpdesk ledger volunteers`` writes it."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlalchemy import select

from app.cli.main import main
from app.imports import mapping, reading
from app.imports.service import fields
from app.patrol import register_ledger
from db.engine import Database
from db.models import Community, VolunteerTeam
from tests.support.cli import DEMO_DAY
from tests.support.imports import START
from tests.support.imports import import_ledger as _import


def _teams(db: Database) -> set[tuple[str, str]]:
    t, c = VolunteerTeam.__table__.c, Community.__table__.c
    with db.connect() as conn:
        return {(row.name, row.community or "") for row in conn.execute(
            select(t.name, c.name.label("community")).outerjoin(Community.__table__, c.id == t.community_id)
            .where(t.deleted.is_(False)))}


def test_the_register_comes_back_as_the_same_volunteers_and_teams(empty, demo, tmp_path):
    db, officer_id = empty
    path = tmp_path / "义警名册.xlsx"
    written = register_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=path)
    headers = [c.header for c in register_ledger.COLUMNS]
    # every field the import reads is a column (the role travels in 所属义警队), so none can be dropped unseen
    guessed = mapping.guess(reading.sheets(path)[0].headers, fields("volunteers"))
    assert set(guessed.values()) == {f.key for f in fields("volunteers")} - {"role"}
    result, _summary = _import(db, "volunteers", path, officer_id)
    assert [(row.line, row.problems) for row in result.rows if row.problems] == []
    assert result.counts["good"] == written > 0
    before = list(register_ledger.register_rows(demo))
    after = list(register_ledger.register_rows(db))
    for header in headers:  # column by column, to name the one that differs
        at = headers.index(header)
        assert [row[at] for row in after] == [row[at] for row in before], header
    assert _teams(db) == _teams(demo)
    # every column is filled somewhere, and the demo has roles, several teams and statuses: the comparison means
    # something
    column = {header: [row[headers.index(header)] for row in before] for header in headers}
    assert [header for header in headers if not any(column[header])] == []
    assert any("（队长）" in teams for teams in column["所属义警队"])
    assert any("、" in teams for teams in column["所属义警队"]) and len(set(column["状态"])) > 1


def test_the_cli_writes_the_register(demo, tmp_path, capsys):
    out = tmp_path / "名册.xlsx"
    code = main(["--db", str(demo.path), "ledger", "volunteers", "--from", START.isoformat(), "--to",
                 DEMO_DAY.isoformat(), "--out", str(out)])
    printed, err = capsys.readouterr()
    assert (code, err) == (0, "")
    rows = list(load_workbook(out).active.values)
    count = len(list(register_ledger.register_rows(demo)))
    assert f"已导出义警名册 {count} 条记录" in printed
    header_at = next(i for i, row in enumerate(rows) if row[0] == "序号")
    assert list(rows[header_at]) == [c.header for c in register_ledger.COLUMNS] and len(rows) - header_at - 1 == count
