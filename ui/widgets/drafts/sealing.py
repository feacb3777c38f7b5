"""Sealing a draft file: beside an encrypted database each draft is encrypted with a key derived from
the database key (db/cipher.py), so a copied laptop shows no draft either; beside a plain database,
or in a store that knows no database, the bytes are written as they are."""

from __future__ import annotations

from pathlib import Path

from db import cipher


def seal(db_path: Path | None, data: bytes) -> bytes:
    return data if db_path is None else cipher.seal(db_path, data)


def unseal(db_path: Path | None, data: bytes) -> bytes:
    """The plain bytes; ValueError when the file is sealed with a key not unlocked here."""
    return data if db_path is None else cipher.unseal(db_path, data)
