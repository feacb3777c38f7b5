"""The patrol rules an admin edits: points per hour and per finding, star thresholds, rest, training."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.core.errors import UserError
from app.core.records import refuse_first
from app.patrol.common import SETTINGS_MADE_AT, audit, derived_id, insert_rows
from app.patrol.eligibility import Rules
from db.engine import Database
from db.models import PatrolSetting

# name -> (default, lowest, highest, what the admin's table calls it)
DEFAULTS: dict[str, tuple[float, float, float, str]] = {
    "per_hour": (10, 0, 1000, "每小时积分"),
    "leader_multiplier": (1.5, 1, 5, "小组长积分倍数"),
    "finding": (5, 0, 1000, "每条巡逻发现积分"),
    "dispute_settled": (20, 0, 1000, "协助化解一起纠纷积分"),
    "star_1": (50, 1, 1_000_000, "一星积分"),
    "star_2": (150, 1, 1_000_000, "二星积分"),
    "star_3": (300, 1, 1_000_000, "三星积分"),
    "star_4": (600, 1, 1_000_000, "四星积分"),
    "star_5": (1000, 1, 1_000_000, "五星积分"),
    "min_rest_hours": (12, 0, 24, "两班之间至少休息（小时）"),
    "train_first": (1, 0, 1, "培训后才能排班（1 是，0 否）"),
    "inactive_days": (60, 7, 365, "多少天未排班算不活跃"),
}
STARS = ("star_1", "star_2", "star_3", "star_4", "star_5")
STAR_NAMES = ("", "一星", "二星", "三星", "四星", "五星")
S = PatrolSetting.__table__.c


@dataclass(frozen=True)
class PatrolSettings:
    values: dict[str, float]

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    @property
    def rules(self) -> Rules:
        return Rules(min_rest=timedelta(hours=self["min_rest_hours"]), train_first=bool(self["train_first"]))

    def stars(self, points: float) -> int:
        """0 (none) to 5: the highest threshold reached."""
        return sum(points >= self[name] for name in STARS)


def setting_problems(name: str, value: float) -> dict[str, str]:
    if name not in DEFAULTS:
        return {"name": f"没有这项规则：{name}"}
    _default, low, high, label = DEFAULTS[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return {"value": f"{label}应为数字"}
    if not low <= value <= high:
        return {"value": f"{label}应在 {low:g} 到 {high:g} 之间"}
    if name == "train_first" and value not in (0, 1):
        return {"value": f"{label}只能是 1 或 0"}
    return {}


def read_settings(conn) -> PatrolSettings:
    values = {name: default for name, (default, *_rest) in DEFAULTS.items()}
    for name, value in conn.execute(select(S.name, S.value).where(S.deleted.is_(False)).order_by(S.hlc)):
        if name in values and not setting_problems(name, value):
            values[name] = value
    return PatrolSettings(values)


def patrol_settings(db: Database) -> PatrolSettings:
    with db.connect() as conn:
        return read_settings(conn)


def set_setting(db: Database, *, name: str, value: float, officer_id: str | None = None) -> None:
    """Change one rule; star thresholds must stay in rising order."""
    refuse_first(setting_problems(name, value))
    current = patrol_settings(db)
    if name in STARS:
        stars = [value if star == name else current[star] for star in STARS]
        if any(a >= b for a, b in zip(stars, stars[1:])):
            raise UserError("星级积分应逐级升高：一星 < 二星 < 三星 < 四星 < 五星")
    row_id = derived_id("patrol_setting", name)  # one row per rule on every laptop
    with db.session(officer_id=officer_id) as session:
        row = session.get(PatrolSetting, row_id)
        if row is None:
            insert_rows(session, db, PatrolSetting.__table__, [{"id": row_id, "name": name, "value": float(value)}],
                        officer_id=officer_id, made_at=[SETTINGS_MADE_AT])
            audit(session, action="create", table="patrol_setting", record_id=row_id, officer_id=officer_id)
        else:
            row.value, row.deleted = float(value), False
        session.commit()
