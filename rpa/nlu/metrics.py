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
    coverage_at_99: float = 0.0
    threshold_at_99: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    in_scope_accuracy: float | None = None
    oos_recall: float | None = None
    oos_precision: float | None = None

    def as_dict(self) -> dict:
        """Every figure; the out-of-scope ones only when out-of-scope rows were scored."""
        return {k: v for k, v in asdict(self).items() if k not in _OOS_KEYS or v is not None}


_OOS_KEYS = ("in_scope_accuracy", "oos_recall", "oos_precision")


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
           latencies_ms: Sequence[float] = (), oos_label: str | None = None) -> Report:
    """All figures; with `oos_label`, rows whose gold or prediction is it are out of scope."""
    high, higher = (coverage_at_precision(gold, predicted, confidence, t) for t in (0.95, 0.99))
    return Report(
        n=len(gold), labels=len(set(gold)), accuracy=accuracy(gold, predicted),
        macro_f1=macro_f1(gold, predicted), coverage_at_95=high.coverage,
        threshold_at_95=high.threshold, coverage_at_99=higher.coverage,
        threshold_at_99=higher.threshold, p50_ms=percentile(latencies_ms, 50),
        p95_ms=percentile(latencies_ms, 95),
        **(out_of_scope(gold, predicted, oos_label) if oos_label else {}))


def out_of_scope(gold: Sequence[str], predicted: Sequence[str], oos_label: str) -> dict:
    """In-scope accuracy, and recall and precision of the out-of-scope label."""
    pairs = list(zip(gold, predicted, strict=True))
    in_scope = [(g, p) for g, p in pairs if g != oos_label]
    flagged = sum(p == oos_label for _, p in pairs)
    caught = sum(g == p == oos_label for g, p in pairs)
    actual = len(pairs) - len(in_scope)
    right = sum(g == p for g, p in in_scope)
    return {"in_scope_accuracy": right / len(in_scope) if in_scope else 0.0,
            "oos_recall": caught / actual if actual else 0.0,
            "oos_precision": caught / flagged if flagged else 0.0}
