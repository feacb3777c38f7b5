"""Writing an import (one transaction, stamped for sync, audited once) and undoing exactly it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.core.errors import UserError
from app.households.residents import resident_values, save_resident
from app.households.service import search_households
from app.imports.service import ImportCancelled, last_import, undo_last, write
from app.sync.export import export_changes
from db.models import AuditEntry, Household, Resident, Visit
from tests.imports.files import register_workbook
from tests.support.sync import FAST_KDF, PASSPHRASE


def _living(db) -> tuple[set, set]:
    with db.connect() as conn:
        households = set(conn.execute(select(Household.id).where(Household.deleted.is_(False))).scalars())
        residents = set(conn.execute(select(Resident.id).where(Resident.deleted.is_(False))).scalars())
    return households, residents


def _export_counts(db, path) -> dict:
    return export_changes(db, out=path, passphrase=PASSPHRASE, kdf=FAST_KDF).counts


@pytest.fixture
def register(tmp_path):
    return register_workbook(tmp_path / "r.xlsx", communities=("阳光社区",), households=3, residents_per=2)


def test_an_import_is_written_stamped_for_sync_searchable_and_audited_once(db, checked, register, officer,
                                                                            sample_households, tmp_path):
    _export_counts(db, tmp_path / "first.cpsync")
    with db.connect() as conn:
        entries_before = conn.execute(select(func.count()).select_from(AuditEntry)).scalar()
    summary = write(db, result=checked(register), officer_id=officer)
    assert (summary.added, summary.updated, summary.skipped) == (3 + 6, 0, 0)  # households + residents
    counts = _export_counts(db, tmp_path / "next.cpsync")
    assert counts["household"] == 3 and counts["resident"] == 6  # the next export carries them
    with db.connect() as conn:
        rows = conn.execute(select(Resident.hlc, Resident.clocks, Resident.updated_by)
                            .where(Resident.id_number == register.people[0].id_number)).one()
        audit = conn.execute(select(AuditEntry.action, AuditEntry.detail, AuditEntry.officer_id)
                             .order_by(AuditEntry.hlc).offset(entries_before)).all()
    assert rows.hlc and rows.clocks == {"*": [rows.hlc, None]} and rows.updated_by == officer
    assert [(a.action, a.detail["rows"], a.officer_id) for a in audit] == [("import_xlsx", 9, officer)]
    assert audit[0].detail["file"].endswith("r.xlsx")
    found = search_households(db, text=register.people[1].name.strip())
    assert any(row.head_name == register.people[0].name.strip() for row in found)


def test_undo_removes_exactly_what_the_import_added(db, checked, register, sample_households, tmp_path):
    before = _living(db)
    summary = write(db, result=checked(register), officer_id=None)
    assert last_import(db).batch_id == summary.batch_id
    _export_counts(db, tmp_path / "first.cpsync")
    undone = undo_last(db, officer_id=None)
    assert undone.undone and undone.batch_id == summary.batch_id
    assert _living(db) == before
    assert search_households(db, text=register.people[0].name.strip()) == []
    counts = _export_counts(db, tmp_path / "after-undo.cpsync")  # the undo travels too
    assert counts["household"] == 3 and counts["resident"] == 6
    with db.connect() as conn:
        actions = conn.execute(select(AuditEntry.action).where(AuditEntry.action.like("%import%"))).scalars().all()
    assert actions == ["import_xlsx", "undo_import"]
    assert last_import(db) is None
    with pytest.raises(UserError, match="没有可以撤销的导入"):
        undo_last(db, officer_id=None)


def test_undo_puts_back_what_the_import_updated(db, checked, register):
    write(db, result=checked(register), officer_id=None)
    person = register.people[0]
    with db.connect() as conn:
        resident_id = conn.execute(select(Resident.id).where(Resident.id_number == person.id_number)).scalar()
    household_id, values = resident_values(db, resident_id)
    save_resident(db, household_id=household_id, resident_id=resident_id,
                  values=values.__class__(**{**vars(values), "phone": "13700000000", "occupation": "教师"}))
    before = resident_values(db, resident_id)
    again = checked(register)
    again.set_matched("update")
    summary = write(db, result=again, officer_id=None)
    assert summary.updated == 1 and summary.added == 0  # only the person whose phone the file says otherwise
    assert resident_values(db, resident_id)[1].phone == person.phone
    undo_last(db, officer_id=None)
    assert resident_values(db, resident_id) == before
    assert last_import(db).batch_id != summary.batch_id  # the first import is next in line


def test_undo_is_refused_once_a_record_of_the_import_was_edited(db, checked, register):
    write(db, result=checked(register), officer_id=None)
    person = register.people[1]
    with db.connect() as conn:
        resident_id = conn.execute(select(Resident.id).where(Resident.id_number == person.id_number)).scalar()
    household_id, values = resident_values(db, resident_id)
    save_resident(db, household_id=household_id, resident_id=resident_id,
                  values=values.__class__(**{**vars(values), "occupation": "教师"}))
    with pytest.raises(UserError, match="已被修改，不能撤销导入"):
        undo_last(db, officer_id=None)
    assert len(_living(db)[1]) == 6


def test_undo_is_refused_once_a_visit_was_recorded_for_an_imported_household(db, checked, register):
    write(db, result=checked(register), officer_id=None)
    with db.session() as s:
        household_id = s.execute(select(Household.id).limit(1)).scalar()
        s.add(Visit(household_id=household_id, visited_at=datetime.now(UTC), purposes="日常走访"))
        s.commit()
    with pytest.raises(UserError, match="已被修改.*不能撤销导入"):
        undo_last(db, officer_id=None)


def test_a_cancelled_write_leaves_nothing(db, checked, register, monkeypatch):
    from app.imports import writing

    monkeypatch.setattr(writing, "BATCH", 2)  # several flushes, so the cancel comes midway
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ImportCancelled):
        write(db, result=checked(register), officer_id=None, should_stop=stop)
    assert _living(db) == (set(), set())
    assert last_import(db) is None
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AuditEntry)).scalar() == 0


def test_nothing_to_write_is_refused(db, checked, register):
    write(db, result=checked(register), officer_id=None)
    again = checked(register)  # every row already stored, and skipped unless the officer says otherwise
    assert again.writing() == 0
    with pytest.raises(UserError, match="没有要写入的行"):
        write(db, result=again, officer_id=None)
