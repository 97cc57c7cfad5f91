"""A Rasa server on loopback: start it with a model, wait until the model answers, stop it.

The process gets its own session so stopping it stops its children, and so a server started
by `smartlab nlu serve` outlives the command. A small JSON file in the project's `.rasa/`
records each detached server for `smartlab nlu stop`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from rpa.nlu.client import RasaHttp
from rpa.nlu.errors import ServerError
from rpa.nlu.project import COMPONENTS_HOME, COMPONENTS_PACKAGE
from rpa.nlu.rasa import rasa_env, rasa_executable, tail

LOOPBACK = "127.0.0.1"
# the REST webhook and smartlab_nlu's batch parse route (nlu/smartlab_nlu/credentials.yml)
CHANNELS = COMPONENTS_HOME / COMPONENTS_PACKAGE / "credentials.yml"
READY_TIMEOUT = 240.0
STOP_TIMEOUT = 15.0
POLL = 0.5


def free_port(host: str = LOOPBACK) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_busy(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


@dataclass
class RasaServer:
    model: Path
    port: int
    log: Path
    host: str = LOOPBACK
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = READY_TIMEOUT) -> RasaServer:
        if port_busy(self.port, self.host):
            raise ServerError(f"port {self.port} is already in use on {self.host}")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w", encoding="utf-8") as sink:
            self.process = subprocess.Popen(
                self._command(), cwd=self.model.parent, env=rasa_env(), stdout=sink,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        client = RasaHttp(self.url, timeout=5.0)
        try:
            while time.monotonic() < deadline:
                if self.process and self.process.poll() is not None:
                    raise ServerError(f"Rasa exited with code {self.process.returncode} while "
                                      f"starting; last lines of {self.log}:\n{tail(self.log)}")
                if _model_loaded(client):
                    return
                time.sleep(POLL)
        finally:
            client.close()
        self.stop()
        raise ServerError(f"Rasa was not ready after {timeout:.0f}s; see {self.log}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()

    def __enter__(self) -> RasaServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _command(self) -> list[str]:
        return [str(rasa_executable()), "run", "--enable-api", "--model", str(self.model),
                "--interface", self.host, "--port", str(self.port), "--credentials", str(CHANNELS)]


def _model_loaded(client: RasaHttp) -> bool:
    try:
        return bool(client.status().get("model_file"))
    except ServerError:
        return False


def _signal_group(pid: int, sig: int) -> bool:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return False
    return True


def stop_pid(pid: int, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop a detached server (not our child): SIGTERM its group, SIGKILL what is left."""
    if not _signal_group(pid, signal.SIGTERM):
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    if _alive(pid):
        _signal_group(pid, signal.SIGKILL)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def record(server: RasaServer, folder: Path) -> Path:
    path = folder / f"server-{server.port}.json"
    path.write_text(json.dumps({"pid": server.pid, "port": server.port, "url": server.url,
                                "model": str(server.model)}))
    return path


def recorded(folder: Path) -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.read_text())) for p in sorted(folder.glob("server-*.json"))]
