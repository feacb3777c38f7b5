"""The 入户走访 tab on the sample households, shown as an officer sees it."""

from __future__ import annotations

import pytest

from tests.support.window import make_context
from ui.households.tab import HouseholdsTab


@pytest.fixture
def tab(qtbot, db, sample_households):
    tab = HouseholdsTab()
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    tab.attach(make_context(db))
    return tab
