"""Bad sync files are refused with the right message and leave the database byte-identical."""

from __future__ import annotations

import io
import json
import os
import random

import pytest

from app.sync.container import MAGIC, ContainerWriter, SyncError, read_header
from app.sync.export import _read, export_changes
from app.sync.importer import import_file
from app.sync.tables import SPECS, canonical
from db.models import Community, Household, Resident
from tests.support.sync import FAST_KDF, PASSPHRASE, dump, file_state, make_device, plain_header, sealed

ID_NUMBERS = ["11010519491231002X", "440524198001010013", "330102200001010018"]
PHONES = ["13800138000", "13900139000", "0571-87654321"]


@pytest.fixture
def source(tmp_path, _template_db):
    db = make_device(_template_db, tmp_path, "S01")
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="阳光花园", building="2")
        s.add(household)
        s.flush()
        for name, number, phone in zip(("张伟", "李娜", "王芳"), ID_NUMBERS, PHONES):
            s.add(Resident(household_id=household.id, name=name, id_number=number, phone=phone))
        s.commit()
    yield db
    db.close()


@pytest.fixture
def target(tmp_path, _template_db):
    db = make_device(_template_db, tmp_path, "T02")
    yield db
    db.close()


@pytest.fixture
def export_file(source, tmp_path):
    path = tmp_path / "good.cpsync"
    export_changes(source, out=path, passphrase=PASSPHRASE, kdf=FAST_KDF)
    return path


def refused(db, path, passphrase=PASSPHRASE) -> SyncError:
    with pytest.raises(SyncError) as caught:
        import_file(db, path=path, passphrase=passphrase)
    return caught.value


def test_the_export_file_holds_no_id_number_or_phone_in_the_clear(export_file):
    data = export_file.read_bytes()
    for secret in ID_NUMBERS + PHONES:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in data
    assert "张伟".encode() not in data and "阳光".encode() not in data


def test_a_good_file_imports(export_file, target):
    summary = import_file(target, path=export_file, passphrase=PASSPHRASE)
    assert summary.tables["resident"].added == 3


def test_every_flipped_byte_is_refused_and_changes_nothing(export_file, target, tmp_path):
    good = export_file.read_bytes()
    _header, body_start = read_header(good)
    before = file_state(target)
    bad = tmp_path / "bad.cpsync"
    for offset in range(len(good)):
        data = bytearray(good)
        data[offset] ^= 0x01 << (offset % 8)
        bad.write_bytes(bytes(data))
        error = refused(target, bad)
        expected = {"damaged"} if offset >= body_start else {"damaged", "not_sync", "passphrase", "format"}
        assert error.kind in expected, f"byte {offset}: {error.kind} {error}"
    assert file_state(target) == before


def test_every_truncation_is_refused_and_changes_nothing(export_file, target, tmp_path):
    good = export_file.read_bytes()
    before = file_state(target)
    bad = tmp_path / "short.cpsync"
    for length in range(len(good)):
        bad.write_bytes(good[:length])
        error = refused(target, bad)
        assert error.kind in {"damaged", "not_sync"}, f"length {length}: {error}"
        assert "损坏" in str(error) or "不是" in str(error)
    assert file_state(target) == before


def test_a_wrong_passphrase_is_told_apart_from_damage(export_file, target):
    before = file_state(target)
    error = refused(target, export_file, passphrase="别的口令")
    assert error.kind == "passphrase" and "口令不对" in str(error)
    assert file_state(target) == before


def test_random_bytes_and_other_files_are_not_sync_files(target, tmp_path):
    before = file_state(target)
    rng = random.Random(5)
    for n, data in enumerate([b"", os.urandom(10), os.urandom(5000), bytes(rng.randrange(256) for _ in range(999)),
                              b"SQLite format 3\x00" + bytes(100), "同步包".encode() * 50]):
        path = tmp_path / f"junk{n}.cpsync"
        path.write_bytes(data)
        assert refused(target, path).kind in {"not_sync", "damaged"}
    assert file_state(target) == before


def test_a_missing_file_is_reported(target, tmp_path):
    assert refused(target, tmp_path / "nowhere.cpsync").kind == "not_found"


def test_a_file_from_a_newer_schema_is_refused(target, tmp_path):
    before = file_state(target)
    path = tmp_path / "newer.cpsync"
    path.write_bytes(sealed(plain_header(schema="9999_from_the_future"), b""))
    error = refused(target, path)
    assert error.kind == "schema" and "升级本程序" in str(error)
    assert file_state(target) == before


def test_a_file_from_a_newer_format_is_refused_before_decrypting(target, tmp_path):
    data = sealed(plain_header(), b"")
    size = int.from_bytes(data[len(MAGIC):len(MAGIC) + 4], "big")
    start = len(MAGIC) + 4
    header = json.loads(data[start:start + size])
    header["format"] = 2
    body = json.dumps(header).encode()
    path = tmp_path / "format2.cpsync"
    path.write_bytes(MAGIC + len(body).to_bytes(4, "big") + body + data[start + size:])
    error = refused(target, path)
    assert error.kind == "format" and "升级" in str(error)


@pytest.mark.parametrize("payload", [
    b"not json\n",
    b'{"table":"community","columns":["id"]}\n'
    b'{"manifest":{"export_id":"' + b"e" * 32 + b'","tables":{"community":0}}}\n',
    b'{"table":"nope","columns":[]}\n{"manifest":{"export_id":"' + b"e" * 32 + b'","tables":{"nope":0}}}\n',
    b'{"table":["community"],"columns":[]}\n',  # not even a name
    b'{"table":"community\\n","columns":[]}\n',
    b'[1]\n{"manifest":{}}\n',  # a row before any table
    b'{"manifest":5}\n',
    b'{"manifest":{"tables":{}}}\n{"table":"community"}\n',  # something after the manifest
    b'{}\n',
    b'{"manifest":{"tables":{}}}',  # no final newline
    b'\xff\xfe{}\n',  # not UTF-8
])
def test_a_sealed_file_with_malformed_contents_is_refused(target, tmp_path, payload):
    before = dump(target), file_state(target)
    path = tmp_path / "odd.cpsync"
    path.write_bytes(sealed(plain_header(), payload))
    assert refused(target, path).kind == "invalid"
    assert (dump(target), file_state(target)) == before


def test_a_sealed_file_with_a_mistyped_value_is_refused_naming_the_row(source, target, tmp_path):
    rows = _read(source, full=True, progress=lambda *_: None).rows  # the rows as an export writes them
    rows["resident"][1][SPECS["resident"].index["name"]] = 12345  # a name that is not text
    lines = []
    for name, table in rows.items():
        lines.append(canonical({"table": name, "columns": list(SPECS[name].columns)}))
        lines += [canonical(row) for row in table]
    lines.append(canonical({"manifest": {"export_id": "e" * 32, "tables": {n: len(t) for n, t in rows.items()}}}))
    path = tmp_path / "typed.cpsync"
    path.write_bytes(sealed(plain_header(), ("\n".join(lines) + "\n").encode()))
    before = file_state(target)
    error = refused(target, path)
    resident = rows["resident"][1][0]
    assert error.kind == "invalid" and f"resident 行 {resident} 字段 name：类型不对" in str(error)
    assert file_state(target) == before


def with_kdf(data: bytes, **kdf) -> bytes:
    """A sealed file whose plain header asks for another key derivation (the chunks no longer match)."""
    size = int.from_bytes(data[len(MAGIC):len(MAGIC) + 4], "big")
    start = len(MAGIC) + 4
    header = json.loads(data[start:start + size])
    header["kdf"] = {"salt": header["kdf"]["salt"], **kdf}
    body = json.dumps(header).encode()
    return MAGIC + len(body).to_bytes(4, "big") + body + data[start + size:]


@pytest.mark.parametrize("kdf", [
    {"name": "argon2id", "memory_kib": 1 << 20, "iterations": 20, "lanes": 4},  # 1 GiB x 20: 25 s, 1.1 GB
    {"name": "argon2id", "memory_kib": 64 * 1024, "iterations": 4, "lanes": 4},  # one pass more than we write
    {"name": "scrypt", "n": 2**20, "r": 32, "p": 1},  # 4 GiB
    {"name": "scrypt", "n": 2**15, "r": 8, "p": 16},
])
def test_a_header_asking_for_a_costlier_key_derivation_than_we_write_is_refused_before_deriving(
        target, tmp_path, monkeypatch, kdf):
    import app.sync.container as container

    def never(*_args):
        raise AssertionError("the key was derived")

    path = tmp_path / "bomb.cpsync"
    path.write_bytes(with_kdf(sealed(plain_header(), b""), **kdf))
    monkeypatch.setattr(container, "derive_key", never)
    before = file_state(target)
    error = refused(target, path)
    assert error.kind == "damaged" and "密钥计算超出" in str(error)
    assert file_state(target) == before


@pytest.mark.parametrize("kdf", [
    {"name": "argon2id", "memory_kib": 16, "iterations": 1, "lanes": 4},  # Argon2 needs 8 KiB a lane
    {"name": "scrypt", "n": 3000, "r": 8, "p": 1},  # not a power of two
])
def test_a_key_derivation_the_algorithm_cannot_run_is_damage_not_an_internal_error(target, tmp_path, kdf):
    path = tmp_path / "odd.cpsync"
    path.write_bytes(with_kdf(sealed(plain_header(), b""), **kdf))
    assert refused(target, path).kind == "damaged"


def bomb(piece: bytes, mib: int, *, start: bytes = b"") -> bytes:
    out = io.BytesIO()
    writer = ContainerWriter(out, plain_header(), PASSPHRASE, kdf=FAST_KDF)
    writer.write(start)
    for _ in range(mib):
        writer.write(piece * ((1 << 20) // len(piece)))
    writer.close()
    return out.getvalue()


@pytest.mark.parametrize(("piece", "start"), [
    (b"\0", b""),  # one endless line
    (b"\n", b""),  # endless empty lines
    (b"[1]\n", b'{"table":"community","columns":["id"]}\n'),  # endless rows
    (b"0,", b'{"table":"community","columns":["id"]}\n['),  # one endless row
])
def test_a_decompression_bomb_is_refused_without_inflating_it(target, tmp_path, piece, start):
    import tracemalloc

    path = tmp_path / "bomb.cpsync"
    path.write_bytes(bomb(piece, 256, start=start))  # 256 MiB inflated; a MB or so sealed
    before = file_state(target)
    tracemalloc.start()
    try:
        error = refused(target, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.kind in ("invalid", "too_big") and "\n" not in str(error)
    assert peak < 64 << 20, f"{peak >> 20} MB held"
    assert file_state(target) == before


def test_a_body_past_the_bound_is_refused_while_inflating(export_file, target, monkeypatch):
    import app.sync.container as container

    monkeypatch.setattr(container, "MAX_BODY", 1000)  # the good file inflates to a few KB
    error = refused(target, export_file)
    assert error.kind == "too_big" and "解压后超过" in str(error)


def test_an_export_past_the_bound_an_import_takes_is_refused_and_writes_nothing(source, tmp_path, monkeypatch):
    """A city in one database exported whole (800 MB) was written, then refused by every import."""
    import app.sync.container as container

    monkeypatch.setattr(container, "MAX_BODY", 1000)  # the station's export is a few KB
    before = file_state(source)
    with pytest.raises(SyncError) as refused_export:
        export_changes(source, out=tmp_path / "too-big.cpsync", passphrase=PASSPHRASE, kdf=FAST_KDF)
    assert refused_export.value.kind == "too_big" and "没有写出同步包" in str(refused_export.value)
    assert list(tmp_path.glob("*.cpsync*")) == []  # nothing left half written
    assert file_state(source) == before  # no export logged: the next one starts from the same point


def test_a_file_far_bigger_than_any_export_is_refused_without_reading_it(target, tmp_path):
    path = tmp_path / "huge.cpsync"
    with path.open("wb") as f:
        f.truncate(1 << 30)  # sparse: costs nothing to make
    before = file_state(target)
    error = refused(target, path)
    assert error.kind == "too_big" and "太大" in str(error)
    assert file_state(target) == before
