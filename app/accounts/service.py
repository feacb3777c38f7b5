"""Logging in, the first admin of a station, and the accounts an admin manages.

A station's database is encrypted (db/cipher.py) with a random key wrapped per account in
the keyring beside it (app/accounts/keyring.py). Logging in unwraps the key with the
officer's password, opens the database and makes that officer the author of every write
(``db.officer_id``). A plain database (made before encryption, or by tests) is logged into
with the password hash and converted once, after a backup. See docs/security.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from app.accounts.keyring import RECOVERY, WRONG, Keyring, keyring_path, new_database_key, new_recovery_code
from app.accounts.lockout import Lockout, WrongPassword
from app.accounts.passwords import check_new_password, hash_password, verify_password
from app.audit import log as audit
from app.core.errors import UserError
from app.core.vocab import OFFICER_ROLES
from app.sync.station import check_name, found
from db import cipher
from db.base import new_id
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


def station_state(db_path: Path) -> str:
    """``new`` (no database yet), ``plain`` (not encrypted yet), ``encrypted``, or ``no_keys``
    (encrypted, but the keyring beside it is missing)."""
    db_path = Path(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return "new"
    if cipher.is_plain(db_path):
        return "plain"
    return "encrypted" if keyring_path(db_path).exists() else "no_keys"


def needs_first_admin(db_path: Path) -> bool:
    """Must the first start make the station's admin (``create_station``)? Yes when there is
    no database yet, or a plain one (older version, demo data) with no account that has a
    password; otherwise the program asks to log in."""
    state = station_state(db_path)
    if state != "plain":
        return state == "new"
    db = Database.open(db_path)
    try:
        return not _accounts(db)
    finally:
        db.close()


def create_station(db_path: Path, *, username: str, name: str, password: str,
                   station: str | None = "") -> Login:
    """First start: make the encrypted database (or convert a plain one without accounts)
    with its first admin. Returns the login and the recovery code to write down.

    ``station``: the name of the station (派出所) this founds, "" unnamed; None founds none, and
    the database joins the station of the first file imported (``cpdesk init``)."""
    username = _check_username(username)
    name = _check_name(name)
    check_new_password(password)
    station = None if station is None else check_name(station, required=False)
    state = station_state(db_path)
    if state not in ("new", "plain"):
        raise UserError("这个数据库已经有管理员账户")
    key = new_database_key()
    if state == "plain":
        db = Database.open(db_path)
        try:
            if _accounts(db):
                raise UserError("这个数据库已经有账户，请用已有账户登录")
        finally:
            db.close()
    # The keyring is saved before the file is encrypted: a crash in between must never leave
    # an encrypted file whose key was only in memory (beside a plain file it does no harm).
    officer_id = new_id()
    code = _new_keyring(db_path, key, username=username, password=password, officer_id=officer_id)
    if state == "plain":
        _encrypt_plain(db_path, key)
    cipher.unlock(db_path, key)
    db = Database.open(db_path, create=True)
    with db.session() as session:
        session.add(Officer(id=officer_id, username=username, name=name, role="admin",
                            password_hash=hash_password(password)))
        session.commit()
    if station is not None:  # a converted plain database keeps the station it has
        found(db, name=station, keep_existing=True)
    return _logged_in(db, officer_id, recovery_code=code, pending=[])


def encrypt_with_password(db_path: Path, *, username: str, password: str) -> str:
    """Give ``username`` of a plain database (the demo station's admin) ``password`` and encrypt
    the file; returns the recovery code."""
    check_new_password(password)
    if station_state(db_path) != "plain":
        raise UserError("只能加密尚未加密的数据库")
    db = Database.open(db_path)
    try:
        officer = _officer(db, username)
        if officer is None:
            raise UserError(f"没有账户 {username}")
        with db.session(officer_id=officer.id) as session:
            session.get(Officer, officer.id).password_hash = hash_password(password)
            session.commit()
        officer_id = officer.id
    finally:
        db.close()
    key = new_database_key()
    code = _new_keyring(db_path, key, username=username, password=password, officer_id=officer_id)
    _encrypt_plain(db_path, key)  # after the keyring is saved (see create_station)
    return code


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
    officer = _officer(db, username)
    if officer is None or not officer.active:
        db.close()
        raise UserError("账户已停用，请联系所领导")
    return _logged_in(db, officer.id, pending=lockout)


def _log_in_plain(db_path: Path, username: str, password: str, lockout: Lockout) -> Login:
    """A database from before encryption: check the synced hash, then encrypt it once."""
    def check() -> str:
        db = Database.open(db_path)
        try:
            officer = _officer(db, username)
        finally:
            db.close()
        if officer is None or not verify_password(officer.password_hash, password):
            raise WrongPassword(WRONG)
        if not officer.active:
            raise UserError("账户已停用，请联系所领导")
        return officer.id

    officer_id = lockout.attempt(username, check)
    key = new_database_key()
    code = _new_keyring(db_path, key, username=username, password=password, officer_id=officer_id)
    _encrypt_plain(db_path, key)  # after the keyring is saved (see create_station)
    cipher.unlock(db_path, key)
    db = Database.open(db_path)
    return _logged_in(db, officer_id, recovery_code=code, pending=lockout)


def unlock_again(db: Database, password: str, *, now: Callable[[], float] = time.time) -> None:
    """After an idle lock: only the officer who was working may go on (UserError otherwise)."""
    account = current_account(db)
    keyring = Keyring.load(db.path)

    def check() -> None:
        if keyring.has(account.username):
            keyring.unwrap(account.username, password)
        elif not verify_password(_officer(db, account.username).password_hash, password):
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
    officer = _officer(db, username.strip().lower())
    if officer is None:
        db.close()
        raise UserError(f"没有账户 {username}")
    _set_password(db, officer.id, new_password, keyring=keyring, key=key)
    audit.record(db, "account", officer_id=officer.id, table="officer", record_id=officer.id, change="用恢复码重设密码")
    return _logged_in(db, officer.id, pending=Lockout(db_path).succeeded(officer.username))


# --- what an admin does -------------------------------------------------------------------

def list_accounts(db: Database) -> list[Account]:
    keyring = Keyring.load(db.path)
    plain = cipher.is_plain(db.path)
    with db.session() as session:
        officers = session.exec(select(Officer).where(Officer.deleted.is_(False)).order_by(Officer.username))
        return [_account(o, enrolled=plain or keyring.has(o.username)) for o in officers]


def create_account(db: Database, *, username: str, name: str, role: str, password: str,
                   badge_no: str | None = None) -> Account:
    _require_admin(db)
    username, name = _check_username(username), _check_name(name)
    if role not in OFFICER_ROLES:
        raise UserError(f"未知的身份：{role}")
    if _officer(db, username) is not None:
        raise UserError(f"用户名 {username} 已被使用")
    check_new_password(password)
    with db.session() as session:
        officer = Officer(username=username, name=name, role=role, badge_no=badge_no or None,
                          password_hash=hash_password(password))
        session.add(officer)
        session.commit()
    _wrap_for(db, username, password, officer.id)
    return _account(officer, enrolled=True)


def reset_password(db: Database, officer_id: str, new_password: str) -> None:
    """An admin sets a new password (the officer changes it himself afterwards)."""
    _require_admin(db)
    _set_password(db, officer_id, new_password)
    audit.record(db, "account", table="officer", record_id=officer_id, change="重设密码")


def change_password(db: Database, old_password: str, new_password: str) -> None:
    account = current_account(db)
    if not verify_password(_officer(db, account.username).password_hash, old_password):
        raise UserError("原密码不正确")
    _set_password(db, account.id, new_password)
    audit.record(db, "account", table="officer", record_id=account.id, change="修改密码")


def set_active(db: Database, officer_id: str, active: bool) -> None:
    """Disable or enable an account; its history stays (accounts are never deleted)."""
    _require_admin(db)
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
    _require_admin(db)
    officer = _officer(db, username.strip().lower())
    if officer is None or not officer.active:
        raise UserError(f"没有可用的账户 {username}")
    if not verify_password(officer.password_hash, password):
        raise UserError("密码与该账户不符")
    _wrap_for(db, officer.username, password, officer.id)
    audit.record(db, "account", table="officer", record_id=officer.id, change="在本机启用")
    return _account(officer, enrolled=True)


def current_account(db: Database) -> Account:
    with db.session() as session:
        officer = session.get(Officer, db.officer_id) if db.officer_id else None
        if officer is None:
            raise UserError("没有登录")
        return _account(officer, enrolled=True)


# --- helpers ------------------------------------------------------------------------------

def _logged_in(db: Database, officer_id: str, *, pending: list[dict] | Lockout,
               recovery_code: str | None = None) -> Login:
    """``pending``: failures to log, or the lockout keeping them (forgotten there once logged)."""
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


def _new_keyring(db_path: Path, key: bytes, *, username: str, password: str, officer_id: str) -> str:
    keyring = Keyring(keyring_path(db_path), {})
    keyring.wrap(username, password, key, officer_id=officer_id)
    code = new_recovery_code()
    keyring.wrap(RECOVERY, code, key, officer_id=None)
    keyring.save()
    return code


def _encrypt_plain(db_path: Path, key: bytes) -> None:
    """Convert a plain database in place: backup first, then an encrypted copy replaces it,
    and the plain backups beside it are encrypted too (they hold the same personal data)."""
    import os

    from db.backup import list_backups, make_backup

    make_backup(db_path, reason="before-encryption")
    for plain in [db_path, *list_backups(db_path)]:
        if not cipher.is_plain(plain):
            continue
        staged = plain.with_name(plain.name + ".encrypting")
        staged.unlink(missing_ok=True)
        try:
            cipher.encrypt_copy(plain, staged, key)
        except cipher.ERRORS:
            staged.unlink(missing_ok=True)
            if plain == db_path:
                raise
            continue  # a damaged file kept aside by a restore: left as it was, never a reason to refuse
        os.replace(staged, plain)
        for suffix in ("-wal", "-shm"):
            Path(f"{plain}{suffix}").unlink(missing_ok=True)


def _wrap_for(db: Database, username: str, password: str, officer_id: str) -> None:
    key = cipher.key_for(db.path)
    if key is None:  # a plain database: the password hash alone guards it
        return
    keyring = Keyring.load(db.path)
    keyring.wrap(username, password, key, officer_id=officer_id)
    keyring.save()


def _set_password(db: Database, officer_id: str, password: str, *, keyring: Keyring | None = None,
                  key: bytes | None = None) -> None:
    check_new_password(password)
    with db.session() as session:
        officer = session.get(Officer, officer_id)
        if officer is None:
            raise UserError("没有这个账户")
        officer.password_hash = hash_password(password)
        session.commit()
        username = officer.username
    key = key or cipher.key_for(db.path)
    if key is not None:
        keyring = keyring or Keyring.load(db.path)
        keyring.wrap(username, password, key, officer_id=officer_id)
        keyring.save()


def _require_admin(db: Database) -> None:
    if not current_account(db).is_admin:
        raise UserError("只有所领导（管理员）可以管理账户")


def _officer(db: Database, username: str) -> Officer | None:
    with db.session() as session:
        return session.exec(select(Officer).where(Officer.username == username, Officer.deleted.is_(False))).first()


def _accounts(db: Database) -> int:
    with db.session() as session:
        return len(session.exec(select(Officer.id).where(Officer.password_hash.is_not(None))).all())


def _account(officer: Officer, *, enrolled: bool) -> Account:
    return Account(id=officer.id, username=officer.username, name=officer.name, role=officer.role,
                   active=officer.active, enrolled=enrolled)


def _check_username(username: str) -> str:
    username = username.strip().lower()
    if not 2 <= len(username) <= 32 or not set(username) <= USERNAME_CHARS:
        raise UserError("用户名为 2–32 位小写字母、数字或 _ . -")
    return username


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 32:
        raise UserError("请填写姓名（不超过 32 个字）")
    return name
