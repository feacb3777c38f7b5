"""Masking personal numbers in lists and printouts that do not need them in full."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """330702199001011234 -> 330702********1234 (area code and last four kept)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13800138000 -> 138****8000; landlines keep their area code and last four."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
