"""The encrypted secrets file: one Fernet token holding a JSON object of name → value.

Writes go to a temporary file (mode 0600) that replaces the old one, under an exclusive lock
on a sidecar `.lock` file, so two `smartlab secrets set` at once lose neither change.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import InvalidToken

from rpa.secrets.errors import SecretsFileError
from rpa.secrets.keys import load_fernet

FILE_ENV = "SMARTLAB_SECRETS_FILE"
DEFAULT_PATH = Path(".smartlab") / "secrets.enc"


def secrets_path(environ: Mapping[str, str]) -> Path:
    return Path(environ.get(FILE_ENV) or DEFAULT_PATH)


class SecretsFile:
    """Reads and rewrites the whole file; the key is fetched only when bytes are touched."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.path = secrets_path(environ)

    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> dict[str, str]:
        if not self.exists():
            return {}
        fernet, source = load_fernet(self.environ)
        try:
            plain = fernet.decrypt(self.path.read_bytes())
        except InvalidToken as exc:
            raise SecretsFileError(f"cannot decrypt {self.path} with the key from {source}: "
                                   "wrong key or damaged file") from exc
        except OSError as exc:
            raise SecretsFileError(f"cannot read {self.path}: {exc.strerror}") from exc
        return json.loads(plain)["secrets"]

    def update(self, change: Callable[[dict[str, str]], None]) -> None:
        """Apply `change` to the stored secrets and write them back, under the file lock."""
        with self._locked():
            found = self.read()
            change(found)
            self._write(found)

    def _write(self, found: dict[str, str]) -> None:
        fernet, _ = load_fernet(self.environ)
        token = fernet.encrypt(json.dumps({"secrets": found}, sort_keys=True).encode())
        temp = self.path.with_name(self.path.name + ".tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(token)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError as exc:
            raise SecretsFileError(f"cannot write {self.path}: {exc.strerror}") from exc

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path.with_name(self.path.name + ".lock"), "a")  # noqa: SIM115
        except OSError as exc:
            raise SecretsFileError(f"cannot lock {self.path}: {exc.strerror}") from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
