"""Decision bands: route automatically at or above a high threshold, suggest to an officer in
the middle band, leave the rest to manual triage. Thresholds can differ per department.

Pure: NLU output and thresholds in, a decision out. The decision is data (the work queue to
put the enquiry on, or the human task to raise), so the flow engine can act on it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bots.enquiry_triage.departments import department_of

AUTO = "auto"
SUGGEST = "suggest"
MANUAL = "manual"
MANUAL_QUEUE = "triage.manual"


@dataclass(frozen=True)
class Thresholds:
    auto: float = 0.80
    suggest: float = 0.50

    def __post_init__(self) -> None:
        if not 0.0 <= self.suggest <= self.auto <= 1.0:
            raise ValueError(f"thresholds need 0 <= suggest <= auto <= 1, got {self}")


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


# Sensitive or costly-to-misroute topics ask for more certainty before routing alone.
DEFAULT_POLICY = Policy(per_department={
    "social_welfare": Thresholds(auto=0.90, suggest=0.50),
    "immigration": Thresholds(auto=0.85, suggest=0.50),
})


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
    if dept is None:
        return Decision(MANUAL, intent, confidence, MANUAL_QUEUE, None, "no department matches")
    limits = policy.for_intent(intent)
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
