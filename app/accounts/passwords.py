"""Officers' password hashes: Argon2id PHC strings (argon2-cffi), synced with the account."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.core.errors import UserError

MIN_LENGTH = 8
_hasher = PasswordHasher()  # RFC 9106 low-memory profile: 3 passes over 64 MiB, 4 lanes


def hash_password(password: str) -> str:
    check_new_password(password)
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    """A random password that passes the checks (for the demo station's admin)."""
    import secrets

    letters, digits = "abcdefghjkmnpqrstuvwxyz", "23456789"
    rest = "".join(secrets.choice(letters + digits) for _ in range(8))
    return secrets.choice(letters) + secrets.choice(digits) + rest


def check_new_password(password: str) -> None:
    """A password an officer may choose: long enough, and not all one kind of character."""
    if len(password) < MIN_LENGTH:
        raise UserError(f"密码至少 {MIN_LENGTH} 位")
    if password.isdigit() or password.isalpha():
        raise UserError("密码须同时含有字母和数字（或符号）")
