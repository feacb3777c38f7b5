"""The audit log's hash chain: an entry changed or removed afterwards shows as a break.

Each entry carries its device's running number (``seq``: 1, 2, 3 …), the hash of the entry
before it from the same device (``prev_hash``) and the hash of its own content with that link
(``entry_hash``). Someone with the database key can drop the append-only triggers and edit
the file, but every entry he edits or removes breaks the chain from there on, and ``verify``
says where; the other laptops hold copies of the entries he would have to rewrite.

The device is the node of the entry's clock stamp (12 hex digits of the device id, db/hlc.py),
known for entries written before the chain existed too, so migration 0007 chains those the same
way on every laptop. Entries that arrive by sync keep their own device's numbers and hashes.

Hashes are of values as stored (times as naive UTC text, the detail as canonical JSON), so a
laptop that got the entry by sync computes the same hash as the laptop that wrote it. Nothing
here imports the models (db/models/accounts.py hooks ``link`` to every ORM insert).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

GENESIS = ""  # the prev_hash of a device's first entry
# The columns an entry's hash covers, besides its place in the chain. Left out: updated_at and
# clocks, which only repeat created_at and hlc for a row that is never changed.
HASHED = ("id", "created_at", "hlc", "deleted", "updated_by", "at", "officer_id", "action", "table_name",
          "record_id", "detail")
_TIPS = "audit_chain_tips"  # session.info key: each device's last (seq, hash) linked in this flush


def device_of(hlc: str | None) -> str:
    """The device an entry belongs to: the node part of its clock stamp ("" if it has none)."""
    return (hlc or "").rpartition("-")[2]


_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")  # how SQLAlchemy writes a UTC time
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_decode = json.JSONDecoder().decode


def _time(value) -> str | None:
    """A time as stored: naive UTC text with microseconds."""
    if value is None or isinstance(value, str) and _STORED_TIME.fullmatch(value):
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.utcoffset() is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def entry_hash(values: Mapping, *, device: str, seq: int, prev_hash: str) -> str:
    """The hash of one entry: its ``HASHED`` values (as stored or as written) and its link."""
    detail = values["detail"]
    detail = _decode(detail) if isinstance(detail, str) else _decode(_encode(detail))  # JSON's own types
    deleted = values["deleted"]
    content = [prev_hash, device, seq, values["id"], _time(values["created_at"]), values["hlc"],
               None if deleted is None else int(deleted), values["updated_by"], _time(values["at"]),
               values["officer_id"], values["action"], values["table_name"], values["record_id"], detail]
    return hashlib.sha256(_encode(content).encode()).hexdigest()


# --- linking each new entry (called from the model's before_insert event) ---------------------

def link(_mapper, connection, entry) -> None:
    """Give an entry about to be inserted its place at the end of its device's chain."""
    session = object_session(entry)
    tips = session.info.setdefault(_TIPS, {}) if session is not None else {}
    device = device_of(entry.hlc)
    if device not in tips:
        # Take the write lock before reading the tip: a second writer (another thread's
        # session) then waits for this commit instead of extending the chain from the same entry.
        connection.exec_driver_sql("UPDATE local_device SET id = id")
        row = connection.exec_driver_sql(
            "SELECT seq, entry_hash FROM audit_entry WHERE device = ? AND seq IS NOT NULL "
            "ORDER BY seq DESC LIMIT 1", (device,)).first()
        tips[device] = (row[0], row[1]) if row else (0, GENESIS)
    seq, prev_hash = tips[device]
    values = {name: getattr(entry, name) for name in HASHED}
    entry.device, entry.seq, entry.prev_hash = device, seq + 1, prev_hash
    entry.entry_hash = entry_hash(values, device=device, seq=seq + 1, prev_hash=prev_hash)
    tips[device] = (seq + 1, entry.entry_hash)


@event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    session.info.pop(_TIPS, None)  # the next flush reads the tips from the file again


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session, _previous) -> None:
    session.info.pop(_TIPS, None)  # links handed out in a flush that failed are void


def chain_rows(rows: Iterable[Mapping], tips: dict[str, tuple[int, str]]) -> list[tuple[str, int, str, str, str]]:
    """(device, seq, prev_hash, entry_hash, id) for entries written before the chain existed,
    given in the order they were written (migration 0007); ``tips`` carries each device's last
    (seq, hash) from one batch of rows to the next."""
    out = []
    for row in rows:
        device = device_of(row["hlc"])
        seq, prev_hash = tips.get(device, (0, GENESIS))
        digest = entry_hash(row, device=device, seq=seq + 1, prev_hash=prev_hash)
        tips[device] = (seq + 1, digest)
        out.append((device, seq + 1, prev_hash, digest, row["id"]))
    return out


# --- checking ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Break:
    """Where a device's chain stops being as written: entry ``seq`` of ``device`` and every later one
    are suspect."""

    device: str
    seq: int


_SELECT = f"SELECT device, seq, prev_hash, entry_hash, {', '.join(HASHED)} FROM audit_entry"
_CHAINED = "device IS NOT NULL AND seq IS NOT NULL AND prev_hash IS NOT NULL AND entry_hash IS NOT NULL"


def verify(conn, *, own_device: str) -> list[Break]:
    """Each broken device's first break, this laptop's first (empty: the log is as written).
    ``conn`` is a SQLAlchemy connection."""
    first: dict[str, int] = {}
    rows = (row._mapping for row in conn.exec_driver_sql(f"{_SELECT} WHERE {_CHAINED} ORDER BY device, seq"))
    for device, entries in groupby(rows, key=lambda values: values["device"]):
        seq = _first_break(entries, own=device == own_device)
        if seq is not None:
            first[device] = seq
    for (hlc,) in conn.exec_driver_sql(f"SELECT hlc FROM audit_entry WHERE NOT ({_CHAINED}) LIMIT 1"):
        # An entry with no place in any chain (written behind the program's back): its device's
        # chain is broken after its last chained entry.
        device = device_of(hlc)
        last = conn.exec_driver_sql("SELECT max(seq) FROM audit_entry WHERE device = ?", (device,)).scalar() or 0
        first[device] = min(first.get(device, last + 1), last + 1)
    return sorted((Break(device, seq) for device, seq in first.items()),
                  key=lambda b: (b.device != own_device, b.device))


def _first_break(entries: Iterable[Mapping], *, own: bool) -> int | None:
    """The number from which one device's entries (by number) are not as written, else None.

    A gap in this laptop's own chain is a break: its entries were all written here. In another
    device's chain it is not: its entries may arrive in any order, and the link across the gap
    is checked once the missing ones are in. Two entries may share a number when a laptop
    went on from a restored backup (docs/security.md); each must link to one before it."""
    last_seq, at_last = 0, {GENESIS}  # "entry 0": what a first entry links to
    before: set[str] | None = None
    for values in entries:
        seq = values["seq"]
        if type(seq) is not int or seq < 1:  # not a number the program writes
            return last_seq + 1
        if seq != last_seq:
            if seq == last_seq + 1:
                before = at_last
            elif own:
                return last_seq + 1
            else:
                before = None  # not known across the gap
            last_seq, at_last = seq, set()
        try:
            digest = entry_hash(values, device=values["device"], seq=seq, prev_hash=values["prev_hash"])
        except (ValueError, TypeError):  # a time or a detail that no longer parses
            return seq
        if digest != values["entry_hash"]:
            return seq
        if before is not None and values["prev_hash"] not in before:
            return max(seq - 1, 1)  # the entry before it was rewritten (or this one's link was)
        at_last.add(digest)
    return None
