"""Helpers for the sync tests: laptops made from the migrated template, files passed between them."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import uuid
from pathlib import Path

from app.sync.container import ContainerWriter
from app.sync.export import canonical_dump, export_changes
from app.sync.importer import import_file
from app.sync.tables import SPECS, canonical
from db import migrate
from db.engine import Database
from db.hlc import HybridClock, node_of, wall_ms

PASSPHRASE = "派出所同步口令 2026"
# Cheap key derivation for tests (files carry their own parameters; the default costs ~0.2 s).
FAST_KDF = {"name": "argon2id", "memory_kib": 32, "iterations": 1, "lanes": 1}


class FakeWall:
    """A laptop's wall clock that tests can move back and forth."""

    def __init__(self, offset_ms: int = 0) -> None:
        self.offset_ms = offset_ms

    def __call__(self) -> int:
        return wall_ms() + self.offset_ms


def make_device(template: Path, folder: Path, code: str, *, wall: FakeWall | None = None) -> Database:
    """A laptop of its own: a copy of the migrated template with a new device id."""
    path = folder / f"{code}.sqlite3"
    shutil.copy(template, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE local_device SET id = ?, short_code = ?", (uuid.uuid4().hex, code))
    conn.close()
    db = Database.open(path)
    if wall is not None:
        db.clock = HybridClock(node_of(db.device.id), wall=wall)
    return db


class Courier:
    """Carries sync files between laptops, numbering them in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[Path] = []

    def export(self, db: Database, *, full: bool = False) -> Path:
        path = self.folder / f"{len(self.files):03d}-{db.device.short_code}.cpsync"
        export_changes(db, out=path, passphrase=PASSPHRASE, full=full, kdf=FAST_KDF)
        self.files.append(path)
        return path

    @staticmethod
    def bring(db: Database, path: Path):
        return import_file(db, path=path, passphrase=PASSPHRASE)


def dump(db: Database) -> bytes:
    return canonical_dump(db)


def file_state(db: Database) -> str:
    """A digest of the database file and its WAL: equal means byte-identical on disk."""
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(f"{db.path}{suffix}")
        h.update(path.read_bytes() if path.exists() else b"<none>")
    return h.hexdigest()


def sealed(header: dict, payload: bytes) -> bytes:
    out = io.BytesIO()
    writer = ContainerWriter(out, header, PASSPHRASE, kdf=FAST_KDF)
    writer.write(payload)
    writer.close()
    return out.getvalue()


def plain_header(**changes) -> dict:
    return {"schema": migrate.head_revision(), "export_id": "e" * 32, "device_id": "a" * 32,
            "device_code": "X01", "created": "2026-01-01T00:00:00+00:00", **changes}


def write_file(path, rows: dict[str, list[list]], *, export_id: str = "f" * 32, escape: bool = False) -> None:
    """A well-sealed file of these rows (right passphrase, right format): only its contents may be wrong.

    ``escape`` writes non-ASCII text as \\u escapes, the way a lone surrogate can be carried."""
    line = (lambda value: json.dumps(value, ensure_ascii=True, sort_keys=True)) if escape else canonical
    lines = []
    for name, table in rows.items():
        lines.append(line({"table": name, "columns": list(SPECS[name].columns)}))
        lines += [line(row) for row in table]
    lines.append(line({"manifest": {"export_id": export_id, "tables": {n: len(t) for n, t in rows.items()}}}))
    body = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")  # a lone surrogate as it would be sent
    path.write_bytes(sealed(plain_header(export_id=export_id), body))
