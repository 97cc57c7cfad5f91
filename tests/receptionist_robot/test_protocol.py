from __future__ import annotations

import pytest

from receptionist_robot import mav
from receptionist_robot.protocol import Codec, wire_seconds


def frames(*msgs: object, sender: Codec | None = None) -> bytes:
    sender = sender or Codec(255, 190)
    return b"".join(sender.encode(m) for m in msgs)  # type: ignore[arg-type]


def test_codec_round_trips_a_command() -> None:
    msg = mav.command_long((1, 1), mav.CMD_ARM_DISARM, (1, mav.FORCE_DISARM))
    [got] = Codec(1, 1).feed(frames(msg))
    assert (got.get_type(), got.command, got.param2) == ("COMMAND_LONG", 400, 21196.0)
    assert (got.get_srcSystem(), got.get_srcComponent()) == (255, 190)


def test_codec_frames_are_mavlink_v2() -> None:
    data = frames(mav.gcs_heartbeat())
    assert data[0] == 0xFD and len(data) == 21  # ROBOT_LINK.md: a heartbeat is 21 bytes


def test_codec_reassembles_frames_split_anywhere() -> None:
    data = frames(mav.gcs_heartbeat(), mav.gcs_heartbeat(), mav.gcs_heartbeat())
    codec = Codec(1, 1)
    got = [m for i in range(len(data)) for m in codec.feed(data[i:i + 1])]
    assert len(got) == 3 and codec.counters.crc_errors == 0


@pytest.mark.parametrize("offset", [3, 7, 12, 20, 30, 40])
def test_codec_rejects_any_flipped_bit_and_keeps_the_next_frame(offset: int) -> None:
    bad = bytearray(frames(mav.command_long((1, 1), mav.CMD_DO_SET_MODE, (1, 15))))
    bad[offset] ^= 0x10
    codec = Codec(1, 1)
    got = codec.feed(bytes(bad) + frames(mav.gcs_heartbeat()))
    assert [m.get_type() for m in got] == ["HEARTBEAT"]
    assert codec.counters.crc_errors + codec.counters.unknown >= 1


def test_codec_checks_crc_extra() -> None:
    """Same bytes with another message's id fail: the CRC covers the message's definition."""
    data = bytearray(frames(mav.gcs_heartbeat()))
    data[7] = 1  # HEARTBEAT (0) -> SYS_STATUS (1); the payload CRC no longer matches
    codec = Codec(1, 1)
    assert codec.feed(bytes(data)) == [] and codec.counters.crc_errors == 1


def test_codec_does_not_stall_behind_a_corrupted_length() -> None:
    bad = bytearray(frames(mav.gcs_heartbeat()))
    bad[1] = 250  # claims a long payload that never comes
    codec = Codec(1, 1)
    got = codec.feed(bytes(bad) + frames(mav.command_long((1, 1), 400, (1,))))
    assert [m.get_type() for m in got] == ["COMMAND_LONG"]


def test_codec_skips_leading_garbage() -> None:
    codec = Codec(1, 1)
    got = codec.feed(b"\x00\xffnoise" + frames(mav.gcs_heartbeat()))
    assert len(got) == 1 and codec.counters.garbage_bytes == 7


def test_codec_counts_sequence_gaps() -> None:
    sender = Codec(255, 190)
    sent = [sender.encode(mav.gcs_heartbeat()) for _ in range(6)]
    codec = Codec(1, 1)
    codec.feed(sent[0] + sent[1] + sent[4] + sent[5])
    assert codec.counters.seq_gaps == 2


def test_codec_ignores_mavlink1_and_signed_frames() -> None:
    signed = bytearray(frames(mav.gcs_heartbeat()))
    signed[2] = 0x01
    codec = Codec(1, 1)
    assert codec.feed(b"\xfe\x09\x00\x01\x01\x00" + bytes(signed)) == []


def test_canonical_matches_across_float32() -> None:
    msg = mav.position_target((1, 1), 1.1, -2.3, 0.5)
    [got] = Codec(1, 1).feed(frames(msg))
    assert mav.canonical(got) == mav.canonical(mav.position_target((1, 1), 1.1, -2.3, 0.5))


def test_wire_seconds_at_115200() -> None:
    assert wire_seconds(21) == pytest.approx(0.00182, abs=1e-5)
