"""An account as the program sees it, who is logged in, and the checks every account operation shares.

Logging in makes an officer the author of every write (``db.officer_id``); ``begin_session`` is the
one place that happens, whichever way the officer got in (password, first start, recovery code).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlmodel import select

from app.accounts.lockout import Lockout
from app.audit import log as audit
from app.core.errors import UserError
from app.core.vocab import OFFICER_ROLES
from db.engine import Database
from db.models import Officer

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_.-")


@dataclass(frozen=True)
class Account:
    id: str
    username: str
    name: str
    role: str
    active: bool
    enrolled: bool  # can log in on this laptop

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_label(self) -> str:
        return OFFICER_ROLES.get(self.role, self.role)


@dataclass
class Login:
    db: Database
    officer: Account
    recovery_code: str | None = None  # shown once, when this login made the station's keyring


def current_account(db: Database) -> Account:
    with db.session() as session:
        officer = session.get(Officer, db.officer_id) if db.officer_id else None
        if officer is None:
            raise UserError("没有登录")
        return as_account(officer, enrolled=True)


def begin_session(db: Database, officer_id: str, *, pending: list[dict] | Lockout,
                  recovery_code: str | None = None) -> Login:
    """Make ``officer_id`` the author of ``db``'s writes and log the login.

    ``pending``: failures to log, or the lockout keeping them (forgotten there once logged)."""
    failures = pending.pending() if isinstance(pending, Lockout) else pending
    for failure in failures:  # failures and refusals while the database was shut, by nobody logged in
        audit.record(db, "login_failed", officer_id=None, username=failure["username"],
                     at=time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(failure["at"])),
                     **({"locked": True} if failure.get("locked") else {}),
                     **({"refused": failure["refused"]} if failure.get("refused") else {}))
    if isinstance(pending, Lockout):
        pending.forget(failures)
    db.officer_id = officer_id
    audit.record(db, "login", table="officer", record_id=officer_id)
    return Login(db=db, officer=current_account(db), recovery_code=recovery_code)


def require_admin(db: Database) -> None:
    if not current_account(db).is_admin:
        raise UserError("只有所领导（管理员）可以管理账户")


def find_officer(db: Database, username: str) -> Officer | None:
    with db.session() as session:
        return session.exec(select(Officer).where(Officer.username == username, Officer.deleted.is_(False))).first()


def accounts_with_password(db: Database) -> int:
    with db.session() as session:
        return len(session.exec(select(Officer.id).where(Officer.password_hash.is_not(None))).all())


def as_account(officer: Officer, *, enrolled: bool) -> Account:
    return Account(id=officer.id, username=officer.username, name=officer.name, role=officer.role,
                   active=officer.active, enrolled=enrolled)


def check_username(username: str) -> str:
    username = username.strip().lower()
    if not 2 <= len(username) <= 32 or not set(username) <= USERNAME_CHARS:
        raise UserError("用户名为 2–32 位小写字母、数字或 _ . -")
    return username


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 32:
        raise UserError("请填写姓名（不超过 32 个字）")
    return name
