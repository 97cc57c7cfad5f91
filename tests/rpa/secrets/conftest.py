"""Secrets tests: a secrets file and key in a temporary folder, a real SQLite store, and an
in-memory OS keyring (the keyring package's own backend seam) so no real keyring is touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from cryptography.fernet import Fernet
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError
from sqlalchemy import Engine

from rpa.store import open_engine


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


class NoKeyring(MemoryKeyring):
    """Like a server without a desktop session: every call fails."""

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("no backend")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("no backend")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    """What a user exports: where the file lives and its key (no SMARTLAB_SECRET_* yet)."""
    return {"SMARTLAB_SECRETS_FILE": str(tmp_path / "secrets.enc"),
            "SMARTLAB_SECRETS_KEY": Fernet.generate_key().decode()}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    e = open_engine(f"sqlite:///{tmp_path / 'smartlab.db'}")
    yield e
    e.dispose()
