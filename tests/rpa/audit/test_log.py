"""The audit log in a real SQLite file and on PostgreSQL: append, read, tamper by hand, and
several writers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from rpa.audit import AuditError, entries, head, local_actor, record, verify
from rpa.store import open_engine
from tests.support.waiting import eventually

ROOT = Path(__file__).parents[3]
WRITER = """
import sys, time
from pathlib import Path
from rpa.audit import record
from rpa.store import open_engine

engine = open_engine(sys.argv[1])
Path(sys.argv[4] + "." + sys.argv[2]).touch()  # ready
while not Path(sys.argv[4]).exists():  # both start writing together
    time.sleep(0.01)
for i in range(int(sys.argv[3])):
    record(engine, sys.argv[2], "run.start", f"run-{i}", {"i": i})
"""
pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server


def fill(engine: Engine, n: int) -> None:
    for i in range(1, n + 1):
        record(engine, "ada", "user.add", f"user{i}", {"role": "staff", "i": i})


def test_record_chains_entries_in_order(engine: Engine) -> None:
    fill(engine, 3)
    newest = entries(engine)
    assert [e.id for e in newest] == [3, 2, 1]
    assert newest[0].prev_hash == newest[1].hash and newest[2].prev_hash == "0" * 64
    assert newest[0].data == {"role": "staff", "i": 3}
    assert head(engine) == newest[0] and verify(engine) is None


def test_entries_limit_keeps_the_newest(engine: Engine) -> None:
    fill(engine, 5)
    assert [e.id for e in entries(engine, limit=2)] == [5, 4]


def test_verify_and_head_on_an_empty_log(engine: Engine) -> None:
    assert verify(engine) is None and head(engine) is None and entries(engine) == []


@pytest.mark.parametrize("detail", [{"when": object()}, {"x": float("nan")}])
def test_record_rejects_detail_that_is_not_plain_json(engine: Engine, detail: dict) -> None:
    with pytest.raises(AuditError, match="not plain JSON"):
        record(engine, "ada", "run.start", "r1", detail)
    assert entries(engine) == []


@pytest.mark.parametrize(("sql", "expected"), [
    ("UPDATE audit_log SET actor = 'mallory' WHERE id = 4",
     "audit entry 4 is broken: its hash does not match its content"),
    ("UPDATE audit_log SET detail = '{\"role\":\"admin\",\"i\":2}' WHERE id = 2",
     "audit entry 2 is broken: its hash does not match its content"),
    ("DELETE FROM audit_log WHERE id = 3", "audit entry 3 is broken: it is missing"),
])
def test_verify_names_the_row_edited_by_hand(engine: Engine, sql: str, expected: str) -> None:
    fill(engine, 6)
    with engine.begin() as conn:  # by hand: plain SQL, around the audit module
        conn.exec_driver_sql(sql)
    broken = verify(engine)
    assert broken is not None and str(broken).startswith(expected)


def test_record_continues_a_chain_after_a_reopen(db_url: str, engine: Engine) -> None:
    fill(engine, 2)
    engine.dispose()
    again = open_engine(db_url)
    record(again, "bob", "run.cancel", "r9", {})
    assert [e.id for e in entries(again)] == [3, 2, 1] and verify(again) is None
    again.dispose()


def wait_until_ready(writers: list[subprocess.Popen[str]], flags: list[Path]) -> None:
    def ready() -> bool:
        assert all(w.poll() is None for w in writers), "a writer died before starting"
        return all(f.exists() for f in flags)

    eventually(ready, interval=0.01, what="both writers to start")


def test_record_from_two_processes_keeps_one_valid_chain(db_url: str, db_path: Path, engine: Engine) -> None:
    verify(engine)  # creates the table before the writers race
    go = db_path.with_name("go")
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, db_url, who, "150",
                                 str(go)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
               for who in ("worker-a", "worker-b")]
    wait_until_ready(writers, [go.with_name(f"go.{who}") for who in ("worker-a", "worker-b")])
    go.touch()
    for w in writers:
        assert w.wait() == 0, w.stderr.read() if w.stderr else ""
    found = entries(engine)
    assert len(found) == 300 and verify(engine) is None
    assert {e.actor for e in found} == {"worker-a", "worker-b"}
    assert sorted(e.id for e in found) == list(range(1, 301))


def test_local_actor_prefers_smartlab_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_ACTOR", "ops-team")
    assert local_actor() == "ops-team"
    monkeypatch.delenv("SMARTLAB_ACTOR")
    assert local_actor().endswith("@cli")
