"""What an admin does with accounts (list, create, reset, disable, enroll on this laptop), and an
officer changing his own password. Accounts are never deleted: their history stays."""

from __future__ import annotations

from sqlmodel import select

from app.accounts.account import (
    Account,
    as_account,
    check_name,
    check_username,
    current_account,
    find_officer,
    require_admin,
)
from app.accounts.encryption import set_password, wrap_for
from app.accounts.keyring import Keyring
from app.accounts.passwords import check_new_password, hash_password, verify_password
from app.audit import log as audit
from app.core.errors import UserError
from app.core.vocab import OFFICER_ROLES
from db import cipher
from db.engine import Database
from db.models import Officer


def list_accounts(db: Database) -> list[Account]:
    keyring = Keyring.load(db.path)
    plain = cipher.is_plain(db.path)
    with db.session() as session:
        officers = session.exec(select(Officer).where(Officer.deleted.is_(False)).order_by(Officer.username))
        return [as_account(o, enrolled=plain or keyring.has(o.username)) for o in officers]


def create_account(db: Database, *, username: str, name: str, role: str, password: str,
                   badge_no: str | None = None) -> Account:
    require_admin(db)
    username, name = check_username(username), check_name(name)
    if role not in OFFICER_ROLES:
        raise UserError(f"未知的身份：{role}")
    if find_officer(db, username) is not None:
        raise UserError(f"用户名 {username} 已被使用")
    check_new_password(password)
    with db.session() as session:
        officer = Officer(username=username, name=name, role=role, badge_no=badge_no or None,
                          password_hash=hash_password(password))
        session.add(officer)
        session.commit()
    wrap_for(db, username, password, officer.id)
    return as_account(officer, enrolled=True)


def reset_password(db: Database, officer_id: str, new_password: str) -> None:
    """An admin sets a new password (the officer changes it himself afterwards)."""
    require_admin(db)
    set_password(db, officer_id, new_password)
    audit.record(db, "account", table="officer", record_id=officer_id, change="重设密码")


def change_password(db: Database, old_password: str, new_password: str) -> None:
    account = current_account(db)
    if not verify_password(find_officer(db, account.username).password_hash, old_password):
        raise UserError("原密码不正确")
    set_password(db, account.id, new_password)
    audit.record(db, "account", table="officer", record_id=account.id, change="修改密码")


def set_active(db: Database, officer_id: str, active: bool) -> None:
    """Disable or enable an account; its history stays (accounts are never deleted)."""
    require_admin(db)
    if officer_id == db.officer_id and not active:
        raise UserError("不能停用自己的账户")
    with db.session() as session:
        officer = session.get(Officer, officer_id)
        officer.active = active
        session.commit()
        if not active:  # it can no longer open this laptop's database
            keyring = Keyring.load(db.path)
            keyring.remove(officer.username)
            keyring.save() if keyring.exists() else None


def enroll(db: Database, username: str, password: str) -> Account:
    """Give an account that arrived by sync access to this laptop: the officer types his own
    password, checked against the synced hash, while an admin is logged in."""
    require_admin(db)
    officer = find_officer(db, username.strip().lower())
    if officer is None or not officer.active:
        raise UserError(f"没有可用的账户 {username}")
    if not verify_password(officer.password_hash, password):
        raise UserError("密码与该账户不符")
    wrap_for(db, officer.username, password, officer.id)
    audit.record(db, "account", table="officer", record_id=officer.id, change="在本机启用")
    return as_account(officer, enrolled=True)
