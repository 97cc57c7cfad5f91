"""The one front door for runs: the CLI, the API, the console, the scheduler, the workers and
`flow.run` all create, queue and resume runs here, so every run follows the same rules.

    submit   a new run queued `ready` for a worker (the API, the console, a schedule)
    start    a new run, here and now (`smartlab run`, a worker's queue item)
    resume   continue a run from its last committed step
    child    a sub-flow run, its id derived from the parent step's idempotency key

Inputs are resolved once, here: given values over `SMARTLAB_INPUT_<FLOW>__<NAME>` over the
flow's defaults, each converted to its declared type. A run records the hash of its flow's
source; resuming it with a flow whose source has changed since is refused (`force` overrides),
unless this process still holds the version the run started with. The `run.start` audit
entry is written here, once per run.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rpa.audit import local_actor
from rpa.audit import record as audit
from rpa.engine.flows import FlowCache
from rpa.engine.listener import Listener
from rpa.engine.runner import RunResult, execute
from rpa.errors import FlowChanged, InputError, RunError
from rpa.flow import CompiledFlow
from rpa.flow.inputs import from_environment, resolve_inputs
from rpa.secrets import resolve as resolve_secrets
from rpa.store.runs import RunRecord, RunStore


class Runs:
    """Runs against one store. `sleep` and `clock` are the seams tests use for backoff;
    `load` finds a run's flow when it is resumed (a worker: only the flows it serves)."""

    def __init__(self, store: RunStore, listener: Listener | None = None, *,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time,
                 environ: Mapping[str, str] | None = None,
                 load: Callable[[str], CompiledFlow] | None = None,
                 flows: FlowCache | None = None,
                 stop: threading.Event | None = None) -> None:
        self.store = store
        self.flows = flows or FlowCache()
        self.load = load or self.flows.load
        self.stop = stop  # set by a worker shutting down: runs checkpoint at the next step
        self.listener = listener or Listener()
        self.sleep, self.clock = sleep, clock
        self.environ = os.environ if environ is None else environ

    # -- new runs -----------------------------------------------------------------------------
    def inputs(self, compiled: CompiledFlow, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Given values over SMARTLAB_INPUT_<FLOW>__<NAME> over defaults, typed; InputError says which."""
        try:
            merged = {**from_environment(compiled.flow, self.environ), **(given or {})}
            return resolve_inputs(compiled.flow, merged)
        except ValueError as exc:
            raise InputError(str(exc)) from None

    def submit(self, compiled: CompiledFlow, inputs: Mapping[str, Any] | None = None, *,
               actor: str, detail: Mapping[str, Any] | None = None) -> RunRecord:
        """A new run, queued `ready` for a worker; who asked is in the audit log."""
        run = self._create(compiled, self.inputs(compiled, inputs), status="ready")
        self._audit(actor, run, detail)
        return run

    def start(self, compiled: CompiledFlow, inputs: Mapping[str, Any] | None = None, *,
              actor: str | None = None, item: Any = None, parent_id: str | None = None,
              run_id: str | None = None, detail: Mapping[str, Any] | None = None) -> RunResult:
        """A new run, run here to its end (or until it parks); `actor` defaults to the CLI's user."""
        resolved = self.inputs(compiled, inputs)
        secrets = self._secrets(compiled)  # a missing secret fails before any run exists
        run = self._create(compiled, resolved, item=item, parent_id=parent_id, run_id=run_id)
        self._audit(actor or local_actor(), run, detail)
        return self._execute(compiled, run, secrets, resumed=False)

    def _create(self, compiled: CompiledFlow, inputs: dict[str, Any], **kwargs: Any) -> RunRecord:
        self.flows.add(compiled)
        return self.store.create_run(compiled.name, compiled.path, compiled.flow.start_state, inputs,
                                     flow_hash=compiled.source_hash, **kwargs)

    def _audit(self, actor: str, run: RunRecord, detail: Mapping[str, Any] | None) -> None:
        audit(self.store.engine, actor, "run.start", run.id, {"flow": run.flow, **(detail or {})})

    # -- going on -----------------------------------------------------------------------------
    def resume(self, run_id: str, compiled: CompiledFlow | None = None, *, take_over: bool = False,
               force: bool = False) -> RunResult:
        """Continue a run from its last committed step. `take_over` claims it even from a live
        owner (a worker whose lease on the run's queue item expired); `force` runs it although
        its flow's source changed since it started (at the same state and step of the new one)."""
        run = self.store.get(run_id)
        if run.finished:  # before its flow is looked for: the file may be long gone
            raise RunError(f"run {run.id} already ended: {run.status}")
        compiled = self.flow_of(run, compiled, force=force)
        run = self.store.claim(run.id, force=take_over)
        return self._execute(compiled, run, self._secrets(compiled), resumed=True)

    def flow_of(self, run: RunRecord, compiled: CompiledFlow | None = None, *,
                force: bool = False) -> CompiledFlow:
        """The flow a run continues with: the version it started with if this process holds
        it, else its file now, which must not have changed (unless `force`)."""
        compiled = compiled or self.flows.get(run.flow_path, run.flow_hash) or self.load(run.flow_path)
        if run.flow_hash and compiled.source_hash != run.flow_hash and not force:
            raise FlowChanged(f"run {run.id}: {run.flow_path} changed since the run started; "
                              "`smartlab resume --force` continues it with the new version")
        return compiled

    def child(self, parent: CompiledFlow, key: str, path: str, inputs: dict[str, Any],
              parent_id: str) -> RunResult:
        """Run a sub-flow whose id is derived from the parent step's idempotency key."""
        child_id = hashlib.sha1(key.encode()).hexdigest()[:16]
        existing = self.store.find(child_id)
        if existing is not None and existing.finished:
            return RunResult(existing.id, existing.status, existing.error, existing.vars)
        if existing is not None:  # with the version it started with, as any resumed run
            return self.resume(child_id)
        target = Path(path) if Path(path).is_absolute() else Path(parent.path).parent / path
        compiled = self.load(str(target))
        return self.start(compiled, inputs, actor=f"run:{parent_id}", parent_id=parent_id, run_id=child_id)

    def _secrets(self, compiled: CompiledFlow) -> dict[str, str]:
        """The flow's secrets: environment first, then the encrypted secrets file."""
        return resolve_secrets(list(compiled.flow.secrets), self.environ)

    def _execute(self, compiled: CompiledFlow, run: RunRecord, secrets: dict[str, str],
                 resumed: bool) -> RunResult:
        return execute(self, compiled, self.flows.machine(compiled), run, secrets, resumed)


Runner = Runs  # the name the engine had before there was one front door
