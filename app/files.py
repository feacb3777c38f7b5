"""Writing an output file (PDF, ledger) so that a failure never leaves half of one."""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import UserError


def check_folder(path: Path) -> None:
    """Refuse before any work is done when the output's folder does not exist."""
    if not Path(path).parent.is_dir():
        raise UserError(f"目录不存在：{Path(path).parent}")


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename over it; refuse with one clear line."""
    path = Path(path)
    check_folder(path)
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"无法写入 {path}：{exc.strerror or exc}") from exc
