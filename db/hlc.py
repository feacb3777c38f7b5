"""Hybrid logical clock: stamps that order changes across laptops with wrong clocks.

A stamp is a fixed-width string, so stamps compare correctly as plain strings (also in
SQL, where the incremental export asks for ``hlc > :since``)::

    0193f1a2b3c4-0000-3f2a9c1d0e7b
    ^ wall ms    ^ counter ^ node (12 hex digits of the device id; breaks ties)

The clock never goes backwards: when the wall clock jumps back, the physical part stays
where it was and the counter climbs instead. What it must stay above is what the database
holds, so each write transaction restarts it from the highest stamp stored (``rebase``,
db/stamping.py): a second program on the file, or a clock repair that brought this laptop's
future stamps back to the present (app/sync/clock_repair.py), cannot leave it stamping
below, or far above, what is stored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import NamedTuple

_MS_DIGITS = 12
_COUNTER_DIGITS = 4
_NODE_DIGITS = 12
_MAX_COUNTER = 16**_COUNTER_DIGITS - 1
STAMP_LENGTH = _MS_DIGITS + _COUNTER_DIGITS + _NODE_DIGITS + 2


class Stamp(NamedTuple):
    ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.ms:0{_MS_DIGITS}x}-{self.counter:0{_COUNTER_DIGITS}x}-{self.node}"


def parse(stamp: str) -> Stamp:
    """Split a stamp string; ValueError when it is not one."""
    parts = stamp.split("-")
    if len(stamp) != STAMP_LENGTH or len(parts) != 3:
        raise ValueError(f"not a clock stamp: {stamp!r}")
    ms, counter, node = parts
    return Stamp(int(ms, 16), int(counter, 16), node)


def node_of(device_id: str) -> str:
    """The node part of a device's stamps: the first 12 hex digits of its UUID."""
    node = device_id.replace("-", "")[:_NODE_DIGITS].lower()
    if len(node) != _NODE_DIGITS or any(c not in "0123456789abcdef" for c in node):
        raise ValueError(f"device id is not a UUID: {device_id!r}")
    return node


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """One per device and process; thread-safe."""

    def __init__(self, node: str, *, wall: Callable[[], int] = wall_ms) -> None:
        self.node = node
        self._wall = wall
        self._ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        """A new stamp, greater than every stamp this clock has made or seen."""
        with self._lock:
            wall = self._wall()
            if wall > self._ms:
                self._ms, self._counter = wall, 0
            else:
                self._bump()
            return str(Stamp(self._ms, self._counter, self.node))

    def observe(self, stamp: str) -> None:
        """Move past a stamp made elsewhere (an imported row, or one already stored)."""
        seen = parse(stamp)
        with self._lock:
            if (seen.ms, seen.counter) >= (self._ms, self._counter):
                self._ms, self._counter = seen.ms, seen.counter

    def rebase(self, stamp: str | None) -> None:
        """Restart from ``stamp``, the highest stamp stored (None: nothing stored), even when
        this clock had run further. Only under the database's write lock: no stamp above it
        can then be stored by anyone else, and the ones this clock made above it were either
        rolled back or brought back by the clock repair."""
        seen = parse(stamp) if stamp else Stamp(0, 0, self.node)
        with self._lock:
            self._ms, self._counter = seen.ms, seen.counter

    def _bump(self) -> None:
        if self._counter < _MAX_COUNTER:
            self._counter += 1
        else:  # 65,536 stamps within one millisecond: borrow the next millisecond
            self._ms, self._counter = self._ms + 1, 0
