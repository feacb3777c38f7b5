"""Unsaved forms kept on disk as drafts, so a crash or a forced close loses at most a second of typing.

Each open form with input is written (debounced, atomically) to ``<database stem>-drafts/`` beside
the database file, one JSON file per form: which tab and kind of form, the record it edits (None for
a new one), what is needed to open it again, its field values and the time. A draft is removed
when the form saves or the officer discards it (放弃). When a tab is attached to the database, the
drafts an earlier run left behind are offered in a bar at the top of the tab (恢复 / 放弃).

The drafts hold personal data (names, ID numbers, what was said on a visit). They are kept beside
the database, never in a temporary folder, so the drafts folder is covered by the same protection
as the database folder (disk encryption, folder permissions); files are created readable by their
owner only where the system allows it. Beside an encrypted database each file is sealed with a key
derived from the database key (db/cipher.py ``seal``), so a copied laptop shows no draft either.

Forms take part through a small protocol, implemented by both form bases
(ui/households/form_base.py, ui/disputes/form.py): ``draft_area``, ``draft_key()``,
``draft_values()``, ``restore_draft(values)``, ``has_unsaved()`` and the signals ``edited``,
``saved``, ``discarded``. A form finds the store through the tab it was opened from (the nearest
parent with a ``draft_store``) when it is first shown.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from db import cipher

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 1000  # written this long after the last change
FORMAT = 1
ISO = Qt.DateFormat.ISODate


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
            data = json.dumps(asdict(draft), ensure_ascii=False, indent=1).encode("utf-8")
            if self.db_path is not None:
                data = cipher.seal(self.db_path, data)
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
    data = path.read_bytes()
    raw = json.loads(cipher.unseal(db_path, data) if db_path is not None else data)
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


# --- the generic walk over a form's input widgets ---------------------------------------------------
def input_widgets(owner: QObject) -> dict[str, QWidget]:
    """The input widgets an object keeps as attributes, keyed by attribute name (``texts.findings``
    for one in a dict of widgets), in the order they were made: fields that fill others come first."""
    found: dict[str, QWidget] = {}
    for name, value in vars(owner).items():
        if name.startswith("_"):
            continue
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for key, widget in items:
            if isinstance(widget, QWidget) and _is_input(widget):
                found[name if key is None else f"{name}.{key}"] = widget
    return found


def _is_input(widget: QWidget) -> bool:
    if isinstance(widget, QAbstractButton | QGroupBox):
        return widget.isCheckable()
    if isinstance(widget, QListWidget):
        return any(widget.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable for i in range(widget.count()))
    return isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QComboBox | QDateTimeEdit | QSpinBox
                      | QDoubleSpinBox)


def _plain(value):
    return value if value is None or isinstance(value, str | int | float | bool) else None


def widget_values(owner: QObject) -> dict:
    values = {}
    for name, w in input_widgets(owner).items():
        if isinstance(w, QLineEdit):
            values[name] = w.text()
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            values[name] = w.toPlainText()
        elif isinstance(w, QComboBox):
            values[name] = {"data": _plain(w.currentData()), "text": w.currentText()}
        elif isinstance(w, QDateEdit):
            values[name] = w.date().toString(ISO)
        elif isinstance(w, QDateTimeEdit):
            values[name] = w.dateTime().toString(ISO)
        elif isinstance(w, QSpinBox | QDoubleSpinBox):
            values[name] = w.value()
        elif isinstance(w, QAbstractButton | QGroupBox):
            values[name] = w.isChecked()
        elif isinstance(w, QListWidget):
            values[name] = [_item_key(w.item(i)) for i in range(w.count())
                            if w.item(i).checkState() == Qt.CheckState.Checked]
    return values


def _item_key(item):
    data = _plain(item.data(Qt.ItemDataRole.UserRole))
    return item.text() if data is None else data


def restore_widgets(owner: QObject, values: dict) -> None:
    """Put ``values`` (from widget_values) back; a field that no longer fits is skipped, never fatal."""
    for name, w in input_widgets(owner).items():
        if name not in values:
            continue
        try:
            _restore(w, values[name])
        except (TypeError, ValueError, KeyError, AttributeError):
            log.warning("draft value for %s does not fit %s; skipped", name, type(w).__name__)


def _restore(w: QWidget, value) -> None:
    if isinstance(w, QLineEdit):
        w.setText(str(value))
    elif isinstance(w, QPlainTextEdit | QTextEdit):
        w.setPlainText(str(value))
    elif isinstance(w, QComboBox):
        data, text = value["data"], str(value["text"])
        if w.isEditable():
            w.setCurrentText(text)
            return
        index = next((i for i in range(w.count()) if w.itemData(i) == data), -1) if data is not None else -1
        index = w.findText(text) if index < 0 else index
        if index >= 0:
            w.setCurrentIndex(index)
    elif isinstance(w, QDateEdit):
        if (day := QDate.fromString(str(value), ISO)).isValid():
            w.setDate(day)
    elif isinstance(w, QDateTimeEdit):
        if (moment := QDateTime.fromString(str(value), ISO)).isValid():
            w.setDateTime(moment)
    elif isinstance(w, QSpinBox):
        w.setValue(int(value))
    elif isinstance(w, QDoubleSpinBox):
        w.setValue(float(value))
    elif isinstance(w, QAbstractButton | QGroupBox):
        w.setChecked(bool(value))
    elif isinstance(w, QListWidget):
        chosen = set(value)
        for i in range(w.count()):
            item = w.item(i)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked if _item_key(item) in chosen else Qt.CheckState.Unchecked)


# --- keeping one open form ---------------------------------------------------------------------------
class DraftForm:
    """What both form bases share for drafts (mixed in before QDialog). A form declares its
    ``draft_key``; forms with special widgets extend ``draft_values`` / ``apply_draft``.
    The form provides ``loading()`` (no change signals while filling) and ``_dirty``."""

    def draft_key(self) -> tuple[str, str | None, dict] | None:
        """(kind, id of the record edited or None, what else reopens it); None: not kept as a draft."""
        return None

    def draft_values(self) -> dict:
        """The input as JSON-able values; forms with special widgets add theirs."""
        return widget_values(self)

    def restore_draft(self, values: dict) -> None:
        """Fill the form with a draft's values; it then counts as unsaved input."""
        with self.loading():
            self.apply_draft(values)
        self._dirty = True

    def apply_draft(self, values: dict) -> None:
        restore_widgets(self, values)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        track(self)


class DraftKeeper(QObject):
    """Child of a form: writes its draft a moment after each edit, removes it on save or discard."""

    def __init__(self, form, store: DraftStore) -> None:
        super().__init__(form)
        self.form, self.store = form, store
        self.draft_id = uuid.uuid4().hex
        self.parked = False
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.write)
        form.edited.connect(self._edited)
        form.saved.connect(self.remove)
        form.discarded.connect(self.remove)
        form.finished.connect(self._closed)

    def adopt(self, draft: Draft) -> None:
        """Go on writing to ``draft`` (a restored one) instead of a new file."""
        if self.draft_id != draft.id:
            self.store.remove(self.draft_id)
            self.draft_id = draft.id
        self.write()

    def write(self) -> None:
        self._timer.stop()
        key = self.form.draft_key() if self.form.has_unsaved() else None
        if key is None:
            return
        kind, record_id, context = key
        self.store.write(Draft(id=self.draft_id, area=self.form.draft_area, kind=kind, record_id=record_id,
                               context=context, values=self.form.draft_values(), title=self.form.windowTitle(),
                               saved_at=datetime.now().astimezone().isoformat(timespec="seconds"),
                               parked=self.parked))

    def _edited(self) -> None:
        self.parked = False  # worked on again
        self._timer.start()

    def remove(self, *_args) -> None:
        self._timer.stop()
        self.store.remove(self.draft_id)

    def _closed(self, _result: int) -> None:
        # Closed with input left (稍后再填): written now, marked as kept on purpose.
        if self.form.has_unsaved():
            self.parked = True
            self.write()


def track(form) -> DraftKeeper | None:
    """Called by a form when first shown: keep its drafts in the store of the tab it belongs to."""
    keeper = form.findChild(DraftKeeper, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if keeper is not None or form.draft_key() is None:
        return keeper
    parent = form.parentWidget()
    while parent is not None and getattr(parent, "draft_store", None) is None:
        parent = parent.parentWidget()
    return None if parent is None else DraftKeeper(form, parent.draft_store)


# --- offering the drafts of an earlier run -----------------------------------------------------------
class DraftBanner(QFrame):
    """The bar at the top of a tab: "有 N 份未保存的草稿" with 恢复 / 放弃; nothing modal at startup.

    ``reopen(draft)`` is the tab's: open the form the draft belongs to (shown), or None when its
    record is gone; the banner then fills it with the draft's values."""

    restored = Signal(list)  # the forms opened with their drafts

    def __init__(self, reopen: Callable[[Draft], QWidget | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBanner")
        self.setStyleSheet("#draftBanner { background: #fff4d6; border: 1px solid #e0b84c; border-radius: 3px; }")
        self._reopen = reopen
        self.store: DraftStore | None = None
        self.drafts: list[Draft] = []
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.details = QLabel(self)
        self.details.setStyleSheet("color: #555;")
        self.details.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("恢复"), self)
        self.discard_button = QPushButton(self.tr("放弃"), self)
        self.close_button = QPushButton(self.tr("知道了"), self)
        self.restore_button.setToolTip(self.tr("重新打开这些表单，填写过的内容原样恢复"))
        self.discard_button.setToolTip(self.tr("删除这些草稿，不再提示"))
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        self.close_button.clicked.connect(self.hide)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.details)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addLayout(text, 1)
        for button in (self.restore_button, self.discard_button, self.close_button):
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def offer(self, store: DraftStore, *, area: str) -> list[Draft]:
        """Show the drafts of ``area`` left in ``store`` (none: the bar stays hidden)."""
        self.store, self.drafts = store, store.load(area=area)
        self._show_offer()
        return self.drafts

    def _show_offer(self) -> None:
        if not self.drafts:
            self.hide()
            return
        n = len(self.drafts)
        if all(d.parked for d in self.drafts):
            self.title.setText(self.tr("有 {n} 份“稍后再填”的草稿").format(n=n))
        else:
            self.title.setText(self.tr("有 {n} 份未保存的草稿（上次未正常关闭）").format(n=n))
        lines = [self.tr("{title}（{when}）").format(title=d.title or self.tr("未命名表单"), when=d.when())
                 for d in self.drafts[:4]]
        if n > 4:
            lines.append(self.tr("等 {n} 份").format(n=n))
        self.details.setText("；".join(lines))
        self.details.setVisible(True)
        self._buttons(offering=True)
        self.show()

    def _buttons(self, *, offering: bool) -> None:
        self.restore_button.setVisible(offering)
        self.discard_button.setVisible(offering)
        self.close_button.setVisible(not offering)

    def restore(self) -> list[QWidget]:
        """Open every offered draft's form with its values; a draft whose record is gone is dropped."""
        opened, kept, lost = [], [], []
        for draft in self.drafts:
            try:
                form = self._reopen(draft)
            except Exception:  # a bug in one draft must not stop the others
                log.exception("could not reopen the draft %s", draft.id)
                form = None
            if form is None:
                self.store.remove(draft.id)
                lost.append(draft)
            elif form.has_unsaved():  # that form is already open with other input: offer this one later
                kept.append(draft)
            else:
                form.restore_draft(draft.values)
                keeper = track(form)
                if keeper is not None:
                    keeper.adopt(draft)
                opened.append(form)
        self.drafts = kept
        if kept:
            self._show_offer()
        elif lost:
            self.title.setText(
                self.tr("{n} 份草稿无法恢复：对应的记录已被删除或已变化，草稿已丢弃。").format(n=len(lost)))
            self.details.setText("；".join(d.title for d in lost if d.title))
            self.details.setVisible(bool(self.details.text()))
            self._buttons(offering=False)
            self.show()
        else:
            self.hide()
        self.restored.emit(opened)
        return opened

    def discard(self) -> None:
        for draft in self.drafts:
            self.store.remove(draft.id)
        self.drafts = []
        self.hide()

