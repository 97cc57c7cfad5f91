"""Schema migrations on real SQLite files: new stores, stores made before migrations existed,
stores opened by several processes at once, stores newer than the code, and a developer
writing the next migration."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, MetaData, String, insert, inspect, select, text

from rpa.errors import StoreError
from rpa.store import migrate, open_engine
from rpa.store.schema import metadata as store_tables
from rpa.store.schema import runs

pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server

RUN = {"id": "r1", "flow": "hello", "flow_path": "hello.yaml", "status": "success", "state": "done",
       "visit": 1, "step": 0, "attempt": 1, "inputs": {}, "vars": {}, "created_at": 1.0, "updated_at": 1.0}


def _at(engine: Engine) -> dict[str, str | None]:
    return {s.label: s.current for s in migrate.status(engine)}


def test_migrate_new_store_is_at_every_head_and_matches_the_schema_modules(db_url: str) -> None:
    engine = open_engine(db_url)
    assert _at(engine) == {"rpa": "rpa_0003", "robot": "robot_0002"}
    assert migrate.drift(engine) == []


def test_migrate_adopts_a_store_made_before_migrations_and_keeps_its_rows(db_url: str) -> None:
    legacy = open_engine(db_url, migrate_schema=False)
    store_tables.create_all(legacy)  # what the first release did: tables, no alembic_version
    with legacy.begin() as c:
        c.execute(insert(runs).values(**RUN))
    engine = open_engine(db_url)
    with engine.connect() as c:
        assert c.execute(select(runs.c.id)).scalars().all() == ["r1"]
    assert {"auth_users", "audit_log", "robot_tours"} <= set(inspect(engine).get_table_names())
    assert _at(engine) == {"rpa": "rpa_0003", "robot": "robot_0002"}


def test_migrate_store_newer_than_the_code_is_a_one_line_store_error(db_url: str) -> None:
    engine = open_engine(db_url)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = 'rpa_9999' WHERE version_num = 'rpa_0003'"))
    with pytest.raises(StoreError, match="rpa_9999, newer than this SmartLab knows"):
        open_engine(db_url)


def test_migrate_four_processes_opening_one_new_store_at_once_all_succeed(db_url: str) -> None:
    code = "import sys; from rpa.store import open_engine; open_engine(sys.argv[1]); print('ok')"
    start = [sys.executable, "-c", code, db_url]
    procs = [subprocess.Popen(start, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    assert _at(open_engine(db_url)) == {"rpa": "rpa_0003", "robot": "robot_0002"}


@pytest.fixture
def scratch_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The `rpa` branch copied to a scratch folder, its runs table given one new column, as a
    developer's working tree would be after editing rpa/store/schema.py."""
    versions = tmp_path / "versions"
    shutil.copytree(migrate.RPA.versions, versions, ignore=shutil.ignore_patterns("__pycache__"))
    edited = MetaData()
    for table in store_tables.tables.values():
        table.to_metadata(edited)
    edited.tables["runs"].append_column(Column("note", String(100)))
    others = migrate.RPA.tables()[1:]
    branch = migrate.Branch("rpa", versions, lambda: (edited, *others))
    robot = [b for b in migrate.branches() if b.label == "robot"]
    monkeypatch.setattr(migrate, "branches", lambda: (branch, *robot))
    migrate.heads.cache_clear()
    yield versions
    migrate.heads.cache_clear()


def test_migrate_new_revision_writes_the_change_and_upgrades_an_old_store(db_url: str, scratch_branch: Path) -> None:
    old = open_engine(db_url)  # at rpa_0003, before the new migration exists
    with old.begin() as c:
        c.execute(insert(runs).values(**RUN))
    migrate.heads.cache_clear()
    path = migrate.new_revision("add a note to runs")
    assert path.parent == scratch_branch and path.name.startswith("rpa_0004_")
    assert "add_column" in path.read_text()
    migrate.heads.cache_clear()
    engine = open_engine(db_url)
    assert _at(engine)["rpa"] == "rpa_0004"
    assert "note" in {c["name"] for c in inspect(engine).get_columns("runs")}
    with engine.connect() as c:
        assert c.execute(text("SELECT id FROM runs")).scalars().all() == ["r1"]
    assert migrate.drift(engine) == []


def test_migrate_unknown_branch_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="no migrations branch 'nope'"):
        migrate.new_revision("x", "nope")


@pytest.fixture
def smartlab(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "SMARTLAB_DB": db_url, "COLUMNS": "200"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rpa.cli", *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True)

    return run


def test_db_status_exits_1_while_behind_and_upgrade_says_what_it_applied(smartlab) -> None:
    behind = smartlab("db", "status")
    assert behind.returncode == 1 and "pending migrations" in behind.stdout
    assert "rpa_0001" in behind.stdout
    done = smartlab("db", "upgrade")
    assert done.returncode == 0 and "applied rpa_0001, rpa_0002, rpa_0003, robot_0001, robot_0002" in done.stdout
    now = smartlab("db", "status")
    assert now.returncode == 0 and "up to date" in now.stdout
    assert smartlab("db", "upgrade").stdout.strip() == "already up to date"


def test_db_status_reports_tables_that_differ_from_the_schema_modules(smartlab, db_url: str) -> None:
    engine = open_engine(db_url)
    with engine.begin() as c:
        c.execute(text("DROP INDEX ix_runs_created"))
    drifted = smartlab("db", "status")
    assert drifted.returncode == 1
    assert "the tables differ from the schema modules" in drifted.stdout and "ix_runs_created" in drifted.stdout


def test_migrate_takes_the_lock_for_a_new_store_only(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a timing assertion: a store already at the heads is opened without the migration lock."""
    taken: list[Engine] = []
    real = migrate._lock

    def spy(engine: Engine):  # type: ignore[no-untyped-def]
        taken.append(engine)
        return real(engine)

    monkeypatch.setattr(migrate, "_lock", spy)
    open_engine(db_url)
    assert len(taken) == 1  # new: migrated under the lock
    open_engine(db_url)
    assert len(taken) == 1  # current: one SELECT, no lock


def test_migrate_file_heads_are_the_heads_alembic_finds() -> None:
    assert migrate.file_heads() == migrate.heads()


@pytest.mark.parametrize(("source", "ids"), [
    ('revision = "rpa_0003"\ndown_revision = "rpa_0002"\n', ("rpa_0003", ("rpa_0002",))),
    ('revision: str = "m_0001"\ndown_revision: str | None = None\n', ("m_0001", ())),
    ('revision = "merge"\ndown_revision = ("a_0002", "b_0005")\n', ("merge", ("a_0002", "b_0005"))),
    ('revision = make_id()\ndown_revision = None\n', None),
    ('down_revision = "rpa_0002"\n', None),
])
def test_migrate_revision_ids_read_plain_literals_and_give_up_on_anything_else(
        source: str, ids: tuple[str, tuple[str, ...]] | None) -> None:
    assert migrate._revision_ids(source) == ids


def test_migrate_a_store_behind_the_files_is_upgraded_through_alembic(db_url: str) -> None:
    engine = open_engine(db_url)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = 'rpa_0001' WHERE version_num = 'rpa_0003'"))
        c.execute(text("ALTER TABLE runs DROP COLUMN flow_hash"))
    assert _at(open_engine(db_url))["rpa"] == "rpa_0003"
    assert "flow_hash" in {c["name"] for c in inspect(engine).get_columns("runs")}
