"""Opening the database: `SMARTLAB_DB` (a SQLAlchemy URL) or a SQLite file in WAL mode.

SQLite runs with `synchronous=NORMAL` under WAL: a commit survives the process being killed
(SIGKILL), which is what resumable runs need; only a power cut may lose the last commits.
Opening a store brings its schema up to date (`migrate`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from rpa.errors import StoreError
from rpa.store import migrate

DEFAULT_PATH = Path(".smartlab") / "smartlab.db"


def database_url(url: str | None = None) -> str:
    if url:
        return url
    if os.environ.get("SMARTLAB_DB"):
        return os.environ["SMARTLAB_DB"]
    DEFAULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_PATH}"


def open_engine(url: str | None = None, *, migrate_schema: bool = True) -> Engine:
    """An engine on the store, its schema brought up to date unless `migrate_schema` is False
    (for looking at a store as it is: `smartlab db status`)."""
    url = database_url(url)
    try:
        engine = create_engine(url, json_serializer=_dumps, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot open the store at {url}: {exc.__class__.__name__}: {exc.args[0]}") from exc
    if migrate_schema:
        migrate.upgrade(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
