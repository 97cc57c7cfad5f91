"""Property: a generated flow, killed at each of its step boundaries in turn and resumed, ends
as a run never killed does: the same variables, every step in its timeline once (0 lost
steps), every effect confirmed, and no effect sent again once its confirmation was committed.

The kill is injected through the store seam instead of a real process (the SIGKILL soak in
test_kill_resume.py does that): at its n-th kill point the store "dies" — that write and every
later one raise `Killed` (a BaseException, so the engine handles none of it), and the
boundaries waiting for their group commit are dropped, as a killed process drops them.
Kill points: every `advance` and `effect_intent`, and inside each effect before and after it
is sent. `SMARTLAB_FUZZ_PROFILE=long` raises the budget (docs/development.md).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from rpa.activities import Context, activity, builtin_registry
from rpa.activities.registry import specs_of
from rpa.engine import Runner
from rpa.flow import CompiledFlow, compile_flow, load_flow_text
from rpa.store import RunStore
from rpa.store.fastpath import Group

pytestmark = pytest.mark.postgresql  # also run on a throwaway PostgreSQL server

LONG = os.environ.get("SMARTLAB_FUZZ_PROFILE") == "long"
BUDGET = settings(max_examples=200 if LONG else 2, deadline=None, derandomize=not LONG,
                  phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a find prints its flow as is
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


class Killed(BaseException):
    """The process died here."""


class Switch:
    """Counts kill points; at point `at` the process dies and stays dead."""

    def __init__(self, at: int | None = None) -> None:
        self.at, self.passed, self.dead = at, 0, False

    def point(self) -> None:
        if self.dead or self.passed == self.at:
            self.dead = True
            raise Killed()
        self.passed += 1


SWITCH = Switch()
SENT: Counter[str] = Counter()
REPEATED: list[str] = []  # keys sent although their confirmation was already committed


@activity("probe.effect", effect=True)
def probe(ctx: Context, label: str) -> dict[str, str]:
    key = ctx.idempotency_key or ""
    SWITCH.point()
    ledger = ctx.store.effect(key) if ctx.store is not None else None
    if ledger is not None and ledger.status == "confirmed":
        REPEATED.append(key)
    SENT[key] += 1
    SWITCH.point()  # sent, not yet confirmed
    return {"label": label}


REGISTRY = builtin_registry().extended(specs_of([probe]))


class KillingStore(RunStore):
    def advance(self, *args: Any, **kwargs: Any) -> None:
        self._point()
        super().advance(*args, **kwargs)

    def effect_intent(self, *args: Any, **kwargs: Any) -> None:
        self._point()
        super().effect_intent(*args, **kwargs)

    def release(self, *args: Any, **kwargs: Any) -> None:
        if SWITCH.dead:  # a dead process releases nothing
            raise Killed()
        super().release(*args, **kwargs)

    def _point(self) -> None:
        try:
            SWITCH.point()
        except Killed:
            self.writer.discard()
            raise


# -- generated flows ----------------------------------------------------------------------------
STEP = st.sampled_from(["set", "effect"])
STATE = st.lists(STEP, min_size=1, max_size=3 if LONG else 2)
FLOWS = st.tuples(st.lists(STATE, min_size=1, max_size=4 if LONG else 2), st.integers(0, 2 if LONG else 1))


def flow_text(states: list[list[str]], loops: int) -> str:
    """A chain of states; the last one loops `loops` more times. Every step leaves a trace."""
    lines = ["flow: generated", "states:",
             "  init:", "    do: [{activity: set, with: {trace: [], loops: 0}}]", "    next: s0"]
    for n, kinds in enumerate(states):
        lines += [f"  s{n}:", "    do:"]
        last = n == len(states) - 1
        if last:
            lines.append('      - {activity: set, with: {loops: "{{ vars.loops + 1 }}"}}')
        for i, kind in enumerate(kinds):
            label = f"s{n}.{i}"
            if kind == "effect":
                lines.append(f"      - {{activity: probe.effect, with: {{label: {label}}}, as: e{n}_{i}}}")
            lines.append(f'      - {{activity: set, with: {{trace: "{{{{ vars.trace + [\'{label}\'] }}}}"}}}}')
        if last and loops:
            lines.append(f'    on: [{{when: "vars.loops <= {loops}", goto: s{n}}}]')
        lines.append(f"    next: {'done' if last else f's{n + 1}'}")
    lines.append("  done: {final: success}")
    return "\n".join(lines) + "\n"


def expected_steps(states: list[list[str]], loops: int) -> tuple[list[str], list[tuple[str, int]]]:
    """What a run of `flow_text(states, loops)` must leave: its trace and its steps, in order."""
    trace, steps = [], [("init", 0)]
    for n, kinds in enumerate(states):
        last = n == len(states) - 1
        count = len(kinds) + kinds.count("effect") + last
        for _ in range(loops + 1 if last else 1):
            trace += [f"s{n}.{i}" for i in range(len(kinds))]
            steps += [(f"s{n}", i) for i in range(count)]
    return trace, steps


def compiled(states: list[list[str]], loops: int) -> CompiledFlow:
    flow, source = load_flow_text(flow_text(states, loops), "generated.yaml")
    return compile_flow(flow, source, REGISTRY)


# -- one run, killed or not -----------------------------------------------------------------------
def timeline(store: RunStore, run_id: str) -> list[tuple[Any, ...]]:
    return [(e["state"], e["visit"], e["step"], e["status"]) for e in store.events(run_id)
            if e["kind"] in ("step", "transition")]


def outcome(store: RunStore, run_id: str) -> tuple[Any, ...]:
    run = store.get(run_id)
    effects = {e["key"]: (e["status"], e["issued"]) for e in store.effects_of(run_id)}
    return run.status, run.vars, timeline(store, run_id), effects


def run_killed_at(engine: Engine, flow: CompiledFlow, group: int, at: int | None) -> tuple[str, Switch]:
    """Start a run that dies at kill point `at` (None: never); resume it if it died."""
    global SWITCH
    SWITCH = switch = Switch(at)
    with _store(KillingStore, engine, group) as store:
        try:
            run_id = Runner(store).start(flow).run_id
        except Killed:
            run_id = store.list(limit=1)[0].id
    SWITCH = Switch()
    if switch.dead:  # another process resumes it
        with _store(RunStore, engine, group) as again:
            assert Runner(again).resume(run_id, flow).status == "success"
    return run_id, switch


@contextmanager
def _store(kind: type[RunStore], engine: Engine, group: int) -> Iterator[RunStore]:
    store = kind(engine=engine)  # one engine: its statement cache outlives each "process"
    store.group = Group(group, 3600.0)  # by count only: nothing here depends on the clock
    try:
        yield store
    finally:
        store.close()


@BUDGET
@example(shape=([["set", "effect"], ["effect"]], 1), group=3)
@given(shape=FLOWS, group=st.sampled_from([1, 2, 5, 64]))
def test_kill_at_every_boundary_then_resume_loses_no_step_and_repeats_no_confirmed_effect(
        engine: Engine, shape: tuple[list[list[str]], int], group: int) -> None:
    flow = compiled(*shape)
    SENT.clear()
    clean_id, clean = run_killed_at(engine, flow, group, None)
    with _store(RunStore, engine, group) as reference:
        trace, steps = expected_steps(*shape)
        assert reference.get(clean_id).vars["trace"] == trace
        assert [(e[0], e[2]) for e in timeline(reference, clean_id) if e[2] is not None] == steps
        check_every_kill_point(engine, flow, group, clean_id, clean.passed, reference)


def check_every_kill_point(engine: Engine, flow: CompiledFlow, group: int, clean_id: str, points: int,
                           reference: RunStore) -> None:
    status, final_vars, steps, effects = outcome(reference, clean_id)
    assert status == "success" and all(v == ("confirmed", 1) for v in effects.values())
    for at in range(points):
        SENT.clear()
        REPEATED.clear()
        run_id, _ = run_killed_at(engine, flow, group, at)
        got = outcome(reference, run_id)
        assert got[:3] == (status, final_vars, steps), f"kill point {at} of {points}"
        assert REPEATED == [], f"kill point {at}: confirmed effects sent again"
        assert {k.split(".", 1)[1]: v[0] for k, v in got[3].items()} == \
            {k.split(".", 1)[1]: v[0] for k, v in effects.items()}
        assert all(1 <= SENT[key] <= issued for key, (_, issued) in got[3].items()), (at, SENT, got[3])


def test_kill_flow_text_is_a_flow_with_every_kind_of_step() -> None:
    flow = compiled([["set", "effect"], ["effect"]], 2)
    assert list(flow.states) == ["init", "s0", "s1", "done"]
    assert [s.spec.name for s in flow.states["s1"].steps] == ["set", "probe.effect", "set"]
