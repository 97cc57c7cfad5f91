"""Reply drafts from the bilingual templates in `templates.yaml`, in the enquiry's language,
with the reference number, department and expected reply time filled in."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import yaml

from bots.enquiry_triage.departments import department_of

TEMPLATES = Path(__file__).with_name("templates.yaml")
GENERAL_ENQUIRIES = {"en": "1823 Citizen's Easy Link", "zh": "1823 政府熱線"}
EXPECTED = {"en": "{days} working days", "zh": "{days}個工作天"}
DEFAULT_DAYS = 10


@dataclass(frozen=True)
class Draft:
    language: str
    reference: str
    subject: str
    body: str

    def as_dict(self) -> dict:
        return asdict(self)


@cache
def templates() -> dict:
    return yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))


def reference_for(enquiry_id: str, received: str = "") -> str:
    """Stable for one enquiry, so a resumed run drafts the same reference."""
    digits = "".join(ch for ch in received[:10] if ch.isdigit()) or "00000000"
    tail = hashlib.sha256(enquiry_id.encode()).hexdigest()[:6].upper()
    return f"ENQ-{digits}-{tail}"


def draft(intent: str, language: str, enquiry_id: str, subject: str = "",
          received: str = "") -> Draft:
    language = language if language in ("en", "zh") else "en"
    found = templates()
    words = found["topics"].get(intent, found["topics"]["default"])[language]
    dept = department_of(intent)
    reference = reference_for(enquiry_id, received)
    body = found["frames"][language].format(
        reference=reference, topic=words["topic"], action=words["action"],
        department=dept.name(language) if dept else GENERAL_ENQUIRIES[language],
        expected=EXPECTED[language].format(days=dept.days if dept else DEFAULT_DAYS),
        subject=subject or ("你的查詢" if language == "zh" else "your enquiry"))
    prefix = "回覆" if language == "zh" else "Re"
    return Draft(language, reference, f"{prefix}: {subject}".strip(), body.strip())
