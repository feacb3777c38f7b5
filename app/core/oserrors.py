"""The officer's words for storage failures: a full disk, a file-size limit, a read-only disk or
file, no permission. One place, read by the CLI's error handler and the GUI's failure messages.

Both OS errors (``errno``) and SQLite's own result codes are understood: SQLite reports a full
disk as SQLITE_FULL, but a write refused for any other reason (EFBIG past a file-size limit,
say) only as SQLITE_IOERR_WRITE, without the errno.
"""

from __future__ import annotations

import errno

# errno -> what happened, in plain words
_OS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EFBIG: "文件超出系统允许的大小",
    errno.EROFS: "磁盘是只读的（写保护）",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EIO: "读写磁盘出错（设备故障或已拔出）",
}

# SQLite primary result codes (the low byte of an extended code)
_SQLITE = {
    3: "没有权限",  # SQLITE_PERM
    8: "数据库文件是只读的（或它所在的文件夹不可写），无法写入",  # SQLITE_READONLY
    10: "读写磁盘出错（磁盘已满、文件超出大小限制或设备故障）",  # SQLITE_IOERR
    13: "磁盘已满",  # SQLITE_FULL (also a database at its page limit)
    14: "无法打开数据库文件（没有权限或路径不对）",  # SQLITE_CANTOPEN
}


def storage_problem(exc: BaseException) -> str | None:
    """What went wrong with the disk or a file, or None when ``exc`` is not such a failure.

    Looks through what ``exc`` wraps (SQLAlchemy's ``orig``, an explicit ``raise … from``)."""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in _OS:
            where = f"：{e.filename}" if e.filename and e.errno in (errno.EACCES, errno.EPERM, errno.EISDIR) else ""
            return _OS[e.errno] + where
        code = getattr(e, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE:
            return _SQLITE[code & 0xFF]
    return None


def _chain(exc: BaseException):
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        orig = getattr(exc, "orig", None)  # sqlalchemy.exc.DBAPIError
        if isinstance(orig, BaseException):
            yield orig
        exc = exc.__cause__  # an explicit ``from``; an unrelated error met while handling one is not it
