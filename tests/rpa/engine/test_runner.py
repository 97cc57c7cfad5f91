"""The runner against a real SQLite store: loops, retries, routing, cleanup, effects, resume."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rpa.activities import Context, activity, builtin_registry
from rpa.activities.registry import specs_of
from rpa.engine import Listener, Runner
from rpa.errors import ApplicationError, BusinessError, RunError
from rpa.flow import CompiledFlow, compile_flow, load_flow, load_flow_text
from rpa.store import RunStore

pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server


class Crash(BaseException):
    """Stands in for the process dying: not an Exception, so nothing in the engine handles it."""


CALLS: Counter[str] = Counter()
KEYS: list[str] = []
PLAN: dict[str, list[str]] = {}  # activity name -> what each successive call does


def _next(name: str) -> str:
    plan = PLAN.get(name) or ["ok"]
    return plan.pop(0) if len(plan) > 1 else plan[0]


@activity("test.flaky")
def flaky(label: str = "x") -> str:
    CALLS["flaky"] += 1
    action = _next("flaky")
    if action == "app":
        raise ApplicationError("service unavailable")
    if action == "biz":
        raise BusinessError("form is missing a signature")
    if action == "crash":
        raise Crash()
    return label


@activity("test.effect", effect=True)
def effect(ctx: Context, n: int) -> dict[str, Any]:
    CALLS["effect"] += 1
    KEYS.append(ctx.idempotency_key or "")
    if _next("effect") == "crash_after_send":
        raise Crash()
    return {"n": n, "key": ctx.idempotency_key}


REGISTRY = builtin_registry().extended(specs_of([flaky, effect]))


@pytest.fixture(autouse=True)
def _reset() -> None:
    CALLS.clear()
    KEYS.clear()
    PLAN.clear()


def load(path: str) -> CompiledFlow:
    flow, source = load_flow(path)
    return compile_flow(flow, source, REGISTRY)


def build(text: str) -> CompiledFlow:
    flow, source = load_flow_text(text, "t.yaml")
    return compile_flow(flow, source, REGISTRY)


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(round(seconds, 2))


class Clock:
    """The runner's clock for tests: time moves only when the runner sleeps (or a test says so)."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


LOOP = """
flow: loop
inputs:
  n: {type: int, default: 5}
states:
  init:
    do: [{activity: set, with: {i: 0}}]
    next: count
  count:
    do: [{activity: set, with: {i: "{{ vars.i + 1 }}"}}]
    on: [{when: "vars.i < inputs.n", goto: count}]
    next: done
  done: {final: success}
"""


def test_runner_loop_counts_and_commits_every_step(store: RunStore) -> None:
    result = Runner(store).start(build(LOOP), {"n": "7"})
    assert (result.status, result.vars) == ("success", {"i": 7})
    run = store.get(result.run_id)
    assert (run.status, run.state, run.vars) == ("success", "done", {"i": 7})
    steps = [e for e in store.events(run.id) if e["kind"] == "step"]
    assert len(steps) == 8 and all(e["status"] == "ok" for e in steps)
    moves = [e["status"] for e in store.events(run.id) if e["kind"] == "transition"]
    assert moves == ["count"] * 7 + ["done"]


RETRY = """
flow: retry
states:
  work:
    do: [{activity: test.flaky, as: got}]
    retry: {max_attempts: 3, backoff: 2s, factor: 3}
    catch:
      - {error: BusinessError, goto: rejected, as: problem}
      - {error: ApplicationError, goto: failed}
    next: done
  done: {final: success}
  rejected: {final: business_exception}
  failed: {final: failure}
"""


def test_runner_retries_application_errors_with_backoff(store: RunStore) -> None:
    PLAN["flaky"] = ["app", "app", "ok"]
    clock = Clock()
    result = Runner(store, sleep=clock.sleep, clock=clock).start(build(RETRY))
    assert result.status == "success" and result.vars["got"] == "x"
    assert clock.sleeps == [2.0, 6.0]
    statuses = [e["status"] for e in store.events(result.run_id) if e["kind"] == "step"]
    assert statuses == ["retry", "retry", "ok"]


def test_runner_routes_exhausted_application_error_by_catch(store: RunStore) -> None:
    PLAN["flaky"] = ["app"]
    result = Runner(store, sleep=Sleeps()).start(build(RETRY))
    assert result.status == "failure" and CALLS["flaky"] == 3
    assert result.error == "ApplicationError: service unavailable"


def test_runner_never_retries_business_errors(store: RunStore) -> None:
    PLAN["flaky"] = ["biz"]
    result = Runner(store, sleep=Sleeps()).start(build(RETRY))
    assert result.status == "business_exception" and CALLS["flaky"] == 1
    assert result.vars["problem"]["message"] == "form is missing a signature"
    assert store.get(result.run_id).error == "BusinessError: form is missing a signature"


def test_runner_fails_run_when_no_catch_matches(store: RunStore) -> None:
    text = ("flow: f\nstates:\n  a:\n    do: [{activity: fail, with: {message: bad form}}]\n"
            "    next: b\n  b: {final: success}\n")
    result = Runner(store).start(build(text))
    assert result.status == "failure"
    assert result.error == "BusinessError in a/fail: bad form"


def test_runner_runs_finally_steps_after_an_error_then_routes(store: RunStore) -> None:
    text = """
flow: cleanup
states:
  a:
    do:
      - {activity: set, with: {opened: true}}
      - {activity: fail, with: {message: broken}}
      - {activity: set, with: {never: true}}
    finally:
      - {activity: set, with: {closed: true}}
    catch: [{error: Error, goto: rejected}]
    next: done
  done: {final: success}
  rejected: {final: business_exception}
"""
    result = Runner(store).start(build(text))
    assert result.status == "business_exception"
    assert result.vars == {"opened": True, "closed": True}


def test_runner_skips_steps_whose_when_is_false(store: RunStore) -> None:
    text = """
flow: cond
inputs: {urgent: {type: bool, default: false}}
states:
  a:
    do:
      - {activity: set, with: {a: 1}, when: "inputs.urgent"}
      - {activity: set, with: {b: 2}, when: "not inputs.urgent"}
    next: done
  done: {final: success}
"""
    assert Runner(store).start(build(text)).vars == {"b": 2}
    assert Runner(store).start(build(text), {"urgent": "yes"}).vars == {"a": 1}


def test_runner_state_timeout_is_a_catchable_step_timeout(store: RunStore) -> None:
    text = """
flow: slow
states:
  a:
    do: [{activity: wait, with: {seconds: 5s}}]
    timeout: 50ms
    catch: [{error: StepTimeout, goto: late}]
    next: done
  done: {final: success}
  late: {final: failure}
"""
    result = Runner(store).start(build(text))
    assert result.status == "failure" and result.error.startswith("StepTimeout: ")


def test_runner_rejects_bad_inputs_before_starting(store: RunStore) -> None:
    with pytest.raises(RunError, match="input 'n': expected int"):
        Runner(store).start(build(LOOP), {"n": "many"})
    with pytest.raises(RunError, match="unknown input 'm'"):
        Runner(store).start(build(LOOP), {"m": "1"})
    assert store.count() == 0


def test_runner_masks_secrets_in_the_timeline(store: RunStore) -> None:
    text = """
flow: secret
secrets: [token]
states:
  a:
    do: [{activity: log, with: {message: "token is {{ secrets.token }}"}}]
    next: done
  done: {final: success}
"""
    result = Runner(store, environ={"SMARTLAB_SECRET_TOKEN": "hunter2"}).start(build(text))
    outputs = [e["output"] for e in store.events(result.run_id) if e["kind"] == "step"]
    assert outputs == ["token is ***"]
    with pytest.raises(RunError, match="SMARTLAB_SECRET_TOKEN"):
        Runner(store, environ={}).start(build(text))


EFFECTS = """
flow: effects
states:
  a:
    do:
      - {activity: test.effect, with: {n: 1}, as: first}
      - {activity: test.flaky}
      - {activity: test.effect, with: {n: 2}, as: second}
    next: done
  done: {final: success}
"""


def test_resume_reissues_an_unconfirmed_effect_with_the_same_key(store: RunStore) -> None:
    flow = build(EFFECTS)
    PLAN["effect"] = ["crash_after_send", "ok"]
    with pytest.raises(Crash):
        Runner(store).start(flow)
    run = store.list()[0]
    assert run.status == "interrupted"
    result = Runner(store).resume(run.id, flow)
    assert result.status == "success"
    assert KEYS[0] == KEYS[1] == f"{run.id}.1.0"
    assert len(set(KEYS)) == 2 and CALLS["effect"] == 3


def test_resume_never_repeats_a_confirmed_effect(store: RunStore) -> None:
    flow = build(EFFECTS)
    PLAN["flaky"] = ["crash", "ok"]
    with pytest.raises(Crash):
        Runner(store).start(flow)
    run_id = store.list()[0].id
    result = Runner(store).resume(run_id, flow)
    assert result.status == "success" and CALLS["effect"] == 2
    assert result.vars["first"] == {"n": 1, "key": f"{run_id}.1.0"}
    ledger = store.effects_of(run_id)
    assert [(e["status"], e["issued"]) for e in ledger] == [("confirmed", 1), ("confirmed", 1)]


def test_resume_waits_only_the_rest_of_a_stored_backoff(store: RunStore) -> None:
    flow = build(RETRY)
    PLAN["flaky"] = ["app", "ok"]

    def die(seconds: float) -> None:
        raise Crash()

    clock = Clock()
    with pytest.raises(Crash):
        Runner(store, sleep=die, clock=clock).start(flow)
    run = store.list()[0]
    assert (run.attempt, run.retry_at) == (2, clock.now + 2.0)
    clock.now += 0.75  # the process restarts a little later
    assert Runner(store, sleep=clock.sleep, clock=clock).resume(run.id, flow).status == "success"
    assert clock.sleeps == [1.25]


def test_resume_refuses_finished_and_unknown_runs(store: RunStore) -> None:
    result = Runner(store).start(build(LOOP))
    with pytest.raises(RunError, match="already ended: success"):
        Runner(store).resume(result.run_id)
    with pytest.raises(RunError, match="no run with id"):
        Runner(store).resume("nope")


class CrashAfter(Listener):
    def __init__(self, steps: int) -> None:
        self.left = steps

    def end_step(self, *args: Any, **kwargs: Any) -> None:
        self.left -= 1
        if self.left == 0:
            raise Crash()


def test_resume_loads_the_flow_from_its_file(store: RunStore, write_flow: Any) -> None:
    path: Path = write_flow(LOOP)
    flow, source = load_flow_text(path.read_text(), str(path))
    with pytest.raises(Crash):
        Runner(store, CrashAfter(4)).start(compile_flow(flow, source))
    run = store.list()[0]
    assert (run.status, run.state, run.vars) == ("interrupted", "count", {"i": 2})
    result = Runner(store).resume(run.id[:6])
    assert (result.status, result.vars) == ("success", {"i": 5})


CHILD = """
flow: child
inputs: {n: {type: int}}
states:
  a:
    do:
      - {activity: test.flaky}
      - {activity: set, with: {double: "{{ inputs.n * 2 }}"}}
    next: done
  done: {final: success}
"""

PARENT = """
flow: parent
states:
  a:
    do:
      - {activity: flow.run, with: {path: child.yaml, inputs: {n: 21}}, as: sub}
      - {activity: set, with: {answer: "{{ vars.sub.vars.double }}"}}
    next: done
  done: {final: success}
"""


def test_subflow_runs_as_a_child_and_resumes_with_its_parent(store: RunStore, tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(CHILD)
    (tmp_path / "parent.yaml").write_text(PARENT)
    flow, source = load_flow_text(PARENT, str(tmp_path / "parent.yaml"))
    parent = compile_flow(flow, source, REGISTRY)
    PLAN["flaky"] = ["crash", "ok"]
    with pytest.raises(Crash):
        Runner(store, load=load).start(parent)
    assert [r.id for r in store.interrupted()] == [store.list()[-1].id]  # the parent only
    result = Runner(store, load=load).resume(store.interrupted()[0].id)
    assert (result.status, result.vars["answer"]) == ("success", 42)
    runs = store.list()
    assert len(runs) == 2 and {r.status for r in runs} == {"success"}
    assert CALLS["flaky"] == 2


def test_runner_takes_inputs_from_the_environment_below_given_ones(store: RunStore) -> None:
    environ = {"SMARTLAB_INPUT_LOOP__N": "3"}
    assert Runner(store, environ=environ).start(build(LOOP)).vars == {"i": 3}
    assert Runner(store, environ=environ).start(build(LOOP), {"n": 2}).vars == {"i": 2}


ARTIFACT = """
flow: report
states:
  init:
    do: [{activity: files.write, with: {path: "{{ run.artifacts }}/summary.json", content: {ok: true}, format: json}}]
    next: done
  done: {final: success}
"""


def test_runner_gives_flows_the_run_artifact_folder(store: RunStore, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from rpa.artifacts import list_artifacts, run_folder

    monkeypatch.setenv("SMARTLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    result = Runner(store).start(build(ARTIFACT))
    assert result.status == "success"
    assert [a.name for a in list_artifacts(run_folder(result.run_id))] == ["summary.json"]
