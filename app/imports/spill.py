"""The checked rows of a large import kept on disk until the write, so the check's memory does not grow
with the file: chunks pickled, sealed with AES-GCM under a random key that lives only in this process
(ID numbers and phones: nothing readable touches the disk), in a temporary file in the data folder that
disappears when closed (``TemporaryFile``: unlinked at once on POSIX, deleted on close on Windows).

Pickle is safe here only because every chunk is authenticated with our own in-memory key before it
is unpickled: nobody else can make a chunk this process accepts.
"""

from __future__ import annotations

import gc
import pickle
import struct
import tempfile
import threading
import weakref
from bisect import bisect_right
from pathlib import Path

_HEAD = struct.Struct("<II")  # (chunk, part): bound to each sealed part, so none can be swapped


def temp_dir() -> Path:
    """Where the spill files go: the user's data folder (not a shared /tmp), ``temp`` inside it."""
    from app.core.paths import data_dir

    folder = data_dir() / "temp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Spill:
    """Append-only chunks, each covering the row indexes [start, next chunk's start) and made of a few
    parts sealed apart (the check page's rows, the write's drafts: each reader decodes only its own).
    ``add(start, parts)`` while checking; ``chunk(number, part)`` / ``chunk_of(index)`` / ``items(part)``
    afterwards, from any thread. ``close()`` (or dropping the object) deletes the file."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self._file = tempfile.TemporaryFile(prefix="cpdesk-import-", suffix=".bin", dir=temp_dir())
        self._closer = weakref.finalize(self, self._file.close)  # closed first: Windows deletes it then
        self._lock = threading.Lock()  # the check page reads while a report is saved on a worker
        self.starts: list[int] = []  # first row index of each chunk
        self._places: list[list[tuple[int, int]]] = []  # per chunk, per part: (offset, length) sealed
        self._end = 0
        self._cached: tuple[tuple[int, int], list] | None = None

    def add(self, start: int, parts: tuple[list, ...]) -> None:
        number = len(self.starts)
        places = []
        with self._lock:
            for part, items in enumerate(parts):
                data = self._aead.encrypt(_nonce(number, part), pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL),
                                          _HEAD.pack(number, part))
                self._file.seek(self._end)
                self._file.write(data)
                places.append((self._end, len(data)))
                self._end += len(data)
        self._places.append(places)
        self.starts.append(start)

    def chunk(self, number: int, part: int) -> list:
        """The items of one part of chunk ``number`` (the last one read is kept: a table scrolls within one)."""
        cached = self._cached
        if cached is not None and cached[0] == (number, part):
            return cached[1]
        offset, length = self._places[number][part]
        with self._lock:
            self._file.seek(offset)
            data = self._file.read(length)
        sealed = self._aead.decrypt(_nonce(number, part), data, _HEAD.pack(number, part))  # raises if changed
        enabled = gc.isenabled()
        gc.disable()  # a chunk's thousands of new objects set off collections walking all kept: 4x the loads
        try:
            items = pickle.loads(sealed)  # noqa: S301 (authenticated above with our own key)
        finally:
            if enabled:
                gc.enable()
        self._cached = ((number, part), items)
        return items

    def chunk_of(self, index: int) -> int:
        """The chunk covering row ``index``."""
        return bisect_right(self.starts, index) - 1

    def items(self, part: int):
        """Every item of ``part`` in order, one chunk in memory at a time."""
        for number in range(len(self.starts)):
            yield from self.chunk(number, part)

    def close(self) -> None:
        self._cached = None
        self._closer()


def _nonce(number: int, part: int) -> bytes:
    """One key per spill and one (chunk, part) per nonce: a counter never repeats one."""
    return (number * 16 + part).to_bytes(12, "little")
