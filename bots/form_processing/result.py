"""What extraction returns: fields with value, confidence, boxes, a status, and why a field
was doubted (`doubts`, for the review page: each a `why` and its figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["accepted", "review", "invalid"]
DEFAULT_THRESHOLD = 0.9
GENERIC_FORM = "unknown"  # the form type of a result read without a template


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
    # doubts the reader noted besides confidence and problem: {"why": "label", "score": 0.8},
    # {"why": "second_look", "reading": "..."}, {"why": "lookalike"}
    notes: list[dict[str, Any]] = field(default_factory=list)
    label: dict[str, str] | None = None  # a template field's label, {"en": ..., "zh": ...}, for people

    def doubts(self, threshold: float = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
        """Why a person should look: too unsure, a broken rule, and what the reader noted."""
        found = []
        if self.confidence < threshold:
            found.append({"why": "low_confidence", "confidence": self.confidence, "threshold": threshold})
        if self.problem:
            found.append({"why": "invalid", "message": self.problem})
        return found + self.notes

    def status(self, threshold: float = DEFAULT_THRESHOLD) -> Status:
        if self.confidence < threshold:
            return "review"
        return "invalid" if self.problem else "accepted"

    def to_dict(self, threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "confidence": round(self.confidence, 3),
                "page": self.page, "key_box": _box(self.key_box), "value_box": _box(self.value_box),
                "source": self.source, "box_unit": self.unit, "raw": self.raw,
                "status": self.status(threshold), "problem": self.problem, "doubts": self.doubts(threshold),
                **({"label": self.label} if self.label else {})}


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
                "fields": [self._field_dict(f) for f in self.fields],
                "review": self.review(), "invalid": self.invalid(),
                **({"images": self.images} if self.images else {})}

    def _field_dict(self, found: Field) -> dict[str, Any]:
        shown = found.to_dict(self.threshold)
        if self.form_type == GENERIC_FORM and shown["status"] != "accepted":
            shown["doubts"].append({"why": "no_template"})
        return shown
