"""A throwaway PostgreSQL server for tests: Debian's binaries, a cluster in a temporary folder,
listening on a loopback port only, stopped at the end of the session.

PostgreSQL refuses to run as root, so under root (CI) the cluster belongs to the `postgres`
user that Debian's package creates and the server runs as that user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} not found: run `make setup` (it installs postgresql)")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """`durable=False` (tests) turns fsync off; True keeps PostgreSQL's own defaults (benchmarks)."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="smartlab-pg-"))
        self.data, self.port = self.folder / "data", _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)
        return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)

    def start(self) -> PostgresServer:
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        fast = () if self.durable else ("--no-sync",)
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "smartlab", "--auth=trust", "-E", "UTF8", *fast)
        fsync = "" if self.durable else " -c fsync=off"
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder}{fsync} -c max_connections=200"
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options,
                  "-w", "-t", "60", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://smartlab@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh empty database for one test; its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            time.sleep(0.1)
            shutil.rmtree(self.folder, ignore_errors=True)
