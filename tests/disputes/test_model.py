"""The dispute list's model holds each cell's colours, font and tooltip: what used to be answered per
paint is set once as the page arrives, and says the same."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt

from app.disputes.queries import DisputeRow
from ui.disputes.model import HIGH_BG, HIGH_FG, LATE, MEDIUM_BG, MEDIUM_FG, DisputeTableModel
from ui.widgets.paged_model import Column

COLUMNS = [Column("风险", "risk_note", sort_key="risk"), Column("编号", "number", sort_key="number"),
           Column("回访", "revisit_note", sort_key="revisit")]
ROW = DisputeRow("d0", "2026-A03-0001", datetime(2026, 11, 1, tzinfo=UTC), "邻里纠纷", "mediating", "low",
                 False, "张三、李四", "阳光社区", "王警官", None, "", "")
BG, FG = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
FONT, TIP = Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole


def _model(qtbot, *rows: DisputeRow) -> DisputeTableModel:
    model = DisputeTableModel(COLUMNS, lambda **_: list(rows), page_size=100)
    model.reload()
    return model


def _colour(model, row: int, column: int, role: int):
    brush = model.index(row, column).data(role)
    return brush.color() if brush is not None else None


def test_an_unsettled_high_risk_row_is_shaded_whole_and_its_risk_cell_bold_and_explained(qtbot, qtmodeltester):
    model = _model(qtbot, replace(ROW, risk_level="high", warned=True))
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "高 ⚠"
    assert [_colour(model, 0, n, BG) for n in range(3)] == [HIGH_BG] * 3
    assert _colour(model, 0, 0, FG) == HIGH_FG and model.index(0, 0).data(FONT).bold()
    assert "威胁" in model.index(0, 0).data(TIP)


@pytest.mark.parametrize("status", ["resolved", "to_police"])
def test_a_settled_high_risk_row_marks_only_its_risk_cell(qtbot, status):
    model = _model(qtbot, replace(ROW, risk_level="high", status=status))
    assert _colour(model, 0, 0, BG) == HIGH_BG and _colour(model, 0, 1, BG) is None
    assert model.index(0, 0).data(TIP) is None


def test_medium_risk_is_shaded_amber_and_low_risk_not_at_all(qtbot):
    model = _model(qtbot, replace(ROW, risk_level="medium"), ROW)
    assert (_colour(model, 0, 0, BG), _colour(model, 0, 0, FG)) == (MEDIUM_BG, MEDIUM_FG)
    assert model.index(0, 0).data(FONT) is None
    assert [model.index(1, 0).data(role) for role in (BG, FG, FONT, TIP)] == [None] * 4


@pytest.mark.parametrize(("state", "bold", "tip"), [("overdue", True, False), ("today", True, False),
                                                   ("missing", False, True), ("planned", False, False)])
def test_a_revisit_cell_says_how_late_it_is(qtbot, state, bold, tip):
    model = _model(qtbot, replace(ROW, status="resolved", revisit_state=state, revisit_note="x",
                                  next_revisit=date(2026, 11, 20) if state != "missing" else None))
    assert _colour(model, 0, 2, FG) == LATE.get(state)
    assert bool(model.index(0, 2).data(FONT) and model.index(0, 2).data(FONT).bold()) == bold
    assert (model.index(0, 2).data(TIP) is not None) == tip


def test_rows_fetched_as_the_view_scrolls_are_styled_too(qtbot):
    rows = [replace(ROW, id=f"d{n}", risk_level="high" if n % 2 else "low") for n in range(5)]
    model = DisputeTableModel(COLUMNS, lambda offset, limit, **_: rows[offset:offset + limit], page_size=2)
    model.reload()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 5
    assert [_colour(model, n, 1, BG) for n in range(5)] == [None, HIGH_BG, None, HIGH_BG, None]
