"""The benchmarks run from the project root as documented and print their ratios (small
sizes here: the figures themselves are for people, not assertions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres import PostgresServer

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize(("script", "args", "ratio"), [
    ("engine.py", ["--steps", "300"], "ratio Robot Framework / SmartLab:"),
])
def test_bench_prints_its_ratio_against_the_baseline(script: str, args: list[str], ratio: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert ratio in done.stdout


def test_bench_queue_prints_the_worker_scaling_table_on_both_backends(postgres: PostgresServer) -> None:
    args = ["--items", "6", "--workers", "1", "2", "--work-ms", "1", "--rounds", "1",
            "--backlog", "200", "--pg-url", postgres.new_database()]
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "queue.py"), *args], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for line in ("SmartLab, SQLite", "raw sqlite3", "SmartLab, PostgreSQL", "raw psycopg",
                 "ratio raw / SmartLab (1 worker):", "ratio 2 workers / 1 worker, SmartLab:",
                 "deep / shallow"):
        assert line in done.stdout, done.stdout
