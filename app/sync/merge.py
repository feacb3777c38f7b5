"""The merge rule: rows merge field by field on their clocks; met versions decide the conflicts.

Record merge. For each data field (``deleted`` included) the version with the higher stamp
wins; stamps are unique per change and compare as strings, their node part breaking ties,
so the result is the same in any order, and merging twice changes nothing.

Conflicts. Whenever two different versions of a field meet in an import, both are kept as
rows of ``sync_conflict`` ("versions"; their id is derived from table, record, field and
stamp, so every laptop makes the same row). Which of them an officer must look at is
derived from the set of versions of the record alone, never from the order they arrived
in: a version is an open conflict when it lost (it is not the field's newest version and
its value differs) and no other known version was made over it (``supersedes``: made with
it as parent, or later by the same laptop). Deciding from the whole set is what makes the
conflicts converge too: judged pair by pair, an old file arriving late would make a
conflict on one laptop that another never sees. Versions that are not open conflicts are
kept as hidden tombstones (``deleted``), the field's history.

A delete is the ``deleted`` field changing, with one exception: an edit made later (by
stamp) on a laptop that had not seen the delete brings the record back. A side of a merge
whose ``deleted`` stamp is older than the other's delete was made without that delete in
view, so its field stamps newer than the delete are exactly such edits; the delete is then
overturned (``_overturned`` shows why this is the same in any order). An older edit never
brings a record back, nor does an edit made on the deleted record itself (its row carries
the delete). An overturned delete keeps its stamp and the row stores ``deleted = 0`` under
it; meeting its own un-overturned form, the overturned form stays. A later delete (made
with the record back in view) deletes it again, until an edit made after that one without
seeing it. The delete lost, so it is flagged: judging from the versions, where an edit
newer than the newest delete means the record came back, ``derive_record`` keeps the delete
as an open conflict on ``deleted`` (lost: deleted; kept: not deleted, by the first such
edit); keeping the lost value deletes the record again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from app.sync.tables import CLOCKS, CREATED, DELETED, HLC, ID, SPECS, UPDATED, UPDATED_BY, TableSpec, canonical
from db.base import ALL_FIELDS
from db.hlc import parse

Version = tuple[str, str | None, Any]  # (stamp, parent stamp, value)
CONFLICT = SPECS["sync_conflict"]
_C = CONFLICT.index
DERIVED = ("deleted", "kept_value", "kept_hlc")  # recomputed from the versions, never edited
OFFICER = ("resolved", "resolution")  # an officer's choice: merged like any field


def _entry_key(entry: list) -> tuple[str, str]:
    return entry[0], entry[1] or ""


def merge_record(spec: TableSpec, local: list, incoming: list) -> tuple[list, list[tuple[str, Version, Version]]]:
    """The merged row, and for each field whose two versions differ, (field, local, incoming)."""
    lc, ic = local[CLOCKS], incoming[CLOCKS]
    star = max(lc[ALL_FIELDS], ic[ALL_FIELDS], key=_entry_key)
    merged, clocks, met = list(local), {ALL_FIELDS: star}, []
    for name, i in spec.data_fields:
        le, ie = lc.get(name) or lc[ALL_FIELDS], ic.get(name) or ic[ALL_FIELDS]
        if le[0] == ie[0]:  # the same change on both sides
            entry = max(le, ie, key=_entry_key)
            if local[i] != incoming[i]:
                if i == DELETED:  # a delete and its overturned form: overturned stays overturned
                    merged[i] = min(local[i], incoming[i])
                elif canonical(incoming[i]) > canonical(local[i]):
                    merged[i] = incoming[i]  # cannot happen with honest files; still order-free
        else:
            met.append((name, (le[0], le[1], local[i]), (ie[0], ie[1], incoming[i])))
            entry = ie if ie[0] > le[0] else le
            if entry is ie:
                merged[i] = incoming[i]
        if entry != star:
            clocks[name] = list(entry)
    if merged[DELETED] and _overturned(spec, lc, ic):
        merged[DELETED] = 0
    merged[CLOCKS] = dict(sorted(clocks.items()))
    merged[HLC] = max(e[0] for e in clocks.values())
    newest = max(local, incoming, key=lambda r: (r[HLC], r[UPDATED], r[UPDATED_BY] or ""))
    merged[UPDATED], merged[UPDATED_BY] = newest[UPDATED], newest[UPDATED_BY]
    # created_at goes with the insert stamp ("*") kept above: honest copies of one making carry
    # the same value (a file re-sending a row with equal stamps cannot rewrite it), and a row whose
    # id is derived (an enterprise from its credit code) made on two laptops takes the making kept.
    if _entry_key(ic[ALL_FIELDS]) > _entry_key(lc[ALL_FIELDS]):
        merged[CREATED] = incoming[CREATED]
    return merged, met


def _overturned(spec: TableSpec, lc: dict, ic: dict) -> bool:
    """Whether the side with the older ``deleted`` stamp holds an edit newer than the other's delete.

    Why this is order-free: call a row's delete *overturned* when its history (the rows it
    was merged from) holds a row with an older ``deleted`` stamp and a field stamp newer
    than the delete. A stored row says ``deleted = 0`` for an overturned delete. Merging two
    rows, the newer delete d wins; the other side's rows all have ``deleted`` stamps older
    than d, and its field stamps are the newest of theirs, so d is overturned in the merged
    history iff it was in the winner's (its stored value says) or a field of the other side
    is newer than d (checked here). With equal stamps both histories hold d itself: the
    delete is overturned if either says so (``min`` above). Hence the stored value is a
    function of the set of rows merged, whatever the order or grouping."""
    dl, di = (lc.get("deleted") or lc[ALL_FIELDS])[0], (ic.get("deleted") or ic[ALL_FIELDS])[0]
    if dl == di:
        return False
    delete, older = max(dl, di), (lc if dl < di else ic)
    return any((older.get(name) or older[ALL_FIELDS])[0] > delete for name, i in spec.data_fields if i != DELETED)


# --- versions and conflicts ---------------------------------------------------------------

def version_id(table: str, record: str, field: str, stamp: str) -> str:
    return hashlib.sha256(f"{table}\x00{record}\x00{field}\x00{stamp}".encode()).hexdigest()[:32]


def stamp_time(stamp: str) -> str:
    """A stamp's wall-clock part in the DateTime storage format (deterministic row times)."""
    moment = datetime.fromtimestamp(parse(stamp).ms / 1000, UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def new_version_row(table: str, record: str, field: str, version: Version) -> list:
    stamp, parent, value = version
    row: list[Any] = [None] * len(CONFLICT.columns)
    row[ID] = version_id(table, record, field, stamp)
    row[CREATED] = row[UPDATED] = stamp_time(stamp)
    row[HLC], row[CLOCKS], row[DELETED], row[UPDATED_BY] = stamp, {ALL_FIELDS: [stamp, parent]}, 1, None
    for name, value_ in (("table_name", table), ("record_id", record), ("field", field),
                         ("lost_value", canonical(value)), ("lost_hlc", stamp), ("lost_by", stamp[-12:]),
                         ("kept_value", canonical(value)), ("kept_hlc", stamp), ("resolved", 0),
                         ("resolution", None)):
        row[_C[name]] = value_
    return row


def merge_version_rows(local: list, incoming: list) -> list:
    """Two copies of one version row: the officer's fields merge by stamp; the rest is re-derived later."""
    merged = list(local)
    lc, ic = local[CLOCKS], incoming[CLOCKS]
    clocks = dict(lc)
    for name in OFFICER:
        le, ie = lc.get(name) or lc[ALL_FIELDS], ic.get(name) or ic[ALL_FIELDS]
        if _entry_key(ie) > _entry_key(le):
            merged[_C[name]], clocks[name] = incoming[_C[name]], list(ie)
    if merged[_C["field"]] == "deleted" and incoming[_C["lost_value"]] > local[_C["lost_value"]]:
        # One version seen by one laptop as its overturned form (0) and by another as the delete
        # it was (1): a delete's stamp never carried a 0 otherwise, so the delete is the version.
        merged[_C["lost_value"]] = incoming[_C["lost_value"]]
    merged[CLOCKS] = clocks
    officer = max((local, incoming), key=lambda r: _officer_stamp(r))
    merged[UPDATED], merged[UPDATED_BY] = officer[UPDATED], officer[UPDATED_BY]
    return merged


def _officer_stamp(row: list) -> tuple[str, str, str]:
    clocks = row[CLOCKS]
    stamp = max((clocks[name][0] for name in OFFICER if name in clocks), default="")
    return stamp, row[UPDATED], row[UPDATED_BY] or ""


def _version(row: list) -> tuple[str, str | None, str]:
    stamp, parent = row[CLOCKS][ALL_FIELDS]
    return stamp, parent, row[_C["lost_value"]]


def _supersedes(later: tuple, earlier: tuple) -> bool:
    return later[1] == earlier[0] or (later[0][-12:] == earlier[0][-12:] and later[0] > earlier[0])


def derive_record(rows: list[list]) -> None:
    """Recompute, in place, which versions of one record are open conflicts (see the module doc)."""
    by_field: dict[str, list[list]] = {}
    for row in rows:
        by_field.setdefault(row[_C["field"]], []).append(row)
    top = max(row[_C["lost_hlc"]] for row in rows)
    for field, group in by_field.items():
        versions = [_version(row) for row in group]
        newest = max(versions)
        kept = newest[0], newest[2]
        if field == "deleted" and json.loads(newest[2]) == 1:
            after = [row[_C["lost_hlc"]] for row in rows
                     if row[_C["field"]] != "deleted" and row[_C["lost_hlc"]] > newest[0]]
            if after:  # edited after the delete: the record is back (see the module doc), the delete lost
                kept = min(after), canonical(0)
        open_ = {v[0] for v in versions
                 if v[0] != kept[0] and v[2] != kept[1] and not any(_supersedes(o, v) for o in versions)}
        for row, version in zip(group, versions):
            row[DELETED] = 0 if version[0] in open_ else 1
            row[_C["kept_value"]], row[_C["kept_hlc"]] = kept[1], kept[0]
            clocks = dict(row[CLOCKS])
            for name in DERIVED:
                clocks[name] = [top, None]
            row[CLOCKS] = dict(sorted(clocks.items()))
            row[HLC] = max(entry[0] for entry in clocks.values())
            if not _officer_stamp(row)[0]:  # untouched by an officer: times follow the versions
                row[UPDATED], row[UPDATED_BY] = stamp_time(top), None
