"""The long fuzz run: tests/fuzz under the `long` hypothesis profile, round after round with a
fresh seed, until the time budget is spent (30 minutes by default).

    .venv/bin/python bench/fuzz.py                 # 30 minutes
    .venv/bin/python bench/fuzz.py --minutes 5

Each round runs every property with up to 5,000 examples and a 5 s per-example deadline (a
hang shows up as a failure here, not in `make test`). A failing example is printed and kept
in `.hypothesis/`, which replays it first in every later run, short or long; the fix goes in
with the example pinned by `@example`. The baseline is the short profile of `make test`:
the table shows how many more examples the long run tried.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]


def run_round(profile: str, seed: int, seconds: float | None = None) -> tuple[bool | None, int, str]:
    """(clean?, examples, output); clean is None when the budget ran out mid-round."""
    env = {**os.environ, "SMARTLAB_FUZZ_PROFILE": profile}
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "tests/fuzz", "-q", "-p", "no:cacheprovider",
                               f"--hypothesis-seed={seed}", "--hypothesis-show-statistics"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        return None, 0, ""
    examples = sum(int(n) for n in re.findall(r"(\d+) passing", done.stdout))
    return done.returncode == 0, examples, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    args = parser.parse_args()
    started = time.monotonic()
    ok, baseline, _ = run_round("short", 0)
    print(f"baseline (make test's short profile): {baseline} examples, {'clean' if ok else 'FAILED'}")
    rounds, total, failures = 0, 0, []
    while (left := args.minutes * 60 - (time.monotonic() - started)) > 0:
        seed = random.randrange(2**32)
        ok, examples, output = run_round("long", seed, left)
        if ok is None:
            print(f"round {rounds + 1} seed {seed}: cut at the time budget (not counted)")
            break
        rounds, total = rounds + 1, total + examples
        print(f"round {rounds} seed {seed}: {examples} examples, {'clean' if ok else 'FOUND A FAILURE'}", flush=True)
        if not ok:
            failures.append(seed)
            print(output[-4000:])
    minutes = (time.monotonic() - started) / 60
    print(f"\n| run | rounds | examples | x baseline | failures | minutes |\n|---|---|---|---|---|---|\n"
          f"| long | {rounds} | {total} | {total / max(baseline, 1):.0f} | {len(failures)} | {minutes:.1f} |")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
