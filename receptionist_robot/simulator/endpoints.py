"""Where the simulator listens: a pty pair (the controller opens the slave path) or TCP.

Both are reached by the controller through the same URL seam as real hardware: the pty's
slave is a device path, TCP is `socket://127.0.0.1:PORT`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import tty

from receptionist_robot.errors import SimulatorError


class PtyEndpoint:
    def __init__(self) -> None:
        try:
            self._master, self._slave = os.openpty()
        except OSError as exc:
            raise SimulatorError(f"cannot open a pty: {exc}") from exc
        tty.setraw(self._slave)  # no echo, no line discipline: a byte is a byte
        os.set_blocking(self._master, False)
        self.url = os.ttyname(self._slave)

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self._master], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self._master, 4096)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EIO):
                return b""
            raise

    def write(self, data: bytes) -> None:
        with contextlib.suppress(BlockingIOError):  # nobody reading: the line drops bytes
            os.write(self._master, data)

    def close(self) -> None:
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class TcpEndpoint:
    """One client at a time; a new connection replaces the old one, like re-plugging."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        try:
            self._server = socket.create_server((host, port))
        except OSError as exc:
            raise SimulatorError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        self._client: socket.socket | None = None
        self._hang_up = False
        self.host, self.port = self._server.getsockname()[:2]
        self.url = f"socket://{self.host}:{self.port}"

    def hang_up(self) -> None:
        """Drop the current client from any thread, as pulling the cable would."""
        self._hang_up = True

    def read(self, timeout: float) -> bytes:
        if self._hang_up:
            self._hang_up = False
            self._drop()
        watched = [self._server] + ([self._client] if self._client else [])
        ready, _, _ = select.select(watched, [], [], timeout)
        if self._server in ready:
            self._accept()
            return b""
        return self._recv() if ready else b""

    def write(self, data: bytes) -> None:
        if self._client is None:
            return
        try:
            self._client.sendall(data)
        except OSError:
            self._drop()

    def close(self) -> None:
        self._drop()
        self._server.close()

    def _accept(self) -> None:
        client, _ = self._server.accept()
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._drop()
        self._client = client

    def _recv(self) -> bytes:
        try:
            data = self._client.recv(4096)  # type: ignore[union-attr]
        except OSError:
            data = b""
        if not data:
            self._drop()
        return data

    def _drop(self) -> None:
        if self._client is not None:
            with contextlib.suppress(OSError):
                self._client.close()
            self._client = None


def listen(spec: str) -> PtyEndpoint | TcpEndpoint:
    """`pty` or `tcp:HOST:PORT` (the form `smartlab robot sim --listen` takes)."""
    if spec == "pty":
        return PtyEndpoint()
    kind, _, rest = spec.partition(":")
    host, _, port = rest.rpartition(":")
    if kind != "tcp" or not port.isdigit():
        raise SimulatorError(f"--listen takes 'pty' or 'tcp:HOST:PORT', not '{spec}'")
    return TcpEndpoint(host or "127.0.0.1", int(port))
