"""What extraction returns: fields with value, confidence, boxes and a status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["accepted", "review", "invalid"]
DEFAULT_THRESHOLD = 0.9


@dataclass
class Field:
    key: str
    value: Any
    confidence: float
    page: int
    source: str  # "text" or "ocr"
    unit: str  # "pt" for the text layer, "px" for the page image that was read
    key_box: tuple[float, float, float, float] | None = None
    value_box: tuple[float, float, float, float] | None = None
    raw: str = ""
    problem: str | None = None

    def status(self, threshold: float = DEFAULT_THRESHOLD) -> Status:
        if self.confidence < threshold:
            return "review"
        return "invalid" if self.problem else "accepted"

    def to_dict(self, threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "confidence": round(self.confidence, 3),
                "page": self.page, "key_box": _box(self.key_box), "value_box": _box(self.value_box),
                "source": self.source, "box_unit": self.unit, "raw": self.raw,
                "status": self.status(threshold), "problem": self.problem}


def _box(box: tuple[float, float, float, float] | None) -> list[float] | None:
    return [round(v, 1) for v in box] if box else None


@dataclass
class FormResult:
    file: str
    form_type: str
    template_score: float
    pages: int
    fields: list[Field] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)  # cross-field rules
    threshold: float = DEFAULT_THRESHOLD
    images: list[dict[str, Any]] = field(default_factory=list)  # page images, when saved

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    def review(self) -> list[str]:
        return [f.key for f in self.fields if f.status(self.threshold) == "review"]

    def invalid(self) -> dict[str, str]:
        found = {f.key: f.problem for f in self.fields
                 if f.status(self.threshold) == "invalid" and f.problem}
        return {**found, **self.problems}

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "form_type": self.form_type,
                "template_score": round(self.template_score, 3), "pages": self.pages,
                "fields": [f.to_dict(self.threshold) for f in self.fields],
                "review": self.review(), "invalid": self.invalid(),
                **({"images": self.images} if self.images else {})}
