"""Schema migrations with Alembic: every store is brought to the newest schema when opened.

Each package that owns tables owns one Alembic branch (its own `versions/` folder and
label): `rpa` here, others through the `smartlab.migrations` entry points, each naming a
`Branch`. Opening a store runs `upgrade heads` under a lock (a file lock beside a SQLite
file, an advisory lock on PostgreSQL), so two processes opening a new store at once do not
race. A store already at the heads costs one SELECT and no Alembic import: its revision
table is compared with the heads read from the migration files' `revision`/`down_revision`
lines (`file_heads`); any doubt falls through to Alembic under the lock. A store created before migrations
existed is adopted: each branch's baseline creates only the tables that are missing.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, text
from sqlalchemy.exc import SQLAlchemyError

from rpa.errors import StoreError

MIGRATIONS_ENTRY_POINT_GROUP = "smartlab.migrations"
HERE = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class Branch:
    """One package's migrations: its label, its `versions/` folder, and a function giving the
    MetaData of the tables it owns (imported only to compare or autogenerate, never to upgrade)."""

    label: str
    versions: Path
    tables: Callable[[], tuple[MetaData, ...]]


def _rpa_tables() -> tuple[MetaData, ...]:
    from rpa.audit.schema import metadata as audit
    from rpa.auth.schema import metadata as auth
    from rpa.store.schema import metadata as store
    from rpa.web.console.sessions import metadata as sessions

    return store, auth, audit, sessions


RPA = Branch("rpa", HERE / "versions", _rpa_tables)


@cache
def branches() -> tuple[Branch, ...]:
    found = [RPA]
    for ep in entry_points(group=MIGRATIONS_ENTRY_POINT_GROUP):
        try:
            found.append(ep.load())
        except ImportError:  # a plugin being built or not installed: its tables are not ours to make
            continue
    return tuple(found)


def alembic_config(connection: Connection | None = None, compare: bool = False) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(b.versions) for b in branches()))
    config.attributes["connection"] = connection
    config.attributes["metadatas"] = [m for b in branches() for m in b.tables()] if compare else []
    return config


@cache
def heads() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def current(connection: Connection) -> frozenset[str]:
    from alembic.runtime.migration import MigrationContext

    return frozenset(MigrationContext.configure(connection).get_current_heads())


def upgrade(engine: Engine) -> None:
    """Bring the store to the newest schema; cheap when it is there already."""
    try:
        if _at_heads(engine):
            return
        with _lock(engine), engine.begin() as connection:
            if current(connection) != heads():
                _check_known(current(connection))
                from alembic import command

                command.upgrade(alembic_config(connection), "heads")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate the store at {engine.url!r}: {exc.__class__.__name__}: {exc.args[0]}") \
            from exc


def _at_heads(engine: Engine) -> bool:
    """True when the store's revisions are exactly the files' heads; False sends it to Alembic."""
    newest = file_heads()
    if newest is None:
        return False
    try:
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return frozenset(stored) == newest
    except SQLAlchemyError:  # no revision table yet (a new store, or one made before migrations)
        return False


_ASSIGNED = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


def file_heads() -> frozenset[str] | None:
    """Every branch's newest revision, read from its files without Alembic (a few file reads,
    so never stale); None when a file does not spell its ids as plain one-line literals."""
    made: set[str] = set()
    revised: set[str] = set()
    for path in (p for b in branches() for p in b.versions.glob("[!_]*.py")):
        ids = _revision_ids(path.read_text(encoding="utf-8"))
        if ids is None:
            return None
        made.add(ids[0])
        revised.update(ids[1])
    return frozenset(made - revised)


def _revision_ids(source: str) -> tuple[str, tuple[str, ...]] | None:
    try:
        found = {name: ast.literal_eval(value) for name, value in _ASSIGNED.findall(source)}
    except (ValueError, SyntaxError):
        return None
    revision, down = found.get("revision"), found.get("down_revision")
    if not isinstance(revision, str):
        return None
    return revision, (down,) if isinstance(down, str) else tuple(down or ())


def _check_known(revisions: frozenset[str]) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    unknown = sorted(r for r in revisions if not _known(script, r))
    if unknown:
        raise StoreError(f"the store is at schema revision {', '.join(unknown)}, newer than this SmartLab "
                         f"knows ({', '.join(sorted(heads()))}): upgrade SmartLab, or use another store")


def _known(script: Any, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


@contextlib.contextmanager
def _lock(engine: Engine) -> Iterator[None]:
    locker = _LOCKS.get(engine.dialect.name)
    with locker(engine) if locker else contextlib.nullcontext():
        yield


@contextlib.contextmanager
def _sqlite_lock(engine: Engine) -> Iterator[None]:
    path = engine.url.database
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _postgresql_lock(engine: Engine) -> Iterator[None]:
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(727274)"))  # any fixed number, ours alone
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(727274)"))


_LOCKS = {"sqlite": _sqlite_lock, "postgresql": _postgresql_lock}


def drift(engine: Engine) -> list[Any]:
    """What differs between the store's tables and the schema modules (empty when in step):
    a schema change without its migration shows up here, and a test keeps it empty."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    metadatas = [m for b in branches() for m in b.tables()]
    ours = {t for m in metadatas for t in m.tables}
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_object": lambda _o, name, type_, *_: type_ != "table" or name in ours,
        })
        return compare_metadata(context, metadatas)


@dataclass(frozen=True)
class BranchStatus:
    label: str
    current: str | None
    newest: str
    pending: tuple[str, ...]  # revisions still to apply, oldest first


def status(engine: Engine) -> list[BranchStatus]:
    """Where each branch stands in this store, without changing anything."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as connection:
        at = current(connection)
    return [_branch_status(script, b.label, at) for b in branches()]


def _branch_status(script: Any, label: str, at: frozenset[str]) -> BranchStatus:
    newest = script.get_revision(f"{label}@head").revision
    mine = next((r for r in at if r.startswith(f"{label}_")), None)
    lower = mine if mine is not None else "base"
    pending = [r.revision for r in script.iterate_revisions(newest, lower) if r.revision != mine]
    return BranchStatus(label, mine, newest, tuple(reversed(pending)))


def new_revision(message: str, label: str = "rpa") -> Path:
    """Write branch `label`'s next migration, autogenerated from the schema modules against a
    scratch SQLite store at the newest revision; review it before committing."""
    import tempfile

    from alembic import command
    from sqlalchemy import create_engine

    branch = next((b for b in branches() if b.label == label), None)
    if branch is None:
        raise StoreError(f"no migrations branch '{label}' (known: {', '.join(b.label for b in branches())})")
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{scratch}/scratch.db")
        upgrade(engine)
        with engine.begin() as connection:
            script = command.revision(alembic_config(connection, compare=True), message=message, autogenerate=True,
                                      head=f"{label}@head", rev_id=_next_id(label), version_path=str(branch.versions))
        engine.dispose()
    return Path(script.path)


def _next_id(label: str) -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    numbers = [int(r.revision.rsplit("_", 1)[1]) for r in script.walk_revisions() if r.revision.startswith(f"{label}_")]
    return f"{label}_{max(numbers, default=0) + 1:04d}"
