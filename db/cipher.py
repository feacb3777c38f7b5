"""Encryption at rest: every connection to a database file, its backups and copies goes here.

An encrypted file is opened with SQLCipher (``sqlcipher3``) and a raw 256-bit key; a plain
file (tests, or one not yet converted) with the standard library's ``sqlite3``. Which key
belongs to which file is known only while the program runs: login unwraps the key
(app/accounts) and registers it with ``unlock``; the database's backups folder shares it.
Nothing here knows about passwords.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from db.errors import StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
ERRORS = (sqlite3.Error, sqlcipher.Error)  # what either driver raises
KEY_BYTES = 32
CACHE_KIB = 64 * 1024

_keys: dict[Path, bytes] = {}


def keys_path(db_path: Path) -> Path:
    """Where the wrapped keys of ``db_path`` live: beside it, never inside (app/accounts/keyring.py)."""
    return Path(db_path).with_name(Path(db_path).name + ".keys")


def unlock(db_path: Path, key: bytes) -> None:
    """Remember ``key`` for ``db_path`` and its backups until the program ends or ``forget``."""
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")
    _keys[Path(db_path).resolve()] = key


def forget(db_path: Path) -> None:
    _keys.pop(Path(db_path).resolve(), None)


def key_for(path: Path) -> bytes | None:
    """The key of ``path``: a database unlocked here, a copy beside it named after it
    (``.partial``, set aside when damaged), or anything in its backups folder."""
    path = Path(path).resolve()
    for db_path, key in _keys.items():
        beside = path.parent == db_path.parent and path.name.startswith(db_path.stem)
        if beside or path.parent == db_path.parent / f"{db_path.stem}-backups":
            return key
    return None


def is_plain(path: Path) -> bool:
    """A plain SQLite file (or an empty one); anything else may be encrypted or foreign."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as f:
        return f.read(16) == SQLITE_HEADER


def encrypted(path: Path) -> bool:
    """Will connections to ``path`` use SQLCipher? (A new file is made encrypted when a key is known.)"""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        return not is_plain(path)
    return key_for(path) is not None


def driver(path: Path):
    """The DB-API module connections to ``path`` use (SQLAlchemy must know it, for its error classes)."""
    return sqlcipher if encrypted(path) else sqlite3


def connect(path: Path, *, read_only: bool = False, key: bytes | None = None):
    """A DB-API connection to ``path``, keyed if the file is encrypted."""
    path = Path(path)
    target = path.resolve().as_uri() + "?mode=ro" if read_only else str(path)
    if not encrypted(path) and key is None:
        return sqlite3.connect(target, uri=read_only, check_same_thread=False)
    key = key or key_for(path)
    if key is None:
        raise StorageError(f"数据库已加密，请先登录：{path}")
    conn = sqlcipher.connect(target, uri=read_only, check_same_thread=False)
    apply_key(conn, key)
    # Every page read from the OS is decrypted and its HMAC checked: keep up to 64 MiB of hot
    # pages (the search index) decrypted, or searches cost twice what they do on a plain file.
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return conn


def apply_key(conn, key: bytes, schema: str = "main") -> None:
    """Key a SQLCipher connection: a raw key, so no second key derivation on every connect."""
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by us, not on stderr
    conn.execute(f"PRAGMA {schema}.key = \"x'{key.hex()}'\"")


def encrypt_copy(source: Path, dest: Path, key: bytes) -> None:
    """Write an encrypted copy of the plain database ``source`` to ``dest`` (SQLCipher's export)."""
    conn = sqlcipher.connect(str(source), check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(dest), f"x'{key.hex()}'"))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


# --- files beside an encrypted database (drafts) ------------------------------------------

SEALED = b"CPSEAL1\n"


def _file_key(db_path: Path) -> bytes | None:
    key = key_for(db_path)
    if key is None:
        return None
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    # A key of its own for files, derived from the database key (never the key itself).
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"cpdesk files beside the database").derive(key)


def seal(db_path: Path, data: bytes) -> bytes:
    """``data`` encrypted for a file beside an encrypted database; unchanged beside a plain one."""
    key = _file_key(db_path) if encrypted(db_path) else None
    if key is None:
        return data
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    return SEALED + nonce + AESGCM(key).encrypt(nonce, data, SEALED)


def unseal(db_path: Path, blob: bytes) -> bytes:
    """The data of a file written by ``seal``; ValueError if it cannot be opened with this key."""
    if not blob.startswith(SEALED):
        return blob
    key = _file_key(db_path)
    if key is None:
        raise ValueError("sealed with a key not unlocked here")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    body = blob[len(SEALED):]
    try:
        return AESGCM(key).decrypt(body[:12], body[12:], SEALED)
    except InvalidTag as exc:
        raise ValueError("damaged or sealed with another key") from exc
