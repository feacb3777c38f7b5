"""This laptop's identity: the short code that goes into case and agreement numbers, and its name.

A short code belongs to one laptop for good: two laptops with one code would hand out the same
numbers. An import refuses a file from a laptop whose code is this laptop's, or another known
laptop's (``check_sender``); the station then re-codes one of them (``set_short_code``). Numbers
already printed keep their old code; new ones use the new code (docs/stations.md).
"""

from __future__ import annotations

import platform
import re

from sqlmodel import Session

from app.core.errors import UserError
from db.engine import Database
from db.models import LocalDevice

_CODE = re.compile(r"^[A-Z]\d{2}$")
MAX_NAME = 64

# The code each other laptop used in the newest file imported from it.
_HOLDERS = """
SELECT device_id, device_code, device_name FROM sync_log AS s
WHERE direction = 'import' AND device_id != ? AND device_id != ?
  AND id = (SELECT max(id) FROM sync_log WHERE direction = 'import' AND device_id = s.device_id)
  AND device_code = ?
"""


def set_short_code(db: Database, *, code: str) -> None:
    """Give this laptop the code the station assigned it (first start picks one at random).

    Numbers already handed out keep their old code; new ones use the new code. A code another
    laptop is known to use is refused."""
    code = code.strip().upper()
    if not _CODE.match(code):
        raise UserError(f"本机编号应为1个字母加2位数字，如 A03：{code}")
    if code == db.device.short_code:
        return
    with db.connect() as conn:
        holder = conn.exec_driver_sql(_HOLDERS, (db.device.id, db.device.id, code)).first()
    if holder is not None:
        raise UserError(f"编号 {code} 已是另一台电脑{_laptop(holder[0], holder[2])}的编号，请换一个")
    with Session(db.engine) as session:  # a local table: nothing to stamp or sync
        device = session.get(LocalDevice, db.device.id)
        device.short_code = code
        session.commit()
    db.device.short_code = code


def set_name(db: Database, *, name: str) -> None:
    """A name people recognise the laptop by (王警官的笔记本), carried in its sync files."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UserError(f"电脑名称应为 1–{MAX_NAME} 个字")
    with Session(db.engine) as session:
        session.get(LocalDevice, db.device.id).name = name
        session.commit()
    db.device.name = name


def device_name(db: Database) -> str:
    """The name set with ``cpdesk device --name``, else the computer's own name."""
    return (db.device.name or platform.node() or "")[:MAX_NAME]


def check_sender(db: Database, *, device_id: str, code: str, name: str | None) -> None:
    """Refuse a file from a laptop whose short code clashes (SyncError, one line naming it)."""
    from app.sync.container import SyncError

    if device_id == db.device.id:
        return
    sender = f"设备 {code}{_laptop(device_id, name)}"
    fix = "：请用 cpdesk device --code 给其中一台换个编号（已打印的编号不变）后重新完整导出，没有导入任何数据"
    if code == db.device.short_code:
        raise SyncError("device_code", f"同步包来自{sender}，与本机编号相同{fix}")
    with db.connect() as conn:
        holder = conn.exec_driver_sql(_HOLDERS, (device_id, db.device.id, code)).first()
    if holder is not None:
        raise SyncError("device_code", f"同步包来自{sender}，而编号 {code} 已是另一台电脑"
                                       f"{_laptop(holder[0], holder[2])}的编号{fix}")


def _laptop(device_id: str, name: str | None) -> str:
    """（设备ID前 8 位，名称）: how a message names a laptop."""
    return f"（{device_id[:8]}，{name}）" if name else f"（{device_id[:8]}）"


def is_valid_name(name) -> bool:
    return name is None or (isinstance(name, str) and len(name) <= MAX_NAME
                            and not any(ord(c) < 32 or ord(c) == 127 for c in name))
