"""How long `smartlab` takes to start, beside the interpreter starting and doing nothing.

    python bench/cli.py [--repeat 7]

Each case is a fresh process, timed wall-clock from spawn to exit and by the CPU time it used
(user + system, which a loaded machine does not inflate); the median of --repeat of each.
1. Baseline `python -c pass`: the floor no command can beat.
2. Baseline "eager": importing every command module and every plugin up front, as the CLI
   did before its sub-commands became lazy (what `smartlab --help` cost then).
3. `smartlab --help`, `smartlab --version`, and `smartlab run flows/examples/hello.yaml -q`
   (compile, a fresh SQLite store, five steps). The goal: each under 1 s.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # run from anywhere, never shadow stdlib

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

EAGER = ("import importlib.metadata as m, rpa.cli.runs, rpa.cli.flows, rpa.cli.orchestration, "
         "rpa.cli.config, rpa.cli.db\n[e.load() for e in m.entry_points(group='smartlab.cli')]")
CASES = {
    "python -c pass (baseline)": ["-c", "pass"],
    "eager imports (baseline: the CLI before)": ["-c", EAGER],
    "smartlab --help": ["-m", "rpa.cli", "--help"],
    "smartlab --version": ["-m", "rpa.cli", "--version"],
    "smartlab run hello.yaml": ["-m", "rpa.cli", "run", "-q", str(ROOT / "flows/examples/hello.yaml"),
                                "-i", "out=outbox/hello.txt"],
}
GOAL = 1.0


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _once(args: list[str], cwd: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process."""
    env = {**os.environ, "SMARTLAB_DB": f"sqlite:///{cwd}/bench.db", "SMARTLAB_FILE_ROOTS": cwd}
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)
    took = (time.perf_counter() - start, _cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-300:]}")
    return took


def median_of(args: list[str], repeat: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as cwd:
        _once(args, cwd)  # warm the file cache and the store's first creation
        runs = [_once(args, cwd) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    figures = {name: median_of(args, repeat) for name, args in CASES.items()}
    floor = figures["python -c pass (baseline)"][0]
    eager = figures["eager imports (baseline: the CLI before)"][0]
    print(f"load average {os.getloadavg()[0]:.1f}, median of {repeat} fresh processes\n")
    print(f"{'case':44} {'wall s':>7} {'CPU s':>6} {'x pass':>7} {'x eager':>8}  goal <{GOAL:.0f} s wall")
    for name, (took, cpu) in figures.items():
        mark = "" if "baseline" in name else ("met" if took < GOAL else "NOT met")
        print(f"{name:44} {took:7.3f} {cpu:6.3f} {took / floor:7.1f} {took / eager:8.2f}  {mark}")


if __name__ == "__main__":
    main()
