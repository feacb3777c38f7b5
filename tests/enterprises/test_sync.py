"""一企一警 between two laptops: every new table travels, ids derived from what records are merge, and a
file's rows are held to the forms' rules."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.enterprises.checklists import current_checklist, edit_checklist
from app.enterprises.hire_checks import HireCheckValues, add_hire_check, answer_hire_check, purge_hire_checks
from app.enterprises.inspections import inspection_record, record_inspection
from app.enterprises.liaison import LiaisonValues, RequestValues, add_liaison, add_request
from app.enterprises.notices import NoticeValues, RecheckValues, flow_state, issue_notice, record_recheck
from app.enterprises.rectifications import rectifications_of, report_done
from app.enterprises.register import add_enterprise, assign_liaison, liaison_history, update_enterprise
from app.sync.container import SyncError
from app.sync.export import _read
from app.sync.importer import import_file
from app.sync.tables import SPECS
from db.models import Enterprise, Officer, SyncConflict
from tests.enterprises.conftest import DEADLINE, INSPECTED, TODAY, enterprise_values, failing_inspection
from tests.support.sync import PASSPHRASE, Courier, dump, make_device, write_file

TABLES = ("enterprise", "liaison_assignment", "liaison_visit", "enterprise_request", "checklist", "inspection",
          "inspection_item", "rectification", "rectification_notice", "recheck", "hire_check")


@pytest.fixture
def laptops(tmp_path, _template_db):
    made = [make_device(_template_db, tmp_path, code) for code in ("A01", "B02")]
    yield made
    for db in made:
        db.close()


@pytest.fixture
def courier(tmp_path):
    return Courier(tmp_path)


def add_officers(db) -> tuple[str, str]:
    with db.session() as s:
        officer = Officer(username="jy001", name="王警官")
        admin = Officer(username="admin", name="张所长", role="admin")
        s.add_all([officer, admin])
        s.commit()
        return officer.id, admin.id


def converge(courier, a, b) -> None:
    """Files both ways, then once more: the conflicts each import kept reach the other laptop too."""
    courier.bring(b, courier.export(a))
    courier.bring(a, courier.export(b))
    courier.bring(b, courier.export(a))


def living_conflicts(db) -> list[tuple[str, str]]:
    c = SyncConflict.__table__.c
    with db.connect() as conn:
        return sorted(conn.execute(select(c.table_name, c.field).where(c.deleted.is_(False))).all())


def same_data(a, b) -> bool:
    """Equal dumps but for created_at: a row made with the same derived id on two laptops keeps each
    laptop's own insert time (app/sync/merge.py keeps the local created_at), the data is the same."""
    def rows(db):
        out = []
        for line in dump(db).decode().splitlines():
            row = json.loads(line)
            if isinstance(row, list):
                row[1], row[2] = None, row[2] or row[1]  # the wire form elides an updated_at equal to created_at
            out.append(row)
        return out

    return rows(a) == rows(b)


def counts(db) -> dict[str, int]:
    with db.connect() as conn:
        return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in TABLES}


def fill(db) -> str:
    """Something in every table of the area; returns the enterprise."""
    officer, admin = add_officers(db)
    eid = add_enterprise(db, values=enterprise_values(), liaison_officer_id=officer,
                         liaison_from=TODAY - timedelta(days=100), officer_id=officer, today=TODAY)
    visit = add_liaison(db, enterprise_id=eid, officer_id=officer, today=TODAY,
                        values=LiaisonValues("incident", TODAY, "通报警情", "吴卫东"))
    add_request(db, enterprise_id=eid, today=TODAY,
                values=RequestValues(TODAY, "停车难", TODAY + timedelta(days=10), liaison_visit_id=visit))
    edit_checklist(db, category="消防", items=["灭火器有效", "通道畅通"], officer_id=admin)
    iid = record_inspection(db, enterprise_id=eid, values=failing_inspection(), officer_id=officer, today=TODAY)
    issue_notice(db, inspection_id=iid, today=TODAY,
                 values=NoticeValues(issued_on=INSPECTED + timedelta(days=1), issuer="陈所长"))
    fixed = tuple(r.id for r in rectifications_of(db, inspection_id=iid))
    record_recheck(db, inspection_id=iid, today=TODAY, values=RecheckValues(
        rechecked_on=TODAY, inspectors=("王警官", "李警官"), opinion="均已整改", outcome="passed", fixed=fixed))
    old = add_hire_check(db, enterprise_id=eid, today=TODAY, values=HireCheckValues(
        "赵六", "11010519491231002X", "保管员", TODAY - timedelta(days=400), "本人书面同意")).id
    answer_hire_check(db, hire_check_id=old, answered_on=TODAY - timedelta(days=398), result="clear", today=TODAY)
    add_hire_check(db, enterprise_id=eid, today=TODAY, values=HireCheckValues(
        "钱七", "440524198001010013", "操作工", TODAY, "本人书面同意"))
    purge_hire_checks(db, on=TODAY)
    return eid


def test_every_table_of_the_area_travels_and_the_laptops_end_equal(laptops, courier):
    a, b = laptops
    eid = fill(a)
    courier.bring(b, courier.export(a))
    assert counts(b) == counts(a) and all(counts(b).values())
    assert dump(a) == dump(b)
    assert current_checklist(b, category="消防").items == ("灭火器有效", "通道畅通")
    iid = inspection_record(a, inspection_id=rectifications_of(a, enterprise_id=eid)[0].inspection_id).id
    assert flow_state(b, inspection_id=iid) == "recheck_passed"
    # B changes the liaison and the enterprise; A gets both back.
    with b.session() as s:
        second = Officer(username="jy002", name="李警官")
        s.add(second)
        s.commit()
    assign_liaison(b, enterprise_id=eid, liaison_officer_id=second.id, on=TODAY, today=TODAY)
    update_enterprise(b, enterprise_id=eid, values=enterprise_values(guards=9))
    converge(courier, b, a)
    assert [c.officer for c in liaison_history(a, enterprise_id=eid)] == ["王警官", "李警官"]
    assert dump(a) == dump(b) and living_conflicts(a) == []


def test_two_laptops_registering_one_firm_by_its_code_get_one_enterprise(laptops, courier):
    a, b = laptops
    first = add_enterprise(a, values=enterprise_values(guards=6), today=TODAY)
    second = add_enterprise(b, values=enterprise_values(guards=7, notes="北门"), today=TODAY)
    assert first == second
    converge(courier, a, b)
    with a.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Enterprise.__table__)).scalar() == 1
    assert same_data(a, b)
    assert living_conflicts(a) == [("enterprise", "guards"), ("enterprise", "notes")]  # for an officer to review


def test_two_laptops_issuing_a_notice_for_one_inspection_keep_one_and_the_other_number_as_a_conflict(
        laptops, courier):
    a, b = laptops
    eid = add_enterprise(a, values=enterprise_values(), today=TODAY)
    iid = record_inspection(a, enterprise_id=eid, values=failing_inspection(), today=TODAY)
    courier.bring(b, courier.export(a))
    for db in (a, b):
        issue_notice(db, inspection_id=iid, today=TODAY,
                     values=NoticeValues(issued_on=INSPECTED + timedelta(days=1), issuer="陈所长"))
    converge(courier, a, b)
    assert same_data(a, b)
    with a.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM rectification_notice").scalar() == 1
    assert [field for table, field in living_conflicts(a) if table == "rectification_notice"] == ["number"]


def test_a_report_done_on_one_laptop_and_a_recheck_on_the_other_merge_and_nothing_is_lost(laptops, courier):
    a, b = laptops
    eid = add_enterprise(a, values=enterprise_values(), today=TODAY)
    iid = record_inspection(a, enterprise_id=eid, values=failing_inspection(), today=TODAY)
    issue_notice(a, inspection_id=iid, today=TODAY,
                 values=NoticeValues(issued_on=INSPECTED + timedelta(days=1), issuer="陈所长"))
    courier.bring(b, courier.export(a))
    first = rectifications_of(a, inspection_id=iid)[0]
    report_done(a, rectification_id=first.id, done_on=DEADLINE, today=TODAY)
    fixed = tuple(r.id for r in rectifications_of(b, inspection_id=iid))
    record_recheck(b, inspection_id=iid, today=TODAY, values=RecheckValues(
        rechecked_on=TODAY, inspectors="王警官、李警官", opinion="均已整改", outcome="passed", fixed=fixed))
    converge(courier, b, a)
    assert dump(a) == dump(b)
    assert flow_state(a, inspection_id=iid) == "recheck_passed"
    # Both set the first item's done_on from the same parent: the later (the re-check's) wins and the
    # report is kept as a conflict for an officer to review.
    assert rectifications_of(a, inspection_id=iid)[0].done_on == TODAY
    assert living_conflicts(a) == [("rectification", "done_on")]


def refusal(db, path) -> str:
    before = dump(db)
    with pytest.raises(SyncError) as caught:
        import_file(db, path=path, passphrase=PASSPHRASE)
    assert dump(db) == before
    return str(caught.value)


@pytest.mark.parametrize("table, column, value, said", [
    ("enterprise", "credit_code", "91330106MA2B3C4D5Y", "校验位不对"),
    ("enterprise", "category", "bank", "不是可用的值"),
    ("inspection", "inspectors", "王警官", "检查人员至少两名"),
    ("inspection", "categories", "人防,反恐", "没有“反恐”这类检查"),
    ("hire_check", "id_number", "110105194912310021", "校验码不对"),
    ("hire_check", "result", "有前科", "不是可用的值"),
    ("recheck", "outcome", "maybe", "不是可用的值"),
    ("liaison_visit", "kind", "chat", "不是可用的值"),
    ("rectification_notice", "deadline", (INSPECTED + timedelta(days=1)).isoformat(), "改正期限应晚于下发日期"),
    ("checklist", "version", 7, "版本号与记录标识不符"),
])
def test_a_file_is_held_to_the_forms_rules(laptops, courier, tmp_path, table, column, value, said):
    a, b = laptops
    fill(a)
    rows = _read(a, full=True, progress=lambda *_: None).rows
    if table == "hire_check":  # the one kept in full (the other was purged)
        n = next(i for i, row in enumerate(rows[table]) if row[SPECS[table].index["id_hash"]] is None)
    else:
        n = 0
    if table == "enterprise" and column == "credit_code" and rows[table][n][SPECS[table].index[column]] == value:
        value = value[:-1] + "1"
    rows[table][n][SPECS[table].index[column]] = value
    write_file(tmp_path / "f.cpsync", rows)
    message = refusal(b, tmp_path / "f.cpsync")
    assert message.startswith(f"同步文件有误：{table} 行 ") and f"字段 {column}：" in message, message
    assert said in message, message



