"""The hybrid logical clock orders stamps even when the wall clock misbehaves."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from db.hlc import STAMP_LENGTH, HybridClock, node_of, parse


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


NODE = node_of("0123456789abcdef0123456789abcdef")


def test_stamps_follow_the_wall_clock_when_it_moves_forward():
    wall = FakeWall(1_000)
    clock = HybridClock(NODE, wall=wall)
    first = clock.now()
    wall.ms = 2_000
    second = clock.now()
    assert parse(first).ms == 1_000 and parse(second) == (2_000, 0, NODE)


def test_clock_never_goes_backwards_when_the_wall_clock_jumps_back():
    wall = FakeWall(5_000_000)
    clock = HybridClock(NODE, wall=wall)
    before = clock.now()
    wall.ms = 1_000  # the laptop's clock was set back by hours
    after = [clock.now() for _ in range(3)]
    assert before < after[0] < after[1] < after[2]
    assert all(parse(s).ms == 5_000_000 for s in after)


@given(st.lists(st.integers(min_value=0, max_value=2**40), min_size=1, max_size=200))
def test_stamps_strictly_increase_for_any_sequence_of_wall_readings(readings):
    wall = FakeWall(readings[0])
    clock = HybridClock(NODE, wall=wall)
    stamps = []
    for ms in readings:
        wall.ms = ms
        stamps.append(clock.now())
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert all(len(s) == STAMP_LENGTH for s in stamps)


def test_observing_a_stamp_from_the_future_moves_the_clock_past_it():
    clock = HybridClock(NODE, wall=FakeWall(1_000))
    other = HybridClock(node_of("ffffffffffff0000ffffffffffff0000"), wall=FakeWall(9_000))
    remote = other.now()
    clock.observe(remote)
    assert clock.now() > remote


def test_counter_overflow_borrows_the_next_millisecond():
    clock = HybridClock(NODE, wall=FakeWall(7))
    stamps = [clock.now() for _ in range(70_000)]
    assert stamps == sorted(stamps) and parse(stamps[-1]).ms == 8


def test_string_order_of_stamps_is_their_time_order():
    a = HybridClock(node_of("aaaaaaaaaaaa" + "0" * 20), wall=FakeWall(0xFFF)).now()
    b = HybridClock(node_of("000000000000" + "0" * 20), wall=FakeWall(0x1000)).now()
    assert a < b  # the later millisecond wins whatever the device


def test_a_malformed_stamp_is_refused():
    import pytest

    with pytest.raises(ValueError):
        parse("not-a-stamp")
    with pytest.raises(ValueError):
        node_of("xyz")


def test_rebase_restarts_from_the_stamp_stored_even_below_where_the_clock_was():
    wall = FakeWall(1_000)
    clock = HybridClock(NODE, wall=wall)
    clock.observe(f"{10**12:012x}-0005-{'f' * 12}")  # a stamp far ahead, since repaired away
    stored = f"{2_000:012x}-0003-{'e' * 12}"
    clock.rebase(stored)
    stamp = clock.now()
    assert stored < stamp < f"{2_001:012x}"  # above what is stored, and no longer far ahead
    clock.rebase(None)  # nothing stored at all: the wall clock alone
    assert parse(clock.now()).ms == 1_000
