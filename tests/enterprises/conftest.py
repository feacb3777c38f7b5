"""Fixtures of the 一企一警 tests: officers, a registered enterprise, a failed inspection."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.validation import uscc_check_char
from app.enterprises.inspections import InspectionValues, ItemValues, record_inspection
from app.enterprises.register import EnterpriseValues, add_enterprise
from db.models import Officer

TODAY = date.today()
INSPECTED = TODAY - timedelta(days=40)  # a failed inspection's day: its deadlines have passed by today
DEADLINE = INSPECTED + timedelta(days=15)
LATER = INSPECTED + timedelta(days=30)  # the second failed item's own deadline


def credit_code(first17: str = "91330106MA2B3C4D5") -> str:
    """A 统一社会信用代码 that passes the GB 32100 check."""
    return first17 + uscc_check_char(first17)


def enterprise_values(**overrides) -> EnterpriseValues:
    values = dict(name="杭州恒信化工有限公司", credit_code=credit_code(), category="chemicals",
                  address="杭州市西湖区文三路100号", industry="化工", legal_rep="周建国", phone="13800138000",
                  security_head="吴卫东", security_phone="0571-87654321", employees=120, guards=6,
                  tags=("涉危化", "重点单位"), notes="危化品仓库在厂区北侧")
    values.update(overrides)
    return EnterpriseValues(**values)


def failing_inspection(**overrides) -> InspectionValues:
    """Two failures: one due on the record's deadline, one with its own later deadline."""
    items = [
        ItemValues("人防", "值班制度落实，有值班记录", "fail", "夜间值班记录缺失", checklist_version=1),
        ItemValues("人防", "巡查制度落实，巡查记录完整", checklist_version=1),
        ItemValues("技防", "录像保存不少于30天", "fail", "录像仅保存7天", deadline=LATER, checklist_version=1),
        ItemValues("技防", "出入口控制（门禁）系统运行正常", "na", "无门禁系统", checklist_version=1),
    ]
    values = dict(inspected_on=INSPECTED, inspectors=("王警官", "李警官"), categories=("人防", "技防"), items=items,
                  result="issues", opinion="责令限期整改，逾期不改依法处理", present="吴卫东（保卫科长）",
                  signer="周建国", deadline=DEADLINE)
    values.update(overrides)
    return InspectionValues(**values)


@pytest.fixture
def second_officer(db) -> str:
    with db.session() as s:
        row = Officer(username="jy002", name="李警官", police_room="阳光社区警务室")
        s.add(row)
        s.commit()
        return row.id


@pytest.fixture
def admin(db) -> str:
    with db.session() as s:
        row = Officer(username="admin", name="张所长", role="admin")
        s.add(row)
        s.commit()
        return row.id


@pytest.fixture
def enterprise(db, officer) -> str:
    return add_enterprise(db, values=enterprise_values(), liaison_officer_id=officer,
                          liaison_from=TODAY - timedelta(days=400), officer_id=officer, today=TODAY)


@pytest.fixture
def failed_inspection(db, officer, enterprise) -> str:
    return record_inspection(db, enterprise_id=enterprise, values=failing_inspection(), officer_id=officer,
                             today=TODAY)
