"""Mediation sessions and agreements: checks, numbering, settling the dispute, and the printed 协议书."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.core.errors import UserError
from app.disputes.agreement_pdf import agreement_sheet, chinese_number, render_agreement, unprintable
from app.disputes.mediation import (
    AgreementValues,
    SessionValues,
    add_session,
    agreement_copies,
    agreement_defaults,
    agreement_document,
    agreement_problems,
    create_agreement,
    find_agreement,
)
from app.disputes.register import PartyValues
from db.models import Agreement, AuditEntry, Dispute, DisputeEvent
from tests.support.disputes import NOW, TODAY, applicant, register, respondent

TERMS = ["李四保证晚十点后不再制造噪音。", "李四于三日内赔偿张三墙面修复费人民币二千元。", "双方今后互相谅解，和睦相处。"]
# Nothing left to do after signing: terms an agreement performed on the spot may have.
SPOT_TERMS = ["李四当场赔偿张三墙面修复费人民币二千元。", "李四保证晚十点后不再制造噪音。",
              "合伙关系自签订之日起解除。"]


def _agreement(**overrides) -> AgreementValues:
    values = dict(kind="people", facts="李四家夜间噪音扰民，双方发生口角。", issues="噪音扰民及赔偿", terms=list(TERMS),
                  performance="promised", deadline=TODAY + timedelta(days=3), copies=3, signed_on=TODAY)
    values.update(overrides)
    return AgreementValues(**values)


def _session(**overrides) -> SessionValues:
    values = dict(held_at=NOW - timedelta(hours=2), kind="people", place="阳光社区警务室", host="王警官",
                  mediators="王警官、赵调解员", attendees="张三、李四", record="双方陈述意见，达成和解意向。")
    values.update(overrides)
    return SessionValues(**values)


def pdf_text(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


def test_a_session_moves_a_pending_dispute_into_mediation(db, officer):
    dispute = register(db, occurred_at=NOW - timedelta(days=1))
    add_session(db, dispute_id=dispute.id, values=_session(), officer_id=officer)
    with db.session() as s:
        assert s.get(Dispute, dispute.id).status == "mediating"
        event = s.execute(select(DisputeEvent).where(DisputeEvent.action == "status")).scalar_one()
    assert (event.from_value, event.to_value, event.reason) == ("pending", "mediating", "人民调解：组织调解")
    with pytest.raises(UserError, match="主持人"):
        add_session(db, dispute_id=dispute.id, values=_session(host=""))
    with pytest.raises(UserError, match="早于纠纷发生"):
        add_session(db, dispute_id=dispute.id, values=_session(held_at=NOW - timedelta(days=5)))


@pytest.mark.parametrize(("change", "field"), [
    ({"terms": [" ", ""]}, "terms"), ({"facts": ""}, "facts"), ({"issues": ""}, "issues"),
    ({"deadline": None}, "deadline"), ({"deadline": TODAY - timedelta(days=1)}, "deadline"),
    ({"copies": 2}, "copies"), ({"copies": 4}, "copies"), ({"signed_on": TODAY + timedelta(days=1)}, "signed_on"),
    ({"kind": "x"}, "kind"), ({"performance": ""}, "performance"),
])
def test_agreement_problems(change, field):
    assert field in agreement_problems(_agreement(**change), parties=2, today=TODAY)
    assert agreement_problems(_agreement(), parties=2, today=TODAY) == {}
    assert agreement_problems(_agreement(performance="on_the_spot", deadline=None, terms=SPOT_TERMS), parties=2,
                              today=TODAY) == {}


def test_the_performance_has_no_default_and_must_be_chosen():
    assert AgreementValues().performance == ""
    problems = agreement_problems(_agreement(performance="", deadline=None), parties=2, today=TODAY)
    assert problems["performance"] == "请选择履行方式"


@pytest.mark.parametrize(("term", "words"), [
    ("李四于三日内加装接水槽。", "三日内"), ("李四3日内加装接水槽。", "3日内"), ("一周内清理楼道杂物。", "一周内"),
    ("10天内付清修理费。", "10天内"), ("一个月内搬离。", "一个月内"), ("本月底前一次性支付拖欠工资。", "月底前"),
    ("春节之前还清借款。", "之前"), ("十二月前完成维修。", "前完成"), ("履行期限另行约定。", "期限"),
    ("2026年12月1日交付钥匙。", "2026年12月1日"), ("分三期偿还借款。", "分三期"), ("于12月1日归还车辆。", "12月1日"),
])
def test_a_term_with_a_deadline_is_refused_under_on_the_spot_performance(term, words):
    values = _agreement(performance="on_the_spot", deadline=None, terms=["双方今后和睦相处。", term])
    problem = agreement_problems(values, parties=2, today=TODAY)["performance"]
    assert f"“{words}”" in problem and "承诺履行" in problem
    promised = _agreement(performance="promised", deadline=TODAY + timedelta(days=30), terms=[term])
    assert agreement_problems(promised, parties=2, today=TODAY) == {}


def test_saving_an_on_the_spot_agreement_with_a_deadline_term_is_refused(db):
    dispute = register(db)
    with pytest.raises(UserError, match="三日内"):
        create_agreement(db, dispute_id=dispute.id, values=_agreement(performance="on_the_spot", deadline=None),
                         today=TODAY)
    with db.session() as s:
        assert s.get(Dispute, dispute.id).status == "pending"


def test_an_agreement_is_made_in_a_copy_per_party_and_one_kept():
    assert [agreement_copies(n) for n in (2, 3, 5)] == [3, 4, 6]


def test_an_agreement_is_numbered_and_settles_the_dispute(db, officer):
    dispute = register(db)
    saved = create_agreement(db, dispute_id=dispute.id, values=_agreement(), officer_id=officer, today=TODAY)
    assert saved.number == f"{TODAY.year}-{db.device.short_code}-T0001"
    assert find_agreement(db, saved.number) == saved.id == find_agreement(db, saved.id)
    with db.session() as s:
        row = s.get(Dispute, dispute.id)
        moves = [(e.from_value, e.to_value) for e in s.execute(
            select(DisputeEvent).where(DisputeEvent.action == "status").order_by(DisputeEvent.at)).scalars()]
    assert (row.status, row.settled_on) == ("resolved", TODAY)
    assert moves == [("pending", "mediating"), ("mediating", "resolved")]  # mediated on the spot
    second = create_agreement(db, dispute_id=dispute.id, values=_agreement(), today=TODAY)
    assert second.number.endswith("-T0002")
    with pytest.raises(UserError, match="没有这份"):
        find_agreement(db, "2026-X00-T9999")


def test_an_agreement_needs_both_sides(db):
    dispute = register(db)
    with db.session() as s:
        s.get(Dispute, dispute.id).status = "mediating"
        from db.models import DisputeParty

        for party in s.execute(select(DisputeParty).where(DisputeParty.role == "respondent")).scalars():
            party.deleted = True
        s.commit()
    with pytest.raises(UserError, match="双方当事人"):
        create_agreement(db, dispute_id=dispute.id, values=_agreement(), today=TODAY)


def test_defaults_come_from_the_dispute_and_its_last_session(db):
    dispute = register(db, occurred_at=NOW - timedelta(days=1))
    add_session(db, dispute_id=dispute.id, values=_session(kind="security"))
    values = agreement_defaults(db, dispute.id, today=TODAY)
    assert (values.kind, values.copies, values.signed_on, values.performance) == ("security", 3, TODAY, "")
    assert values.facts.startswith("张三反映") and values.issues == "邻里纠纷的处理"


def test_the_people_agreement_pdf_has_the_parties_and_every_term_in_order(db, community):
    dispute = register(db, community_id=community, occurred_at=NOW - timedelta(days=1))
    add_session(db, dispute_id=dispute.id, values=_session())
    saved = create_agreement(db, dispute_id=dispute.id, values=_agreement(), today=TODAY)
    doc = agreement_document(db, saved.id)
    assert (doc.body, doc.host, doc.mediators) == ("阳光社区人民调解委员会", "王警官", ["王警官", "赵调解员"])
    text = pdf_text(render_agreement(doc))
    for expected in ("人民调解协议书", f"编号：{saved.number}", "张三", "李四", "11010519491231002X", "13800138000",
                     "阳光花园3栋2单元401室", "纠纷主要事实、争议事项", "经调解，双方自愿达成如下协议：", "履行方式和期限",
                     "承诺履行", "本协议一式三份", "申请人（签名）", "被申请人（签名）", "捺印", "人民调解员（签名）",
                     "阳光社区人民调解委员会（盖章）"):
        assert expected in text, expected
    positions = [text.index(f"{chinese_number(i)}、{term}") for i, term in enumerate(TERMS, 1)]
    assert positions == sorted(positions)


def test_the_security_agreement_names_host_place_and_the_legal_effect(db, community):
    parties = [applicant("张三"), respondent("李四"), PartyValues(role="third_party", name="物业服务中心")]
    dispute = register(db, community_id=community, parties=parties, occurred_at=NOW - timedelta(days=1))
    add_session(db, dispute_id=dispute.id, values=_session(kind="security"))
    saved = create_agreement(db, dispute_id=dispute.id, values=_agreement(
        kind="security", performance="on_the_spot", deadline=None, terms=SPOT_TERMS, copies=None), today=TODAY)
    with db.session() as s:
        assert s.get(Agreement, saved.id).copies == 4  # three parties, and the police keep one
    text = pdf_text(render_agreement(agreement_document(db, saved.id)))
    for expected in ("治安调解协议书", "阳光社区警务室", "主持人：王警官", "调解地点：阳光社区警务室", "物业服务中心",
                     "经调解，各方自愿达成如下协议", "当场履行", "公安机关", "一式四份", "调解人（签名）", "第三人（签名）"):
        assert expected in text, expected


def test_an_older_record_of_three_copies_for_three_parties_prints_four(db, community):
    parties = [applicant("张三"), respondent("李四"), PartyValues(role="third_party", name="物业服务中心")]
    dispute = register(db, community_id=community, parties=parties)
    saved = create_agreement(db, dispute_id=dispute.id, values=_agreement(copies=None), today=TODAY)
    with db.session() as s:
        s.get(Agreement, saved.id).copies = 3  # as the demo and the old form wrote it
        s.commit()
    text = pdf_text(render_agreement(agreement_document(db, saved.id)))
    assert "本协议一式四份，当事人各执一份" in text and "一式三份" not in text


def test_rare_characters_the_font_lacks_are_reported(db):
    dispute = register(db, parties=[applicant("𠮷田"), respondent("李四")])
    saved = create_agreement(db, dispute_id=dispute.id, values=_agreement(), today=TODAY)
    assert unprintable(agreement_document(db, saved.id)) == ["𠮷"]


def test_the_document_is_one_rendered_shape_and_saving_it_is_audited(db, tmp_path):
    from app.output.pdf import save_document

    dispute = register(db)
    saved = create_agreement(db, dispute_id=dispute.id, values=_agreement(), today=TODAY)
    rendered = agreement_sheet(db, agreement_id=saved.number.lower())  # the number as read off the paper
    assert rendered.audit == ("agreement", saved.id, "人民调解协议书") and rendered.pages >= 1
    assert rendered.suggested_name == f"人民调解协议书-{saved.number}.pdf" and rendered.missing == []
    save_document(db, rendered, tmp_path / "协议书.pdf")
    with db.session() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "pdf")).scalar_one()
    assert (entry.table_name, entry.record_id) == ("agreement", saved.id)
    assert entry.detail == {"document": "人民调解协议书", "file": str(tmp_path / "协议书.pdf"), "pages": rendered.pages}
    assert (tmp_path / "协议书.pdf").read_bytes() == rendered.pdf


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 12, 20, 25)] == ["一", "九", "十", "十二", "二十", "二十五"]


def test_an_agreement_signed_on_the_evening_of_the_dispute_settles_it_after_it_happened(db):
    from datetime import datetime, time

    evening = datetime.combine(TODAY - timedelta(days=2), time(21)).astimezone()
    dispute = register(db, occurred_at=evening)
    values = _agreement(signed_on=evening.date(), deadline=TODAY)
    create_agreement(db, dispute_id=dispute.id, values=values, today=TODAY)
    with db.session() as s:
        assert s.get(Dispute, dispute.id).settled_on == evening.date()
    with pytest.raises(UserError, match="早于纠纷发生日期"):
        create_agreement(db, dispute_id=dispute.id, values=_agreement(signed_on=evening.date() - timedelta(days=1)),
                         today=TODAY)
