"""Queue scaling: items per second through claim -> work -> complete with 1, 2 and 4 worker
processes, on SQLite and on PostgreSQL, each beside the raw claims of the same backend.

    python bench/queue.py [--items 400] [--workers 1 2 4] [--work-ms 20 0] [--rounds 3]
                          [--backlog 50000] [--pg-url URL]

- SmartLab: `QueueStore.claim`, the item's work, `QueueStore.complete` (leases, the breaker).
- raw sqlite3: one UPDATE ... RETURNING transaction to claim, one UPDATE to complete.
- raw psycopg: `SELECT ... FOR UPDATE SKIP LOCKED` + UPDATE in one transaction to claim, one
  UPDATE to complete.

An item's work models a back-office bot's item: most of its time waits on an outside system
(a case system's web page, an HTTP API), so it is `--work-ms` of waiting, not of CPU; a
machine's cores bound CPU-bound items, not the queue. `--work-ms 0` is the queue's own cost.
Without `--pg-url`, a throwaway PostgreSQL server starts on loopback with PostgreSQL's own
durability defaults (fsync and synchronous_commit on); SQLite runs WAL with synchronous=NORMAL,
as the store does. Every worker opens its connection before the clock starts. Last, the
cost of one claim behind a deep backlog against a shallow one (the same store, one process).
"""

from __future__ import annotations

import sys
from pathlib import Path

# this file is named like the standard library's `queue`: run from the project root, not bench/
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse  # noqa: E402
import multiprocessing as mp  # noqa: E402
import os  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import psycopg  # noqa: E402
from sqlalchemy import insert, make_url  # noqa: E402

from rpa.store import QueueStore, RunStore  # noqa: E402
from rpa.store.schema import items  # noqa: E402

Claim = Callable[[], Any]  # returns the claimed item's id, or None when the queue is empty
Complete = Callable[[Any], None]


@dataclass(frozen=True)
class Case:
    """One line of the table: how to fill a queue and how a worker process drains it."""

    label: str
    fill: Callable[[str, int], None]  # (queue, items)
    open: Callable[[str, str], tuple[Claim, Complete]]  # (queue, owner) -> the worker's calls


# -- SmartLab ---------------------------------------------------------------------------------
def smartlab_case(label: str, url: str) -> Case:
    def fill(queue: str, n: int) -> None:
        store = RunStore(url)
        QueueStore(store.engine).config(queue)
        rows = [dict(queue=queue, reference=f"item-{i}", attempt=1, payload={"n": i}, priority=0,
                     status="new", created_at=time.time(), updated_at=time.time()) for i in range(n)]
        with store.engine.begin() as conn:
            conn.execute(insert(items), rows)
        store.close()

    def open_(queue: str, owner: str) -> tuple[Claim, Complete]:
        queues = QueueStore(RunStore(url).engine)
        queues.config(queue)  # a pooled connection and the queue's settings, before the clock

        def claim() -> Any:
            item = queues.claim(queue, owner)
            return None if item is None else item.id
        return claim, lambda item_id: queues.complete(item_id, owner, {"ok": True})

    return Case(label, fill, open_)


# -- raw sqlite3 --------------------------------------------------------------------------------
RAW_SQLITE_TABLE = ("CREATE TABLE raw_items (id INTEGER PRIMARY KEY, queue TEXT, status TEXT, "
                    "priority INTEGER, owner TEXT, lease REAL, output TEXT)")
RAW_SQLITE_CLAIM = ("UPDATE raw_items SET status='in_progress', owner=?, lease=? WHERE id = "
                    "(SELECT id FROM raw_items WHERE queue=? AND status='new' "
                    "ORDER BY priority DESC, id LIMIT 1) RETURNING id")
RAW_SQLITE_DONE = "UPDATE raw_items SET status='done', output='{}', lease=NULL WHERE id=? AND owner=?"


def _sqlite(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=10)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def raw_sqlite_case(path: Path) -> Case:
    with _sqlite(path) as db:
        db.execute(RAW_SQLITE_TABLE)
        db.execute("CREATE INDEX ix_raw ON raw_items (queue, status, priority, id)")

    def fill(queue: str, n: int) -> None:
        with _sqlite(path) as db:
            db.executemany("INSERT INTO raw_items (queue, status, priority) VALUES (?, 'new', 0)",
                           [(queue,)] * n)

    def open_(queue: str, owner: str) -> tuple[Claim, Complete]:
        db = _sqlite(path)

        def claim() -> Any:
            row = db.execute(RAW_SQLITE_CLAIM, (owner, time.time() + 60, queue)).fetchone()
            return None if row is None else row[0]
        return claim, lambda item_id: db.execute(RAW_SQLITE_DONE, (item_id, owner)).close()

    return Case("raw sqlite3, UPDATE ... RETURNING", fill, open_)


# -- raw psycopg ----------------------------------------------------------------------------------
RAW_PG_TABLE = ("CREATE TABLE raw_items (id BIGSERIAL PRIMARY KEY, queue TEXT, status TEXT, "
                "priority INTEGER, owner TEXT, lease DOUBLE PRECISION, output TEXT)")
RAW_PG_PICK = ("SELECT id FROM raw_items WHERE queue=%s AND status='new' "
               "ORDER BY priority DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED")
RAW_PG_TAKE = "UPDATE raw_items SET status='in_progress', owner=%s, lease=%s WHERE id=%s"
RAW_PG_DONE = "UPDATE raw_items SET status='done', output='{}', lease=NULL WHERE id=%s AND owner=%s"


def raw_psycopg_case(dsn: str) -> Case:
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute("DROP TABLE IF EXISTS raw_items")
        db.execute(RAW_PG_TABLE)
        db.execute("CREATE INDEX ix_raw ON raw_items (queue, status, priority, id)")

    def fill(queue: str, n: int) -> None:
        with psycopg.connect(dsn) as db, db.cursor() as cur:
            cur.executemany("INSERT INTO raw_items (queue, status, priority) VALUES (%s, 'new', 0)",
                            [(queue,)] * n)

    def open_(queue: str, owner: str) -> tuple[Claim, Complete]:
        db = psycopg.connect(dsn, autocommit=True)

        def claim() -> Any:
            with db.transaction():
                row = db.execute(RAW_PG_PICK, (queue,)).fetchone()
                if row is not None:
                    db.execute(RAW_PG_TAKE, (owner, time.time() + 60, row[0]))
            return None if row is None else row[0]

        def complete(item_id: Any) -> None:
            with db.transaction():
                db.execute(RAW_PG_DONE, (item_id, owner))
        return claim, complete

    return Case("raw psycopg, FOR UPDATE SKIP LOCKED", fill, open_)


# -- running a case -----------------------------------------------------------------------------
def _drain(case: Case, queue: str, owner: str, work_s: float, start: Any, done: Any) -> None:
    claim, complete = case.open(queue, owner)
    start.wait()  # every worker is connected: the clock starts now
    count = 0
    while (item_id := claim()) is not None:
        if work_s:
            time.sleep(work_s)  # waiting on the outside system
        complete(item_id)
        count += 1
    done.put((count, time.perf_counter()))


def throughput(case: Case, n: int, workers: int, work_ms: float, tag: str = "") -> float:
    queue = f"bench-{workers}w-{work_ms:g}ms{tag}"
    case.fill(queue, n)
    start, done = mp.Barrier(workers + 1), mp.Queue()
    procs = [mp.Process(target=_drain, args=(case, queue, f"w{i}", work_ms / 1000, start, done))
             for i in range(workers)]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    results = [done.get() for _ in procs]
    for p in procs:
        p.join()
    total = sum(count for count, _ in results)
    if total != n:
        raise SystemExit(f"{case.label}: {total} items drained, expected {n}")
    return n / (max(end for _, end in results) - began)


# -- the backends and the table -------------------------------------------------------------------
@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    from tests.postgres import PostgresServer

    server = PostgresServer(durable=True).start()
    try:
        yield server.url()
    finally:
        server.stop()


def cases(folder: Path, pg_url: str) -> list[Case]:
    sqlite_path = folder / "queue.db"
    dsn = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    return [smartlab_case("SmartLab, SQLite", f"sqlite:///{sqlite_path}"), raw_sqlite_case(sqlite_path),
            smartlab_case("SmartLab, PostgreSQL", pg_url), raw_psycopg_case(dsn)]


def claim_cost(case: Case, depth: int, claims: int = 50) -> float:
    """Milliseconds per claim + complete, one process, with `depth` items waiting."""
    queue = f"depth-{depth}"
    case.fill(queue, depth)
    claim, complete = case.open(queue, "w")
    started = time.perf_counter()
    for _ in range(claims):
        complete(claim())
    return (time.perf_counter() - started) / claims * 1000


def backlog(all_cases: list[Case], depth: int) -> None:
    shallow = 100
    print("\nclaim -> complete behind a backlog, one process; ms per item, lower is better")
    print(f"  {'':38}{shallow:>8,} waiting{depth:>10,} waiting   deep / shallow")
    for case in all_cases[::2]:  # SmartLab's: the raw claims sort the backlog as written
        figures = [claim_cost(case, shallow), claim_cost(case, depth)]
        print(f"  {case.label:38}{figures[0]:16.2f}{figures[1]:18.2f}   {figures[1] / figures[0]:10.2f}x")


def best(all_cases: list[Case], n: int, workers: list[int], work_ms: float, rounds: int) -> list[list[float]]:
    """The best of `rounds` per cell; the rounds take turns over every cell, so a burst of other
    load on the machine falls on every case alike."""
    figures = [[0.0] * len(workers) for _ in all_cases]
    for r in range(rounds):
        for row, case in zip(figures, all_cases, strict=True):
            for i, w in enumerate(workers):
                row[i] = max(row[i], throughput(case, n, w, work_ms, f"-r{r}"))
    return figures


def table(all_cases: list[Case], n: int, workers: list[int], work_ms: float, rounds: int) -> list[list[float]]:
    figures = best(all_cases, n, workers, work_ms, rounds)
    print(f"\n{n:,} items per cell, claim -> {work_ms:g} ms waiting on an outside system -> complete; "
          f"items/s (best of {rounds}), higher is better")
    if work_ms:
        print(f"(the wait alone allows {1000 / work_ms:.0f} items/s per worker)")
    print(f"  {'':38}" + "".join(f"{w:>4} worker{'s' if w > 1 else ' '}" for w in workers)
          + f"   {workers[-1]}w / {workers[0]}w")
    for case, row in zip(all_cases, figures, strict=True):
        print(f"  {case.label:38}" + "".join(f"{f:12.0f}" for f in row) + f"   {row[-1] / row[0]:6.2f}x")
    return figures


def ratios(figures: list[list[float]], workers: list[int]) -> None:
    sqlite, raw_sqlite, pg, raw_pg = figures
    print(f"ratio raw / SmartLab (1 worker):  SQLite {raw_sqlite[0] / sqlite[0]:4.2f}x, "
          f"PostgreSQL {raw_pg[0] / pg[0]:4.2f}x")
    print(f"ratio {workers[-1]} workers / {workers[0]} worker, SmartLab:  SQLite {sqlite[-1] / sqlite[0]:4.2f}x, "
          f"PostgreSQL {pg[-1] / pg[0]:4.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=400, help="items per cell of the table")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--work-ms", type=float, nargs="+", default=[20.0, 0.0],
                        help="milliseconds each item waits on an outside system; one table per value")
    parser.add_argument("--rounds", type=int, default=3, help="each cell is the best of this many")
    parser.add_argument("--backlog", type=int, default=50_000,
                        help="items waiting behind the claims of the backlog table (0: no table)")
    parser.add_argument("--pg-url", help="an existing PostgreSQL database (SQLAlchemy URL)")
    args = parser.parse_args()
    print(f"queue scaling on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp, postgres(args.pg_url) as pg_url:
        all_cases = cases(Path(tmp), pg_url)
        for work_ms in args.work_ms:
            ratios(table(all_cases, args.items, args.workers, work_ms, args.rounds), args.workers)
        if args.backlog:
            backlog(all_cases, args.backlog)


if __name__ == "__main__":
    main()
