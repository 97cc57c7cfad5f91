"""The base's parameters over MAVLink's parameter protocol, as ArduPilot speaks it.

PARAM_REQUEST_READ (by name) and PARAM_SET are both answered by a PARAM_VALUE carrying the
value now in force; nothing else acknowledges them, so each request is resent until that
answer comes. A PARAM_SET counts as done only when the value read back is the one asked
for: firmware may clamp it, or keep the old value of a parameter it will not change.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

from receptionist_robot import mav
from receptionist_robot.errors import LinkError, ParameterError
from receptionist_robot.link import Link
from receptionist_robot.protocol import Message

TOLERANCE = 1e-3  # a float32 on the wire
MIN_TRIES = 60  # a parameter is read a few times a tour: worth more persistence than a command
# (30 tries, 9 s, lost about one exchange in 40 on the tests' noisiest line)
MIN_WAIT = 0.3  # seconds per try; PARAM_VALUE is a long frame, the first to suffer on a noisy line


class Params:
    def __init__(self, link: Link, clock: Callable[[], float] = time.monotonic) -> None:
        self.link, self.clock = link, clock
        self._values: dict[str, tuple[float, int]] = {}  # name -> (value, answer number)
        self._answers = 0
        self._changed = threading.Condition()
        link.subscribe(self._on_message)

    def get(self, name: str) -> float:
        return self._exchange(name, mav.param_request_read(self.link.config.target, name))

    def set(self, name: str, value: float) -> float:
        """Set and read back; raises ParameterError when the base keeps another value."""
        got = self._exchange(name, mav.param_set(self.link.config.target, name, value))
        if abs(got - value) > TOLERANCE:
            raise ParameterError(f"{name}: set to {value:g}, the base kept {got:g}")
        return got

    def cached(self, name: str) -> float | None:
        entry = self._values.get(name)
        return None if entry is None else entry[0]

    def _exchange(self, name: str, request: Message) -> float:
        config = self.link.config
        tries = max(config.retries, MIN_TRIES)
        for _ in range(tries):
            since = self._answers
            with contextlib.suppress(LinkError):  # reconnecting: the next try may find it back
                for _ in range(self.link.copies()):  # as commands are, on a noisy line
                    self.link.send(request)
            answer = self._wait(name, since, max(config.ack_timeout, MIN_WAIT))
            if answer is not None:
                return answer
        raise ParameterError(f"{name}: no PARAM_VALUE from the base after {tries} tries")

    def _wait(self, name: str, since: int, timeout: float) -> float | None:
        deadline = self.clock() + timeout
        with self._changed:
            while True:
                entry = self._values.get(name)
                if entry is not None and entry[1] > since:
                    return entry[0]
                left = deadline - self.clock()
                if left <= 0:
                    return None
                self._changed.wait(min(left, 0.05))

    def _on_message(self, msg: Message) -> None:
        if msg.get_type() != "PARAM_VALUE":
            return
        with self._changed:
            self._answers += 1
            self._values[mav.param_name(msg)] = (float(msg.param_value), self._answers)
            self._changed.notify_all()
