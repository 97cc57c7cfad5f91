"""The runner: drives a compiled flow through its states, durably.

Enter a state -> run its steps -> an outcome picks the next state -> the machine moves.
Each step boundary is one row of the store's step log: a step's result, the run's variables
and (for the last step of a state) the transition. Boundaries of steps without effects are
committed in groups; effectful steps write their intent to the ledger (committing what waits)
before the call and their confirmation at once after it, so a resumed run re-issues an
unconfirmed effect with the same idempotency key and never repeats a confirmed one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from rpa.activities.context import Context, SetVars
from rpa.artifacts import run_folder
from rpa.engine import step as steps
from rpa.engine.listener import Listener
from rpa.engine.machine import FlowMachine, RunModel
from rpa.engine.retry import backoff, should_retry
from rpa.errors import CATCHABLE, ActivityError, BusinessError, StepTimeout, Suspended
from rpa.flow.compiler import CompiledFlow, CompiledState, CompiledStep
from rpa.flow.expressions import RunScope
from rpa.secrets import Masker
from rpa.store.runs import RunRecord, RunStore


@dataclass(frozen=True)
class RunResult:
    run_id: str
    status: str
    error: str | None
    vars: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == "success"


class Host(Protocol):
    """What a run in motion needs from the service that started it (`rpa.engine.runs.Runs`)."""

    store: RunStore
    listener: Listener
    stop: threading.Event | None
    sleep: Callable[[float], None]
    clock: Callable[[], float]

    def child(self, parent: CompiledFlow, key: str, path: str, inputs: dict[str, Any],
              parent_id: str) -> RunResult: ...


def execute(host: Host, compiled: CompiledFlow, machine: FlowMachine, run: RunRecord,
            secrets: dict[str, str], resumed: bool) -> RunResult:
    """Drive one run to its end (or until it parks, checkpoints or is cancelled)."""
    model = machine.attach(run.state)
    try:
        return _Execution(host, compiled, run, secrets, machine, model).run(resumed)
    except BaseException:
        host.store.release(run.id)  # Ctrl-C or a crash in our own code: resumable later
        raise
    finally:
        machine.detach(model)


class _Halt(Exception):  # noqa: N818 (control flow, not an error)
    """Unwinds a run that stops before its end: suspended, checkpointed or cancelled."""

    def __init__(self, result: RunResult) -> None:
        super().__init__(result.status)
        self.result = result


CANCEL_CHECK_SECONDS = 1.0


class _Execution:
    """One run in motion: its position, its variables, and what is waiting to be committed."""

    def __init__(self, runner: Host, compiled: CompiledFlow, run: RunRecord,
                 secrets: dict[str, str], machine: FlowMachine, model: RunModel) -> None:
        self.runner, self.store, self.listener = runner, runner.store, runner.listener
        self.clock = runner.clock
        self.compiled, self.run_rec, self.machine, self.model = compiled, run, machine, model
        self.vars: dict[str, Any] = dict(run.vars)
        self.secret_values = tuple(v for v in secrets.values() if v)
        self.masker = Masker(self.secret_values)
        self.run_info = {"id": run.id, "flow": compiled.name, "state": run.state, "attempt": run.attempt,
                         "artifacts": str(run_folder(run.id))}
        self.scope = RunScope({"inputs": run.inputs, "vars": self.vars, "secrets": secrets,
                               "item": run.item, "run": self.run_info})
        self.deferred: list[dict[str, Any]] = []
        self.confirm: tuple[str, Any] | None = None
        self.caught: str | None = None
        self.next_cancel_check = 0.0
        self.log = logging.getLogger(f"smartlab.flow.{compiled.name}")

    # -- the state loop -------------------------------------------------------------------
    def run(self, resumed: bool) -> RunResult:
        self.listener.start_run(self.run_rec.id, self.compiled.name, resumed)
        try:
            return self._states()
        except _Halt as halt:
            return halt.result

    def _states(self) -> RunResult:
        r = self.run_rec
        while True:
            cstate = self.compiled.states[r.state]
            if cstate.state.final:
                return self._end(cstate.state.final, None)
            if r.step == 0 and r.attempt == 1:
                self.listener.start_state(r.state)
            self._run_steps(cstate)
            target, error = self._route(cstate)
            if target is None:
                return self._end("failure", error)
            final = self.compiled.states[target].state.final
            self._transition(cstate, target, commit=not final)
            if final:
                return self._end(final, self.caught if final != "success" else None)

    def _run_steps(self, cstate: CompiledState) -> None:
        r = self.run_rec
        while r.step < len(cstate.steps):
            cstep = cstate.steps[r.step]
            self._check_interruptions()
            self._wait_for_retry(cstate, cstep)
            started = time.perf_counter()
            try:
                status, output = self._attempt(cstate, cstep)
            except ActivityError as exc:
                self._failed(cstate, cstep, exc, _ms(started))
            except Suspended as exc:
                self._suspend(cstate, cstep, exc, _ms(started))
            else:
                self._succeeded(cstate, cstep, status, output, _ms(started))

    def _attempt(self, cstate: CompiledState, cstep: CompiledStep) -> tuple[str, Any]:
        r = self.run_rec
        if r.pending_error is not None and cstep.index < cstate.do_count:
            return "skipped", None
        if cstep.when is not None and not self._truthy(cstep.when, cstep.label):
            return "skipped", None
        deadline = self._deadline(cstate)
        if deadline is not None and deadline <= time.monotonic():
            raise StepTimeout(f"state '{cstate.name}' timed out after {cstate.state.timeout:g}s")
        self.listener.start_step(cstate.name, cstep, r.attempt)
        args = steps.render_args(cstep, self.scope)
        key = f"{r.id}.{r.visit}.{cstep.index}" if cstep.spec.effect else None
        if key is not None:
            effect = self.store.effect(key)
            if effect is not None and effect.status == "confirmed":
                return "replayed", effect.result
            self.store.effect_intent(key, r.id, cstep.spec.name, self._mask(args))
        ctx = self._context(cstate, cstep, key, deadline) if cstep.spec.takes_context else None
        output = steps.jsonable(steps.call(cstep.spec, args, ctx))
        if key is not None:
            self.confirm = (key, self._mask(output))
        return "ok", output

    def _succeeded(self, cstate: CompiledState, cstep: CompiledStep, status: str, output: Any,
                   ms: float) -> None:
        if status != "skipped":
            if isinstance(output, SetVars):
                self.vars.update(output)
            if cstep.step.as_:
                self.vars[cstep.step.as_] = output
        shown = self._mask(output)
        self.listener.end_step(cstate.name, cstep, status, ms, shown)
        event = self._event(cstate, cstep, status, ms, output=shown)
        self.run_rec.step += 1
        self.run_rec.attempt = 1
        self.run_rec.retry_at = None
        self._commit_step(cstate, event)

    def _failed(self, cstate: CompiledState, cstep: CompiledStep, exc: ActivityError, ms: float) -> None:
        r = self.run_rec
        exc = self._masked_error(exc)
        self.listener.end_step(cstate.name, cstep, "error", ms, error=exc)
        event = self._event(cstate, cstep, "error", ms, error=exc)
        if exc.retryable and should_retry(cstate.state.retry, r.attempt):
            delay = backoff(cstate.state.retry, r.attempt)  # type: ignore[arg-type]
            event["status"] = "retry"
            r.attempt += 1
            r.retry_at = self.clock() + delay
            self.run_info["attempt"] = r.attempt
            self._commit([event])
            return
        if r.pending_error is None:
            r.pending_error = {"kind": exc.kind, "message": str(exc), "state": cstate.name,
                               "step": cstep.label}
        r.step = max(r.step + 1, cstate.do_count)
        r.attempt, r.retry_at = 1, None
        self._commit_step(cstate, event)

    def _suspend(self, cstate: CompiledState, cstep: CompiledStep, exc: Suspended, ms: float) -> None:
        """Park the run: committed as `waiting`, owned by nobody, resumed at this very step."""
        r = self.run_rec
        exc = Suspended(self._mask(str(exc)))
        self.listener.end_step(cstate.name, cstep, "waiting", ms)
        event = self._event(cstate, cstep, "waiting", ms)
        event["error"] = str(exc)
        r.status, r.owner = "waiting", None
        self._commit([event], ended=True)
        self.listener.end_run(r.id, "waiting", str(exc))
        raise _Halt(RunResult(r.id, "waiting", str(exc), self.vars))

    def _check_interruptions(self) -> None:
        """Between steps: a worker shutting down checkpoints here; a cancel request ends the run."""
        r = self.run_rec
        if self.runner.stop is not None and self.runner.stop.is_set():
            self.store.release(r.id)
            self.listener.end_run(r.id, "interrupted", "worker stopping; resumable")
            raise _Halt(RunResult(r.id, "interrupted", None, self.vars))
        now = time.monotonic()
        if now >= self.next_cancel_check:
            self.next_cancel_check = now + CANCEL_CHECK_SECONDS
            if self.store.status_of(r.id) == "cancelling":
                raise _Halt(self._end("cancelled", "cancelled on request"))

    def _commit_step(self, cstate: CompiledState, event: dict[str, Any]) -> None:
        """Commit now, or hold the state's last step to commit with its transition."""
        self.deferred.append(event)
        if self.run_rec.step < len(cstate.steps):
            self._commit()

    def _commit(self, new_events: list[dict[str, Any]] | None = None, ended: bool = False) -> None:
        """Append a boundary: the run's position (and status when it `ended`) with the events waiting."""
        r = self.run_rec
        position = {"state": r.state, "visit": r.visit, "step": r.step, "attempt": r.attempt,
                    "retry_at": r.retry_at, "entered_at": r.entered_at,
                    "pending_error": r.pending_error, "vars": self._mask(self.vars)}
        status = ({"status": r.status, "owner": r.owner, "error": r.error, "finished_at": r.finished_at}
                  if ended else None)
        r.seq += 1
        self.store.advance(r.id, r.seq, position, self.deferred + (new_events or []), self.confirm, status)
        self.deferred, self.confirm = [], None

    def _wait_for_retry(self, cstate: CompiledState, cstep: CompiledStep) -> None:
        r = self.run_rec
        if r.retry_at is None:
            return
        delay = r.retry_at - self.clock()
        if delay > 0:
            self.store.flush()  # nothing waits for its group through a backoff
            self.listener.retry_wait(cstate.name, cstep, delay)
            self.runner.sleep(delay)
        r.retry_at = None

    # -- routing ----------------------------------------------------------------------------
    def _route(self, cstate: CompiledState) -> tuple[str | None, str | None]:
        error = self.run_rec.pending_error
        if error is None:
            try:
                return self._branch(cstate), None
            except ActivityError as exc:
                error = {"kind": exc.kind, "message": self._mask(str(exc)), "state": cstate.name,
                         "step": "on"}
        for catch in cstate.state.catch:
            if error["kind"] in {c.__name__ for c in _subclasses(catch.error)}:
                if catch.as_:
                    self.vars[catch.as_] = error
                self.caught = f"{error['kind']}: {error['message']}"
                return catch.goto, None
        return None, f"{error['kind']} in {error['state']}/{error['step']}: {error['message']}"

    def _branch(self, cstate: CompiledState) -> str:
        for when, goto in cstate.branches:
            if self._truthy(when, "on"):
                return goto
        return cstate.state.next  # type: ignore[return-value]  # the compiler made sure it exists

    def _truthy(self, expr: Any, label: str) -> bool:
        try:
            return bool(expr(self.scope))
        except Exception as exc:
            raise BusinessError(f"{label}: condition failed: {exc}") from exc

    def _transition(self, cstate: CompiledState, target: str, commit: bool) -> None:
        r = self.run_rec
        self.machine.move(self.model, target)
        self.listener.transition(cstate.name, target)
        event = {"visit": r.visit, "state": cstate.name, "kind": "transition", "status": target}
        r.state, r.visit, r.step, r.attempt = target, r.visit + 1, 0, 1
        r.pending_error, r.retry_at, r.entered_at = None, None, self.clock()
        self.run_info.update(state=target, attempt=1)
        self.deferred.append(event)
        if commit:  # into a final state, the transition is committed with the run's end
            self._commit()

    def _end(self, status: str, error: str | None) -> RunResult:
        r = self.run_rec
        event = {"visit": r.visit, "state": r.state, "kind": "run", "status": status, "error": error}
        r.status, r.error, r.finished_at, r.owner, r.step, r.pending_error = (
            status, error, self.clock(), None, 0, None)
        self._commit([event], ended=True)
        self.listener.end_run(r.id, status, error)
        return RunResult(r.id, status, error, self.vars)

    # -- helpers ----------------------------------------------------------------------------
    def _mask(self, value: Any) -> Any:
        """Secrets never reach the store, the timeline or an error message."""
        return self.masker(value) if self.secret_values else value

    def _masked_error(self, exc: ActivityError) -> ActivityError:
        if not self.secret_values or self._mask(str(exc)) == str(exc):
            return exc
        return type(exc)(self._mask(str(exc)))

    def _deadline(self, cstate: CompiledState) -> float | None:
        timeout = cstate.state.timeout
        if timeout is None:
            return None
        now = self.clock()
        entered = self.run_rec.entered_at or now
        return time.monotonic() + (entered + timeout - now)

    def _context(self, cstate: CompiledState, cstep: CompiledStep, key: str | None,
                 deadline: float | None) -> Context:
        r = self.run_rec
        subflow = None
        if key is not None:
            def subflow(path: str, inputs: dict[str, Any]) -> RunResult:
                return self.runner.child(self.compiled, key, path, inputs, r.id)
        return Context(run_id=r.id, flow=self.compiled.name, state=cstate.name, step=cstep.index,
                       attempt=r.attempt, idempotency_key=key, deadline=deadline, inputs=r.inputs,
                       vars=self.vars, secrets=self.scope["secrets"], log=self.log, subflow=subflow,
                       store=self.store)

    def _event(self, cstate: CompiledState, cstep: CompiledStep, status: str, ms: float,
               output: Any = None, error: ActivityError | None = None) -> dict[str, Any]:
        r = self.run_rec
        event = {"visit": r.visit, "state": cstate.name, "kind": "step", "step": cstep.index,
                 "activity": cstep.spec.name, "attempt": r.attempt, "status": status,
                 "duration_ms": round(ms, 3), "output": output}
        if error is not None:
            event.update(error_kind=error.kind, error=str(error))
        return event


def _subclasses(name: str) -> list[type]:
    found: list[type] = []
    for cls in CATCHABLE[name]:
        found += [cls, *_all_subclasses(cls)]
    return found


def _all_subclasses(cls: type) -> list[type]:
    return [c for s in cls.__subclasses__() for c in (s, *_all_subclasses(s))]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
