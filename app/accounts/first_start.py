"""The database file's state, and the first start: founding a station with its first admin,
or giving a plain database (the demo, an older version) a password and encrypting it.

What the program opens to (make the admin, or log in) follows from ``station_state``.
"""

from __future__ import annotations

from pathlib import Path

from app.accounts.account import Login, accounts_with_password, begin_session, check_name, check_username, find_officer
from app.accounts.encryption import encrypt_plain, new_keyring
from app.accounts.keyring import keyring_path, new_database_key
from app.accounts.passwords import check_new_password, hash_password
from app.core.errors import UserError
from app.sync.station import check_name as check_station_name
from app.sync.station import found
from db import cipher
from db.base import new_id
from db.engine import Database
from db.models import Officer


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
        return not accounts_with_password(db)
    finally:
        db.close()


def create_station(db_path: Path, *, username: str, name: str, password: str,
                   station: str | None = "") -> Login:
    """First start: make the encrypted database (or convert a plain one without accounts)
    with its first admin. Returns the login and the recovery code to write down.

    ``station``: the name of the station (派出所) this founds, "" unnamed; None founds none, and
    the database joins the station of the first file imported (``cpdesk init``)."""
    username = check_username(username)
    name = check_name(name)
    check_new_password(password)
    station = None if station is None else check_station_name(station, required=False)
    state = station_state(db_path)
    if state not in ("new", "plain"):
        raise UserError("这个数据库已经有管理员账户")
    key = new_database_key()
    if state == "plain":
        db = Database.open(db_path)
        try:
            if accounts_with_password(db):
                raise UserError("这个数据库已经有账户，请用已有账户登录")
        finally:
            db.close()
    # The keyring is saved before the file is encrypted (see new_keyring).
    officer_id = new_id()
    code = new_keyring(db_path, key, username=username, password=password, officer_id=officer_id)
    if state == "plain":
        encrypt_plain(db_path, key)
    cipher.unlock(db_path, key)
    db = Database.open(db_path, create=True)
    with db.session() as session:
        session.add(Officer(id=officer_id, username=username, name=name, role="admin",
                            password_hash=hash_password(password)))
        session.commit()
    if station is not None:  # a converted plain database keeps the station it has
        found(db, name=station, keep_existing=True)
    return begin_session(db, officer_id, recovery_code=code, pending=[])


def encrypt_with_password(db_path: Path, *, username: str, password: str) -> str:
    """Give ``username`` of a plain database (the demo station's admin) ``password`` and encrypt
    the file; returns the recovery code."""
    check_new_password(password)
    if station_state(db_path) != "plain":
        raise UserError("只能加密尚未加密的数据库")
    db = Database.open(db_path)
    try:
        officer = find_officer(db, username)
        if officer is None:
            raise UserError(f"没有账户 {username}")
        with db.session(officer_id=officer.id) as session:
            session.get(Officer, officer.id).password_hash = hash_password(password)
            session.commit()
        officer_id = officer.id
    finally:
        db.close()
    key = new_database_key()
    code = new_keyring(db_path, key, username=username, password=password, officer_id=officer_id)
    encrypt_plain(db_path, key)  # after the keyring is saved (see new_keyring)
    return code
