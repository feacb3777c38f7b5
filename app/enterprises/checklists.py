"""Inspection checklists per category (人防/物防/技防/消防/储存管理), edited by an admin and versioned.

Version 1 of every category is built in (``BUILT_IN``); each admin edit stores the next version
as a row whose id is derived from (category, version), so the same version made on two laptops
merges by sync. An inspection copies the wording of its items and notes the version, so an old
record keeps the items it was made with whatever the checklist says today."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.core.errors import UserError
from app.core.records import refuse_first
from app.core.vocab import HAZARDOUS_CATEGORIES, INSPECTION_CATEGORIES
from app.enterprises.common import derived_id
from db.engine import Database
from db.models import Checklist, Officer

ITEM_LIMIT = 100  # inspection_item.item
MAX_ITEMS = 40
STORAGE = "储存管理"

BUILT_IN: dict[str, tuple[str, ...]] = {
    "人防": (
        "设立治安保卫机构或配备专（兼）职治安保卫人员",
        "门卫制度落实，人员、车辆出入登记",
        "值班制度落实，有值班记录",
        "巡查制度落实，巡查记录完整",
        "治安保卫人员和员工安全防范培训",
        "重要部位确定并有专人负责",
    ),
    "物防": (
        "大门、出入口设施完好",
        "周界围墙、围栏完好",
        "重要部位防盗门、防护栏、锁具完好",
        "财务室保险柜、文件柜及存放管理",
    ),
    "技防": (
        "视频监控覆盖出入口、周界和重要部位",
        "视频监控运行正常，图像清晰",
        "录像保存不少于30天",
        "入侵报警装置运行正常并与报警中心联网",
        "出入口控制（门禁）系统运行正常",
    ),
    "消防": (
        "消防器材配置齐全并在有效期内",
        "疏散通道、安全出口畅通",
        "应急照明、疏散指示标志完好",
        "消防设施定期检查维护，有记录",
        "用火用电安全，无私拉乱接",
    ),
    STORAGE: (
        "出入库检查、登记制度落实",
        "账物相符",
        "有指定的专人保管",
        "双人保管",
        "双人领用",
        "双锁管理",
        "双账管理",
        "双人验收",
    ),
}


@dataclass(frozen=True)
class ChecklistVersion:
    category: str
    version: int
    items: tuple[str, ...]
    edited_by: str  # "" for the built-in version
    edited_at: datetime | None  # None for the built-in version


def default_categories(enterprise_category: str) -> tuple[str, ...]:
    """What an inspection of such an enterprise covers by default: all four, and the storage rules
    for 涉爆/涉危化."""
    return tuple(c for c in INSPECTION_CATEGORIES if c != STORAGE or enterprise_category in HAZARDOUS_CATEGORIES)


def _built_in(category: str) -> ChecklistVersion:
    return ChecklistVersion(category, 1, BUILT_IN[category], "", None)


def _stored(conn, category: str) -> list[ChecklistVersion]:
    c, o = Checklist.__table__.c, Officer.__table__.c
    query = (select(c.version, c["items"], c.created_at, o.name)
             .outerjoin(Officer.__table__, o.id == c.updated_by)
             .where(c.category == category, c.deleted.is_(False)).order_by(c.version.desc()))
    return [ChecklistVersion(category, r.version, tuple(r._mapping["items"]), r.name or "", r.created_at)
            for r in conn.execute(query)]


def _known(category: str) -> None:
    if category not in INSPECTION_CATEGORIES:
        raise UserError(f"没有“{category}”这类检查")


def current_checklist(db: Database, *, category: str) -> ChecklistVersion:
    """The newest version of a category's checklist."""
    _known(category)
    with db.connect() as conn:
        stored = _stored(conn, category)
    return stored[0] if stored else _built_in(category)


def current_checklists(db: Database) -> dict[str, ChecklistVersion]:
    """Every category's newest checklist, in the categories' order (what the inspection form fills in)."""
    with db.connect() as conn:
        return {category: next(iter(_stored(conn, category)), None) or _built_in(category)
                for category in INSPECTION_CATEGORIES}


def checklist_history(db: Database, *, category: str) -> list[ChecklistVersion]:
    """Every version of a category's checklist, newest first, the built-in one last."""
    _known(category)
    with db.connect() as conn:
        return [*_stored(conn, category), _built_in(category)]


def checklist_problems(*, category: str, items: Sequence[str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if category not in INSPECTION_CATEGORIES:
        problems["category"] = "请选择检查类别"
    cleaned = [" ".join(item.split()) for item in items]
    if not any(cleaned):
        problems["items"] = "清单至少要有一个检查项目"
    elif len(cleaned) > MAX_ITEMS:
        problems["items"] = f"一份清单最多{MAX_ITEMS}个项目"
    elif any(not item for item in cleaned):
        problems["items"] = "检查项目不能为空行"
    elif any(len(item) > ITEM_LIMIT for item in cleaned):
        problems["items"] = f"每个检查项目最多{ITEM_LIMIT}个字"
    elif len(set(cleaned)) != len(cleaned):
        problems["items"] = "检查项目有重复"
    return problems


def edit_checklist(db: Database, *, category: str, items: Sequence[str],
                   officer_id: str | None = None) -> ChecklistVersion:
    """An admin's new version of a category's checklist (inspections already recorded keep theirs)."""
    refuse_first(checklist_problems(category=category, items=items))
    editor = officer_id or db.officer_id
    cleaned = tuple(" ".join(item.split()) for item in items)
    with db.session(officer_id=editor) as session:
        officer = session.get(Officer, editor) if editor else None
        if officer is None or officer.deleted or officer.role != "admin":
            raise UserError("只有所领导（管理员）可以修改检查清单")
        stored = _stored(session.connection(), category)
        current = stored[0] if stored else _built_in(category)
        if cleaned == current.items:
            raise UserError(f"“{category}”清单没有改动")
        version = current.version + 1
        row = Checklist(id=derived_id("checklist", category, str(version)), category=category, version=version,
                        items=list(cleaned))
        session.add(row)
        session.commit()
        return ChecklistVersion(category, version, cleaned, officer.name, row.created_at)
