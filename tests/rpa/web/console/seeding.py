"""Many runs in one bulk insert, for the runs page's scale test and bench/console.py."""

from __future__ import annotations

from sqlalchemy import Engine, insert

from rpa.store.schema import events, runs

STATUSES = ("success", "failure", "waiting", "business_exception", "cancelled")


def seed_runs(engine: Engine, count: int, start: float = 1_700_000_000.0) -> list[str]:
    """`count` finished-looking runs, one second apart; returns their ids, newest first."""
    rows = [dict(id=f"r{n:07d}", flow=f"flow{n % 4}", flow_path=f"/flows/flow{n % 4}.yaml",
                 status=STATUSES[n % len(STATUSES)], state="done", visit=2, step=0, attempt=1,
                 inputs={"n": n}, vars={"n": n, "note": "x" * 200},
                 error="boom" if n % len(STATUSES) == 1 else None,
                 created_at=start + n, updated_at=start + n, finished_at=start + n)
            for n in range(count)]
    started = [dict(run_id=r["id"], visit=1, state="start", kind="run", status="started", at=r["created_at"])
               for r in rows]
    with engine.begin() as conn:
        conn.execute(insert(runs), rows)
        conn.execute(insert(events), started)
    return [r["id"] for r in reversed(rows)]
