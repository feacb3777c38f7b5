"""The .cpsync file: a short plain header, then a zlib-compressed body sealed in AES-256-GCM chunks.

Layout::

    MAGIC | header length (u32, big-endian) | header (UTF-8 JSON)
    chunk* : length (u32) | AES-GCM ciphertext and tag

The header names the format and schema versions, the export, the device, the time and
the key derivation (salt and parameters), and carries a key check so a wrong passphrase
can be told from a damaged file. Every chunk is sealed with the whole header as associated
data and a nonce made of its index and a last-chunk flag, so a changed header, a changed,
dropped, reordered or duplicated chunk, and a file cut short are all detected.
The key is derived afresh for every file (random salt), so counter nonces never repeat.

Opening a file authenticates every chunk before anything is read (``open_body``); the body is
then kept as its compressed plaintext (``Body``), inflated anew at each reading, from the start
or from a ``Mark`` (the inflater's state copied where a table begins), never held inflated.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.core.errors import UserError

MAGIC = b"CPDESK-SYNC\n"
FORMAT_VERSION = 1
CHUNK = 1 << 20  # plaintext bytes per sealed chunk
_LEN = struct.Struct(">I")
_TAG = 16
MAX_HEADER = 16 * 1024
ARGON2 = {"name": "argon2id", "memory_kib": 64 * 1024, "iterations": 3, "lanes": 4}
SCRYPT = {"name": "scrypt", "n": 2**15, "r": 8, "p": 1}
SALT = 16
# A header names its own key derivation, which runs before the passphrase can be checked: at
# most what this program writes (tests write cheaper), so a crafted 1 KB file cannot ask for a
# gigabyte and half a minute (Argon2id 1 GiB x 20) or 4 GiB (scrypt) first.
_LIMITS = {"memory_kib": (8, ARGON2["memory_kib"]), "iterations": (1, ARGON2["iterations"]),
           "lanes": (1, ARGON2["lanes"]), "n": (2, SCRYPT["n"]), "r": (1, SCRYPT["r"]), "p": (1, SCRYPT["p"])}
# The decompressed body is bounded while it is inflated, never after: at most MAX_BODY (five
# times a full export of the `station` demo, 155 MB), and at most MAX_RATIO times the sealed
# bytes (an export compresses 4-6 times; a zip bomb a thousand).
MAX_BODY = 768 << 20
MAX_RATIO = 32
_STEP = 256 << 10  # bytes inflated at a time: what a reading holds of the body, with its lines
_FEED = 32 << 10  # compressed bytes fed at a time (a copy of the inflater keeps what it did not use)
_CHECK = b"cpdesk sync key check"


class SyncError(UserError):
    """A sync file refused or an import stopped; ``kind`` says which case (tests and the UI use it)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _argon2_available() -> bool:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:
        return False
    return True


def default_kdf() -> dict:
    return dict(ARGON2 if _argon2_available() else SCRYPT)


def derive_key(passphrase: str, kdf: dict, salt: bytes) -> bytes:
    secret = passphrase.encode("utf-8")
    if kdf["name"] == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        return Argon2id(salt=salt, length=32, iterations=kdf["iterations"], lanes=kdf["lanes"],
                        memory_cost=kdf["memory_kib"]).derive(secret)
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(secret)


def key_check(key: bytes) -> str:
    return hmac.new(key, _CHECK, hashlib.sha256).hexdigest()[:32]


def _nonce(index: int, last: bool) -> bytes:
    return struct.pack(">QI", index, 1 if last else 0)


class ContainerWriter:
    """Compresses, chunks and seals a payload into ``out`` as it is written."""

    def __init__(self, out: BinaryIO, header: dict, passphrase: str, *, kdf: dict | None = None) -> None:
        kdf = dict(kdf or default_kdf())
        salt = os.urandom(SALT)
        key = derive_key(passphrase, kdf, salt)
        header = dict(header, format=FORMAT_VERSION, cipher="AES-256-GCM", chunk=CHUNK,
                      kdf=dict(kdf, salt=salt.hex()), check=key_check(key))
        body = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
        self.header_bytes = MAGIC + _LEN.pack(len(body)) + body
        self.header = header
        self._out = out
        self._aead = AESGCM(key)
        self._zip = zlib.compressobj(3)
        self._pending = bytearray()
        self._index = 0
        self._body = 0  # bytes written, before compression: what an import will inflate
        out.write(self.header_bytes)

    def write(self, data: bytes) -> None:
        # Never a file that an import refuses as too big (MAX_BODY): a station past it (a whole city
        # in one database: 800 MB) is refused here, before a file it would take for its backup exists.
        self._body += len(data)
        if self._body > MAX_BODY:
            raise SyncError("too_big", f"要导出的数据超过一个同步包的上限（解压后 {MAX_BODY >> 20} MB），"
                                       "没有写出同步包：请改为增量导出，或联系管理员")
        self._pending += self._zip.compress(data)
        while len(self._pending) > CHUNK:  # keep one back: the last chunk must carry the flag
            self._seal(bytes(self._pending[:CHUNK]), last=False)
            del self._pending[:CHUNK]

    def close(self) -> None:
        self._pending += self._zip.flush()
        while len(self._pending) > CHUNK:
            self._seal(bytes(self._pending[:CHUNK]), last=False)
            del self._pending[:CHUNK]
        self._seal(bytes(self._pending), last=True)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index, last), plain, self.header_bytes)
        self._out.write(_LEN.pack(len(sealed)) + sealed)
        self._index += 1


def read_header(raw: bytes) -> tuple[dict, int]:
    """The header of a file's bytes and where its body starts; SyncError when it is not one."""
    if not raw.startswith(MAGIC):
        if MAGIC.startswith(raw[: len(MAGIC)]) and raw:
            raise SyncError("damaged", "同步包已损坏：文件不完整（可能拷贝时被中断）")
        raise SyncError("not_sync", "这不是警务工作台的同步包文件")
    start = len(MAGIC) + _LEN.size
    if len(raw) < start:
        raise SyncError("damaged", "同步包已损坏：文件不完整（可能拷贝时被中断）")
    (size,) = _LEN.unpack_from(raw, len(MAGIC))
    if size > MAX_HEADER:
        raise SyncError("damaged", "同步包已损坏：文件头不对")
    if len(raw) < start + size:
        raise SyncError("damaged", "同步包已损坏：文件不完整（可能拷贝时被中断）")
    try:
        header = json.loads(raw[start:start + size].decode("utf-8"))
        _check_header(header)
    except (ValueError, KeyError, TypeError) as exc:
        raise SyncError("damaged", "同步包已损坏：文件头不对") from exc
    if header["format"] > FORMAT_VERSION:
        raise SyncError("format", f"同步包的格式（第 {header['format']} 版）比本程序新，请先升级本程序再导入")
    return header, start + size


def _check_header(header: dict) -> None:
    for key, kind in (("format", int), ("schema", str), ("export_id", str), ("device_id", str),
                      ("device_code", str), ("created", str), ("check", str), ("chunk", int), ("kdf", dict)):
        if not isinstance(header[key], kind):
            raise ValueError(key)
    kdf = header["kdf"]
    names = {"argon2id": ("memory_kib", "iterations", "lanes"), "scrypt": ("n", "r", "p")}[kdf["name"]]
    for name in names:
        low, high = _LIMITS[name]
        if type(kdf[name]) is not int or not low <= kdf[name] <= high:
            raise SyncError("damaged", "同步包已损坏或是伪造的：文件头要求的密钥计算超出本程序写出的范围，"
                                       "没有导入任何数据")
    if kdf["name"] == "argon2id" and kdf["memory_kib"] < 8 * kdf["lanes"]:
        raise ValueError("memory_kib")  # Argon2 needs 8 KiB per lane
    if kdf["name"] == "scrypt" and kdf["n"] & (kdf["n"] - 1):
        raise ValueError("n")  # a power of two
    if len(bytes.fromhex(kdf["salt"])) != SALT:
        raise ValueError("salt")
    if header["chunk"] != CHUNK and header["format"] == FORMAT_VERSION:
        raise ValueError("chunk")


def open_body(source: bytes | BinaryIO, passphrase: str) -> tuple[dict, Body]:
    """Check the passphrase and authenticate the whole body; return the header and the body.

    ``source``: the file's bytes, or the file open for reading. Every chunk is decrypted and
    its tag checked here, before any of it is inflated or read: a changed, cut, dropped or
    reordered chunk anywhere refuses the file before a single row is looked at, so an import
    can read the body twice (check, then merge) knowing both readings see the same bytes."""
    f = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    end = f.seek(0, io.SEEK_END)
    f.seek(0)
    header, offset = read_header(f.read(len(MAGIC) + _LEN.size + MAX_HEADER))
    kdf = header["kdf"]
    key = derive_key(passphrase, kdf, bytes.fromhex(kdf["salt"]))
    if not hmac.compare_digest(key_check(key), header["check"]):
        raise SyncError("passphrase", "同步口令不对，无法打开同步包（如果口令确实没错，就是文件头已损坏）")
    f.seek(0)
    aad = f.read(offset)
    limit = min(MAX_BODY, MAX_RATIO * (end - offset) + CHUNK)
    return header, Body(list(_chunks(f, offset, end, AESGCM(key), aad)), limit)


class Mark:
    """A place in the inflated body a reading can start from: the inflater's state before the
    piece it fell in (a copy, never used itself) and how far into that piece it is."""

    __slots__ = ("chunk", "pos", "state", "before", "skip")

    def __init__(self, chunk: int, pos: int, state, before: int, skip: int) -> None:
        self.chunk, self.pos, self.state, self.before, self.skip = chunk, pos, state, before, skip


class Point:
    """Where a piece of the inflated body came from; ``mark(offset)`` names a place in it."""

    __slots__ = ("chunk", "pos", "state", "before", "base")

    def __init__(self, chunk: int, pos: int, state, before: int, base: int) -> None:
        self.chunk, self.pos, self.state, self.before, self.base = chunk, pos, state, before, base

    def mark(self, offset: int) -> Mark:
        return Mark(self.chunk, self.pos, self.state, self.before, self.base + offset)


class Body:
    """An authenticated body, held as its compressed plaintext (about the file's size, a fifth
    of what it inflates to) and inflated piece by piece each time it is read, whole or from a
    mark. Inflating is bounded while it happens: a zip bomb is refused, never inflated."""

    def __init__(self, chunks: list[bytes], limit: int) -> None:
        self._chunks, self._limit = chunks, limit

    @property
    def size(self) -> int:
        return sum(map(len, self._chunks))

    @property
    def chunks(self) -> int:
        return len(self._chunks)

    def pieces(self, start: Mark | None = None) -> Iterator[tuple[Point, bytes]]:
        """The inflated body in pieces of at most _STEP bytes, each with its Point; from
        ``start`` when given (a mark made by an earlier reading)."""
        if start is None:
            index, pos, unzip, total, skip = 0, 0, zlib.decompressobj(), 0, 0
        else:
            index, pos, unzip, total, skip = start.chunk, start.pos, start.state.copy(), start.before, start.skip
        chunks, limit = self._chunks, self._limit
        try:
            for index in range(index, len(chunks)):
                chunk = chunks[index]
                while True:  # max_length: never more than _STEP bytes out of one call, whatever the input
                    # The state before the call, copied (~40 KB, and the input it kept back, which
                    # _FEED bounds): a mark in this piece restarts from it.
                    point = Point(index, pos, unzip.copy(), total, skip)
                    fed = memoryview(chunk)[pos:pos + _FEED]
                    out = unzip.decompress(fed, _STEP)
                    pos += len(fed) - len(unzip.unconsumed_tail)
                    drained = len(out) < _STEP
                    total += len(out)
                    if total > limit:
                        raise SyncError("too_big", f"同步包解压后超过 {limit >> 20} MB，不像本程序写出的文件，"
                                                   "没有导入任何数据")
                    if skip:
                        out, skip = out[skip:], 0
                    if out:
                        yield point, out
                    if pos == len(chunk) and drained:
                        break
                pos = 0
            if unzip.flush():
                raise SyncError("damaged", "同步包已损坏：内容不完整")
        except zlib.error as exc:  # sealed yet not zlib: only our own bug could do this
            raise SyncError("damaged", "同步包已损坏：内容无法解压") from exc
        if not unzip.eof or unzip.unused_data:
            raise SyncError("damaged", "同步包已损坏：内容不完整")


def _chunks(f: BinaryIO, offset: int, end: int, aead: AESGCM, aad: bytes) -> Iterator[bytes]:
    """Each chunk of the file from ``offset``, decrypted and authenticated, in order."""
    index = 0
    f.seek(offset)
    while True:
        if offset + _LEN.size > end:
            raise SyncError("damaged", "同步包已损坏：文件不完整（可能拷贝时被中断）")
        (size,) = _LEN.unpack(f.read(_LEN.size))
        offset += _LEN.size
        if size < _TAG or size > CHUNK + _TAG or offset + size > end:
            raise SyncError("damaged", "同步包已损坏或被篡改：数据块长度不对")
        sealed = f.read(size)
        offset += size
        last = offset == end
        try:
            yield aead.decrypt(_nonce(index, last), sealed, aad)
        except InvalidTag:
            raise SyncError("damaged", "同步包已损坏或被篡改（校验不通过），没有导入任何数据") from None
        if last:
            return
        index += 1
