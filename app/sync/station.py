"""The station (派出所) a database belongs to: founded, carried in every sync file, checked at import.

A file of another station is refused: two stations that happen to share a sync passphrase must
not merge wholesale. The rules (docs/stations.md):

- A database with no station yet (``cpdesk init`` without ``--new-station``) joins the station
  of the first file it imports. A file with no station (from such a database) is accepted.
- A *provisional* station (made by migration 0006 for a database from before stations) gives way
  to a founded one, and meets another provisional one (the lower id wins), because two laptops
  of one station upgraded apart got different ones.
- Stations known to be one (``merged``: the ids a station absorbed) accept each other's files;
  the laptop still on the absorbed id moves over at its next import.
- Otherwise only an admin merges, deliberately (``cpdesk import --merge-station``, audited): this
  laptop then joins the file's station and remembers its old one, so its other laptops follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, insert

from app.core.errors import UserError
from app.sync.container import SyncError
from db.base import new_id, utcnow
from db.engine import Database
from db.models.sync import LocalStation

_ID = re.compile(r"^[0-9a-f]{32}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 64
MAX_MERGED = 256  # stations a station ever absorbed: a handful in practice


@dataclass(frozen=True)
class Station:
    id: str
    name: str = ""
    provisional: bool = False
    merged: frozenset[str] = field(default_factory=frozenset)

    def label(self) -> str:
        """How a message names it: 「城关派出所」（3f2a1b9c）."""
        if self.name:
            return f"「{self.name}」（{self.id[:8]}）"
        return f"（{'升级时生成' if self.provisional else '未命名'}，标识 {self.id[:8]}）"

    def to_file(self) -> dict:
        return {"id": self.id, "name": self.name, "provisional": self.provisional, "merged": sorted(self.merged)}


def current(conn) -> Station | None:
    """The station of the database behind ``conn`` (a Core connection), None when it has none."""
    row = conn.execute(LocalStation.__table__.select()).first()
    if row is None:
        return None
    return Station(row.id, row.name, bool(row.provisional), frozenset(row.merged or ()))


def station_of(db: Database) -> Station | None:
    with db.connect() as conn:
        return current(conn)


def check_name(name: str, *, required: bool = True) -> str:
    name = (name or "").strip()
    if (required and not name) or len(name) > MAX_NAME or _CONTROL.search(name):
        raise UserError(f"派出所名称应为 1–{MAX_NAME} 个字（不含换行等控制字符）")
    return name


def found(db: Database, *, name: str = "", keep_existing: bool = False) -> Station:
    """Found a new station for this database (first admin, ``cpdesk init --new-station``, demo).

    A database already in a station keeps it when ``keep_existing`` (a plain one converted by the
    first admin), else is refused."""
    name = check_name(name, required=False)
    with db.engine.begin() as conn:
        existing = current(conn)
        if existing is not None:
            if keep_existing:
                return existing
            raise UserError(f"本机已属于派出所{existing.label()}")
        station = Station(new_id(), name)
        _save(conn, station)
    return station


def confirm(db: Database, *, name: str) -> Station:
    """An admin confirms the provisional station of the master laptop under ``name``: from then on
    the other upgraded laptops give way to it, and other stations' files are refused."""
    _require_admin(db, "确认派出所")
    name = check_name(name)
    with db.engine.begin() as conn:
        station = current(conn)
        if station is None:
            raise UserError("本机尚未归属派出所：用 cpdesk init --new-station 建所，或导入本所的同步包")
        if not station.provisional:
            raise UserError(f"本机的派出所{station.label()}早已确认，无需再确认")
        station = replace(station, name=name, provisional=False)
        _save(conn, station)
    return station


def for_file(db: Database) -> dict:
    """What an export's manifest carries about where it comes from."""
    from app.core.device import device_name

    station = station_of(db)
    return {"station": station.to_file() if station else None, "device_name": device_name(db)}


def from_file(manifest: dict) -> Station | None:
    """The station a file's manifest names (None: a database with no station made it)."""
    data = manifest.get("station")
    if data is None:
        return None
    try:
        merged = data["merged"]
        ok = (_ID.match(data["id"]) and isinstance(data["name"], str) and len(data["name"]) <= MAX_NAME
              and not _CONTROL.search(data["name"]) and isinstance(data["provisional"], bool)
              and isinstance(merged, list) and len(merged) <= MAX_MERGED
              and all(isinstance(i, str) and _ID.match(i) for i in merged))
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise SyncError("invalid", "同步包内容无效（派出所信息不对），没有导入任何数据")
    return Station(data["id"], data["name"], data["provisional"], frozenset(merged))


class StationRefused(SyncError):
    def __init__(self, message: str) -> None:
        super().__init__("station", message)


@dataclass(frozen=True)
class Admission:
    """What importing a file does to this database's station, decided before the merge and
    written inside its transaction (``apply``)."""

    before: Station | None
    after: Station | None  # None: unchanged
    note: str = ""  # said to the officer: joined, moved over, merged
    merged: bool = False  # an admin merged stations: audited
    device_name: str | None = None  # of the laptop that made the file, for the sync log

    def apply(self, conn) -> None:
        """Inside the merge's transaction; an admin's merge is audited with the import (app.sync.commit)."""
        if self.after is None:
            return
        if current(conn) != self.before:  # changed by another program since the check
            raise SyncError("station", "本机的派出所信息刚被改动，请重新导入，没有导入任何数据")
        _save(conn, self.after)


def admit(db: Database, header: dict, manifest: dict, *, merge: bool = False) -> Admission:
    """Refuse a file of another station (StationRefused, one line naming both), unless ``merge``
    by an admin, and a file from a laptop whose short code clashes (app.core.device.check_sender);
    otherwise what the import does to this database's station."""
    from app.core.device import check_sender, is_valid_name

    incoming = from_file(manifest)
    name = manifest.get("device_name")
    if not is_valid_name(name):
        raise SyncError("invalid", "同步包内容无效（设备名称不对），没有导入任何数据")
    local = station_of(db)
    try:
        admission = decide(local, incoming, merge=False)
    except StationRefused:
        if not merge:
            raise
        _require_admin(db, "合并派出所")
        admission = decide(local, incoming, merge=True)
    check_sender(db, device_id=header["device_id"], code=header["device_code"], name=name)
    return replace(admission, device_name=name)


def decide(local: Station | None, incoming: Station | None, *, merge: bool) -> Admission:
    """The rules of the module docstring, on their own (no database)."""
    if incoming is None:
        return Admission(local, None)
    if local is None:
        return Admission(None, incoming, f"本机加入派出所{incoming.label()}")
    related = (incoming.id == local.id or local.id in incoming.merged or incoming.id in local.merged
               or local.provisional)
    if not related and not merge:
        raise StationRefused(_refusal(local, incoming))
    if related:
        winner = _winner(local, incoming)
    else:  # an admin merges: this laptop joins the file's station (a founded one never turns provisional)
        winner = local if incoming.provisional else incoming
    other = incoming if winner is local else local
    after = Station(
        id=winner.id,
        name=winner.name or (other.name if other.id == winner.id else ""),
        provisional=winner.provisional and (other.provisional or other.id != winner.id),
        merged=frozenset((local.merged | incoming.merged | {local.id, incoming.id}) - {winner.id}),
    )
    if after == local:
        return Admission(local, None)
    if not related:
        note = (f"本机并入派出所{after.label()}（原属{local.label()}）" if after.id != local.id
                else f"派出所{incoming.label()}并入本所{local.label()}")
    elif after.id != local.id:
        note = f"本机改属派出所{after.label()}（原属{local.label()}）"
    elif local.provisional and not after.provisional:
        note = f"本所已确认为派出所{after.label()}"
    else:
        note = ""
    return Admission(local, after, note, merged=not related)


def _winner(local: Station, incoming: Station) -> Station:
    """Of two stations known to be one, the id both keep."""
    if local.id == incoming.id:
        return local
    if local.provisional != incoming.provisional:  # a founded station wins
        return incoming if local.provisional else local
    if incoming.id in local.merged:  # the station that absorbed the other
        return local
    if local.id in incoming.merged:
        return incoming
    return min(local, incoming, key=lambda s: s.id)  # two provisional ones: the same answer on every laptop


def _refusal(local: Station, incoming: Station) -> str:
    if incoming.provisional:
        return (f"同步包来自一台尚未归属派出所的电脑（升级前建的库，{incoming.label()}），本机属于派出所"
                f"{local.label()}：请先在那台电脑上导入本所的同步包再重新完整导出，没有导入任何数据")
    return (f"同步包属于另一个派出所{incoming.label()}，本机属于派出所{local.label()}：没有导入任何数据"
            "（确需合并两个派出所的数据，由管理员用 cpdesk import --merge-station 导入）")


def _require_admin(db: Database, what: str) -> None:
    from app.accounts.account import current_account

    try:
        admin = current_account(db).is_admin
    except UserError:  # nobody logged in (a plain database)
        admin = False
    if not admin:
        raise StationRefused(f"只有管理员可以{what}：请用管理员账户（--user）登录后再操作")


def _save(conn, station: Station) -> None:
    """The one row: replaced as a whole, inside the caller's transaction."""
    table = LocalStation.__table__
    conn.execute(delete(table))
    conn.execute(insert(table).values(id=station.id, name=station.name, provisional=station.provisional,
                                      merged=sorted(station.merged), joined_at=utcnow()))
