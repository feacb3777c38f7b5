"""This laptop's identity: the short code that goes into case and agreement numbers."""

from __future__ import annotations

import re

from sqlmodel import Session

from app.errors import UserError
from db.engine import Database
from db.models import LocalDevice

_CODE = re.compile(r"^[A-Z]\d{2}$")


def set_short_code(db: Database, *, code: str) -> None:
    """Give this laptop the code the station assigned it (first start picks one at random,
    and two laptops with one code would hand out the same case numbers).

    Numbers already handed out keep their old code; new ones use the new code.
    """
    code = code.strip().upper()
    if not _CODE.match(code):
        raise UserError(f"本机编号应为1个字母加2位数字，如 A03：{code}")
    with Session(db.engine) as session:  # a local table: nothing to stamp or sync
        device = session.get(LocalDevice, db.device.id)
        device.short_code = code
        session.commit()
    db.device.short_code = code
