"""Fault injection on the simulator's line: lost and flipped bytes, a cut, lost or late acks,
commands the base refuses and parameters it will not change.

Applied to the bytes both ways, as a noisy cable would, with a seeded random generator so a
failing run can be replayed.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field


@dataclass
class Faults:
    drop_rate: float = 0.0  # probability that a byte is lost
    corrupt_rate: float = 0.0  # probability that a byte has one bit flipped
    ack_loss: float = 0.0  # probability that a COMMAND_ACK is never sent
    ack_delay: float = 0.0  # seconds a COMMAND_ACK waits before it is sent
    seed: int | None = None
    refuse: set[int] = field(default_factory=set)  # COMMAND_LONG ids always answered FAILED
    read_only: set[str] = field(default_factory=set)  # parameters PARAM_SET leaves unchanged
    cut_until: float = 0.0  # monotonic time until which the line carries nothing
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def cut(self, seconds: float) -> None:
        self.cut_until = time.monotonic() + seconds

    @property
    def is_cut(self) -> bool:
        return time.monotonic() < self.cut_until

    def garble(self, data: bytes) -> bytes:
        if self.is_cut:
            return b""
        if not (self.drop_rate or self.corrupt_rate):
            return data
        return bytes(b for b in map(self._byte, data) if b is not None)

    def lose_ack(self) -> bool:
        return self.rng.random() < self.ack_loss

    def _byte(self, b: int) -> int | None:
        if self.rng.random() < self.drop_rate:
            return None
        if self.rng.random() < self.corrupt_rate:
            return b ^ (1 << self.rng.randrange(8))
        return b
