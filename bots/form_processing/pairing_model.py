"""The weights that turn a candidate pair's features into the chance it is a real pair:
a logistic regression fitted by bench/train_pairing.py on generated pages (a seed the
benchmark does not use), stored as pairing_model.json beside this file."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

MODEL = Path(__file__).with_name("pairing_model.json")


@lru_cache(maxsize=1)
def _weights() -> tuple[dict[str, float], float]:
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    return dict(zip(data["features"], data["coef"], strict=True)), float(data["intercept"])


def probability(features: dict[str, float]) -> float:
    weights, intercept = _weights()
    z = intercept + sum(w * features.get(name, 0.0) for name, w in weights.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
