"""Bringing this laptop's stamps back to the present once its clock is right again.

A laptop whose clock was set ahead (400 days, say) stamps its changes in the future. The
others refuse its files (app/sync/importer.py refuses stamps more than a day ahead), and as a
clock never stamps below what is stored, it went on stamping in the future after the clock
was corrected: stranded for as long as the clock had been wrong.

The repair re-stamps the top run of the stamps stored (the highest first) that are this
laptop's own, more than ``AHEAD_MS`` ahead of its clock, and that no other laptop can hold:

* never exported (above this laptop's last export's cut-off): nobody else has seen them;
* exported, but still more than a day ahead: every laptop with a right clock refused those
  files. The files are void; the next export sends everything (app/sync/export.py starts
  over when its last cut-off is above all that is stored), and the station must import it.

The run stops at the first stamp that is not so (another laptop's, or one this laptop
exported within a day of the time, which others may have taken). Its lowest stamps stay too
when they cannot come back below what stays (ones just above an export made before the clock
was set back): the rest goes above them. The new stamps are at the
present, above every other stamp stored and in the old order, so every comparison among the
stamps this database holds (the merge, the conflicts, the export's cut-off) comes out as
before. What the changes say (values, who, ``created_at``/``updated_at`` as the laptop's
clock read then) stays. The audit log's entries keep what they say too: only their stamps
move (the append-only triggers are lifted for that statement inside the repair's transaction)
and this laptop's hash chain, which covers the stamps, is linked again from the first one moved.
A stamp of another laptop that is far ahead cannot be repaired here; the report names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from db.engine import Database
from db.hlc import wall_ms
from db.stamping import TOP_STAMP_SQL, seed_from_storage

# More than ordinary drift: an hour catches a wrong time zone (8 h) as well as a wrong year.
AHEAD_MS = 3600 * 1000


@dataclass(frozen=True)
class ClockRepair:
    """What ``repair_future_stamps`` did: nothing (``restamped == 0``) unless the clock had been ahead."""

    restamped: int = 0  # stamps brought back
    rows: int = 0  # rows rewritten
    days_ahead: int = 0  # how far ahead the newest one was
    void_files: tuple[str, ...] = ()  # exports made while ahead: refused everywhere, now void
    stuck_on: str | None = None  # a laptop whose stamps far ahead are stored here and stay
    stuck_days: int = 0
    moved: dict[str, str] = field(default_factory=dict, repr=False)  # old stamp -> new

    @property
    def full_export_next(self) -> bool:
        return bool(self.void_files)

    @property
    def message(self) -> str:
        """What to tell the officer ("" when there is nothing to say)."""
        parts = []
        if self.restamped:
            parts.append(f"本机时钟曾超前约 {self.days_ahead} 天：那时的 {self.restamped} 处改动已改记为现在的时间，"
                         "内容没有变化，可以照常同步")
        if self.void_files:
            parts.append(f"时钟错误期间导出的同步包已作废，请勿再导入（{'、'.join(self.void_files)}）；"
                         "本机下次导出将是完整导出，请派出所主机导入它")
        if self.stuck_on:
            parts.append(f"本机存有设备 {self.stuck_on} 超前约 {self.stuck_days} 天的时间戳，无法在本机改回，"
                         "本机导出的同步包会被其他电脑拒收：请先校准该设备的时钟，再联系所领导处理")
        return "；".join(parts)


def repair_future_stamps(db: Database, *, wall: Callable[[], int] = wall_ms) -> ClockRepair:
    """Re-stamp this laptop's own stamps that are ahead of its (now right) clock; see the module doc."""
    now = wall()
    threshold = f"{now + AHEAD_MS:012x}-ffff-ffffffffffff"  # every stamp above it is ahead
    with db.connect() as conn:  # the common case: one look, nothing ahead
        top = conn.exec_driver_sql(TOP_STAMP_SQL).scalar()
    if not top or top <= threshold:
        return ClockRepair()
    from app.sync.restamp import Plan  # the sync machinery only when there is work for it

    with db.engine.begin() as conn:
        seed_from_storage(conn, db.clock)  # the write lock first: what is read below stays true
        repair = Plan(conn, db, now, threshold).apply()
        db.clock.rebase(conn.exec_driver_sql(TOP_STAMP_SQL).scalar())  # before anyone else may write
    return repair
