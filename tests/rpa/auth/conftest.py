"""Auth tests run on a real SQLite file in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from rpa.store import open_engine


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "smartlab.db"


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    e = open_engine(f"sqlite:///{db_path}")
    yield e
    e.dispose()
