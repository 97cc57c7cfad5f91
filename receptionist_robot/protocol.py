"""MAVLink v2 without I/O: bytes in -> messages out, messages in -> bytes out.

pymavlink's generated classes do the packing and the CRC (with each message's CRC_EXTRA);
the framing here is our own because pymavlink's parser, on a bad CRC, discards the whole
claimed frame and can swallow a good frame behind a corrupted length byte. We skip one byte
and rescan instead, and while a frame with a (possibly corrupted) length is still incomplete
we look for a complete, valid frame further on, so one bad length byte does not stall a
quiet line. Only v2 frames are accepted; signed frames and MAVLink 1 count as garbage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pymavlink.dialects.v20 import ardupilotmega as mavlink

MAGIC_V2 = 0xFD
HEADER_LEN = 10
CRC_LEN = 2
MIN_FRAME = HEADER_LEN + CRC_LEN

Message = mavlink.MAVLink_message


@dataclass
class CodecCounters:
    frames: int = 0  # good frames decoded
    crc_errors: int = 0  # frames whose checksum (with CRC_EXTRA) did not match
    unknown: int = 0  # frames of a message id we have no definition for
    garbage_bytes: int = 0  # bytes skipped while resynchronising
    seq_gaps: int = 0  # frames missing according to sequence numbers
    sent: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class Codec:
    """One endpoint's framing state: our identity and sequence, the receive buffer."""

    system_id: int
    component_id: int
    counters: CodecCounters = field(default_factory=CodecCounters)

    def __post_init__(self) -> None:
        self._mav = mavlink.MAVLink(None, srcSystem=self.system_id, srcComponent=self.component_id)
        self._buf = bytearray()
        self._last_seq: dict[tuple[int, int], int] = {}

    def encode(self, msg: Message) -> bytes:
        data = bytes(msg.pack(self._mav))
        self._mav.seq = (self._mav.seq + 1) % 256
        self.counters.sent += 1
        return data

    def feed(self, data: bytes) -> list[Message]:
        self._buf.extend(data)
        out: list[Message] = []
        while (msg := self._next()) is not False:
            if msg is not None:
                out.append(msg)
        return out

    def _next(self) -> Message | None | bool:
        """A message, None (a bad frame skipped, keep going), or False (need more bytes)."""
        if not self._sync():
            return False
        if len(self._buf) < MIN_FRAME:
            return False
        size = MIN_FRAME + self._buf[1]
        if self._buf[2] != 0:  # incompat flags: signing (or anything newer) is not ours
            return self._skip()
        if len(self._buf) < size:
            return self._rescue()
        return self._decode(bytes(self._buf[:size]))

    def _sync(self) -> bool:
        start = self._buf.find(MAGIC_V2)
        if start < 0:
            self.counters.garbage_bytes += len(self._buf)
            self._buf.clear()
            return False
        if start:
            self.counters.garbage_bytes += start
            del self._buf[:start]
        return True

    def _rescue(self) -> Message | bool:
        """A complete valid frame behind an incomplete one proves the first was garbage."""
        start = self._buf.find(MAGIC_V2, 1)
        while start > 0:
            msg = self._try_at(start)
            if msg is not None:
                self.counters.garbage_bytes += start
                self.counters.crc_errors += 1  # the frame we were waiting on was a bad one
                del self._buf[:start]
                return self._accept(msg)
            start = self._buf.find(MAGIC_V2, start + 1)
        return False

    def _try_at(self, start: int) -> Message | None:
        buf = self._buf
        if len(buf) - start < MIN_FRAME or buf[start + 2] != 0:
            return None
        size = MIN_FRAME + buf[start + 1]
        if len(buf) - start < size:
            return None
        try:
            msg = self._mav.decode(bytearray(buf[start:start + size]))
        except mavlink.MAVError:
            return None
        return None if isinstance(msg, mavlink.MAVLink_unknown) else msg

    def _skip(self) -> None:
        self.counters.garbage_bytes += 1
        del self._buf[:1]

    def _decode(self, frame: bytes) -> Message | None:
        try:
            msg = self._mav.decode(bytearray(frame))
        except mavlink.MAVError:
            self.counters.crc_errors += 1
            return self._skip()
        if isinstance(msg, mavlink.MAVLink_unknown):
            self.counters.unknown += 1
            return self._skip()
        return self._accept(msg)

    def _accept(self, msg: Message) -> Message:
        del self._buf[: len(msg.get_msgbuf())]
        self.counters.frames += 1
        self._count_gap(msg)
        return msg

    def _count_gap(self, msg: Message) -> None:
        key = (msg.get_srcSystem(), msg.get_srcComponent())
        seq = msg.get_seq()
        last = self._last_seq.get(key)
        if last is not None:
            self.counters.seq_gaps += (seq - last - 1) % 256
        self._last_seq[key] = seq


def wire_seconds(n_bytes: int, baudrate: int = 115200) -> float:
    """Time on the wire at 8N1: ten bits per byte."""
    return n_bytes * 10 / baudrate
