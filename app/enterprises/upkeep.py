"""Start-up housekeeping of 一企一警 (app/areas.py ``upkeep``): hire checks kept past their keep-until
day lose their ID number (the last four and a salted hash stay, app.enterprises.hire_checks)."""

from __future__ import annotations

from datetime import date

from app.enterprises.hire_checks import purge_hire_checks
from db.engine import Database


def purge_expired(db: Database, *, on: date) -> str:
    """Purge the hire checks whose keep-until day is before ``on``; what was done, in words ("" for nothing).
    Each purged row is in the audit trail (its changed fields, never the number) by the stamping hook."""
    count = purge_hire_checks(db, on=on)
    return f"已按保存期限隐去 {count} 条招工身份核查的身份证号（保留后四位）" if count else ""
