"""Storage errors an officer can act on (the CLI prints them as one line, the GUI as a dialog)."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be used as asked; the message says why in plain words."""
