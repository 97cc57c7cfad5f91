"""Scoring label -> value pairs against ground truth (bench/forms.py --generic).

A predicted pair matches a truth pair when both its label and its value have a normalised
edit similarity >= 0.8 (1 - Levenshtein distance / longer length, on lower-case letters,
digits and CJK only); a bilingual truth label also matches either language alone (`alts`).
Each truth pair is matched at most once, best similarity first. Pairs with an empty value
(labels without answers) are not counted either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from bots.form_processing.layout import norm

MATCH = 0.8


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> float:
    a, b = norm(a), norm(b)
    if not a or not b:
        return float(a == b)
    return 1 - levenshtein(a, b) / max(len(a), len(b))


@dataclass
class PairScore:
    truth: int = 0
    predicted: int = 0
    matched: int = 0
    accepted: int = 0
    accepted_matched: int = 0

    def add(self, other: PairScore) -> None:
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accepted_precision(self) -> float:
        return self.accepted_matched / self.accepted if self.accepted else -1.0


def score(truth: list[dict], predicted: list[tuple[str, str, bool]]) -> PairScore:
    """`truth`: [{label, alts, value}]; `predicted`: [(label, value, auto-accepted)]."""
    predicted = [p for p in predicted if norm(p[1])]
    truth = [t for t in truth if norm(t["value"])]
    candidates = []
    for i, (label, value, _) in enumerate(predicted):
        for j, t in enumerate(truth):
            ls = max(similarity(label, alt) for alt in t.get("alts") or [t["label"]])
            vs = similarity(value, t["value"]) if ls >= MATCH else 0.0
            if ls >= MATCH and vs >= MATCH:
                candidates.append((ls + vs, i, j))
    used_p, used_t = set(), set()
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
    accepted = {i for i, p in enumerate(predicted) if p[2]}
    return PairScore(len(truth), len(predicted), len(used_p), len(accepted),
                     len(accepted & used_p))
