"""The scheduler: fires cron triggers, turns watched files into queue items, returns expired
leases to their queues and escalates overdue tasks. Safe to run in several processes: each
firing is a compare-and-set on the trigger's last firing time."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from croniter import croniter

from rpa.engine import Runs
from rpa.errors import SmartLabError
from rpa.flow import CompiledFlow
from rpa.flow.triggers import Schedule, Watch
from rpa.orchestrator.catalog import Catalog
from rpa.store import QueueStore, RunStore, TaskStore
from rpa.store.triggers import TriggerStore

log = logging.getLogger("smartlab.scheduler")
OUTCOME_FOLDERS = ("processed", "failed")


class Scheduler:
    def __init__(self, store: RunStore, catalog: Catalog, stop: threading.Event | None = None,
                 runs: Runs | None = None) -> None:
        self.store, self.catalog = store, catalog
        self.runs = runs or Runs(store)
        self.queues, self.tasks = QueueStore(store.engine), TaskStore(store.engine)
        self.triggers = TriggerStore(store.engine)
        self.stop = stop or threading.Event()

    def recover(self) -> int:
        """On start: runs whose process died become ready for a worker; leases expire."""
        count = 0
        for run in self.store.interrupted():
            if run.status in ("running", "interrupted"):
                self.store.mark_ready(run.id, run.status, run.owner)
                count += 1
        self.queues.recover_expired()
        return count

    def run_forever(self, interval: float = 0.5) -> None:
        while not self.stop.is_set():
            self.tick()
            self.stop.wait(interval)

    def tick(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.queues.recover_expired()
        for task in self.tasks.escalate_overdue():
            log.info("task %s is overdue: escalated", task.id)
        for watch, flow in self.catalog.watches():
            self.scan(watch, flow.name)
        for key, schedule, flow in self.catalog.schedules():
            if self._due(key, schedule.cron, now):
                self._fire(key, schedule, flow)

    def _fire(self, key: str, schedule: Schedule, flow: CompiledFlow) -> None:
        try:
            run = self.runs.submit(flow, schedule.inputs, actor=f"schedule:{flow.name}", detail={"via": key})
        except SmartLabError as exc:  # e.g. a required input that the environment no longer sets
            log.error("schedule %s did not start %s: %s", key, flow.name, exc)
            return
        log.info("schedule %s fired: run %s", key, run.id)

    def scan(self, watch: Watch, flow_name: str) -> int:
        """Each new file in the watched folder becomes a queue item (once: its reference is the
        file's name, size and modification time)."""
        folder = Path(watch.folder)
        added = 0
        for path in sorted(folder.glob(watch.glob)):
            if not path.is_file() or path.parent.name in OUTCOME_FOLDERS:
                continue
            stat = path.stat()
            reference = f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
            payload = {"path": str(path.resolve()), "name": path.name, "watched": str(folder.resolve())}
            _, created = self.queues.add(watch.queue or flow_name, reference, payload)
            added += created
        return added

    def _due(self, key: str, cron: str, now: float) -> bool:
        return self.triggers.fire_if_due(key, now, lambda last: croniter(cron, last).get_next(float))
