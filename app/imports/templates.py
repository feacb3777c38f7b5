"""Named column mappings kept on this laptop, per import kind, so next month's file from the
same community maps itself: header text -> field key, as JSON in the user's data folder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from app.core.errors import UserError
from app.imports.mapping import normalise_header

FILE_NAME = "import-templates.json"
MAX_NAME = 40


def _file(folder: Path | None) -> Path:
    if folder is None:
        from app.core.paths import data_dir

        folder = data_dir()
    return Path(folder) / FILE_NAME


def _load(folder: Path | None) -> dict[str, dict[str, dict[str, str]]]:
    """kind -> template name -> mapping; a missing or unreadable file is no templates (a damaged
    one is replaced by the next save rather than blocking the import)."""
    try:
        data = json.loads(_file(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {kind: {name: {str(h): str(k) for h, k in mapping.items()}
                   for name, mapping in templates.items() if isinstance(mapping, dict)}
            for kind, templates in data.items() if isinstance(templates, dict)}


def template_names(kind: str, *, folder: Path | None = None) -> list[str]:
    return sorted(_load(folder).get(kind, {}))


def save_template(kind: str, name: str, mapping: dict[str, str], *, folder: Path | None = None) -> None:
    """Save (or replace) template ``name``: header text -> field key."""
    from app.output.files import write_atomically

    name = " ".join(str(name or "").split())
    if not name:
        raise UserError("请给导入模板起个名字")
    if len(name) > MAX_NAME:
        raise UserError(f"模板名称太长（最多 {MAX_NAME} 个字）")
    if not mapping:
        raise UserError("没有对应任何列，模板不必保存")
    data = _load(folder)
    data.setdefault(kind, {})[name] = {str(header): str(key) for header, key in mapping.items()}
    path = _file(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法保存导入模板：{exc.strerror or exc}") from exc
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def load_template(kind: str, name: str, *, folder: Path | None = None) -> dict[str, str]:
    templates = _load(folder).get(kind, {})
    if name not in templates:
        known = "、".join(sorted(templates)) or "无"
        raise UserError(f"没有名为“{name}”的导入模板（已有：{known}）")
    return templates[name]


def apply_template(template: dict[str, str], headers: Sequence[str]) -> dict[int, str]:
    """Column index -> field key for this file's headers: the header text as saved, else as
    compared (spaces, '*', notes in brackets ignored). Each column and field used once; headers
    the template does not know are left out."""
    normal = {normalise_header(header): key for header, key in template.items()}
    mapping: dict[int, str] = {}
    for exact in (True, False):
        for index, header in enumerate(headers):
            if index in mapping or not header:
                continue
            key = template.get(header) if exact else normal.get(normalise_header(header))
            if key and key not in mapping.values():
                mapping[index] = key
    return dict(sorted(mapping.items()))
