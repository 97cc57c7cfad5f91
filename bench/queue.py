"""Queue throughput: items per second through claim -> complete, side by side with the raw
cost of the same number of SQLite transactions.

    python bench/queue.py [--items 2000]

1. SmartLab, 1 worker process:  QueueStore.claim + QueueStore.complete per item.
2. SmartLab, 2 worker processes draining the same queue at once (SQLite WAL).
3. Raw sqlite3: two bare transactions per item (an UPDATE to claim, one to complete)
   on a table of the same shape, no SQLAlchemy, one process.
"""

from __future__ import annotations

import sys
from pathlib import Path

# this file is named like the standard library's `queue`: run from the project root, not bench/
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse  # noqa: E402
import multiprocessing as mp  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from rpa.store import QueueStore, RunStore  # noqa: E402


def _fill(url: str, n: int) -> None:
    store = RunStore(url)
    queues = QueueStore(store.engine)
    for i in range(n):
        queues.add("bench", f"item-{i}", {"n": i})
    store.close()


def _drain(url: str, owner: str, done: mp.Queue) -> None:  # type: ignore[type-arg]
    store = RunStore(url)
    queues = QueueStore(store.engine)
    count = 0
    while (item := queues.claim("bench", owner)) is not None:
        queues.complete(item.id, owner, {"ok": True})
        count += 1
    store.close()
    done.put(count)


def smartlab(n: int, workers: int, work: Path) -> float:
    url = f"sqlite:///{work / f'queue{workers}.db'}"
    _fill(url, n)
    done: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    procs = [mp.Process(target=_drain, args=(url, f"w{i}", done)) for i in range(workers)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    total = sum(done.get() for _ in procs)
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join()
    assert total == n, f"{total} items drained, expected {n}"
    return n / elapsed


def raw_sqlite(n: int, work: Path) -> float:
    db = sqlite3.connect(work / "raw.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, queue TEXT, status TEXT, "
               "owner TEXT, lease REAL, output TEXT)")
    db.execute("CREATE INDEX ix ON items (queue, status, id)")
    db.executemany("INSERT INTO items (queue, status) VALUES ('bench', 'new')", [()] * n)
    started = time.perf_counter()
    for _ in range(n):
        db.execute("BEGIN")
        row = db.execute("UPDATE items SET status='in_progress', owner='w', lease=? WHERE id = "
                         "(SELECT id FROM items WHERE queue='bench' AND status='new' ORDER BY id LIMIT 1) "
                         "RETURNING id", (time.time(),)).fetchone()
        db.execute("COMMIT")
        db.execute("BEGIN")
        db.execute("UPDATE items SET status='done', output='{}' WHERE id=?", (row[0],))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    n = parser.parse_args().items
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        one = smartlab(n, 1, work)
        two = smartlab(n, 2, work)
        raw = raw_sqlite(n, work)
    print(f"queue throughput over {n:,} items, claim -> complete (higher is better)")
    print(f"  SmartLab, 1 worker process     {one:9.0f} items/s")
    print(f"  SmartLab, 2 worker processes   {two:9.0f} items/s")
    print(f"  raw sqlite3, 2 transactions    {raw:9.0f} items/s")
    print(f"ratio raw / SmartLab (1 worker):  {raw / one:5.1f}x  (the cost of SQLAlchemy, leases and the breaker)")
    print(f"ratio 2 workers / 1 worker:       {two / one:5.2f}x  (SQLite serialises writers)")


if __name__ == "__main__":
    main()
