"""Work queues on a real SQLite file: references, claiming, leases, retries, the breaker."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from rpa.store import RunStore
from rpa.store import queues as queues_module
from rpa.store.queues import LeaseLost, QueueStore
from rpa.store.schema import items

pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server


@pytest.fixture
def q(store: RunStore) -> QueueStore:
    return QueueStore(store.engine)


def test_queue_add_duplicate_reference_returns_existing_item(q: QueueStore) -> None:
    first, created = q.add("forms", "F-1", {"n": 1})
    again, created_again = q.add("forms", "F-1", {"n": 2})
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.payload == {"n": 1}


def test_queue_claim_takes_highest_priority_then_oldest(q: QueueStore) -> None:
    q.add("forms", "low", {}, priority=0)
    q.add("forms", "high", {}, priority=5)
    q.add("forms", "low2", {}, priority=0)
    order = [q.claim("forms", "w1").reference for _ in range(3)]
    assert order == ["high", "low", "low2"]
    assert q.claim("forms", "w1") is None


def test_queue_claim_skips_deferred_items(q: QueueStore) -> None:
    q.add("forms", "later", {}, defer_until=time.time() + 3600)
    assert q.claim("forms", "w1") is None


def test_queue_expired_lease_returns_item_to_queue(q: QueueStore) -> None:
    q.add("forms", "F-1", {})
    item = q.claim("forms", "w1", lease_seconds=-1)
    assert q.recover_expired() == 1
    again = q.claim("forms", "w2")
    assert again.id == item.id and again.lease_owner == "w2"
    with pytest.raises(LeaseLost):
        q.complete(item.id, "w1")
    assert q.complete(item.id, "w2", {"case": "C-1"}).status == "done"


def test_queue_application_failure_retries_as_linked_attempt(q: QueueStore) -> None:
    q.configure("forms", max_attempts=2)
    original, _ = q.add("forms", "F-1", {"x": 1})
    q.claim("forms", "w")
    retry = q.fail(original.id, "w", "application", "case system down")
    assert (retry.attempt, retry.origin_id, retry.previous_id) == (2, original.id, original.id)
    q.claim("forms", "w")
    assert q.fail(retry.id, "w", "application", "still down") is None
    assert [i.status for i in q.list("forms")] == ["application_exception"] * 2


def test_queue_business_failure_is_not_retried(q: QueueStore) -> None:
    item, _ = q.add("forms", "F-1", {})
    q.claim("forms", "w")
    assert q.fail(item.id, "w", "business", "HKID check digit wrong") is None
    assert q.get(item.id).status == "business_exception"


def test_queue_breaker_pauses_after_consecutive_application_errors(q: QueueStore) -> None:
    q.configure("forms", breaker_threshold=2, breaker_cooldown=3600, max_attempts=1)
    for ref in ("a", "b", "c"):
        q.add("forms", ref, {})
    for _ in range(2):
        item = q.claim("forms", "w")
        q.fail(item.id, "w", "application", "down")
    assert q.claim("forms", "w") is None  # paused, visibly:
    assert q.config("forms").paused_until > time.time()
    q.configure("forms", paused_until=time.time() - 1)  # the cool-down is over
    assert q.claim("forms", "w").reference == "c"


def test_queue_summary_counts_by_status(q: QueueStore) -> None:
    q.add("forms", "a", {})
    q.add("forms", "b", {})
    q.add("mail", "m", {})
    q.claim("forms", "w")
    summary = {s["name"]: s for s in q.summary()}
    assert summary["forms"]["counts"]["new"] == 1
    assert summary["forms"]["counts"]["in_progress"] == 1
    assert summary["mail"]["oldest_new_age"] is not None


def test_queue_parked_items_do_not_count_as_busy(q: QueueStore) -> None:
    q.add("forms", "a", {})
    q.add("forms", "b", {})
    item = q.claim("forms", "w")
    assert q.busy("forms") == 1
    q.park(item.id, "w", "run1")
    assert (q.busy("forms"), q.count("forms", "in_progress")) == (0, 1)
    assert q.complete(item.id, "run1").status == "done"  # the resumed run settles it


def test_queue_claim_takes_the_next_level_when_other_claimers_lock_the_top_one(
        q: QueueStore, db_backend: str) -> None:
    if db_backend == "sqlite":
        pytest.skip("SQLite has no row locks: a second claimer waits for the first writer instead")
    q.add("forms", "high", {}, priority=5)
    q.add("forms", "low", {}, priority=0)
    with q.engine.connect() as other:  # another worker in the middle of claiming `high`
        other.execute(select(items.c.id).where(items.c.reference == "high").with_for_update())
        assert q.claim("forms", "w1").reference == "low"
        assert q.claim("forms", "w1") is None
    assert q.claim("forms", "w1").reference == "high"


# how each database's plan says it seeks the claim index by queue name
SEEKS_BY_QUEUE = {"sqlite": "USING INDEX ix_items_claim (queue=", "postgresql": "Index Cond: (((queue)::text"}


def _plan(engine: Engine, statement: Any, params: dict[str, Any]) -> str:
    """The database's plan for one of the store's statements, as it is sent (not run)."""
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "

    def prefix(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_: Any) -> tuple[str, Any]:
        return explain + sql, parameters
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":  # a tiny table: show what the planner can do at depth
            conn.exec_driver_sql("SET enable_seqscan = off")
        event.listen(conn, "before_cursor_execute", prefix, retval=True)
        return "\n".join(str(row) for row in conn.execute(statement, params).cursor.fetchall())


@pytest.mark.parametrize(("statement", "params"), [
    (queues_module._CLAIM, {"b_queue": "forms", "b_now": 1.0, "b_owner": "w", "b_until": 2.0,
                            "b_below": queues_module.NO_LEVEL}),
    (queues_module._RECOVER, {"b_names": ["forms", "mail"], "b_now": 1.0}),
], ids=["claim", "recover_expired"])
def test_queue_claim_and_recovery_walk_the_claim_index_without_sorting_the_backlog(
        q: QueueStore, statement: Any, params: dict[str, Any]) -> None:
    q.add("forms", "a", {}, priority=1)
    plan = _plan(q.engine, statement, params)
    assert SEEKS_BY_QUEUE[q.engine.dialect.name] in plan, plan  # not a walk of every item
    for whole_backlog in ("Sort", "TEMP B-TREE", "Seq Scan", "SCAN queue_items"):
        assert whole_backlog not in plan, plan
