"""The 文件 menu's sync actions and the status bar's last-sync label, wired to one window."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow

from ui.widgets.ops import ANY_TABLE, changes


class SyncMenu:
    """Owns the sync actions; ``attach(db)`` enables them, ``detach()`` disables them."""

    def __init__(self, window: QMainWindow, menu, status: QLabel) -> None:
        self.window, self.status, self.db = window, status, None
        self._dialogs: dict[str, object] = {}  # one of each open at a time, kept alive
        self.actions = []
        for text, slot in ((window.tr("导出同步包(&E)…"), self.export),
                           (window.tr("导入同步包(&I)…"), self.import_),
                           (window.tr("同步冲突与重复人员(&C)…"), self.conflicts),
                           (window.tr("同步设置(&S)…"), self.settings)):
            action = QAction(text, window, enabled=False)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions.append(action)

    def attach(self, db) -> None:
        self.db = db
        for action in self.actions:
            action.setEnabled(True)
        self.refresh_status()

    def detach(self) -> None:
        self.db = None
        for dialog in self._dialogs.values():
            dialog.close()
        self._dialogs.clear()
        for action in self.actions:
            action.setEnabled(False)

    def refresh_status(self) -> None:
        from app.sync.conflicts import last_syncs

        latest = last_syncs(self.db)
        if not latest:
            self.status.setText(self.window.tr("尚未同步"))
            return
        last = latest[0]
        verb = self.window.tr("导出") if last.direction == "export" else self.window.tr("导入")
        self.status.setText(self.window.tr("上次同步：{when} {verb}（{code}）").format(
            when=last.at.astimezone().strftime("%m-%d %H:%M"), verb=verb, code=last.device_code))

    def _show(self, key: str, make):
        dialog = self._dialogs.get(key)
        if dialog is None or not dialog.isVisible():
            dialog = self._dialogs[key] = make()
        dialog.show()
        dialog.raise_()
        return dialog

    def _store(self):
        from ui.sync.common import PassphraseStore

        return PassphraseStore()

    def export(self):
        from ui.sync.dialogs import ExportDialog

        def make():
            dialog = ExportDialog(self.db, self._store(), self.window)
            dialog.exported.connect(lambda _result: self.refresh_status())
            return dialog

        return self._show("export", make)

    def import_(self):
        from ui.sync.dialogs import ImportDialog

        def make():
            dialog = ImportDialog(self.db, self._store(), self.window)
            dialog.imported.connect(lambda _summary: self._imported())
            dialog.show_conflicts.connect(self.conflicts)
            return dialog

        return self._show("import", make)

    def _imported(self) -> None:
        self.refresh_status()  # the import's Op announced its change: every tab shows the merged data

    def _decided(self) -> None:
        """A conflict decided or residents merged: every list shows the result."""
        changes.announce(ANY_TABLE, source=self)

    def conflicts(self):
        from ui.sync.conflicts import ConflictsDialog

        def make():
            dialog = ConflictsDialog(self.db, self.window)
            dialog.changed.connect(self._decided)
            return dialog

        return self._show("conflicts", make)

    def settings(self):
        from ui.sync.dialogs import SyncSettingsDialog

        return self._show("settings", lambda: SyncSettingsDialog(self.db, self._store(), self.window))
