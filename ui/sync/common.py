"""Pieces the sync dialogs share: the stored passphrase and a small read-only table."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from ui.widgets.paged_model import Column


class PassphraseStore:
    """The station's sync passphrase, in its own settings file readable by this user only."""

    KEY = "sync/passphrase"

    def __init__(self, qsettings: QSettings | None = None) -> None:
        if qsettings is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
            qsettings = QSettings(f"{folder}/cpdesk/sync.ini", QSettings.Format.IniFormat)
        self._q = qsettings

    def get(self) -> str:
        return str(self._q.value(self.KEY, "") or "")

    def set(self, passphrase: str) -> None:
        self._q.setValue(self.KEY, passphrase)
        self._q.sync()
        if os.name == "posix" and Path(self._q.fileName()).exists():
            os.chmod(self._q.fileName(), 0o600)


class RowsModel(QAbstractTableModel):
    """A short fixed list (a summary, the sync log) shown read-only."""

    def __init__(self, columns: list[Column], rows: list, parent=None) -> None:
        super().__init__(parent)
        self._columns, self._rows = columns, rows

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.fmt(getattr(self._rows[index.row()], column.attr))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        return None

    def row(self, n: int):
        return self._rows[n]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title
        return None


def table_view(parent: QWidget) -> QTableView:
    """A read-only, row-selecting table for the sync dialogs."""
    view = QTableView(parent)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    return view
