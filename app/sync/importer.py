"""Importing a sync file: one pass that checks every row and merges it, in one transaction.

Memory is bounded by a batch of rows, not by the file (a station's full file: 535,000 rows, 1.1 GB
held once, 260 MB peak now). The body is authenticated whole when the file is opened and kept as
its compressed plaintext in memory (app.sync.container): about the file's size, and never on
disk, where a crash would leave residents' data in plain text. It is then read once
(app.sync.reader): each batch is parsed and checked, then merged and written inside the import's
transaction; the checks that need the whole file (the manifest, the clocks, the station, the
references) run when the reading is over, and only then is the backup made and the merge
committed. A refusal anywhere rolls the transaction back: a bad file changes nothing and makes no
backup, as when everything was checked in a pass of its own (which parsed every row twice).
"""

from __future__ import annotations

import errno
import gc
import shutil
import tempfile
from collections.abc import Callable
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.core.oserrors import storage_problem
from app.sync.bulk import drop_indexes, insert_rows, record_received, search_load, variables
from app.sync.commit import audit_import, backup_before_merge, storage_failure
from app.sync.container import MAX_BODY, Body, SyncError, open_body
from app.sync.merge import CONFLICT, derive_record, merge_record, merge_version_rows, new_version_row
from app.sync.reader import Checked, Reading, TableRows, ahead, check
from app.sync.rows import referring_row
from app.sync.station import admit
from app.sync.tables import (
    CONFLICT_TABLE,
    DELETED,
    ID,
    SPECS,
    TableSpec,
    expand,
    fetch,
    fetch_ids,
    fetch_versions,
    to_storage,
)
from db import migrate
from db.base import utcnow
from db.bulk_load import SEARCHED, family
from db.engine import Database
from db.hlc import node_of, parse, wall_ms
from db.models import SyncLog

Progress = Callable[[str, int, int], None]
DAY_MS = 24 * 3600 * 1000
APPEND_ONLY = {"audit_entry"}  # kept as first written (SQL triggers refuse changes)
# Page cache while merging: enough for the scattered index writes of a merge into a full
# database and for sorting a rebuilt index in memory; the peak of a station's full import
# (~350 MB written) stays under 400 MB (tests/bench/test_sync.py).
_CACHE_KIB = 64 * 1024
_BULK = 2000  # rows into an empty table worth rebuilding its indexes for (a full first batch)
_LOADED_WITH = {x: family(x) for x in SEARCHED}  # a searched table: the tables its search load spans


@dataclass
class TableCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    conflicts: int = 0


@dataclass
class ImportSummary:
    export_id: str
    device_id: str
    device_code: str
    created: str
    rows: int
    tables: dict[str, TableCounts] = field(default_factory=dict)
    already_imported: bool = False
    station: str = ""  # what the import did to this laptop's station (joined, moved over, merged)

    @property
    def conflicts(self) -> int:
        return sum(c.conflicts for c in self.tables.values())

    @property
    def changed(self) -> int:
        return sum(c.added + c.updated + c.deleted for c in self.tables.values())


@dataclass
class Payload:
    """A sync file opened and checked: its header, its authenticated body (compressed) and what
    the reading found; rows are read from the body again when asked for, never kept."""

    header: dict
    body: Body
    checked: Checked

    @property
    def manifest(self) -> dict:
        return self.checked.manifest

    @property
    def rows(self) -> int:
        return self.checked.rows

    @property
    def tables(self) -> dict[str, list[list]]:
        """Every row, parsed, by table: a small file's whole content (the import never asks)."""
        return {name: list(TableRows(self.body, mark)) for name, mark in self.checked.marks.items()}


def _stopped() -> bool:
    return False


def read_sync_file(path: Path, *, passphrase: str, progress: Progress | None = None) -> Payload:
    """Open, authenticate and check a sync file without touching any database."""
    progress = progress or (lambda _stage, _done, _total: None)
    header, body = _open(Path(path), passphrase, progress)
    return _checked(header, body, check(body, progress))


def _open(path: Path, passphrase: str, progress: Progress) -> tuple[dict, Body]:
    """The header and the authenticated body of a file this program's schema can take."""
    header, body = _open_local(path, passphrase, progress)
    if header["schema"] != migrate.head_revision():
        if header["schema"] not in migrate.known_revisions():
            raise SyncError("schema", f"同步包来自更新版本的程序（数据结构 {header['schema']}），请先升级本程序再导入")
        raise SyncError("schema", f"同步包来自旧版本的程序（数据结构 {header['schema']}），请对方升级程序后重新导出")
    return header, body


def _checked(header: dict, body: Body, checked: Checked) -> Payload:
    """The file whose every row passed, once its manifest is found to be this export's."""
    if checked.manifest.get("export_id") != header["export_id"]:
        raise SyncError("invalid", "同步包内容与清单不符，没有导入任何数据")
    return Payload(header, body, checked)


def _open_local(path: Path, passphrase: str, progress: Progress) -> tuple[dict, Body]:
    """The header and the authenticated body, read once from a local copy: a pulled USB stick
    cannot change them midway. The copy holds the sealed file only and is deleted at once."""
    progress("读取文件", 0, 1)
    try:
        if (size := path.stat().st_size) > MAX_BODY:  # a body never compresses to more than itself
            raise SyncError("too_big", f"同步包太大（{size >> 20} MB），不像本程序写出的文件，没有导入任何数据")
        with tempfile.TemporaryDirectory(prefix="cpdesk-import-") as tmp:
            local = Path(tmp) / "incoming.cpsync"
            shutil.copyfile(path, local)
            progress("解密与校验", 0, 1)
            with local.open("rb") as f:
                return open_body(f, passphrase)
    except FileNotFoundError:
        raise SyncError("not_found", f"找不到文件：{path}") from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):  # the copy, not the file, failed
            raise SyncError("unreadable", f"无法把同步包复制到临时文件夹（{storage_problem(exc)}），"
                                          "没有导入任何数据") from None
        raise SyncError("unreadable", f"无法读取文件 {path}：{exc.strerror or exc}") from None


def import_file(db: Database, *, path: Path, passphrase: str, progress: Progress | None = None,
                should_stop: Callable[[], bool] | None = None, audit: bool = False,
                merge_station: bool = False) -> ImportSummary:
    """Check the file, then merge it into ``db`` in one transaction (or not at all).

    ``audit``: also write this laptop's ``import`` audit entry in that transaction, so the two
    commit together or neither does (the front doors ask for it; the sync core's own tests
    compare databases across laptops and leave it out).
    ``merge_station``: an admin merges another station's file (app.sync.station, audited)."""
    with paused_gc():
        return _import(db, Path(path), passphrase, progress or (lambda _stage, _done, _total: None),
                       should_stop or _stopped, audit, merge_station)


@contextmanager
def paused_gc():
    """No cyclic garbage collection while many rows are alive (an export holds them all): its
    passes over them would cost as much as the parsing (reference counting still frees as usual)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(db: Database, path: Path, passphrase: str, progress: Progress,
            should_stop: Callable[[], bool], audit: bool, merge_station: bool = False) -> ImportSummary:
    header, body = _open(path, passphrase, progress)
    _stop_if(should_stop)
    summary = ImportSummary(export_id=header["export_id"], device_id=header["device_id"],
                            device_code=header["device_code"], created=header["created"], rows=0)
    try:
        with db.engine.begin() as conn:
            # A no-op write first: it begins the transaction and takes the write lock, so
            # what the merge reads is still true when it writes.
            conn.exec_driver_sql("UPDATE local_device SET name = name WHERE 0")
            known = conn.exec_driver_sql("SELECT 1 FROM sync_log WHERE export_id = ? AND direction = 'import'",
                                         (header["export_id"],)).first()
            if known:  # checked as any file is, then left: nothing to merge
                payload = _checked(header, body, check(body, progress))
                _check_clocks(db, header, payload.checked.top)
                admit(db, header, payload.manifest, merge=merge_station)
                summary.rows, summary.already_imported = payload.rows, True
                return summary
            with _Merge(conn, summary, progress, should_stop) as merge:
                payload = _checked(header, body, merge.run(body))  # every row checked and merged
                summary.rows = payload.rows
                _check_clocks(db, header, payload.checked.top)
                admission = admit(db, header, payload.manifest, merge=merge_station)  # station, short code
                merge.check_references(payload)
                _stop_if(should_stop)
                merge.finish(payload.checked)
            _stop_if(should_stop)
            backup_before_merge(db, progress)  # of the database as committed: this merge is not in it
            conn.execute(insert(SyncLog.__table__).values(
                export_id=header["export_id"], direction="import", device_id=header["device_id"],
                device_code=header["device_code"], at=utcnow(), since_hlc=payload.manifest.get("since"),
                upto_hlc=payload.manifest.get("upto"), file_name=Path(path).name,
                device_name=admission.device_name, counts={name: vars(c) for name, c in summary.tables.items()}))
            admission.apply(conn)
            summary.station = admission.note
            if audit or admission.merged:  # an admin's merge of stations is always on record
                audit_import(db, conn, summary, path, merged=admission.merged)
            _stop_if(should_stop)
            progress("提交", 0, 1)
    except IntegrityError as exc:
        raise SyncError("invalid", f"同步包与本机数据冲突，无法合并，没有导入任何数据（{exc.orig}）") from None
    except (DBAPIError, OSError) as exc:  # a full disk or a read-only file, most likely at the commit
        if (failure := storage_failure(db, exc, header["export_id"])) is None:
            raise
        raise failure from exc
    if payload.checked.top:
        db.clock.observe(payload.checked.top)
    try:
        db.refresh_statistics()  # a merge can bring a whole station: the planner must know the new sizes
    except (DBAPIError, OSError) as exc:
        # The merge is committed; statistics only speed queries up and are refreshed again as
        # connections close. A full disk is not a failed import.
        if storage_problem(exc) is None:
            raise
    progress("完成", 1, 1)
    return summary


def _stop_if(should_stop: Callable[[], bool]) -> None:
    if should_stop():
        raise SyncError("cancelled", "已取消，没有导入任何数据")


def _check_clocks(db: Database, header: dict, top: str | None) -> None:
    """Refuse stamps more than a day ahead of this laptop: they would drag its clock along."""
    if top is None or parse(top).ms <= wall_ms() + DAY_MS:
        return
    node = top[-12:]
    name = header["device_code"] if node == node_of(header["device_id"]) else _device_name(db, node)
    hours = (parse(top).ms - wall_ms()) // 3_600_000
    raise SyncError("clock", f"同步包中设备 {name} 的时钟比本机快了约 {hours} 小时（超过一天）："
                             "请先校准那台电脑或本机的日期时间，没有导入任何数据")


def _device_name(db: Database, node: str) -> str:
    with db.connect() as conn:
        for device_id, code in conn.exec_driver_sql("SELECT DISTINCT device_id, device_code FROM sync_log"):
            if node_of(device_id) == node:
                return code
    return f"（编号 {node}）"


class _Merge:
    """The merge of a file into the open transaction as it is read, a batch at a time: each
    batch's stored rows are read, merged with it field by field, and written back; a table
    empty here takes its rows as they came."""

    def __init__(self, conn, summary: ImportSummary, progress: Progress, should_stop: Callable[[], bool]) -> None:
        self.conn, self.summary = conn, summary
        self.progress, self.should_stop = progress, should_stop
        self.met: dict[tuple[str, str], list] = {}  # (table, record) -> versions that met
        self.counts: dict[str, TableCounts] = {}
        self.empty: dict[str, bool] = {}  # table -> whether it held no row before this import
        self.indexes: list[tuple[str, str]] = []  # of the table being loaded, made again when it is complete
        self.incoming: list[list] = []  # the file's versions (sync_conflict): merged at the end, whole
        self.variables = variables(conn)
        self.bulk = ExitStack()  # a search load (bulk.search_load), while households or disputes pour in
        self.loading: tuple[str, ...] = ()  # the tables of that load

    def __enter__(self) -> _Merge:
        conn = self.conn
        self.cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size=-{_CACHE_KIB}")
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        return self

    def __exit__(self, *_exc) -> None:
        self.conn.exec_driver_sql(f"PRAGMA cache_size={self.cache}")

    def run(self, body: Body) -> Checked:
        """Read the whole file, checking each batch and then merging it; what the reading found."""
        reading = Reading(body)
        with closing(ahead(reading)) as batches:  # read and checked on a thread while this one writes
            for name, rows, chunk in batches:
                self.progress("写入", chunk, reading.chunks)
                _stop_if(self.should_stop)
                if name == CONFLICT_TABLE:
                    self.incoming += rows
                else:
                    self._batch(SPECS[name], rows)
                del rows  # not held while the next batch is waited for
        return reading.found

    def check_references(self, payload: Payload) -> None:
        """Every reference in the file must point at a row in the file or on this laptop."""
        checked = payload.checked
        for parent, ids in checked.wanted.items():
            missing = ids - set(fetch_ids(self.conn, parent, ids))
            if missing:
                tables = {name: TableRows(payload.body, mark) for name, mark in checked.marks.items()}
                where = referring_row(tables, parent, missing)
                raise SyncError("missing", f"同步包引用了本机没有的记录（{where}，{parent} 表共 {len(missing)} "
                                           "条），可能漏导入了对方之前的同步包：请让对方做一次完整导出，没有导入任何数据")

    def finish(self, checked: Checked) -> None:
        """Once the whole file passed: indexes and search rows made again, the versions merged."""
        self.progress("合并", 0, 1)
        self._complete(None)
        tables = self.summary.tables
        for name in SPECS:  # the summary lists tables in their usual order
            if name in checked.counts and name != CONFLICT_TABLE:
                tables[name] = self._counts(name)
        self._versions()
        for name, counts in self.counts.items():  # conflicts of records of tables the file does not carry
            tables.setdefault(name, counts)

    def _complete(self, following: str | None) -> None:
        """The tables read so far are complete (``following`` begins): the indexes of the last one
        are made now, and a search load is left once its family is in (households and residents,
        disputes and their parties). So this work goes on while the reading thread checks the next table."""
        for _name, sql in self.indexes:
            self.conn.exec_driver_sql(sql)
        self.indexes = []
        if following not in self.loading:
            self.bulk.close()  # the search load's indexes, search rows and triggers
            self.loading = ()

    def _counts(self, table: str) -> TableCounts:
        return self.counts.setdefault(table, TableCounts())

    def _batch(self, spec: TableSpec, rows: list[list]) -> None:
        conn, counts = self.conn, self._counts(spec.name)
        empty = self.empty.get(spec.name)
        if empty is None:  # the table's first batch: the tables before it are complete
            self._complete(spec.name)
            empty = self.empty[spec.name] = not conn.exec_driver_sql(f"SELECT 1 FROM {spec.name} LIMIT 1").first()
            if empty and len(rows) >= _BULK:  # a bulk load: indexes made once at its end, not row by row
                if spec.name in SEARCHED:  # households, or disputes, into a laptop without any
                    self.bulk.enter_context(search_load(conn, spec.name))
                    self.loading = _LOADED_WITH[spec.name]
                else:
                    self.indexes = drop_indexes(conn, spec.name)
        if empty:  # nothing to merge with: every row goes in as it came
            inserts, updates = rows, []
            deleted = sum(1 for row in rows if row[DELETED])
            counts.added += len(rows) - deleted
            counts.deleted += deleted
        else:
            inserts, updates = self._merge(spec, rows, counts)
        self._write(spec, inserts, updates)

    def _merge(self, spec: TableSpec, rows: list[list], counts: TableCounts) -> tuple[list, list]:
        local = fetch(self.conn, spec, [row[ID] for row in rows])
        inserts, updates = [], []
        for row in rows:
            mine = local.get(row[ID])
            if mine is None:
                inserts.append(row)
                if row[DELETED]:
                    counts.deleted += 1
                else:
                    counts.added += 1
                continue
            if spec.name in APPEND_ONLY:  # an entry is never changed, here or anywhere
                counts.unchanged += 1
                continue
            merged, met = merge_record(spec, mine, expand(row))
            if met:
                self.met[(spec.name, row[ID])] = met
            if merged == mine:
                counts.unchanged += 1
                continue
            updates.append(merged)
            if merged[DELETED] and not mine[DELETED]:
                counts.deleted += 1
            else:
                counts.updated += 1
        return inserts, updates

    def _versions(self) -> None:
        """Add the versions that met, merge the file's versions, and re-derive the touched records.

        The file's versions are read whole: a record's conflicts are derived from all of its
        versions at once, and a file carries few (one per field edited on two laptops)."""
        incoming = self.incoming
        if not incoming and not self.met:
            return
        c = CONFLICT.index
        touched = set(self.met) | {(row[c["table_name"]], row[c["record_id"]]) for row in incoming}
        local = fetch_versions(self.conn, touched)
        combined = {row[ID]: list(row) for row in local.values()}
        for row in map(expand, incoming):
            mine = combined.get(row[ID])
            combined[row[ID]] = list(row) if mine is None else merge_version_rows(mine, row)
        for (table, record), met in self.met.items():
            for name, *versions in met:
                for version in versions:
                    fresh = new_version_row(table, record, name, version)
                    combined.setdefault(fresh[ID], fresh)
        by_record: dict[tuple[str, str], list[list]] = {}
        for row in combined.values():
            by_record.setdefault((row[c["table_name"]], row[c["record_id"]]), []).append(row)
        for rows in by_record.values():
            derive_record(rows)
        inserts, updates = [], []
        for row_id, row in combined.items():
            mine = local.get(row_id)
            if mine is None:
                inserts.append(row)
            elif row != mine:
                updates.append(row)
            is_open = not row[DELETED] and not row[c["resolved"]]
            was_open = mine is not None and not mine[DELETED] and not mine[c["resolved"]]
            if is_open and not was_open:
                self._counts(row[c["table_name"]]).conflicts += 1
        self._write(CONFLICT, inserts, updates)

    def _write(self, spec: TableSpec, inserts: list[list], updates: list[list]) -> None:
        conn = self.conn
        if inserts:
            insert_rows(conn, spec, inserts, self.variables)
        if updates:
            conn.exec_driver_sql(spec.update_sql(), [(*to_storage(spec, r)[1:], r[ID]) for r in updates])
        if inserts or updates:  # what the next export of this laptop must pass on
            record_received(conn, spec.name, [r[ID] for r in chain(inserts, updates)], self.variables)
