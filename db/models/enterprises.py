"""Enterprise liaison (一企一警): enterprises, liaison officers and visits, requests, checklists,
inspections with their items, rectifications with notices and re-checks, hire identity checks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Index
from sqlmodel import Field

from db.base import SyncedTable


class Enterprise(SyncedTable, table=True):
    __tablename__ = "enterprise"

    name: str = Field(max_length=100, index=True)
    # 统一社会信用代码; unique among living enterprises (the service refuses a second one). Not in SQL:
    # two laptops may register the same firm before they sync (its id is then derived from the code).
    credit_code: str | None = Field(default=None, max_length=18, index=True)
    category: str = Field(default="general", max_length=16)  # app.core.vocab.ENTERPRISE_CATEGORIES
    address: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=32)  # 行业
    legal_rep: str | None = Field(default=None, max_length=32)
    phone: str | None = Field(default=None, max_length=20)  # the enterprise's (or its legal representative's)
    security_head: str | None = Field(default=None, max_length=32)  # 保卫负责人
    security_phone: str | None = Field(default=None, max_length=20)
    employees: int | None = None  # 职工人数
    guards: int | None = None  # 保安（护卫）人数
    community_id: str | None = Field(default=None, foreign_key="community.id", index=True)
    # 包企民警 now; every change is a LiaisonAssignment row with its date.
    liaison_officer_id: str | None = Field(default=None, foreign_key="officer.id", index=True)
    tags: str = Field(default="", max_length=200)  # comma-separated
    notes: str | None = None


class LiaisonAssignment(SyncedTable, table=True):
    """One change of an enterprise's 包企民警 (officer_id None: nobody from that day)."""

    __tablename__ = "liaison_assignment"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    assigned_on: date
    notes: str | None = Field(default=None, max_length=200)


class LiaisonVisit(SyncedTable, table=True):
    """A 警企联络 entry: what kind, when, what was said (notes), whom the officer met (contact)."""

    __tablename__ = "liaison_visit"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    visited_on: date
    officer_id: str | None = Field(default=None, foreign_key="officer.id")
    kind: str | None = Field(default=None, max_length=16)  # app.core.vocab.LIAISON_KINDS (none on older rows)
    contact: str | None = Field(default=None, max_length=100)  # people met
    notes: str | None = None  # content


class EnterpriseRequest(SyncedTable, table=True):
    """An enterprise's 诉求, tracked to an answer by its due date."""

    __tablename__ = "enterprise_request"
    # the 工作台's worklist (0012)
    __table_args__ = (Index("ix_enterprise_request_open_due", "answered_on", "due_on", "raised_on", "id"),)

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    raised_on: date
    content: str
    due_on: date = Field(index=True)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")  # who answers
    liaison_visit_id: str | None = Field(default=None, foreign_key="liaison_visit.id")
    answered_on: date | None = None
    answer: str | None = None


class Checklist(SyncedTable, table=True):
    """One version of one category's checklist as an admin edited it; the id is derived from
    (category, version), so two laptops' same version merge instead of doubling."""

    __tablename__ = "checklist"

    category: str = Field(max_length=8, index=True)  # app.core.vocab.INSPECTION_CATEGORIES
    version: int
    items: list = Field(default_factory=list, sa_type=JSON)  # the items' wording, in order


class Inspection(SyncedTable, table=True):
    __tablename__ = "inspection"
    __table_args__ = (Index("ix_inspection_last", "enterprise_id", "deleted", "inspected_on"),)  # 最近检查 sort (0012)

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    inspected_on: date = Field(index=True)
    officer_id: str | None = Field(default=None, foreign_key="officer.id")  # who recorded it
    inspectors: str = Field(default="", max_length=100)  # 检查人员, "、"-separated (at least two)
    categories: str = Field(default="", max_length=60)  # comma-separated INSPECTION_CATEGORIES covered
    present: str | None = Field(default=None, max_length=100)  # the enterprise's people present
    signer: str | None = Field(default=None, max_length=32)  # who signs for the enterprise
    result: str = Field(default="passed", max_length=16)  # passed/issues: 合格/不合格
    opinion: str | None = None  # 整改或处罚意见
    notes: str | None = None


class InspectionItem(SyncedTable, table=True):
    __tablename__ = "inspection_item"

    inspection_id: str = Field(foreign_key="inspection.id", index=True)
    category: str = Field(max_length=8)  # app.core.vocab.INSPECTION_CATEGORIES
    item: str = Field(max_length=100)
    passed: bool = True
    applicable: bool = True  # False: 不适用
    remark: str | None = None
    position: int = 0  # order on the record
    checklist_version: int | None = None  # of the category's checklist it came from


class Rectification(SyncedTable, table=True):
    __tablename__ = "rectification"
    # the 工作台's worklist (0012)
    __table_args__ = (Index("ix_rectification_open_deadline", "done_on", "closed_on", "deadline"),)

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    inspection_id: str | None = Field(default=None, foreign_key="inspection.id", index=True)
    item_id: str | None = Field(default=None, foreign_key="inspection_item.id")
    problem: str
    deadline: date = Field(index=True)
    done_on: date | None = None  # reported or seen put right
    verified: bool = False  # confirmed at the re-check
    verified_by: str | None = Field(default=None, foreign_key="officer.id")
    closed_on: date | None = None  # the re-check that ended it (passed, or handed to enforcement)


class RectificationNotice(SyncedTable, table=True):
    """责令限期整改通知书 of one inspection (its id derived from the inspection's)."""

    __tablename__ = "rectification_notice"

    inspection_id: str = Field(foreign_key="inspection.id", index=True)
    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    number: str = Field(max_length=24, index=True)  # 2026-A03-Z0001
    addressee: str = Field(max_length=100)
    issued_on: date
    deadline: date
    issuer: str = Field(max_length=32)  # 签发人
    delivered_on: date | None = None  # 送达日期 (the stub)
    receiver: str | None = Field(default=None, max_length=32)  # who signed for it


class Recheck(SyncedTable, table=True):
    """复查 of a notice, with its 复查意见书 (id derived from the inspection's)."""

    __tablename__ = "recheck"
    __table_args__ = (Index("ix_recheck_notice_living", "notice_id", "deleted"),)  # the 工作台's worklist (0012)

    inspection_id: str = Field(foreign_key="inspection.id", index=True)
    notice_id: str = Field(foreign_key="rectification_notice.id", index=True)
    number: str = Field(max_length=24, index=True)  # 2026-A03-F0001
    rechecked_on: date
    inspectors: str = Field(max_length=100)
    opinion: str
    outcome: str = Field(max_length=16)  # passed/enforcement: 复查通过 / 逾期未改，转执法办案


class HireCheck(SyncedTable, table=True):
    """招工身份核查: the request and the coarse answer only. After ``keep_until`` the ID number is
    masked to its last four and ``id_hash`` keeps a salted hash for spotting the same person again."""

    __tablename__ = "hire_check"

    enterprise_id: str = Field(foreign_key="enterprise.id", index=True)
    name: str = Field(max_length=32)
    id_number: str = Field(max_length=18, index=True)
    phone: str | None = Field(default=None, max_length=20)
    job: str | None = Field(default=None, max_length=32)
    requested_on: date | None = None  # none on older rows
    basis: str | None = Field(default=None, max_length=100)  # legal basis or the applicant's consent
    checked_on: date | None = None  # answered on
    result: str | None = Field(default=None, max_length=16)  # clear/flagged/referred; None until answered
    officer_id: str | None = Field(default=None, foreign_key="officer.id")  # who answered
    notes: str | None = None  # internal, never printed for the enterprise
    keep_until: date | None = Field(default=None, index=True)
    id_hash: str | None = Field(default=None, max_length=100)  # "salt$hash" once purged
