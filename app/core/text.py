"""Text rules every area shares: a household's address from its parts, the terms of a search.

Here, not in app.households, so that the dispute area can print an address and search names
without importing another area (areas depend on app.core, not on each other in a loop)."""

from __future__ import annotations


def format_address(estate: str, building: str, unit: str, room: str) -> str:
    """阳光花园3栋2单元501室; the search triggers in the first migration format it alike."""
    return (
        estate
        + (f"{building}栋" if building else "")
        + (f"{unit}单元" if unit else "")
        + (f"{room}室" if room else "")
    )


def search_terms(text: str) -> list[str]:
    """Whitespace separates terms; all must match. Upper case, like the search text."""
    return [term.upper() for term in text.split()]


def folds_case(term: str) -> bool:
    """Whether upper-casing a text can change if it holds ``term`` (a search term): only when the term has
    an ASCII letter, SQLite's upper() folding nothing else. Without one, a search skips upper(), half the
    cost of reading every row."""
    return any("A" <= ch <= "Z" or "a" <= ch <= "z" for ch in term)
