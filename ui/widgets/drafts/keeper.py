"""Keeping one open form's draft: written a moment after each edit, removed on save or 放弃.

A form takes part through a small protocol, implemented once by the form base (ui/widgets/form.py):
``draft_area``, ``draft_key()``, ``draft_values()``, ``has_unsaved()``, ``windowTitle()`` and the
signals ``edited``, ``saved``, ``discarded``, ``finished``. It finds the store through the tab it was
opened from (the nearest parent with a ``draft_store``) when it is first shown: ``track(form)``."""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer

from ui.widgets.drafts.store import Draft, DraftStore

SAVE_DELAY_MS = 1000  # written this long after the last change


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
