"""Per-step cost of the flow engine, side by side with two baselines in the same process.

    python bench/engine.py [--steps 10000]

1. SmartLab: a loop flow of N iterations, one `set` per iteration, durable store on
   (a SQLite file in WAL mode: every step boundary committed before the next starts).
2. Raw `transitions`: the same loop as a bare Machine with a counter, no store, no templates.
3. Robot Framework: one test of N `Set Test Variable` keywords, writing its output.xml.

Prints microseconds per step for each and the ratios. Goal: SmartLab at least 10x cheaper
per step than Robot Framework with durability on.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
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


def smartlab(steps: int, workdir: Path) -> float:
    flow, source = load_flow_text(LOOP, "bench_loop.yaml")
    compiled = compile_flow(flow, source)
    store = RunStore(f"sqlite:///{workdir / 'bench.db'}")
    started = time.perf_counter()
    result = Runner(store).start(compiled, {"n": steps})
    elapsed = time.perf_counter() - started
    assert result.ok and result.vars["i"] == steps, result
    store.close()
    return elapsed / steps * 1e6


class _Counter:
    def __init__(self) -> None:
        self.i = 0

    def bump(self) -> None:
        self.i += 1


def raw_transitions(steps: int) -> float:
    model = _Counter()
    machine = Machine(model=model, states=["loop", "done"], initial="loop", auto_transitions=False)
    machine.add_transition("again", "loop", "loop", after="bump")
    started = time.perf_counter()
    while model.i < steps:
        model.again()  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    return elapsed / steps * 1e6


def robot_framework(steps: int, workdir: Path) -> float:
    import robot

    suite = workdir / "loop.robot"
    body = "\n".join(f"    Set Test Variable    ${{i}}    {n}" for n in range(1, steps + 1))
    suite.write_text(f"*** Test Cases ***\nLoop\n{body}\n", encoding="utf-8")
    started = time.perf_counter()
    with redirect_stdout(io.StringIO()):
        rc = robot.run(str(suite), output=str(workdir / "output.xml"), log="NONE", report="NONE",
                       stdout=io.StringIO(), stderr=io.StringIO())
    elapsed = time.perf_counter() - started
    assert rc == 0, f"robot exited {rc}"
    return elapsed / steps * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    steps = parser.parse_args().steps
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours = smartlab(steps, work)
        raw = raw_transitions(steps)
        rf = robot_framework(steps, work)
    print(f"per-step cost over {steps:,} loop iterations (lower is better)")
    print(f"  SmartLab, durable (SQLite WAL)   {ours:9.1f} µs/step")
    print(f"  raw transitions, in memory       {raw:9.1f} µs/step")
    print(f"  Robot Framework, output.xml      {rf:9.1f} µs/step")
    print(f"ratio Robot Framework / SmartLab:  {rf / ours:6.1f}x  (goal >= 10x)")
    print(f"ratio SmartLab / raw transitions:  {ours / raw:6.1f}x  (the price of durability + templates)")


if __name__ == "__main__":
    main()
