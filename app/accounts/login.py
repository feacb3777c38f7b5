"""Getting in: logging in with a password, unlocking after an idle lock, and a recovery code
for a forgotten password.

Logging in unwraps the database key with the officer's password and opens the database as
that officer. A plain database (made before encryption, or by tests) is logged into with the
password hash and converted once, after a backup. Every attempt goes through the lockout, so
guesses made at once are each counted. See docs/security.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from app.accounts.account import Login, begin_session, current_account, find_officer
from app.accounts.encryption import encrypt_plain, new_keyring, set_password
from app.accounts.first_start import station_state
from app.accounts.keyring import RECOVERY, WRONG, Keyring, keyring_path, new_database_key
from app.accounts.lockout import Lockout, WrongPassword
from app.accounts.passwords import check_new_password, verify_password
from app.audit import log as audit
from app.core.errors import UserError
from db import cipher
from db.engine import Database


def log_in(db_path: Path, username: str, password: str, *, now: Callable[[], float] = time.time) -> Login:
    """Open the station as ``username``; a wrong password or a locked account raises UserError.
    The password is tried in the lockout's turn, so attempts made at once are each counted."""
    username = username.strip().lower()
    state = station_state(db_path)
    if state == "new":
        raise UserError("数据库还不存在，请先创建管理员账户")
    if state == "no_keys":
        raise UserError(f"找不到密钥文件 {keyring_path(db_path).name}，请从备份恢复或联系所领导")
    lockout = Lockout(db_path, now=now)
    if state == "plain":
        return _log_in_plain(db_path, username, password, lockout)
    keyring = Keyring.load(db_path)
    key = lockout.attempt(username, lambda: keyring.unwrap(username, password))
    cipher.unlock(db_path, key)
    db = Database.open(db_path)
    officer = find_officer(db, username)
    if officer is None or not officer.active:
        db.close()
        raise UserError("账户已停用，请联系所领导")
    return begin_session(db, officer.id, pending=lockout)


def _log_in_plain(db_path: Path, username: str, password: str, lockout: Lockout) -> Login:
    """A database from before encryption: check the synced hash, then encrypt it once."""
    def check() -> str:
        db = Database.open(db_path)
        try:
            officer = find_officer(db, username)
        finally:
            db.close()
        if officer is None or not verify_password(officer.password_hash, password):
            raise WrongPassword(WRONG)
        if not officer.active:
            raise UserError("账户已停用，请联系所领导")
        return officer.id

    officer_id = lockout.attempt(username, check)
    key = new_database_key()
    code = new_keyring(db_path, key, username=username, password=password, officer_id=officer_id)
    encrypt_plain(db_path, key)  # after the keyring is saved (see new_keyring)
    cipher.unlock(db_path, key)
    db = Database.open(db_path)
    return begin_session(db, officer_id, recovery_code=code, pending=lockout)


def unlock_again(db: Database, password: str, *, now: Callable[[], float] = time.time) -> None:
    """After an idle lock: only the officer who was working may go on (UserError otherwise)."""
    account = current_account(db)
    keyring = Keyring.load(db.path)

    def check() -> None:
        if keyring.has(account.username):
            keyring.unwrap(account.username, password)
        elif not verify_password(find_officer(db, account.username).password_hash, password):
            raise WrongPassword("密码错误")

    try:
        Lockout(db.path, now=now).attempt(account.username, check, remember=False)
    except WrongPassword:
        audit.record(db, "login_failed", table="officer", record_id=account.id, during="解锁")
        raise UserError("密码错误") from None
    audit.record(db, "unlock", table="officer", record_id=account.id)


def record_lock(db: Database) -> None:
    audit.record(db, "lock", table="officer", record_id=db.officer_id)


def recover(db_path: Path, *, code: str, username: str, new_password: str) -> Login:
    """A forgotten password: the recovery code from the station safe sets a new one."""
    check_new_password(new_password)
    keyring = Keyring.load(db_path)
    try:
        key = keyring.unwrap(RECOVERY, code.strip().upper())
    except UserError as exc:
        raise UserError("恢复码不正确") from exc
    cipher.unlock(db_path, key)
    db = Database.open(db_path)
    officer = find_officer(db, username.strip().lower())
    if officer is None:
        db.close()
        raise UserError(f"没有账户 {username}")
    set_password(db, officer.id, new_password, keyring=keyring, key=key)
    audit.record(db, "account", officer_id=officer.id, table="officer", record_id=officer.id, change="用恢复码重设密码")
    return begin_session(db, officer.id, pending=Lockout(db_path).succeeded(officer.username))
