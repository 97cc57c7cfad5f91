"""The `forms.*` activities a flow calls: classify, extract, validate, templates.

A form is read only from inside the run's declared roots and its page images are written
only to a writable one (`rpa.activities.roots`); a quarantined file is never read again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bots.form_processing.classify import classify as rank
from bots.form_processing.errors import FormInvalid, UnknownForm
from bots.form_processing.process import process
from bots.form_processing.result import DEFAULT_THRESHOLD
from bots.form_processing.template import templates as all_templates
from rpa.activities import Context, activity, roots
from rpa.documents import read_document


@activity("forms.classify")
def classify(ctx: Context, path: Path) -> dict[str, Any]:
    """The template that best fits a form, with its score (0..1) and the runners-up."""
    ranked = rank(read_document(roots.readable(path, ctx.run_id)), all_templates())
    best, score = ranked[0]
    return {"form_type": best, "score": round(score, 3),
            "ranked": [{"form_type": n, "score": round(s, 3)} for n, s in ranked]}


@activity("forms.extract")
def extract(ctx: Context, path: Path, template: str | None = None, generic: bool = False,
            threshold: float = DEFAULT_THRESHOLD, images_dir: Path | None = None) -> dict[str, Any]:
    """Fields of a form with value, confidence, boxes and status (accepted, review, invalid).

    The template is chosen by classification unless named; an unknown form falls back to
    generic key-value pairs, all sent to review. Unreadable files raise a BusinessError.
    With `images_dir`, page images are saved for review (`images`: page, path, scale).
    """
    found = roots.readable(path, ctx.run_id)
    folder = roots.writable(images_dir, ctx.run_id) if images_dir else None
    return process(found, template, generic, threshold, images_dir=folder).to_dict()


@activity("forms.validate")
def validate(result: dict[str, Any], min_pairs: int = 3) -> dict[str, Any]:
    """Raise a BusinessError listing every confidently-read field that breaks a rule, or
    saying the file is not a form (no template fits, fewer than `min_pairs` label-value
    pairs); otherwise say which fields need a person (`review`) and give the values by key."""
    name = str(result.get("file", "form"))
    pairs = len(result.get("fields", []))
    if result.get("form_type") == "unknown" and pairs < min_pairs:
        raise UnknownForm(f"{name}: not a form we know: no template matches and only {pairs} "
                          f"label-value pair(s) were found")
    if result.get("invalid"):
        raise FormInvalid(name, dict(result["invalid"]))
    values = {f["key"]: f["value"] for f in result.get("fields", [])}
    review = list(result.get("review", []))
    return {"form_type": result.get("form_type"), "values": values, "review": review,
            "needs_review": bool(review) or result.get("form_type") == "unknown"}


@activity("forms.templates")
def templates() -> list[dict[str, Any]]:
    """The templates installed, with their titles and field keys."""
    return [{"form_type": t.form_type, "title": t.title.model_dump(),
             "fields": [f.key for f in t.fields]} for t in all_templates().values()]
