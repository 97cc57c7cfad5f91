"""A worker: resumes ready runs and works through the queues its flows consume.

One item at a time: claim it (a lease), start or resume its run (the run id is written on
the item first, so whoever picks the item up later resumes the same run and its effect
ledger), keep the lease alive while the run goes, then settle the item from the run's end.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rpa.engine import Listener, RunResult, Runs
from rpa.errors import FlowChanged, NotServed, SmartLabError
from rpa.flow import CompiledFlow
from rpa.orchestrator.catalog import Catalog
from rpa.store import Item, LeaseLost, QueueStore, RunRecord, RunStore
from rpa.store.owner import current_owner

log = logging.getLogger("smartlab.worker")
RECOVERY_SECONDS = 1.0


class Heartbeat:
    """Keeps the lease of the item being worked on alive, from one long-lived thread.

    Starting a thread per item would cost more than the item (thread start and join each wait
    for the interpreter's switch interval), so the thread stays and is told what to beat.
    """

    def __init__(self, queues: QueueStore, owner: str) -> None:
        self.queues, self.owner = queues, owner
        self.current: list[float] | None = None  # [item id, lease seconds, next beat (monotonic)]
        self.wake = threading.Event()
        threading.Thread(target=self._beat, daemon=True, name="lease-heartbeat").start()

    @contextmanager
    def holding(self, item: Item, lease: float) -> Iterator[None]:
        self.current = [item.id, lease, time.monotonic() + lease / 3]
        self.wake.set()
        try:
            yield
        finally:
            self.current = None

    def _beat(self) -> None:
        while True:
            current = self.current
            self.wake.wait(max(0.0, current[2] - time.monotonic()) if current else None)
            self.wake.clear()
            current = self.current
            if current is None or time.monotonic() < current[2]:
                continue
            current[2] = time.monotonic() + current[1] / 3
            try:
                self.queues.heartbeat(int(current[0]), self.owner, current[1])
            except SmartLabError as exc:
                log.warning("lease on item %s lost: %s", int(current[0]), exc)


class Worker:
    def __init__(self, store: RunStore, catalog: Catalog, *, listener: Listener | None = None,
                 stop: threading.Event | None = None) -> None:
        self.store, self.catalog = store, catalog
        self.queues = QueueStore(store.engine)
        self.stop = stop or threading.Event()
        self.owner = current_owner()
        self.runs = Runs(store, listener, stop=self.stop, load=catalog.served)
        for flow in catalog.flows.values():
            self.runs.flows.add(flow)
        self.next_recovery = 0.0
        self.draining: set[str] = set()
        self.heartbeat = Heartbeat(self.queues, self.owner)

    def run_forever(self, poll: float = 0.5) -> None:
        log.info("worker %s serving %d flow(s)", self.owner, len(self.catalog.flows))
        while not self.stop.is_set():
            if not self.tick():
                self.stop.wait(poll)

    def tick(self) -> bool:
        """Do one piece of work; False when there was none."""
        if time.monotonic() >= self.next_recovery:  # a dead worker's items come back to us
            self.next_recovery = time.monotonic() + RECOVERY_SECONDS
            self.queues.recover_expired()
        ready = self.store.next_ready()
        if ready is not None:
            self._resume_ready(ready.id)
            return True
        for queue, flow, limit, least in self.catalog.consumers():
            if self.queues.busy(queue) >= limit:
                continue
            if not self._batch_ready(queue, least):
                continue
            item = self.queues.claim(queue, self.owner)
            if item is None:
                self.draining.discard(queue)
            else:
                self._process(item, flow)
                return True
        return False

    def _batch_ready(self, queue: str, least: int) -> bool:
        """With `min_items`, work starts once that many wait, then drains the queue."""
        if least <= 1 or queue in self.draining:
            return True
        if self.queues.count(queue, "new") >= least:
            self.draining.add(queue)
            return True
        return False

    def _resume_ready(self, run_id: str) -> None:
        try:
            result = self.runs.resume(run_id)
        except (FlowChanged, NotServed) as exc:  # a person decides: `smartlab resume --force`, or cancel
            self.store.release(run_id, error=str(exc))
            log.warning("run %s left interrupted: %s", run_id, exc)
            return
        except SmartLabError as exc:
            log.warning("cannot resume run %s: %s", run_id, exc)
            return
        item = self.queues.by_run(run_id)
        if item is not None and item.status == "in_progress":
            self._settle(item, result, owner=run_id)

    def _process(self, item: Item, flow) -> None:  # type: ignore[no-untyped-def]
        lease = self.queues.config(item.queue).lease_seconds
        with self.heartbeat.holding(item, lease):
            result = self._run_item(item, flow)
        self._settle(item, result, owner=self.owner)

    def _run_item(self, item: Item, flow) -> RunResult:  # type: ignore[no-untyped-def]
        existing = self.store.find(item.run_id) if item.run_id else None
        if existing is not None and existing.finished:
            return RunResult(existing.id, existing.status, existing.error, existing.vars)
        if existing is not None:
            return self._resume_item(existing, flow)
        run_id = item.run_id or uuid.uuid4().hex[:16]
        self.queues.attach_run(item.id, self.owner, run_id)
        return self.runs.start(flow, item=_item_view(item), run_id=run_id, actor=f"queue:{item.queue}",
                               detail={"item": item.id})

    def _resume_item(self, run: RunRecord, flow: CompiledFlow) -> RunResult:
        try:
            return self.runs.resume(run.id, flow, take_over=True)
        except FlowChanged as exc:  # the item fails (and may be retried); the run waits for a person
            log.warning("item run %s not resumed: %s", run.id, exc)
            return RunResult(run.id, "failure", str(exc), run.vars)

    def _settle(self, item: Item, result: RunResult, owner: str) -> None:
        try:
            _SETTLE[result.status](self, item, result, owner)
        except LeaseLost as exc:
            log.warning("item %s: %s (another worker has it now)", item.id, exc)
            return
        log.info("item %s (%s) -> run %s %s", item.id, item.reference, result.run_id, result.status)

    def _done(self, item: Item, result: RunResult, owner: str) -> None:
        self.queues.complete(item.id, owner, {"run_id": result.run_id, "output": result.vars.get("output")})
        _move_watched(item, "processed")

    def _failed(self, item: Item, result: RunResult, owner: str) -> None:
        kind = "business" if result.status == "business_exception" else "application"
        retry = self.queues.fail(item.id, owner, kind, result.error or result.status)
        if retry is None:
            _move_watched(item, "failed")

    def _parked(self, item: Item, result: RunResult, owner: str) -> None:
        self.queues.park(item.id, owner, result.run_id)

    def _released(self, item: Item, result: RunResult, owner: str) -> None:
        self.queues.release(item.id, owner)

    def _cancelled(self, item: Item, result: RunResult, owner: str) -> None:
        self.queues.abandon(item.id)


_SETTLE = {
    "success": Worker._done,
    "business_exception": Worker._failed,
    "failure": Worker._failed,
    "waiting": Worker._parked,
    "interrupted": Worker._released,
    "cancelled": Worker._cancelled,
}


def _item_view(item: Item) -> dict:
    """What a flow sees as `item`."""
    return {"id": item.id, "queue": item.queue, "reference": item.reference,
            "attempt": item.attempt, "payload": item.payload, "files": item.files}


def _move_watched(item: Item, outcome: str) -> None:
    """A file that came from a watched folder goes to its processed/ or failed/ subfolder."""
    payload = item.payload if isinstance(item.payload, dict) else {}
    if not payload.get("watched"):
        return
    source = Path(payload["path"])
    if source.exists():
        target = Path(payload["watched"]) / outcome / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target = target.with_name(f"{source.stem}.{int(time.time())}{source.suffix}")
        shutil.move(str(source), str(target))
