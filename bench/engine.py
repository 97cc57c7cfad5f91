"""Per-step cost of the flow engine, side by side with two baselines in the same process.

    python bench/engine.py [--steps 10000]

1. SmartLab: a loop flow of N iterations, one `set` per iteration, durable store on
   (a SQLite file in WAL mode: every step boundary committed before the next starts).
2. Raw `transitions`: the same loop as a bare Machine with a counter, no store, no templates.
3. Robot Framework: one test of N `Set Test Variable` keywords, writing its output.xml.

Prints microseconds per step for each and the ratios, by the wall clock and by this process's
CPU time (the machine is shared: another process's load inflates the wall figures of all three
alike, not their CPU time), each the best of `--repeat` rounds run in turn. Goal: SmartLab at
least 10x cheaper per step than Robot Framework with durability on.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

# the project root instead of bench/: bench/robot.py would shadow Robot Framework's `robot`
sys.path[0] = str(Path(__file__).resolve().parents[1])

from transitions import Machine  # noqa: E402  (the raw baseline, not the engine)

from rpa.engine import Runner  # noqa: E402
from rpa.flow import compile_flow, load_flow_text  # noqa: E402
from rpa.store import RunStore  # noqa: E402

LOOP = """
flow: bench_loop
inputs: {n: {type: int, default: 10000}}
states:
  init:
    do: [{activity: set, with: {i: 0}}]
    next: loop
  loop:
    do: [{activity: set, with: {i: "{{ vars.i + 1 }}"}}]
    on: [{when: "vars.i < inputs.n", goto: loop}]
    next: done
  done: {final: success}
"""


Timing = tuple[float, float]  # (wall, CPU) microseconds per step


class _Clock:
    """Wall and CPU time of one stretch of work, per step."""

    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def per_step(self) -> Timing:
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        return wall / self.steps * 1e6, cpu / self.steps * 1e6


def smartlab(steps: int, workdir: Path) -> Timing:
    flow, source = load_flow_text(LOOP, "bench_loop.yaml")
    compiled = compile_flow(flow, source)
    store = RunStore(f"sqlite:///{workdir / 'bench.db'}")
    clock = _Clock(steps)
    result = Runner(store).start(compiled, {"n": steps})
    timing = clock.per_step()
    assert result.ok and result.vars["i"] == steps, result
    store.close()
    return timing


class _Counter:
    def __init__(self) -> None:
        self.i = 0

    def bump(self) -> None:
        self.i += 1


def raw_transitions(steps: int, workdir: Path) -> Timing:
    model = _Counter()
    machine = Machine(model=model, states=["loop", "done"], initial="loop", auto_transitions=False)
    machine.add_transition("again", "loop", "loop", after="bump")
    clock = _Clock(steps)
    while model.i < steps:
        model.again()  # type: ignore[attr-defined]
    return clock.per_step()


def robot_framework(steps: int, workdir: Path) -> Timing:
    import robot

    suite = workdir / "loop.robot"
    body = "\n".join(f"    Set Test Variable    ${{i}}    {n}" for n in range(1, steps + 1))
    suite.write_text(f"*** Test Cases ***\nLoop\n{body}\n", encoding="utf-8")
    clock = _Clock(steps)
    with redirect_stdout(io.StringIO()):
        rc = robot.run(str(suite), output=str(workdir / "output.xml"), log="NONE", report="NONE",
                       stdout=io.StringIO(), stderr=io.StringIO())
    timing = clock.per_step()
    assert rc == 0, f"robot exited {rc}"
    return timing


BENCHES: dict[str, Callable[[int, Path], Timing]] = {
    "SmartLab, durable (SQLite WAL)": smartlab,
    "raw transitions, in memory": raw_transitions,
    "Robot Framework, output.xml": robot_framework,
}


def best_of(steps: int, repeat: int) -> dict[str, Timing]:
    """Each bench `repeat` times, taking turns, in a fresh folder each round; the best of each."""
    found: dict[str, list[Timing]] = {name: [] for name in BENCHES}
    for _ in range(repeat):
        for name, bench in BENCHES.items():
            with tempfile.TemporaryDirectory() as tmp:
                found[name].append(bench(steps, Path(tmp)))
    return {name: (min(t[0] for t in times), min(t[1] for t in times)) for name, times in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    best = best_of(args.steps, args.repeat)
    (ours, raw, rf) = best.values()
    print(f"per-step cost over {args.steps:,} loop iterations, best of {args.repeat} (lower is better)")
    print(f"  {'':34} {'wall µs/step':>12} {'CPU µs/step':>12}")
    for name, (wall, cpu) in best.items():
        print(f"  {name:34} {wall:12.1f} {cpu:12.1f}")
    print(f"ratio Robot Framework / SmartLab:   {rf[0] / ours[0]:5.1f}x wall  {rf[1] / ours[1]:5.1f}x CPU"
          "  (goal >= 10x)")
    print(f"ratio SmartLab / raw transitions:   {ours[0] / raw[0]:5.1f}x wall  {ours[1] / raw[1]:5.1f}x CPU"
          "  (the price of durability + templates)")


if __name__ == "__main__":
    main()
