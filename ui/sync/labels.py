"""Chinese names of tables and fields as the sync views show them (translatable, context "sync")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.vocab import FIELD_LABELS as FIELDS  # one vocabulary with the audit view
from app.core.vocab import TABLE_LABELS as TABLES


def table_label(name: str) -> str:
    return QCoreApplication.translate("sync", TABLES[name]) if name in TABLES else name


def field_label(name: str) -> str:
    return QCoreApplication.translate("sync", FIELDS[name]) if name in FIELDS else name
