"""The serial link to the base: the only module that imports pyserial.

The port is chosen by URL (`serial.serial_for_url`): a device path, a pty, `socket://h:p`
or `loop://`, so tests, simulator and hardware share one seam. One pump thread reads,
decodes and dispatches; it also sends our 1 Hz ground-station HEARTBEAT, watches the base
(lost after `missed` heartbeat periods without a valid frame: on a noisy line a good
position report proves the link as well as a heartbeat does) and reopens a failed port
with backoff.
Commands go out as COMMAND_LONG and wait for their COMMAND_ACK, resent on timeout with the
`confirmation` field counting the retransmissions. On a noisy line each attempt is sent as
several copies (more as the share of bad frames grows): a base acts on a command once per
copy, which is harmless for mode, arming and speed, and one copy getting through intact is
what matters when most frames arrive damaged.
"""

from __future__ import annotations

import contextlib
import select
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import serial

from receptionist_robot import mav
from receptionist_robot.errors import CommandRejected, CommandTimeout, LinkError, LinkLost
from receptionist_robot.protocol import Codec, Message

Handler = Callable[[Message], None]
StateHandler = Callable[[bool], None]
Opener = Callable[[str, int], Any]


@dataclass(frozen=True)
class LinkConfig:
    url: str
    baudrate: int = 115200
    heartbeat_period: float = 1.0  # ours, as a ground station
    base_heartbeat_period: float = 1.0  # the base's; lost after `missed_heartbeats` of them
    missed_heartbeats: int = 3
    ack_timeout: float = 0.5
    retries: int = 3
    backoff: tuple[float, float] = (0.2, 5.0)  # first and longest wait before reopening
    system_id: int = 255
    component_id: int = 190
    target: tuple[int, int] = (1, 1)
    max_copies: int = 16  # copies of a command per attempt on a very noisy line (1: never)


@dataclass
class LinkCounters:
    retries: int = 0
    command_timeouts: int = 0
    link_losses: int = 0
    reconnects: int = 0
    port_errors: int = 0


def open_port(url: str, baudrate: int) -> Any:
    """pyserial's URL opener, non-blocking reads; the pump waits with select itself."""
    port = serial.serial_for_url(url, baudrate=baudrate, timeout=0, write_timeout=2)
    port.reset_input_buffer()  # bytes buffered while nobody read are stale
    return port


class _Port:
    """The one boundary where pyserial's and the OS's exceptions become LinkError."""

    def __init__(self, url: str, baudrate: int, opener: Opener) -> None:
        try:
            self._port = opener(url, baudrate)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise LinkError(f"cannot open {url}: {exc}") from exc

    # pyserial raises TypeError or ValueError when another thread closed the port between
    # its own checks (a reconnect racing a command): the same "port went away" to us.
    _GONE = (serial.SerialException, OSError, TypeError, ValueError)

    def read(self, wait: float) -> bytes:
        try:
            self._wait(wait)
            return bytes(self._port.read(4096))
        except self._GONE as exc:
            raise LinkError(f"read failed: {exc}") from exc

    def write(self, data: bytes) -> None:
        try:
            self._port.write(data)
        except self._GONE as exc:
            raise LinkError(f"write failed: {exc}") from exc

    def close(self) -> None:
        with contextlib.suppress(serial.SerialException, OSError):
            self._port.close()  # closing a port that already failed: nothing left to lose

    def _wait(self, seconds: float) -> None:
        try:
            fd = self._port.fileno()
        except (AttributeError, NotImplementedError, OSError, serial.SerialException):
            time.sleep(min(seconds, 0.005))  # loop:// has no descriptor to wait on
            return
        select.select([fd], [], [], seconds)


@dataclass
class _Pending:
    command: int
    done: threading.Event = field(default_factory=threading.Event)
    result: int | None = None


class Link:
    def __init__(self, config: LinkConfig, opener: Opener = open_port) -> None:
        self.config = config
        self.codec = Codec(config.system_id, config.component_id)
        self.counters = LinkCounters()
        self.sent_commands: deque[tuple[Any, ...]] = deque(maxlen=10_000)
        self._opener = opener
        self._port: _Port | None = None
        self._handlers: list[Handler] = []
        self._state_handlers: list[StateHandler] = []
        self._latest: dict[str, Message] = {}
        self._write_lock = threading.Lock()
        self._command_lock = threading.Lock()
        self._pending: _Pending | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_base_heartbeat: float | None = None
        self._up = False
        self._next_heartbeat = 0.0
        self._reopen_at = 0.0
        self._backoff = config.backoff[0]

    # -- lifecycle -------------------------------------------------------------------
    def open(self) -> Link:
        self._port = _Port(self.config.url, self.config.baudrate, self._opener)
        self._stop.clear()
        self._thread = threading.Thread(target=self._pump, name="robot-link", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        if self._port:
            self._port.close()
            self._port = None

    def __enter__(self) -> Link:
        return self.open() if self._thread is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what callers use ------------------------------------------------------------
    @property
    def is_up(self) -> bool:
        return self._up

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    def on_state(self, handler: StateHandler) -> None:
        """`handler(True)` when the base's heartbeat (re)appears, `handler(False)` when lost."""
        self._state_handlers.append(handler)

    def latest(self, msg_type: str) -> Message | None:
        return self._latest.get(msg_type)

    def send(self, msg: Message) -> None:
        port = self._port
        if port is None:
            raise LinkError("the port is closed (reconnecting)")
        with self._write_lock:
            if msg.get_type() in mav.ACTIONABLE:
                self.sent_commands.append(mav.canonical(msg))
            port.write(self.codec.encode(msg))

    def command(self, command: int, *params: float, retries: int | None = None,
                timeout: float | None = None) -> int:
        """Send a COMMAND_LONG until acknowledged; returns the result or raises."""
        retries = self.config.retries if retries is None else retries
        timeout = self.config.ack_timeout if timeout is None else timeout
        with self._command_lock:
            result = self._exchange(command, params, retries, timeout)
        if result != mav.ACCEPTED:
            name = mav.RESULTS.get(result, str(result))
            label = mav.COMMAND_NAMES.get(command, str(command))
            raise CommandRejected(f"{label}: {name}", command, result)
        return result

    def wait_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self._up:
            if time.monotonic() > deadline:
                raise LinkLost(f"no heartbeat from the base on {self.config.url} in {timeout:g} s")
            time.sleep(0.02)

    def stats(self) -> dict[str, int]:
        return {**self.codec.counters.as_dict(), **self.counters.__dict__}

    # -- commands ----------------------------------------------------------------------
    def _exchange(self, command: int, params: tuple[float, ...], retries: int,
                  timeout: float) -> int:
        pending = self._pending = _Pending(command)
        try:
            for attempt in range(retries):
                if attempt:
                    self.counters.retries += 1
                self._send_command(command, params, attempt)
                if pending.done.wait(timeout) and pending.result is not None:
                    return pending.result
        finally:
            self._pending = None
        self.counters.command_timeouts += 1
        name = mav.COMMAND_NAMES.get(command, str(command))
        raise CommandTimeout(f"{name}: no acknowledgement after {retries} tries", command)

    def _send_command(self, command: int, params: tuple[float, ...], attempt: int) -> None:
        msg = mav.command_long(self.config.target, command, params, attempt)
        with contextlib.suppress(LinkError):  # reconnecting: the next attempt may find it back
            for _ in range(self.copies()):
                self.send(msg)

    def copies(self) -> int:
        """1 on a clean line, up to `max_copies` as the share of damaged frames nears 1."""
        c = self.codec.counters
        bad = c.crc_errors + c.unknown
        ratio = bad / (bad + c.frames) if bad + c.frames >= 20 else 0.0
        return max(1, min(self.config.max_copies, round(ratio * 20)))

    def _on_ack(self, msg: Message) -> None:
        pending = self._pending
        if getattr(msg, "target_system", 0) not in (0, self.config.system_id):
            return  # the answer to another ground station's command
        if pending and msg.command == pending.command and msg.result != mav.IN_PROGRESS:
            pending.result = msg.result
            pending.done.set()

    # -- the pump --------------------------------------------------------------------
    def _pump(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            self._supervise(now)
            if self._port is None:
                self._reopen(now)
                continue
            try:
                data = self._port.read(0.02)
            except LinkError:
                self._drop_port(now)
                continue
            for msg in self.codec.feed(data) if data else ():
                self._dispatch(msg)

    def _dispatch(self, msg: Message) -> None:
        msg_type = msg.get_type()
        if msg.get_srcSystem() != self.config.target[0]:
            return  # another ground station on the same line
        self._latest[msg_type] = msg
        self._last_base_heartbeat = time.monotonic()  # any valid frame proves the line works
        self._set_up(True)
        if msg_type == "COMMAND_ACK":
            self._on_ack(msg)
        for handler in list(self._handlers):
            handler(msg)

    def _supervise(self, now: float) -> None:
        if now >= self._next_heartbeat and self._port is not None:
            self._next_heartbeat = now + self.config.heartbeat_period
            try:
                self.send(mav.gcs_heartbeat())
            except LinkError:
                self._drop_port(now)
        limit = self.config.base_heartbeat_period * self.config.missed_heartbeats
        last = self._last_base_heartbeat
        if self._up and last is not None and now - last > limit:
            self.counters.link_losses += 1
            self._set_up(False)

    def _set_up(self, up: bool) -> None:
        if up == self._up:
            return
        self._up = up
        if up:
            self._backoff = self.config.backoff[0]
        for handler in list(self._state_handlers):
            handler(up)

    def _drop_port(self, now: float) -> None:
        self.counters.port_errors += 1
        if self._port is not None:
            self._port.close()
            self._port = None
        self._reopen_at = now + self._backoff

    def _reopen(self, now: float) -> None:
        if now < self._reopen_at:
            self._stop.wait(min(0.05, self._reopen_at - now))
            return
        try:
            self._port = _Port(self.config.url, self.config.baudrate, self._opener)
            self.counters.reconnects += 1
        except LinkError:
            self._backoff = min(self._backoff * 2, self.config.backoff[1])
            self._reopen_at = now + self._backoff
