"""Damage done to database files on purpose."""

from __future__ import annotations


def damage(path) -> None:
    """Scribble over b-tree pages in the middle of the file, leaving the header intact."""
    with open(path, "r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xff" * 4096 * 6)
