"""The database key, wrapped for each account of this laptop, in a file beside the database.

The database is encrypted with one random 256-bit key. For each officer enrolled on this
laptop the key is wrapped (AES-256-GCM) with a key derived from his password (Argon2id,
the same cost as sync files); a recovery code kept in the station safe wraps it once more.
The file never goes into the database, a backup or a sync file: without it a copied
database file is unreadable, and with it only a correct password opens it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.accounts.lockout import WrongPassword
from app.core.errors import UserError
from app.output.files import write_atomically
from app.sync.container import default_kdf, derive_key
from db import cipher

FORMAT = 1
RECOVERY = "#recovery"  # the entry wrapped with the recovery code
WRONG = "用户名或密码错误"


keyring_path = cipher.keys_path


def new_database_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_code() -> str:
    """24 letters and digits in groups of four, easy to copy by hand (no 0/O, 1/I)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(raw[i:i + 4] for i in range(0, 24, 4))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _aad(name: str) -> bytes:
    return b"cpdesk-db-key|" + name.encode("utf-8")


class Keyring:
    def __init__(self, path: Path, entries: dict[str, dict]) -> None:
        self.path = path
        self.entries = entries

    @classmethod
    def load(cls, db_path: Path) -> Keyring:
        path = keyring_path(db_path)
        if not path.exists():
            return cls(path, {})
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != FORMAT or not isinstance(data.get("accounts"), dict):
                raise ValueError
        except (OSError, ValueError) as exc:
            raise UserError(f"密钥文件已损坏或无法读取：{path}") from exc
        return cls(path, data["accounts"])

    def exists(self) -> bool:
        return self.path.exists()

    def has(self, username: str) -> bool:
        return username in self.entries

    def officer_id(self, username: str) -> str | None:
        return self.entries.get(username, {}).get("officer_id")

    def unwrap(self, username: str, password: str) -> bytes:
        """The database key, if ``password`` is ``username``'s on this laptop (WrongPassword if
        not, also for a name not enrolled here: the two are not told apart)."""
        entry = self.entries.get(username)
        if entry is None:
            raise WrongPassword(WRONG)
        kdf = dict(entry["kdf"])
        salt = base64.b64decode(kdf.pop("salt"))
        secret = derive_key(password, kdf, salt)
        try:
            return AESGCM(secret).decrypt(base64.b64decode(entry["nonce"]), base64.b64decode(entry["wrapped"]),
                                          _aad(username))
        except (InvalidTag, ValueError) as exc:
            raise WrongPassword(WRONG) from exc

    def wrap(self, username: str, password: str, key: bytes, *, officer_id: str | None) -> None:
        salt, nonce = os.urandom(16), os.urandom(12)
        kdf = default_kdf()
        secret = derive_key(password, kdf, salt)
        self.entries[username] = {
            "officer_id": officer_id,
            "kdf": {**kdf, "salt": _b64(salt)},
            "nonce": _b64(nonce),
            "wrapped": _b64(AESGCM(secret).encrypt(nonce, key, _aad(username))),
        }

    def remove(self, username: str) -> None:
        self.entries.pop(username, None)

    def save(self) -> None:
        data = json.dumps({"format": FORMAT, "accounts": self.entries}, ensure_ascii=False, indent=1)
        write_atomically(self.path, data.encode("utf-8"))
        os.chmod(self.path, 0o600)  # readable by this Windows/Linux user only
