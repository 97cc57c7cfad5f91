"""Classification figures from plain lists: accuracy, macro-F1, coverage at a precision.

Pure functions so the CLI, the tests and the benchmark compute the same numbers the same way.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Coverage:
    """The share of items decided automatically at the lowest threshold keeping `precision`."""

    coverage: float
    threshold: float | None
    precision: float


@dataclass(frozen=True)
class Report:
    n: int
    labels: int
    accuracy: float
    macro_f1: float
    coverage_at_95: float
    threshold_at_95: float | None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the gold labels (a label never in gold but predicted only costs precision)."""
    labels = sorted(set(gold))
    if not labels:
        return 0.0
    hits = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    gold_n, pred_n = Counter(gold), Counter(predicted)
    return sum(_f1(hits[x], pred_n[x], gold_n[x]) for x in labels) / len(labels)


def _f1(tp: int, predicted: int, actual: int) -> float:
    if tp == 0:
        return 0.0
    precision, recall = tp / predicted, tp / actual
    return 2 * precision * recall / (precision + recall)


def coverage_at_precision(gold: Sequence[str], predicted: Sequence[str],
                          confidence: Sequence[float], target: float = 0.95) -> Coverage:
    """Sort by confidence; the longest head whose precision is at least `target`."""
    ranked = sorted(zip(confidence, gold, predicted, strict=True), key=lambda t: -t[0])
    best = Coverage(0.0, None, 0.0)
    correct = 0
    for i, (conf, g, p) in enumerate(ranked, start=1):
        correct += g == p
        tied_with_next = i < len(ranked) and ranked[i][0] == conf
        if correct / i >= target and not tied_with_next:
            best = Coverage(i / len(ranked), conf, correct / i)
    return best


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def report(gold: Sequence[str], predicted: Sequence[str], confidence: Sequence[float],
           latencies_ms: Sequence[float] = ()) -> Report:
    cov = coverage_at_precision(gold, predicted, confidence)
    return Report(
        n=len(gold), labels=len(set(gold)), accuracy=accuracy(gold, predicted),
        macro_f1=macro_f1(gold, predicted), coverage_at_95=cov.coverage,
        threshold_at_95=cov.threshold, latency_p50_ms=percentile(latencies_ms, 50),
        latency_p95_ms=percentile(latencies_ms, 95))
