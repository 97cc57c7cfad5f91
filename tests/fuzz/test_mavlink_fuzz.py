"""Fuzzing the MAVLink parser (tests only; the codec is the robot's): any bytes, split
anywhere, give messages and counters — never an exception; good frames hidden among
garbage all come out, in order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from receptionist_robot import mav
from receptionist_robot.protocol import Codec

MESSAGES = [mav.gcs_heartbeat(), mav.command_long((1, 1), mav.CMD_ARM_DISARM, (1, mav.FORCE_DISARM)),
            mav.command_long((1, 1), mav.CMD_DO_SET_MODE, (1, 15))]
garbage = st.binary(max_size=64).map(lambda b: b.replace(b"\xfd", b"\x00"))  # no false frame start


@given(st.binary(max_size=2000), st.lists(st.integers(min_value=1, max_value=64), max_size=40))
def test_fuzz_any_bytes_split_anywhere_never_raise(data: bytes, cuts: list[int]) -> None:
    codec, at = Codec(1, 1), 0
    for size in [*cuts, len(data)]:
        codec.feed(data[at:at + size])
        at += size
    counters = codec.counters
    assert counters.garbage_bytes <= len(data) and counters.frames * 12 <= len(data)


@given(st.lists(st.tuples(garbage, st.sampled_from(range(len(MESSAGES)))), min_size=1, max_size=12))
def test_fuzz_good_frames_among_garbage_all_come_out_in_order(parts: list[tuple[bytes, int]]) -> None:
    sender = Codec(255, 190)
    stream = b"".join(junk + sender.encode(MESSAGES[i]) for junk, i in parts)
    got = Codec(1, 1).feed(stream)
    assert [m.get_type() for m in got] == [MESSAGES[i].get_type() for _, i in parts]
