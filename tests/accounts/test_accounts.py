"""Accounts: hashed passwords, slowing down and locking out guessers, a database key per account,
an encrypted file that leaks nothing, and ways back in (enrolment, recovery code)."""

from __future__ import annotations

import sqlite3

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from app.accounts import lockout as lockout_module
from app.accounts.first_start import create_station
from app.accounts.keyring import Keyring, keyring_path
from app.accounts.lockout import Lockout
from app.accounts.login import log_in, recover, unlock_again
from app.accounts.manage import create_account, enroll, list_accounts, set_active
from app.accounts.passwords import hash_password, verify_password
from app.audit import log as audit
from app.core.errors import UserError
from db import cipher
from db.backup import list_backups
from db.engine import Database
from db.models import Community, Household, Resident

ID_NUMBER, PHONE = "330102200001010018", "13957112345"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch):
    """Argon2 at test cost (the real cost, ~0.15 s a call, is measured in tests/bench)."""
    from app.accounts import keyring, passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(keyring, "default_kdf",
                        lambda: {"name": "argon2id", "memory_kib": 1024, "iterations": 1, "lanes": 1})
    yield
    cipher._keys.clear()


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def station(tmp_path):
    path = tmp_path / "station.sqlite3"
    login = create_station(path, username="admin", name="张所长", password="admin123")
    create_account(login.db, username="wang", name="王警官", role="officer", password="wang1234")
    with login.db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="阳光花园", building="2", room="101", head_name="张伟")
        s.add(household)
        s.flush()
        s.add(Resident(household_id=household.id, name="张伟", id_number=ID_NUMBER, phone=PHONE))
        s.commit()
    login.db.close()
    cipher._keys.clear()  # as after the program ends
    return path


def test_a_password_hash_is_argon2id_and_checks_only_the_right_password():
    stored = hash_password("wang1234")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "wang1234") and not verify_password(stored, "wang12345")
    assert not verify_password(None, "") and not verify_password("garbage", "wang1234")


@pytest.mark.parametrize("weak", ["short1", "12345678", "abcdefgh"])
def test_weak_passwords_are_refused_with_a_reason(weak):
    with pytest.raises(UserError, match="密码"):
        hash_password(weak)


def test_repeated_failures_slow_down_then_lock_for_a_while(tmp_path):
    clock, path = Clock(), tmp_path / "x.sqlite3"
    lockout = Lockout(path, now=clock)
    for _ in range(lockout_module.FREE_FAILURES):
        lockout.failed("wang")
        lockout.check("wang")  # typing mistakes: no wait
    waits = []
    for _ in range(lockout_module.FREE_FAILURES, lockout_module.LOCK_AFTER):
        lockout.failed("wang")
        waits.append(lockout.wait_seconds("wang"))
        clock.t += waits[-1]
    assert waits[:-1] == sorted(waits[:-1]) and waits[0] > 0  # each wait longer than the last
    assert waits[-1] == lockout_module.LOCK_SECONDS
    clock.t -= 1
    with pytest.raises(UserError, match="锁定"):
        Lockout(path, now=clock).check("wang")  # kept across restarts of the program
    clock.t += 1
    Lockout(path, now=clock).check("wang")  # the lock has run out
    assert lockout.wait_seconds("li") == 0  # other accounts are not affected


def test_each_account_unwraps_the_same_database_key_and_a_wrong_password_fails_cleanly(station):
    keyring = Keyring.load(station)
    assert keyring.unwrap("admin", "admin123") == keyring.unwrap("wang", "wang1234")
    with pytest.raises(UserError, match="用户名或密码错误"):
        keyring.unwrap("wang", "admin123")
    with pytest.raises(UserError, match="用户名或密码错误"):
        keyring.unwrap("nobody", "admin123")


def test_logging_in_opens_the_database_as_that_officer(station):
    login = log_in(station, "Wang ", "wang1234")
    assert (login.officer.name, login.db.officer_id) == ("王警官", login.officer.id)
    assert [r.action for r in audit.search_audit(login.db, officer_id=login.officer.id)][:1] == ["login"]
    login.db.close()


def test_a_wrong_password_is_refused_then_logged_at_the_next_login(station):
    clock = Clock()
    with pytest.raises(UserError, match="用户名或密码错误"):
        log_in(station, "wang", "wrong123", now=clock)
    login = log_in(station, "wang", "wang1234", now=clock)
    [failed] = audit.search_audit(login.db, action="login_failed")
    assert failed.detail["username"] == "wang" and failed.officer == ""  # nobody was logged in
    login.db.close()


def test_a_locked_account_is_refused_even_with_the_right_password(station):
    clock = Clock()
    for _ in range(lockout_module.LOCK_AFTER):
        with pytest.raises(UserError):
            log_in(station, "wang", "wrong123", now=clock)
        clock.t += lockout_module.MAX_DELAY
    with pytest.raises(UserError, match="锁定"):
        log_in(station, "wang", "wang1234", now=clock)


def test_the_encrypted_file_holds_no_id_number_or_phone_and_no_sqlite_header(station):
    data = station.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for secret in (ID_NUMBER, PHONE, "张伟"):
        assert secret.encode() not in data
    assert b"admin123" not in keyring_path(station).read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(station).execute("SELECT * FROM resident").fetchall()


def test_the_encrypted_database_cannot_be_opened_without_logging_in(station):
    from db.errors import StorageError

    with pytest.raises(StorageError, match="请先登录"):
        Database.open(station)


def test_a_plain_database_is_converted_once_after_a_backup_and_its_backups_too(db_path, tmp_path):
    from db.models import Officer

    db = Database.open(db_path)
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="阳光花园", building="2", room="101", head_name="李娜")
        s.add(household)
        s.flush()
        s.add(Resident(household_id=household.id, name="李娜", id_number=ID_NUMBER, phone=PHONE))
        s.add(Officer(username="admin", name="张所长", role="admin", password_hash=hash_password("admin123")))
        s.commit()
    db.close()
    login = log_in(db_path, "admin", "admin123")
    assert login.recovery_code  # the keyring was made now: the code is shown once
    login.db.close()
    assert not cipher.is_plain(db_path) and ID_NUMBER.encode() not in db_path.read_bytes()
    backups = list_backups(db_path)
    assert backups and all(not cipher.is_plain(b) and ID_NUMBER.encode() not in b.read_bytes() for b in backups)
    cipher._keys.clear()
    again = log_in(db_path, "admin", "admin123")
    assert again.recovery_code is None
    again.db.close()


def test_an_account_that_arrived_by_sync_is_enrolled_here_by_an_admin(station):
    login = log_in(station, "admin", "admin123")
    keyring = Keyring.load(station)
    keyring.remove("wang")  # as on a laptop that got wang's account from a sync file
    keyring.save()
    assert [a.enrolled for a in list_accounts(login.db) if a.username == "wang"] == [False]
    with pytest.raises(UserError, match="密码与该账户不符"):
        enroll(login.db, "wang", "guess1234")
    enroll(login.db, "wang", "wang1234")
    login.db.close()
    cipher._keys.clear()
    log_in(station, "wang", "wang1234").db.close()


def test_a_forgotten_password_is_reset_with_the_recovery_code_without_losing_data(tmp_path):
    path = tmp_path / "s.sqlite3"
    first = create_station(path, username="admin", name="张所长", password="admin123")
    code = first.recovery_code
    first.db.close()
    cipher._keys.clear()
    with pytest.raises(UserError, match="恢复码不正确"):
        recover(path, code="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", username="admin", new_password="new12345")
    login = recover(path, code=code.lower(), username="admin", new_password="new12345")
    assert login.officer.username == "admin"
    login.db.close()
    cipher._keys.clear()
    log_in(path, "admin", "new12345").db.close()


def test_only_an_admin_manages_accounts_and_a_disabled_account_cannot_log_in(station):
    officer = log_in(station, "wang", "wang1234")
    with pytest.raises(UserError, match="管理员"):
        create_account(officer.db, username="li", name="李辅警", role="auxiliary", password="li123456")
    officer.db.close()
    admin = log_in(station, "admin", "admin123")
    wang = next(a for a in list_accounts(admin.db) if a.username == "wang")
    with pytest.raises(UserError, match="自己"):
        set_active(admin.db, admin.officer.id, False)
    set_active(admin.db, wang.id, False)
    entries = [r.detail.get("fields") for r in audit.search_audit(admin.db, record_id=wang.id, action="update")]
    assert ["active"] in entries  # the change is in the audit trail
    admin.db.close()
    cipher._keys.clear()
    with pytest.raises(UserError):
        log_in(station, "wang", "wang1234")


def test_an_idle_unlock_takes_only_the_same_officers_password(station):
    login = log_in(station, "wang", "wang1234")
    with pytest.raises(UserError, match="密码错误"):
        unlock_again(login.db, "admin123")
    unlock_again(login.db, "wang1234")
    assert [r.action for r in audit.search_audit(login.db, officer_id=login.officer.id)][:2] == ["unlock",
                                                                                                 "login_failed"]
    login.db.close()


def test_usernames_are_checked_and_unique(station):
    login = log_in(station, "admin", "admin123")
    with pytest.raises(UserError, match="用户名"):
        create_account(login.db, username="王", name="王", role="officer", password="abc12345")
    with pytest.raises(UserError, match="已被使用"):
        create_account(login.db, username="wang", name="王二", role="officer", password="abc12345")
    with login.db.session() as s:
        assert len(s.exec(select(Resident)).all()) == 1  # nothing else changed
    login.db.close()
