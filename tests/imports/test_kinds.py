"""Every import kind exposes the protocol of app/imports/kinds/__init__.py, so the wizard, the CLI and
the tab refresh after a write know it without a list of their own."""

from __future__ import annotations

import pytest

from app.imports.kinds import KIND_MODULES, kind_module
from app.imports.service import KINDS
from db.models import SYNCED_TABLES


@pytest.mark.parametrize("kind", list(KIND_MODULES))
def test_each_kind_names_itself_its_fields_and_the_synced_tables_its_write_changes(kind):
    module = kind_module(kind)
    assert module.KIND == kind and KINDS[kind] == module.TITLE
    assert module.FIELDS and len({field.key for field in module.FIELDS}) == len(module.FIELDS)
    assert "audit_entry" in module.TABLES  # every import is audited
    assert set(module.TABLES) - {"audit_entry"} <= set(SYNCED_TABLES), "a table the kind cannot write"
    for name in ("convert", "file_key", "match", "write"):
        assert callable(getattr(module, name))
