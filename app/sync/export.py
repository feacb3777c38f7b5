"""Exporting a sync file: the rows changed since this laptop's last export (or all of them)."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert

from app.core.errors import UserError
from app.output.files import check_output, output_file
from app.sync.container import ContainerWriter, SyncError
from app.sync.importer import paused_gc
from app.sync.station import for_file as station_manifest
from app.sync.tables import ID, SPECS, canonical, fetch, to_file
from db import migrate
from db.base import utcnow
from db.engine import Database
from db.models import SyncLog
from db.stamping import TOP_STAMP_SQL

Progress = Callable[[str, int, int], None]
_BATCH = 5000  # rows per write into the compressor
SUFFIX = ".cpsync"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    export_id: str
    full: bool
    since: str | None
    upto: str | None
    counts: dict[str, int]
    size: int

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def default_file_name(db: Database) -> str:
    return f"警务同步-{db.device.short_code}-{utcnow():%Y%m%d-%H%M%S}{SUFFIX}"


line = canonical  # one canonical JSON line: a row, a table header or the manifest


def export_changes(db: Database, *, out: Path, passphrase: str, full: bool = False, kdf: dict | None = None,
                   progress: Progress | None = None, should_stop: Callable[[], bool] | None = None) -> ExportResult:
    """Write the changes since the last export (all rows with ``full``) to ``out``, sealed and verified."""
    if not passphrase:
        raise UserError("同步口令不能为空：请先在“同步设置”中设置口令")
    out = Path(out)
    check_output(out)  # a folder that exists; never a device or a folder as the file
    with paused_gc():
        return _export(db, out, passphrase, full, kdf, progress or (lambda _stage, _done, _total: None),
                       should_stop or (lambda: False))


def _export(db: Database, out: Path, passphrase: str, full: bool, kdf: dict | None, progress: Progress,
            should_stop: Callable[[], bool]) -> ExportResult:
    snapshot = _read(db, full=full, progress=progress)
    _stop_if(should_stop)
    export_id = uuid.uuid4().hex
    header = {"schema": migrate.head_revision(), "export_id": export_id, "device_id": db.device.id,
              "device_code": db.device.short_code, "created": utcnow().isoformat(timespec="seconds")}
    origin = station_manifest(db)  # the station and laptop name: in the sealed manifest, not the plain header
    # Written straight into the destination folder under a temp name (app.output.files), so a full or
    # size-limited system temp folder plays no part and a failure or a cancel leaves nothing.
    with output_file(out) as f:
        sink = _Digesting(f)
        writer = ContainerWriter(sink, header, passphrase, kdf=kdf)
        _write_payload(writer, snapshot, export_id, db.device.id, progress, should_stop, origin=origin)
        writer.close()
        _stop_if(should_stop)
        progress("写入目标文件", 0, 1)
    _verify(out, sink.hexdigest())
    counts = {name: len(rows) for name, rows in snapshot.rows.items()}
    with db.engine.begin() as conn:
        conn.execute(insert(SyncLog.__table__).values(
            export_id=export_id, direction="export", device_id=db.device.id, device_code=db.device.short_code,
            at=utcnow(), since_hlc=snapshot.since, upto_hlc=snapshot.upto, file_name=out.name,
            counts={"rows": counts, "full": full, "journal_seq": snapshot.journal_to}))
        # Journal entries already passed on are no longer needed (the newest stays: seq must keep rising).
        conn.exec_driver_sql("DELETE FROM sync_received WHERE seq < ?", (snapshot.journal_to,))
    progress("完成", 1, 1)
    return ExportResult(out, export_id, snapshot.full, snapshot.since, snapshot.upto, counts, out.stat().st_size)


def _stop_if(should_stop: Callable[[], bool]) -> None:
    if should_stop():
        raise SyncError("cancelled", "已取消，没有写出同步包")


@dataclass
class _Snapshot:
    full: bool
    since: str | None
    upto: str | None
    journal_to: int
    rows: dict[str, list[list]]


def _read(db: Database, *, full: bool, progress: Progress) -> _Snapshot:
    with db.engine.begin() as conn:
        # A no-op write: it begins the read transaction (one consistent snapshot) and waits for
        # a write in progress to commit first, so no change stamped below "upto" commits after it.
        conn.exec_driver_sql("UPDATE local_device SET name = name WHERE 0")
        last = conn.exec_driver_sql(
            "SELECT upto_hlc, counts FROM sync_log WHERE direction = 'export' AND device_id = ? "
            "ORDER BY id DESC LIMIT 1", (db.device.id,)).first()
        counts = json.loads(last[1]) if last else {}
        # The cut-off is read here, in the transaction the rows are read in: every writer stamps
        # above what is stored (db/stamping.py), so all that commits later is above it.
        top = conn.exec_driver_sql(TOP_STAMP_SQL).scalar()
        # No export yet, or the last one had nothing to mark: everything goes. So too when the
        # last cut-off is above all that is stored: the clock repair brought back stamps of files
        # nobody could take (app/sync/clock_repair.py).
        full = full or last is None or last[0] is None or "journal_seq" not in counts or not top or top < last[0]
        since = None if full else last[0]
        journal_from = 0 if full else counts["journal_seq"]
        journal_to = conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM sync_received").scalar()
        upto = top or since
        received: dict[str, set[str]] = {}
        if not full:
            for table, row_id in conn.exec_driver_sql(
                    "SELECT table_name, row_id FROM sync_received WHERE seq > ? AND seq <= ?",
                    (journal_from, journal_to)):
                received.setdefault(table, set()).add(row_id)
        rows = {}
        for n, (name, spec) in enumerate(SPECS.items()):
            progress("读取数据", n, len(SPECS))
            if full:
                found = [to_file(spec, r, wire=True) for r in conn.exec_driver_sql(spec.select_sql())]
            else:
                found = [to_file(spec, r, wire=True) for r in conn.exec_driver_sql(
                    f"{spec.select_sql()} WHERE hlc > ?", (since,))]
                have = {r[ID] for r in found}
                extra = [i for i in received.get(name, ()) if i not in have]
                found += fetch(conn, spec, extra, wire=True).values()
            rows[name] = found
    return _Snapshot(full, since, upto, journal_to, rows)


def _write_payload(writer: ContainerWriter, snapshot: _Snapshot, export_id: str, device_id: str,
                   progress: Progress, should_stop: Callable[[], bool], *, origin: dict | None = None) -> None:
    for n, (name, rows) in enumerate(snapshot.rows.items()):
        progress("加密写出", n, len(snapshot.rows))
        _stop_if(should_stop)
        writer.write((line({"table": name, "columns": list(SPECS[name].columns)}) + "\n").encode())
        for start in range(0, len(rows), _BATCH):
            text = "\n".join(map(line, rows[start:start + _BATCH])) + "\n"
            writer.write(text.encode("utf-8"))
    manifest = {"export_id": export_id, "device_id": device_id, "full": snapshot.full, "since": snapshot.since,
                "upto": snapshot.upto, "tables": {name: len(rows) for name, rows in snapshot.rows.items()},
                **(origin or {})}
    writer.write((line({"manifest": manifest}) + "\n").encode("utf-8"))


class _Digesting:
    """Passes writes on and hashes them: what the file must read back as."""

    def __init__(self, out) -> None:
        self._out, self._hash = out, hashlib.sha256()

    def write(self, data: bytes) -> None:
        self._hash.update(data)
        self._out.write(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _verify(out: Path, digest: str) -> None:
    """Read the written file back from the device (not the cache) and compare."""
    try:
        same = _digest(out, uncached=True) == digest
    except OSError as exc:
        raise UserError(f"无法读回写出的同步包 {out}：{exc.strerror or exc}") from None
    if not same:
        out.unlink(missing_ok=True)
        raise UserError(f"写出的同步包读回校验不一致（U 盘可能有问题），已删除：{out}")


def _digest(path: Path, *, uncached: bool = False) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        if uncached and hasattr(os, "posix_fadvise"):
            os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)  # read from the stick, not the cache
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def canonical_dump(db: Database) -> bytes:
    """Every synced row in the file's canonical form, sorted: equal dumps mean equal data."""
    parts = []
    with db.connect() as conn:
        for name, spec in SPECS.items():
            rows = sorted((to_file(spec, r, wire=True) for r in conn.exec_driver_sql(spec.select_sql())),
                          key=lambda r: r[ID])
            parts.append(line({"table": name}))
            parts += map(line, rows)
    return ("\n".join(parts) + "\n").encode("utf-8")

