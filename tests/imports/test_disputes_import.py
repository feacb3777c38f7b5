"""Disputes from Excel: parties in one cell or in columns, numbers kept or given, the register form's
rules per row, officers by name, matching by number or by day and parties, undo."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.core.vocab import DISPUTE_STATUSES
from app.imports.cells import LOST_DIGITS
from app.imports.service import undo_last, write
from db.models import Dispute, DisputeEvent, DisputeParty, MediationSession, Officer, Resident
from tests.imports.files import _simple_workbook, dispute_workbook, valid_id

HEADERS = ["纠纷编号", "来源", "纠纷类型", "发生时间", "发生地点", "当事人1", "当事人1身份证号", "当事人1电话",
           "当事人2", "当事人2身份证号", "纠纷简要情况", "当前状态", "调处经过", "责任民警"]


def _row(**given) -> list:
    values = {"纠纷编号": None, "来源": "群众来访", "纠纷类型": "邻里", "发生时间": "2024-05-06 10:20",
              "发生地点": "阳光小区3栋楼下", "当事人1": "张伟", "当事人1身份证号": None, "当事人1电话": None,
              "当事人2": "李娜", "当事人2身份证号": None, "纠纷简要情况": "张伟与李娜因停车位发生争执",
              "当前状态": None, "调处经过": None, "责任民警": None} | given
    return [values[h] for h in HEADERS]


def _disputes(db) -> list:
    d = Dispute.__table__.c
    with db.connect() as conn:
        return conn.execute(select(Dispute.__table__).where(d.deleted.is_(False)).order_by(d.occurred_at)).all()


def _parties(db, dispute_id: str) -> list:
    p = DisputeParty.__table__.c
    with db.connect() as conn:
        return conn.execute(select(DisputeParty.__table__).where(p.dispute_id == dispute_id, p.deleted.is_(False))
                            .order_by(p.created_at, p.id)).all()


def test_a_dispute_ledger_becomes_disputes_with_parties_numbered_on_this_laptop(checked, db, officer, tmp_path):
    made = dispute_workbook(tmp_path / "d.xlsx", rows=5)
    result = checked(made, "disputes")
    assert result.counts == {"rows": 5, "good": 5, "bad": 0, "matched": 0}
    write(db, result=result, officer_id=officer)
    stored = _disputes(db)
    assert len(stored) == 5
    code = db.device.short_code
    assert sorted(d.number for d in stored) == [f"2024-{code}-{n:04d}" for n in range(1, 6)]
    for (_sheet, _line, values), dispute in zip(made.rows, stored, strict=True):
        names = values["当事人"].split("、")
        parties = _parties(db, dispute.id)
        assert [(p.role, p.name) for p in parties] == [("applicant", names[0]), ("respondent", names[1])]
        assert parties[0].phone == values["联系电话"]
        # no 来源 column: 走访发现; no 责任民警 column: the officer importing; 调处结果 "已化解" is the status
        assert (dispute.source, dispute.officer_id) == ("visit", officer)
        assert DISPUTE_STATUSES[dispute.status] == values["调处结果"]
        if values["办结日期"]:
            assert dispute.settled_on.isoformat() == values["办结日期"]
        assert dispute.facts == values["纠纷简要情况"]


def test_parties_in_columns_keep_their_id_numbers_and_a_kept_number_moves_the_numbering_on(checked, db, officer,
                                                                                           tmp_path):
    code = db.device.short_code
    id_number = valid_id(7)
    rows = [_row(**{"纠纷编号": f"2024-{code}-0041", "当事人1身份证号": id_number, "当事人1电话": 13800138000.0,
                    "当前状态": "已化解", "调处经过": "2024-05-07 人民调解（主持：王警官）：双方握手言和",
                    "责任民警": "王警官"}),
            _row(**{"当事人1": "赵敏", "发生时间": datetime(2024, 6, 1, 8, 0)})]
    made = _simple_workbook(tmp_path / "d.xlsx", sheet="纠纷", title=None, headers=HEADERS, rows=rows)
    result = checked(made, "disputes")
    assert [row.problems for row in result.rows] == [[], []]
    write(db, result=result, officer_id=None)
    first, second = _disputes(db)
    assert (first.number, second.number) == (f"2024-{code}-0041", f"2024-{code}-0042")
    applicant = _parties(db, first.id)[0]
    assert (applicant.id_number, applicant.phone, applicant.gender) == (id_number, "13800138000",
                                                                        "男" if int(id_number[16]) % 2 else "女")
    assert (first.status, first.settled_on.isoformat(), first.officer_id) == ("resolved", "2024-05-07", officer)
    with db.connect() as conn:
        s = MediationSession.__table__.c
        session = conn.execute(select(MediationSession.__table__).where(s.dispute_id == first.id)).one()
        events = conn.execute(select(DisputeEvent.__table__.c.to_value).where(
            DisputeEvent.__table__.c.dispute_id == first.id).order_by(DisputeEvent.__table__.c.at)).scalars().all()
    assert (session.kind, session.host, session.record, session.held_at.astimezone().date().isoformat()) == \
        ("people", "王警官", "双方握手言和", "2024-05-07")
    assert events == ["pending", "resolved"]


def test_numbers_in_brackets_after_a_name_are_the_partys_and_free_mediation_text_is_one_session(checked, db,
                                                                                                 officer, tmp_path):
    headers = ["纠纷类型", "来源", "发生时间", "发生地点", "当事人", "纠纷简要情况", "当前状态", "办结日期", "调处结果"]
    id_number = valid_id(8)
    parties = f"张伟（{id_number}、13800138000）、某某（杭州）物业有限公司"
    row = ["物业", "网格上报", "2024-05-06 10:20", "阳光小区", parties, "张伟与物业公司因停车费发生争执", "已化解",
           "2024-05-20", "经调解，物业公司退还多收的停车费"]
    made = _simple_workbook(tmp_path / "d.xlsx", sheet="纠纷", title=None, headers=headers, rows=[row])
    result = checked(made, "disputes")
    assert result.rows[0].problems == []
    write(db, result=result, officer_id=officer)
    (dispute,) = _disputes(db)
    assert [(p.role, p.name, p.id_number, p.phone) for p in _parties(db, dispute.id)] == [
        ("applicant", "张伟", id_number, "13800138000"), ("respondent", "某某（杭州）物业有限公司", None, None)]
    s = MediationSession.__table__.c
    with db.connect() as conn:
        session = conn.execute(select(MediationSession.__table__).where(s.dispute_id == dispute.id)).one()
    assert (session.record, session.host, session.held_at.astimezone().date().isoformat()) == \
        ("经调解，物业公司退还多收的停车费", "王警官", "2024-05-20")


def test_each_bad_row_says_what_is_wrong_in_the_register_forms_words(checked, db, officer, tmp_path):
    future = (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    rows = [_row(**{"责任民警": "李警官"}),
            _row(**{"当事人1身份证号": 330106198001010013.0}),
            _row(**{"当事人2": None}),
            _row(**{"发生时间": future}),
            _row(**{"纠纷类型": "吵架"}),
            _row(**{"发生地点": None, "纠纷简要情况": "吵架"})]
    made = _simple_workbook(tmp_path / "d.xlsx", sheet="纠纷", title=None, headers=HEADERS, rows=rows)
    result = checked(made, "disputes")
    assert [row.problems for row in result.rows] == [
        ["责任民警“李警官”不是本机的民警账户（请先在账户管理中添加，或改成已有民警的姓名）"],
        [LOST_DIGITS],
        ["当事人：至少要有一名申请人和一名被申请人"],
        ["发生时间不能晚于现在"],
        ["纠纷类型：“吵架”不是可选的值（可选：邻里、家庭、婚恋情感、物业、经济债务、劳资、土地山林、交通事故、其他）"],
        ["请写明发生地点", "请写明纠纷经过：谁和谁、因为什么、发生了什么"],
    ]
    assert result.counts["good"] == 0


def test_a_stored_dispute_is_matched_by_its_number_else_by_its_day_and_parties(checked, db, officer, tmp_path):
    made = _simple_workbook(tmp_path / "d.xlsx", sheet="纠纷", title=None, headers=HEADERS, rows=[_row()])
    write(db, result=checked(made, "disputes"), officer_id=officer)
    (stored,) = _disputes(db)
    again = checked(made, "disputes")
    assert (again.rows[0].match_id, again.rows[0].action) == (stored.id, "skip")
    assert stored.number in again.rows[0].match_label and "张伟、李娜" in again.rows[0].match_label
    # the same number with the day typed differently, a new status and a third party: an update
    changed = _row(**{"纠纷编号": stored.number, "发生时间": "2024-05-06 11:00", "当前状态": "调处中",
                      "当事人2": "李娜、王芳"})
    made = _simple_workbook(tmp_path / "d2.xlsx", sheet="纠纷", title=None, headers=HEADERS, rows=[changed])
    result = checked(made, "disputes")
    assert result.rows[0].match_id == stored.id
    result.set_matched("update")
    write(db, result=result, officer_id=officer)
    (updated,) = _disputes(db)
    assert (updated.id, updated.status, updated.occurred_at.astimezone().hour) == (stored.id, "mediating", 11)
    assert [p.name for p in _parties(db, stored.id)] == ["张伟", "李娜", "王芳"]


def test_both_keeps_the_stored_dispute_and_numbers_the_new_one(checked, db, officer, tmp_path):
    made = _simple_workbook(tmp_path / "d.xlsx", sheet="纠纷", title=None, headers=HEADERS, rows=[_row()])
    write(db, result=checked(made, "disputes"), officer_id=officer)
    result = checked(made, "disputes")
    result.set_matched("both")
    write(db, result=result, officer_id=officer)
    assert sorted(d.number[-4:] for d in _disputes(db)) == ["0001", "0002"]


def test_undo_takes_back_the_disputes_and_everything_made_for_them(checked, db, officer, tmp_path):
    made = dispute_workbook(tmp_path / "d.xlsx", rows=4)
    write(db, result=checked(made, "disputes"), officer_id=officer)
    undo_last(db, officer_id=officer)
    with db.connect() as conn:
        for model in (Dispute, DisputeParty, DisputeEvent, MediationSession):
            t = model.__table__
            assert conn.execute(select(func.count()).select_from(t).where(t.c.deleted.is_(False))).scalar() == 0
        assert conn.execute(select(func.count()).select_from(Officer.__table__)).scalar() == 1


def test_a_party_with_a_residents_id_number_is_linked_to_that_resident(checked, db, officer, sample_households,
                                                                       tmp_path):
    r = Resident.__table__.c
    with db.connect() as conn:
        resident = conn.execute(select(r.id, r.id_number).where(r.name == "张伟")).one()
    rows = [_row(**{"当事人1身份证号": resident.id_number}),
            _row(**{"当事人1": "赵敏", "当事人1身份证号": valid_id(9)})]
    made = _simple_workbook(tmp_path / "d.xlsx", sheet="纠纷", title=None, headers=HEADERS, rows=rows)
    write(db, result=checked(made, "disputes"), officer_id=officer)
    linked = [_parties(db, d.id)[0].resident_id for d in _disputes(db)]
    assert sorted(linked, key=str) == sorted([resident.id, None], key=str)


def _events(db, dispute_id: str) -> list[tuple]:
    e = DisputeEvent.__table__.c
    with db.connect() as conn:
        return [tuple(row) for row in conn.execute(select(e.action, e.from_value, e.to_value).where(
            e.dispute_id == dispute_id, e.deleted.is_(False)).order_by(e.created_at, e.id))]


def _sessions(db, dispute_id: str) -> list[tuple]:
    m = MediationSession.__table__.c
    with db.connect() as conn:
        return [(row.held_at.astimezone().date().isoformat(), row.kind, row.host, row.record) for row in conn.execute(
            select(MediationSession.__table__).where(m.dispute_id == dispute_id, m.deleted.is_(False)))]


def test_an_update_brings_the_status_its_closing_day_and_sessions_as_a_status_move_would(checked, db, officer,
                                                                                        tmp_path):
    code = db.device.short_code
    number = f"2024-{code}-0007"
    first = _simple_workbook(tmp_path / "d.xlsx", sheet="纠纷", title=None, headers=HEADERS,
                             rows=[_row(**{"纠纷编号": number})])
    write(db, result=checked(first, "disputes"), officer_id=officer)
    (stored,) = _disputes(db)
    assert (stored.status, _sessions(db, stored.id)) == ("pending", [])

    def update(name: str, **given):
        made = _simple_workbook(tmp_path / name, sheet="纠纷", title=None, headers=HEADERS,
                                rows=[_row(**{"纠纷编号": number, **given})])
        result = checked(made, "disputes")
        assert [row.problems for row in result.rows] == [[]] and result.rows[0].match_id == stored.id
        result.set_matched("update")
        write(db, result=result, officer_id=officer)
        (dispute,) = _disputes(db)
        return dispute

    settled = {"当前状态": "已化解", "调处经过": "2024-05-07 人民调解（主持：王警官）：双方握手言和"}
    dispute = update("d2.xlsx", **settled)
    # pending -> resolved passes through 调处中 in the flow: allowed, and kept as one move in the history
    assert (dispute.status, dispute.settled_on.isoformat()) == ("resolved", "2024-05-07")
    assert _events(db, stored.id)[-1] == ("status", "pending", "resolved")
    assert _sessions(db, stored.id) == [("2024-05-07", "people", "王警官", "双方握手言和")]
    update("d3.xlsx", **settled)  # the same ledger read again: nothing new
    assert len(_events(db, stored.id)) == 2 and len(_sessions(db, stored.id)) == 1
    # an older ledger (still 待调处) does not move the settled case back; its other fields still apply
    dispute = update("d4.xlsx", **{"当前状态": "待调处", "纠纷简要情况": "张伟与李娜因停车位发生争执，已协商"})
    assert (dispute.status, dispute.settled_on.isoformat()) == ("resolved", "2024-05-07")
    assert dispute.facts == "张伟与李娜因停车位发生争执，已协商" and len(_events(db, stored.id)) == 2
