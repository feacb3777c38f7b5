"""The database key's homes: a new keyring beside the file, a plain file encrypted in place, and
the key wrapped again whenever an account gets a password on this laptop.

A station's database is encrypted (db/cipher.py) with a random key wrapped per account in the
keyring beside it (app/accounts/keyring.py); see docs/security.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.accounts.keyring import RECOVERY, Keyring, keyring_path, new_recovery_code
from app.accounts.passwords import check_new_password, hash_password
from app.core.errors import UserError
from db import cipher
from db.engine import Database
from db.models import Officer


def new_keyring(db_path: Path, key: bytes, *, username: str, password: str, officer_id: str) -> str:
    """The keyring of a newly encrypted file: ``username``'s entry and the recovery code's;
    returns the recovery code. Save it BEFORE encrypting: a crash in between must never leave
    an encrypted file whose key was only in memory (beside a plain file it does no harm)."""
    keyring = Keyring(keyring_path(db_path), {})
    keyring.wrap(username, password, key, officer_id=officer_id)
    code = new_recovery_code()
    keyring.wrap(RECOVERY, code, key, officer_id=None)
    keyring.save()
    return code


def encrypt_plain(db_path: Path, key: bytes) -> None:
    """Convert a plain database in place: backup first, then an encrypted copy replaces it,
    and the plain backups beside it are encrypted too (they hold the same personal data)."""
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


def wrap_for(db: Database, username: str, password: str, officer_id: str) -> None:
    """Let ``username`` open this laptop's database with ``password``."""
    key = cipher.key_for(db.path)
    if key is None:  # a plain database: the password hash alone guards it
        return
    keyring = Keyring.load(db.path)
    keyring.wrap(username, password, key, officer_id=officer_id)
    keyring.save()


def set_password(db: Database, officer_id: str, password: str, *, keyring: Keyring | None = None,
                 key: bytes | None = None) -> None:
    """A new password in both its homes: the synced hash and this laptop's keyring."""
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
