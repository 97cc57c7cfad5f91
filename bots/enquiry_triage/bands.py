"""Decision bands: route automatically at or above a high threshold, suggest to an officer in
the middle band, leave the rest to manual triage. Thresholds can differ per department.
An enquiry the model calls `out_of_scope`, or below the out-of-scope threshold, is never
routed: it goes to the manual band with the reason "out of scope".

The default auto threshold is calibrated: `calibration.json` (written by `bench/triage.py
--calibrate` or `smartlab nlu eval --calibrate`) holds the lowest confidence at which held-out
enquiries were routed with the target precision (0.99); `SMARTLAB_TRIAGE_CALIBRATION` points
elsewhere.

Pure: NLU output and thresholds in, a decision out. The decision is data (the work queue to
put the enquiry on, or the human task to raise), so the flow engine can act on it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bots.enquiry_triage.departments import department_of

AUTO = "auto"
SUGGEST = "suggest"
MANUAL = "manual"
MANUAL_QUEUE = "triage.manual"
OUT_OF_SCOPE = "out_of_scope"
CALIBRATION_ENV = "SMARTLAB_TRIAGE_CALIBRATION"
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Thresholds:
    auto: float = 0.80
    suggest: float = 0.50
    out_of_scope: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.out_of_scope <= self.suggest <= self.auto <= 1.0:
            raise ValueError("thresholds need 0 <= out_of_scope <= suggest <= auto <= 1, "
                             f"got {self}")


@dataclass(frozen=True)
class Policy:
    """Default thresholds and per-department ones (keyed by intent or department code)."""

    default: Thresholds = Thresholds()
    per_department: dict[str, Thresholds] = field(default_factory=dict)

    def for_intent(self, intent: str) -> Thresholds:
        dept = department_of(intent)
        keys = [intent, dept.code if dept else ""]
        found = (self.per_department[k] for k in keys if k in self.per_department)
        return next(found, self.default)

    @classmethod
    def from_mapping(cls, data: dict | None) -> Policy:
        """`{"default": {"auto": .8, "suggest": .5}, "SWD": {"auto": .9}}` -> Policy."""
        data = dict(data or {})
        default = Thresholds(**data.pop("default", {}))
        per = {k: Thresholds(**{**asdict(default), **v}) for k, v in data.items()}
        return cls(default, per)


def calibrated(path: Path | None = None) -> Thresholds:
    """Thresholds from a calibration file (`auto`, `suggest`, `out_of_scope`); defaults if none."""
    path = path or Path(os.environ.get(CALIBRATION_ENV) or CALIBRATION_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Thresholds()
    keys = ("auto", "suggest", "out_of_scope")
    return Thresholds(**{k: float(data[k]) for k in keys if k in data})


def default_policy() -> Policy:
    """Sensitive or costly-to-misroute topics ask for more certainty before routing alone."""
    base = calibrated()
    strict = {"social_welfare": 0.90, "immigration": 0.85}
    return Policy(base, {k: Thresholds(max(base.auto, v), base.suggest, base.out_of_scope)
                         for k, v in strict.items()})


DEFAULT_POLICY = default_policy()


@dataclass(frozen=True)
class Decision:
    band: str
    intent: str
    confidence: float
    queue: str
    department: str | None
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def decide(intent: str, confidence: float, fell_back: bool = False,
           policy: Policy = DEFAULT_POLICY) -> Decision:
    dept = department_of(intent)
    if intent == OUT_OF_SCOPE:
        return Decision(MANUAL, intent, confidence, MANUAL_QUEUE, None, "out of scope")
    if dept is None:
        return Decision(MANUAL, intent, confidence, MANUAL_QUEUE, None, "no department matches")
    limits = policy.for_intent(intent)
    if confidence < limits.out_of_scope:
        return Decision(MANUAL, intent, confidence, MANUAL_QUEUE, dept.code,
                        f"out of scope (confidence {confidence:.2f} < {limits.out_of_scope:.2f})")
    band = band_of(confidence, limits)
    if band == AUTO and fell_back:
        band = SUGGEST  # Rasa found two departments too close to call
    queue = dept.queue if band == AUTO else MANUAL_QUEUE
    return Decision(band, intent, confidence, queue, dept.code, _reason(band, confidence, limits))


def band_of(confidence: float, limits: Thresholds) -> str:
    if confidence >= limits.auto:
        return AUTO
    return SUGGEST if confidence >= limits.suggest else MANUAL


def _reason(band: str, confidence: float, limits: Thresholds) -> str:
    return {
        AUTO: f"confidence {confidence:.2f} >= auto threshold {limits.auto:.2f}",
        SUGGEST: f"confidence {confidence:.2f} between {limits.suggest:.2f} and {limits.auto:.2f}",
        MANUAL: f"confidence {confidence:.2f} < suggest threshold {limits.suggest:.2f}",
    }[band]
