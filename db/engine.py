"""Opening the database file: engine with the pragmas we rely on, migrations, device, clock."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session, select

from db import cipher, lock, migrate
from db.backup import make_backup
from db.base import new_id
from db.errors import StorageError
from db.hlc import HybridClock, node_of
from db.models import LocalDevice
from db.stamping import CLOCK, OFFICER, TOP_STAMP_SQL

BUSY_TIMEOUT_MS = 5000
# Rows ANALYZE samples per index: statistics good enough for the planner, in bounded time at any size.
ANALYSIS_LIMIT = 1000


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        # Keyed when the file is encrypted (db/cipher.py); connections may be made on a worker
        # thread and used on the UI thread (one at a time).
        creator=lambda: cipher.connect(path, read_only=read_only),
        module=cipher.driver(path),
        # JSON columns hold Chinese (agreement terms, audit details): store it readable.
        json_serializer=lambda value: json.dumps(value, ensure_ascii=False),
    )
    if read_only:
        return engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")  # a power cut never loses a committed visit
        cursor.close()

    @event.listens_for(engine, "close")
    def _optimize(dbapi_conn, _record) -> None:
        # Every connection, as it closes, refreshes the statistics of the tables its queries
        # used if they are missing or stale; a failure here only costs speed, never the close.
        try:
            dbapi_conn.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            dbapi_conn.execute("PRAGMA optimize")
        except cipher.ERRORS:
            pass

    return engine


def refresh_statistics(engine: Engine) -> None:
    """Planner statistics (sqlite_stat1) for every table, after bulk changes (demo, import, migration).

    SQLite keeps none until ANALYZE runs; without them it guessed the dispute list's revisit
    lookups wrong and walked every open revisit for each dispute (1 s at station scale)."""
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")


def _short_code(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{rng.randrange(100):02d}"


class Database:
    """One open database file with this laptop's identity and clock."""

    def __init__(self, path: Path, engine: Engine, device: LocalDevice) -> None:
        self.path = path
        self.engine = engine
        self.device = device
        self.clock = HybridClock(node_of(device.id))
        self.officer_id: str | None = None  # the officer logged in: the author of every write
        self._locked = True  # by open(): this process's hold on the file (db/lock.py)
        self._seed_clock()

    @classmethod
    def open(cls, path: Path | str, *, create: bool = False) -> Database:
        """Open (and, with ``create``, make) the file, upgrading its schema after a backup."""
        path = Path(path)
        if not path.exists() and not create:
            raise StorageError(f"数据库文件不存在：{path}")
        if path.exists() and not cipher.is_plain(path) and cipher.key_for(path) is None \
                and cipher.keys_path(path).exists():
            raise StorageError(f"数据库已加密，请先登录：{path}")
        if path.exists() and not looks_like_sqlite(path):
            raise StorageError(f"不是数据库文件：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(path)  # one program per file: DatabaseInUse when another has it
        engine = None
        try:
            engine = make_engine(path)
            if migrate.needs_upgrade(engine):
                if migrate.current_revision(engine) is not None:
                    make_backup(path, reason="before-upgrade")
                migrate.upgrade(engine)
                refresh_statistics(engine)
            device = _ensure_device(engine)
            return cls(path, engine, device)
        except Exception:
            if engine is not None:
                engine.dispose()
            lock.release(path)
            raise

    def session(self, *, officer_id: str | None = None) -> Session:
        """An ORM session whose flushes stamp synced rows (see db.stamping), written by
        ``officer_id`` or else the officer logged in."""
        return Session(self.engine, info={CLOCK: self.clock, OFFICER: officer_id or self.officer_id},
                       expire_on_commit=False)

    @contextmanager
    def connect(self) -> Iterator:
        """A Core connection for reads and pure-SQL work."""
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()  # each connection runs PRAGMA optimize as it closes (make_engine)
        if self._locked:
            self._locked = False
            lock.release(self.path)

    def refresh_statistics(self) -> None:
        refresh_statistics(self.engine)

    def _seed_clock(self) -> None:
        # Never stamp below what is stored, even when the laptop's clock went back.
        with self.engine.connect() as conn:
            latest = conn.exec_driver_sql(TOP_STAMP_SQL).scalar()
        if latest:
            self.clock.observe(latest)


def looks_like_sqlite(path: Path) -> bool:
    """A plain SQLite file, or one this program can decrypt with a key it holds."""
    if cipher.is_plain(path):
        return True
    key = cipher.key_for(path)
    if key is None:
        return False
    try:
        conn = cipher.connect(path, read_only=True, key=key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except cipher.ERRORS:
        return False
    return True


def _ensure_device(engine: Engine) -> LocalDevice:
    with Session(engine, expire_on_commit=False) as session:
        device = session.exec(select(LocalDevice)).first()
        if device is None:
            device_id = new_id()
            device = LocalDevice(id=device_id, short_code=_short_code(random.Random(device_id)))
            session.add(device)
            session.commit()
        return device


def check(path: Path, *, quick: bool = False) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks (empty when healthy).

    ``quick`` runs ``quick_check`` only (no index contents, no foreign keys): the check made
    at every start of the program."""
    try:
        conn = cipher.connect(path, read_only=True)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            problems = [row[0] for row in conn.execute(f"PRAGMA {pragma}") if row[0] != "ok"]
            if not quick:
                problems += [
                    f"foreign key: {table} row {rowid} -> {parent}"
                    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check")
                ]
        finally:
            conn.close()
    except (*cipher.ERRORS, StorageError) as exc:
        return [str(exc)]
    return problems


def restorable_problems(path: Path, *, for_db: Path | None = None) -> list[str]:
    """Why ``path`` cannot replace the database (``for_db``, whose key an encrypted backup
    shares wherever it was kept): damage, or not a database of this program."""
    if for_db is not None and (key := cipher.key_for(for_db)):
        cipher.unlock(path, key)
    if not Path(path).is_file() or not looks_like_sqlite(Path(path)):
        return [f"不是数据库文件：{path}"]
    problems = check(path)
    if problems:
        return problems
    engine = make_engine(path, read_only=True)
    try:
        migrate.needs_upgrade(engine)  # raises for a foreign file or one from a newer program
    except StorageError as exc:
        return [str(exc)]
    finally:
        engine.dispose()
    return []


def newest_good_backup(db_path: Path) -> Path | None:
    from db.backup import list_backups

    return next((b for b in list_backups(db_path) if not restorable_problems(b)), None)
