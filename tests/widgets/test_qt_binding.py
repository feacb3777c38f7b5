"""The Qt binding in use does not leak or drop references on signal emits (PySide6 6.12.0 did)."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, Signal

EMITS = 200


class Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)


class Payload:
    """A mortal object (unlike True, None or small ints on Python >= 3.12): its count can move."""


def check_emits_keep_references(emit: Callable[[object], object]) -> None:
    """``emit(payload)`` many times; the payload's reference count must come back to where it
    was (a leak raises it, a drop lowers it) and, once let go, the payload must be freed."""
    payload = Payload()
    gone = weakref.ref(payload)
    before = sys.getrefcount(payload)
    for _ in range(EMITS):
        emit(payload)
    assert sys.getrefcount(payload) == before
    del payload
    gc.collect()
    assert gone() is None, "the payload outlived every reference the test held"


def test_emitting_an_object_to_a_slot_keeps_its_reference_count_and_frees_it():
    emitter = Emitter()
    received = []
    emitter.carrying.connect(lambda obj: received.append(type(obj)))
    check_emits_keep_references(emitter.carrying.emit)
    assert received == [Payload] * EMITS  # the emits did deliver the payload


def test_the_reference_check_fails_when_an_emit_keeps_its_payload():
    """The check above can fail: a slot that hoards what it gets is a leak it must see."""
    emitter = Emitter()
    hoard = []
    emitter.carrying.connect(hoard.append)
    with pytest.raises(AssertionError):
        check_emits_keep_references(emitter.carrying.emit)
    assert len(hoard) == EMITS


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal: its count never moves, nor is it freed")
def test_emitting_signals_keeps_the_reference_count_of_the_true_that_emit_returns():
    """6.12.0 dropped one reference to True per emit (-400 here), and then bool_dealloc aborted."""
    emitter = Emitter()
    emitter.plain.connect(lambda: None)
    assert emitter.plain.emit() is True
    before = sys.getrefcount(True)
    for _ in range(EMITS):  # no assert in here: pytest's rewriting would hold a True of its own
        emitter.plain.emit()
        emitter.carrying.emit(None)
    after = sys.getrefcount(True)
    assert after == before
