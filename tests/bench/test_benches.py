"""The benchmarks run from the project root as documented and print their ratios (small
sizes here: the figures themselves are for people, not assertions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize(("script", "args", "ratio"), [
    ("engine.py", ["--steps", "300"], "ratio Robot Framework / SmartLab:"),
    ("queue.py", ["--items", "100"], "ratio raw / SmartLab (1 worker):"),
])
def test_bench_prints_its_ratio_against_the_baseline(script: str, args: list[str], ratio: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert ratio in done.stdout
