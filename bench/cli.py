"""How long `smartlab` takes to start, beside the interpreter starting and doing nothing.

    python bench/cli.py [--repeat 7] [--before REF]

Each case is a fresh process, timed wall-clock from spawn to exit and by the CPU time it used
(user + system, which a loaded machine does not inflate); the median of --repeat of each.
1. Baseline `python -c pass`: the floor no command can beat.
2. Baseline "eager": importing every command module and every plugin up front, as the CLI
   did before its sub-commands became lazy (what `smartlab --help` cost then).
3. `smartlab --help`, `smartlab --version`, and `smartlab run flows/examples/hello.yaml -q`
   (compile, a fresh SQLite store, five steps). The goal: each under 1 s.
4. With --before REF (a commit, e.g. the one before a start-up change): `smartlab run` again,
   the code taken from REF with `git archive` into a scratch folder and put first on
   PYTHONPATH, interleaved with the cases above, so both trees meet the same load.
Each case runs once first to warm up: the file cache, the store's creation, and the .pyc files
(written even when PYTHONDONTWRITEBYTECODE is set, which would otherwise make a freshly edited
or unpacked tree compile its sources in every timed run).
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
RUN = "smartlab run hello.yaml"
CASES = {
    "python -c pass (baseline)": ["-c", "pass"],
    "eager imports (baseline: the CLI before)": ["-c", EAGER],
    "smartlab --help": ["-m", "rpa.cli", "--help"],
    "smartlab --version": ["-m", "rpa.cli", "--version"],
    RUN: ["-m", "rpa.cli", "run", "-q", str(ROOT / "flows/examples/hello.yaml"),
                                "-i", "out=outbox/hello.txt"],
}
GOAL = 1.0


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _once(args: list[str], cwd: str, tree: str | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process, on the code in `tree` if given."""
    env = {**os.environ, "SMARTLAB_DB": f"sqlite:///{cwd}/bench.db", "SMARTLAB_FILE_ROOTS": cwd}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up writes .pyc files, as on a user's machine
    if tree:
        env["PYTHONPATH"] = tree
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)
    took = (time.perf_counter() - start, _cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()[-300:]}")
    return took


def medians(cases: dict[str, tuple[list[str], str | None]], repeat: int) -> dict[str, tuple[float, float]]:
    """Each case's median (wall, CPU), the cases taking turns so that load swings hit all alike."""
    taken: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    with tempfile.TemporaryDirectory() as scratch:
        folders = {name: Path(scratch, str(i)) for i, name in enumerate(cases)}
        for name, (args, tree) in cases.items():
            folders[name].mkdir()
            _once(args, str(folders[name]), tree)  # warm the file cache and the store's first creation
        for _ in range(repeat):
            for name, (args, tree) in cases.items():
                taken[name].append(_once(args, str(folders[name]), tree))
    return {n: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for n, r in taken.items()}


def checkout(ref: str, into: Path) -> str:
    """The tree of commit `ref`, unpacked into `into` (the repository itself is not touched)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return str(into)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", metavar="REF", help="also time `smartlab run` on the code of commit REF")
    options = parser.parse_args()
    repeat = options.repeat
    cases: dict[str, tuple[list[str], str | None]] = {name: (args, None) for name, args in CASES.items()}
    with tempfile.TemporaryDirectory() as old:
        if options.before:
            cases[f"{RUN} (baseline: {options.before})"] = (CASES[RUN], checkout(options.before, Path(old)))
        figures = medians(cases, repeat)
    report(figures, repeat, options.before)


def report(figures: dict[str, tuple[float, float]], repeat: int, before: str | None) -> None:
    floor = figures["python -c pass (baseline)"][0]
    eager = figures["eager imports (baseline: the CLI before)"][0]
    print(f"load average {os.getloadavg()[0]:.1f}, median of {repeat} fresh processes\n")
    print(f"{'case':44} {'wall s':>7} {'CPU s':>6} {'x pass':>7} {'x eager':>8}  goal <{GOAL:.0f} s wall")
    for name, (took, cpu) in figures.items():
        mark = "" if "baseline" in name else ("met" if took < GOAL else "NOT met")
        print(f"{name:44} {took:7.3f} {cpu:6.3f} {took / floor:7.1f} {took / eager:8.2f}  {mark}")
    if before:
        (now, now_cpu), (then, then_cpu) = figures[RUN], figures[f"{RUN} (baseline: {before})"]
        print(f"\n{RUN}: {now / then:.2f}x the wall time and {now_cpu / then_cpu:.2f}x the CPU time of {before}")


if __name__ == "__main__":
    main()
