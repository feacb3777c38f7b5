"""The drafts folder of one database: one JSON file per unsaved form, written atomically.

``<database stem>-drafts/`` sits beside the database file, never in a temporary folder, so it is
covered by the same protection as the database folder (disk encryption, folder permissions); files
are created readable by their owner only where the system allows it, and sealed beside an
encrypted database (sealing.py). Nothing here raises for a bad file or a full disk: it logs and
goes on, since a draft is a safety net, never a reason to stop the officer."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from ui.widgets.drafts.sealing import seal, unseal

log = logging.getLogger(__name__)

FORMAT = 1


def drafts_dir(db_path: Path | str) -> Path:
    """``/data/cpdesk.sqlite3`` -> ``/data/cpdesk-drafts/``: beside the database, under its protection."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}-drafts")


@dataclass
class Draft:
    id: str
    area: str  # the tab: "households" or "disputes"
    kind: str  # the form: "visit", "register", ...
    record_id: str | None  # the record the form edits; None for a new one
    context: dict  # what else the tab needs to open the form again (the household of a new visit, ...)
    values: dict  # the form's fields, JSON-able
    title: str = ""  # the form's window title, to name it in the offer
    saved_at: str = ""  # ISO time with offset
    parked: bool = False  # closed with 稍后再填 (kept on purpose), not lost with the program
    format: int = FORMAT

    def when(self) -> str:
        try:
            return datetime.fromisoformat(self.saved_at).astimezone().strftime("%m-%d %H:%M")
        except ValueError:
            return ""


class DraftStore:
    """The drafts folder of one database. Never raises for a bad file or a full disk: logs and goes on."""

    def __init__(self, folder: Path, db_path: Path | None = None) -> None:
        self.folder = folder
        self.db_path = db_path  # whose key seals the drafts, if it is encrypted

    @classmethod
    def beside(cls, db_path: Path | str) -> DraftStore:
        return cls(drafts_dir(db_path), Path(db_path))

    def path(self, draft_id: str) -> Path:
        return self.folder / f"{draft_id}.json"

    def write(self, draft: Draft) -> bool:
        """Write ``draft`` atomically (a temporary file, then os.replace): a crash leaves the old or the new."""
        path = self.path(draft.id)
        tmp = path.with_name(path.name + ".tmp")
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            data = seal(self.db_path, json.dumps(asdict(draft), ensure_ascii=False, indent=1).encode("utf-8"))
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
            return True
        except (OSError, TypeError, ValueError):
            log.exception("could not write the draft %s", path)
            return False

    def remove(self, draft_id: str) -> None:
        for path in (self.path(draft_id), self.path(draft_id).with_name(f"{draft_id}.json.tmp")):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                log.exception("could not remove the draft %s", path)

    def load(self, *, area: str | None = None) -> list[Draft]:
        """The drafts of ``area``, oldest first. A damaged file is logged, renamed ``.damaged`` and skipped."""
        if not self.folder.is_dir():
            return []
        drafts = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                draft = _parse(path, self.db_path)
            except (OSError, ValueError, TypeError, KeyError) as exc:
                log.warning("ignoring the damaged draft %s: %s", path, exc)
                try:
                    path.replace(path.with_name(path.name + ".damaged"))
                except OSError:
                    pass
                continue
            if area is None or draft.area == area:
                drafts.append(draft)
        return sorted(drafts, key=lambda d: d.saved_at)


def _parse(path: Path, db_path: Path | None) -> Draft:
    raw = json.loads(unseal(db_path, path.read_bytes()))
    if not isinstance(raw, dict):
        raise ValueError("not an object")
    draft = Draft(id=path.stem, area=raw["area"], kind=raw["kind"], record_id=raw.get("record_id"),
                  context=raw.get("context") or {}, values=raw["values"], title=raw.get("title") or "",
                  saved_at=raw.get("saved_at") or "", parked=bool(raw.get("parked")))
    texts = (draft.area, draft.kind, draft.title, draft.saved_at)
    if not all(isinstance(t, str) for t in texts) or not isinstance(draft.values, dict) \
            or not isinstance(draft.context, dict) or not isinstance(draft.record_id, str | None):
        raise ValueError("unexpected field types")
    return draft
