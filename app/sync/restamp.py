"""The clock repair's rewrite: which of the stamps ahead move, where to, and the rows that hold them
(when and why: app/sync/clock_repair.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.sync.clock_repair import AHEAD_MS, ClockRepair
from app.sync.importer import APPEND_ONLY, DAY_MS
from app.sync.merge import CONFLICT, derive_record, stamp_time, version_id
from app.sync.tables import CLOCKS, CONFLICT_TABLE, CREATED, HLC, ID, SPECS, fetch_versions, to_file, to_storage
from db import audit_chain
from db.base import ALL_FIELDS
from db.engine import Database
from db.hlc import HybridClock, node_of, parse

_C = CONFLICT.index
_STAMPED = (HLC, _C["lost_hlc"], _C["kept_hlc"])  # conflict columns holding stamps besides clocks


def _days(ms: int, now: int) -> int:
    return max(1, round((ms - now) / DAY_MS))


class Plan:
    """The rows holding stamps ahead, which of those stamps to move, and where to."""

    def __init__(self, conn, db: Database, now: int, threshold: str) -> None:
        self.conn, self.db, self.now = conn, db, now
        self.node = node_of(db.device.id)
        self.rows: dict[str, list[list]] = {}  # table -> rows with a stamp ahead (working form)
        for name, spec in SPECS.items():
            if name != CONFLICT_TABLE:
                self.rows[name] = [to_file(spec, r) for r in conn.exec_driver_sql(
                    f"{spec.select_sql()} WHERE hlc > ?", (threshold,))]
        records = {(r[0], r[1]) for r in conn.exec_driver_sql(
            "SELECT DISTINCT table_name, record_id FROM sync_conflict WHERE hlc > ?", (threshold,))}
        self.versions = fetch_versions(conn, records)  # every version of those records
        self.exported_to = conn.exec_driver_sql(
            "SELECT max(upto_hlc) FROM sync_log WHERE direction = 'export' AND device_id = ?",
            (db.device.id,)).scalar()
        self.stamps = sorted(self._stamps(), reverse=True)
        self.threshold = threshold

    def _stamps(self) -> set[str]:
        found: set[str] = set()
        for row in [r for rows in self.rows.values() for r in rows] + list(self.versions.values()):
            found.add(row[HLC])
            for stamp, parent in row[CLOCKS].values():
                found.add(stamp)
                if parent:
                    found.add(parent)
        for row in self.versions.values():
            found.update((row[_C["lost_hlc"]], row[_C["kept_hlc"]]))
        return found

    def _movable(self, stamp: str) -> bool:
        if stamp[-12:] != self.node:
            return False
        never_exported = self.exported_to is None or stamp > self.exported_to
        return never_exported or parse(stamp).ms > self.now + DAY_MS  # refused by every laptop with a right clock

    def apply(self) -> ClockRepair:
        ahead = [s for s in self.stamps if s > self.threshold]
        run = []
        for stamp in ahead:
            if not self._movable(stamp):
                break
            run.append(stamp)
        moved = self._new_stamps(run)
        repair = ClockRepair()
        if moved:
            rows = self._rewrite(moved)
            exported = [s for s in moved if self.exported_to is not None and s <= self.exported_to]
            repair = ClockRepair(restamped=len(moved), rows=rows, days_ahead=_days(parse(run[0]).ms, self.now),
                                 void_files=self._files_with(min(exported)) if exported else (), moved=moved)
        stuck = next((s for s in ahead if s[-12:] != self.node and parse(s).ms > self.now + DAY_MS), None)
        if stuck is not None:  # another laptop's stamp far ahead: this laptop's files stay refused
            return ClockRepair(**{**vars(repair), "stuck_on": self._device_name(stuck[-12:]),
                                  "stuck_days": _days(parse(stuck).ms, self.now)})
        return repair

    def _new_stamps(self, run: list[str]) -> dict[str, str]:
        """Old -> new for ``run`` (highest first): at the present, above every stamp that stays,
        in the old order; nothing when that would not bring them back by more than AHEAD_MS."""
        below = [t for t in (self._top_below(), self.exported_to) if t]
        while run:
            stays = [s for s in self.stamps if s < run[-1]] + [t for t in below if t < run[-1]]
            clock = HybridClock(self.node, wall=lambda: self.now)
            clock.observe(max(stays, default=f"{0:012x}-0000-{self.node}"))
            new = [clock.now() for _ in run]
            if new[-1] < run[-1]:
                break
            # The run's bottom stamps cannot come back below what stays (say, just above a stamp
            # exported after the clock was set back): they stay too, and the rest goes above them.
            run = [s for s in run if s > new[-1]]
        if not run or parse(run[0]).ms - parse(new[-1]).ms <= AHEAD_MS:
            return {}
        return dict(zip(reversed(run), new))

    def _top_below(self) -> str | None:
        """The highest stamp stored among rows not ahead (rows ahead were read in full)."""
        sql = " UNION ALL ".join(f"SELECT max(hlc) AS top FROM {name} WHERE hlc <= ?" for name in SPECS)
        return self.conn.exec_driver_sql(f"SELECT max(top) FROM ({sql})", (self.threshold,) * len(SPECS)).scalar()

    def _rewrite(self, moved: dict[str, str]) -> int:
        def m(stamp):
            return moved.get(stamp, stamp)

        count = 0
        for name, rows in self.rows.items():
            spec = SPECS[name]
            changed = []
            for row in rows:
                new = list(row)
                new[CLOCKS] = {key: [m(s), m(p)] for key, (s, p) in row[CLOCKS].items()}
                new[HLC] = m(row[HLC])
                if new != row:
                    stored = to_storage(spec, new)
                    changed.append((stored[HLC], stored[CLOCKS], new[ID]))
            if changed:  # the stamps only: every other column stays as stored, byte for byte
                with _append_only_lifted(self.conn, name):
                    self.conn.exec_driver_sql(f"UPDATE {name} SET hlc = ?, clocks = ? WHERE id = ?", changed)
                    if name == "audit_entry":
                        self._rechain([row_id for *_stamps, row_id in changed])
                count += len(changed)
        return count + self._rewrite_versions(m)

    def _rechain(self, ids: list[str]) -> None:
        """The audit chain hashes each entry's stamp (db/audit_chain.py): this laptop's chain is
        linked again from the first entry moved. Those entries were never taken by another
        laptop (never exported, or in files every laptop refused), so no copy disagrees."""
        marks = ",".join("?" * len(ids))
        first = self.conn.exec_driver_sql(
            f"SELECT min(seq) FROM audit_entry WHERE device = ? AND id IN ({marks})", (self.node, *ids)).scalar()
        if first is None:
            return
        columns = ", ".join(audit_chain.HASHED)
        relinked: dict[str, str] = {}  # old entry hash -> new
        for entry in self.conn.exec_driver_sql(
                f"SELECT seq, prev_hash, entry_hash, {columns} FROM audit_entry WHERE device = ? AND seq >= ? "
                "ORDER BY seq, id", (self.node, first)).mappings().all():
            prev = relinked.get(entry["prev_hash"], entry["prev_hash"])
            digest = audit_chain.entry_hash(entry, device=self.node, seq=entry["seq"], prev_hash=prev)
            relinked[entry["entry_hash"]] = digest
            self.conn.exec_driver_sql("UPDATE audit_entry SET prev_hash = ?, entry_hash = ? WHERE id = ?",
                                      (prev, digest, entry["id"]))

    def _rewrite_versions(self, m) -> int:
        """Conflict versions are named by their stamp (merge.version_id): a moved one gets its new
        name, and each record's versions are derived again (times and kept stamps follow)."""
        pairs, by_record = [], {}
        for old in self.versions.values():
            new = list(old)
            new[CLOCKS] = {key: [m(s), m(p)] for key, (s, p) in old[CLOCKS].items()}
            for i in _STAMPED:
                new[i] = m(old[i])
            stamp = new[CLOCKS][ALL_FIELDS][0]
            if stamp != old[CLOCKS][ALL_FIELDS][0]:
                new[ID] = version_id(new[_C["table_name"]], new[_C["record_id"]], new[_C["field"]], stamp)
                new[CREATED] = stamp_time(stamp)
            pairs.append((old, new))
            by_record.setdefault((new[_C["table_name"]], new[_C["record_id"]]), []).append(new)
        for rows in by_record.values():
            derive_record(rows)  # in place
        spec, count = SPECS[CONFLICT_TABLE], 0
        for old, new in pairs:
            if new == old:
                continue
            count += 1
            if new[ID] != old[ID]:  # never exported (or in a void file): no other laptop has the old name
                self.conn.exec_driver_sql(f"DELETE FROM {CONFLICT_TABLE} WHERE id = ?", (old[ID],))
                self.conn.exec_driver_sql(spec.insert_sql(), to_storage(spec, new))
            else:
                self.conn.exec_driver_sql(spec.update_sql(), (*to_storage(spec, new)[1:], new[ID]))
        return count

    def _files_with(self, lowest: str) -> tuple[str, ...]:
        return tuple(name or "?" for (name,) in self.conn.exec_driver_sql(
            "SELECT file_name FROM sync_log WHERE direction = 'export' AND device_id = ? AND upto_hlc >= ? "
            "ORDER BY id", (self.db.device.id, lowest)))

    def _device_name(self, node: str) -> str:
        for device_id, code in self.conn.exec_driver_sql("SELECT DISTINCT device_id, device_code FROM sync_log"):
            if node_of(device_id) == node:
                return code
        return f"（编号 {node}）"


@contextmanager
def _append_only_lifted(conn, table: str) -> Iterator[None]:
    """For an append-only table, its refusing triggers are dropped for the statement and made
    again from their own definitions; a failure rolls the transaction back, triggers included."""
    triggers = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                                    (table,)).fetchall() if table in APPEND_ONLY else []
    for name, _sql in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)
