"""Generic (no template) key-value extraction on generated scans: pair precision, recall, F1,
precision of auto-accepted pairs and pages per CPU-second, methods side by side in one run.

    python bench/forms.py --generic [--count 60] [--seed 13] [--workers 2] [--dir FOLDER]

Pages come from examples/forms/generic_forms.py (cached in ~/.cache/smartlab/generic-forms
by seed, count and generator version). Methods:

    before           the generic extractor before issue 13 (bench/generic_before.py) on
                     what `forms.extract` read then (eng, default clean-up)
    smartlab         `smartlab forms extract --generic` now
    tesseract-only   Tesseract alone (the `tesseract` command) on the page as it is (speed
                     baseline; it pairs nothing)
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.cputime import cpu_seconds
from bench.generic_before import key_values as before_pairs
from bench.pair_score import PairScore, score
from rpa.documents import ReadOptions, read_document
from rpa.errors import SmartLabError

ROOT = Path(__file__).resolve().parents[1]
GOALS = {"f1": 0.6, "ratio": 1.5, "accepted_precision": 0.95, "pages_per_s": 1.0}


def _before(path: Path) -> list[tuple[str, str, bool]]:
    pages = read_document(path, ReadOptions(lang="eng"))
    return [(f.key, str(f.value), f.status() == "accepted") for f in before_pairs(pages)]


def _smartlab(path: Path) -> list[tuple[str, str, bool]]:
    from bots.form_processing.process import process

    result = process(path, generic=True)
    return [(f.key, str(f.value), f.status(result.threshold) == "accepted") for f in result.fields]


def _tesseract(path: Path) -> list[tuple[str, str, bool]]:
    read_document(path, ReadOptions(mode="ocr", lang="eng", steps=frozenset({"grayscale"}),
                                    engine="cli"))
    return []


METHODS: dict[str, Callable[[Path], list[tuple[str, str, bool]]]] = {
    "before": _before, "smartlab": _smartlab, "tesseract-only": _tesseract}


def score_one(job: tuple[str, str]) -> tuple[PairScore, float, list[str]]:
    method, path_text = job
    path = Path(path_text)
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["pairs"]
    start = cpu_seconds()
    try:
        predicted, failures = METHODS[method](path), []
    except SmartLabError as exc:
        predicted, failures = [], [f"{path.name}: {exc}"]
    seconds = cpu_seconds() - start
    return score(truth, predicted), seconds, failures


def cached_set(count: int, seed: int) -> Path:
    module = _generator()
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    folder = base / "smartlab" / "generic-forms" / f"v{module.VERSION}-seed{seed}-n{count}"
    if not (folder / f"generic-{count - 1:03d}.json").is_file():
        module.generate(folder, count=count, seed=seed)
    return folder


def _generator():
    path = ROOT / "examples" / "forms" / "generic_forms.py"
    spec = importlib.util.spec_from_file_location("generic_forms", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def run(folder: Path, workers: int, methods: list[str]) -> dict[str, tuple[PairScore, float, int, list]]:
    pages = sorted(folder.glob("generic-*.png"))
    jobs = [(m, str(p)) for m in methods for p in pages]
    totals = {m: (PairScore(), [0.0], [0], []) for m in methods}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for (method, _), (pairs, seconds, failures) in zip(jobs, pool.map(score_one, jobs),
                                                           strict=True):
            tally, cpu, count, notes = totals[method]
            tally.add(pairs)
            cpu[0] += seconds
            count[0] += 1
            notes += failures
    return {m: (t, c[0], n[0], f) for m, (t, c, n, f) in totals.items()}


def report(results: dict[str, tuple[PairScore, float, int, list]]) -> None:
    print(f"{'method':16} {'pairs':>6} {'found':>6} {'right':>6} {'precision':>10} {'recall':>7} "
          f"{'F1':>6} {'auto-acc':>9} {'acc-prec':>9} {'pages/cpu-s':>12}")
    for method, (t, cpu, pages, _) in results.items():
        accepted = f"{t.accepted_precision:9.1%}" if t.accepted else f"{'none':>9}"
        print(f"{method:16} {t.truth:6} {t.predicted:6} {t.matched:6} {t.precision:10.1%} "
              f"{t.recall:7.1%} {t.f1:6.3f} {t.accepted:9} {accepted} {pages / cpu:12.2f}")
    if "smartlab" not in results:
        return
    ours, before = results["smartlab"][0], results.get("before", (PairScore(),))[0]
    ratio = ours.f1 / before.f1 if before.f1 else float("inf")
    speed = results["smartlab"][2] / results["smartlab"][1]
    print(f"smartlab vs before: F1 {ours.f1:.3f} vs {before.f1:.3f} ({ratio:.2f}x)")
    if "tesseract-only" in results:
        tess = results["tesseract-only"][2] / results["tesseract-only"][1]
        print(f"smartlab vs tesseract-only: speed {speed / tess:.2f}x")
    _goal("F1 >= 0.6", ours.f1 >= GOALS["f1"], f"{ours.f1:.3f}")
    _goal("F1 >= 1.5x before", ratio >= GOALS["ratio"], f"{ratio:.2f}x")
    _goal("auto-accepted precision >= 95%", ours.accepted_precision >= GOALS["accepted_precision"],
          f"{ours.accepted_precision:.1%} of {ours.accepted}" if ours.accepted else "none accepted")
    _goal(">= 1 page per CPU-second", speed >= GOALS["pages_per_s"], f"{speed:.2f}")


def _goal(text: str, met: bool, figure: str) -> None:
    print(f"goal {text}: {'met' if met else 'NOT met'} ({figure})")


def main(count: int, seed: int, workers: int, folder: Path | None, methods: list[str]) -> None:
    import time

    folder = folder or cached_set(count, seed)
    start = time.perf_counter()
    results = run(folder, workers, methods)
    load = os.getloadavg()[0]
    print(f"generic set {folder.name}: {results[methods[0]][2]} pages; {workers} worker(s); "
          f"wall {time.perf_counter() - start:.1f}s; load average {load:.1f} on "
          f"{os.cpu_count()} cores; speed is pages per CPU-second")
    report(results)
    print(f"CPU counted: {sum(r[1] for r in results.values()):.1f} s (check against `time`)")
    for method, (_, _, _, failures) in results.items():
        for failure in failures[:3]:
            print(f"  note {method}: {failure}")
