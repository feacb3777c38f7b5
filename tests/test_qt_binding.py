"""The Qt binding in use does not leak or drop references on signal emits (PySide6 6.12.0 did)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)


def test_emitting_signals_from_python_keeps_the_reference_counts_of_true_and_the_payload():
    emitter = Emitter()
    payload = object()
    true_before, payload_before = sys.getrefcount(True), sys.getrefcount(payload)
    for _ in range(200):
        emitter.plain.emit()
        emitter.carrying.emit(payload)
    assert sys.getrefcount(True) - true_before >= 0  # 6.12.0: -400, then bool_dealloc aborts
    assert sys.getrefcount(payload) == payload_before
