"""Every change and every handling of personal data leaves an entry, and no entry can be changed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from app.audit import log as audit
from db.models import AuditEntry, Community, Officer
from db.stamping import StampingError


def _officer(db, name="王警官") -> str:
    with db.session() as s:
        row = Officer(username="jy001", name=name)
        s.add(row)
        s.commit()
        return row.id


def _entries(db, **where) -> list[AuditEntry]:
    with db.session() as s:
        query = select(AuditEntry).order_by(AuditEntry.hlc)
        for key, value in where.items():
            query = query.where(getattr(AuditEntry, key) == value)
        return list(s.exec(query))


def test_creating_editing_and_deleting_a_record_is_logged_with_the_officer_and_changed_fields(db):
    officer = _officer(db)
    db.officer_id = officer
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.commit()
        community.police_room, community.notes = "阳光警务室", "新建"
        s.commit()
        community.deleted = True
        s.commit()
    trail = _entries(db, record_id=community.id)
    assert [(e.action, e.table_name, e.officer_id) for e in trail] == [
        ("create", "community", officer), ("update", "community", officer), ("delete", "community", officer)]
    assert sorted(trail[1].detail["fields"]) == ["notes", "police_room"]


def test_the_trail_names_fields_never_their_values(db):
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.commit()
        community.notes = "13800138000"
        s.commit()
    assert "13800138000" not in str([e.detail for e in _entries(db)])


@pytest.mark.parametrize("action", ["export", "import", "print", "pdf", "ledger", "reveal", "login",
                                    "login_failed", "lock", "unlock", "account", "merge"])
def test_each_kind_of_action_is_recorded_and_found_by_its_kind(db, action):
    officer = _officer(db)
    audit.record(db, action, officer_id=officer, table="resident", record_id="r1", where="测试")
    [row] = audit.search_audit(db, action=action)
    assert (row.officer, row.action, row.record_id, row.detail) == ("王警官", action, "r1", {"where": "测试"})
    assert audit.ACTIONS[action]  # the view has a name for it


def test_an_unknown_action_is_refused_and_nothing_is_written(db):
    with pytest.raises(ValueError):
        audit.record(db, "tamper", officer_id=None)
    assert _entries(db) == []


def test_the_orm_refuses_to_change_an_audit_entry(db):
    audit.record(db, "login", officer_id=None)
    with db.session() as s:
        entry = s.exec(select(AuditEntry)).one()
        entry.action = "logout"
        with pytest.raises(StampingError):
            s.commit()


@pytest.mark.parametrize("statement", ["UPDATE audit_entry SET action = 'x'", "DELETE FROM audit_entry"])
def test_sql_refuses_to_change_or_remove_an_audit_entry(db, statement):
    audit.record(db, "login", officer_id=None)
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    assert [e.action for e in _entries(db)] == ["login"]


@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
def test_sql_refuses_to_replace_an_audit_entry(db, verb):
    audit.record(db, "login", officer_id=None)
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(f"{verb} INTO audit_entry (id, created_at, updated_at, hlc, clocks, deleted, at, action, "
                          "detail) SELECT id, created_at, updated_at, hlc, clocks, deleted, at, 'export', detail "
                          "FROM audit_entry"))
    assert [e.action for e in _entries(db)] == ["login"]


def test_a_number_typed_into_a_search_or_a_filter_is_masked_in_the_entry(db):
    audit.record(db, "reveal", table="resident", search="张伟 330102200001010018 13957112345")
    audit.record(db, "ledger", ledger="审计日志", filters="记录 11010519491231002X")
    reveal, ledger = _entries(db)
    assert reveal.detail["search"] == "张伟 330102********0018 139****2345"
    assert ledger.detail["filters"] == "记录 110105********002X"
    assert "330102200001010018" not in str(reveal.detail) and "11010519491231002X" not in str(ledger.detail)


def test_the_audit_module_offers_no_way_to_change_an_entry():
    public = [name for name in vars(audit) if not name.startswith("_") and callable(getattr(audit, name))]
    assert not [name for name in public if any(word in name for word in ("update", "delete", "remove", "edit"))]


def test_the_view_filters_by_officer_day_kind_and_record(db):
    wang, li = _officer(db, "王警官"), _officer(db, "李辅警")
    audit.record(db, "print", officer_id=wang, table="visit", record_id="v1")
    audit.record(db, "reveal", officer_id=li, table="resident", record_id="r1")
    assert [r.officer for r in audit.search_audit(db, officer_id=li, action="reveal")] == ["李辅警"]
    assert [r.action for r in audit.search_audit(db, record_id="v1")] == ["print"]
    today = date.today()
    assert len(audit.search_audit(db, start=today, end=today, table="resident")) == 1
    assert audit.search_audit(db, end=date(2000, 1, 1)) == []
