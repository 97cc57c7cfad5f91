"""Turning a task's JSON Schema into form controls, and the submitted text back into data.

Pure functions over plain data. A form-review task (its `data` holds the form bot's
`fields`, with values, confidences, boxes and `doubts`) gets the validation-station view: the
page image with each field's box, the fields to check with why the bot doubted each, and the
fields it is sure of set apart (`review_page`). Reasons are label keys of `i18n.LABELS` with
their figures, so the page says them in the viewer's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

# JSON Schema type -> (HTML control, input type, text -> value)
CONTROLS: dict[str, tuple[str, str]] = {
    "string": ("input", "text"),
    "integer": ("input", "number"),
    "number": ("input", "number"),
    "boolean": ("select", ""),
    "array": ("textarea", ""),
    "object": ("textarea", ""),
}


def _bool(text: str) -> bool:
    return text == "true"


PARSERS = {"string": str, "integer": int, "number": float, "boolean": _bool, "array": json.loads,
           "object": json.loads}


def _kind(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "string")
    return kind if isinstance(kind, str) and kind in CONTROLS else "string"


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind in ("array", "object"):
        return json.dumps(value, ensure_ascii=False)
    return str(value).lower() if isinstance(value, bool) else str(value)


def bot_fields(data: Any) -> dict[str, dict[str, Any]]:
    """The form bot's fields by key, when the task shows its extraction result."""
    found = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(found, list):
        return {}
    return {f["key"]: f for f in found if isinstance(f, dict) and "key" in f}


def initial(data: Any, key: str) -> Any:
    """What a control starts with: the bot's value for the field, else the shown data's value."""
    fields = bot_fields(data)
    if key in fields:
        return fields[key].get("value")
    if isinstance(data, dict):
        values = data.get("values")
        return values.get(key) if isinstance(values, dict) and key in values else data.get(key)
    return None


def controls(form: dict[str, Any], data: Any) -> list[dict[str, Any]]:
    """One control per property of the task's schema, prefilled from the task's data."""
    required = set(form.get("required", []))
    found = []
    for key, schema in (form.get("properties") or {}).items():
        kind = _kind(schema if isinstance(schema, dict) else {})
        tag, input_type = CONTROLS[kind]
        bot = bot_fields(data).get(key, {})
        found.append({"key": key, "label": schema.get("title", key), "kind": kind, "tag": tag,
                      "type": input_type, "required": key in required, "enum": schema.get("enum"),
                      "value": _shown(initial(data, key), kind), "confidence": bot.get("confidence"),
                      "status": bot.get("status"), "help": schema.get("description", "")})
    return found


def parse(form: dict[str, Any], submitted: dict[str, str]) -> dict[str, Any]:
    """Submitted text -> typed data for the schema; empty optional fields are left out.

    ValueError names the field that does not parse, for the reviewer to fix.
    """
    data: dict[str, Any] = {}
    for key, schema in (form.get("properties") or {}).items():
        text = submitted.get(f"field.{key}", "")
        if text == "":
            continue
        kind = _kind(schema if isinstance(schema, dict) else {})
        try:
            data[key] = PARSERS[kind](text)
        except ValueError as exc:
            raise ValueError(f"{key}: '{text}' is not a valid {kind}") from exc
    return data


def boxes(data: Any) -> list[dict[str, Any]]:
    """Each field's value box (and label box, `part: label`) on its page image, in image pixels
    (box units x the page's scale)."""
    images = {i.get("page"): i for i in (data.get("images") or [])} if isinstance(data, dict) else {}
    found = []
    for key, field in bot_fields(data).items():
        image = images.get(field.get("page"))
        for part, box in (("value", field.get("value_box")), ("label", field.get("key_box"))):
            if image is None or not box:
                continue
            scale = float(image.get("scale") or 1.0)
            x0, y0, x1, y1 = (v * scale for v in box)
            found.append({"key": key, "page": field.get("page"), "x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0,
                          "status": field.get("status", "review"), "part": part})
    return found


def _pct(value: Any) -> int:
    """A share as a whole percentage, rounded down (89.9% sure is not 90% sure)."""
    return int(float(value or 0) * 100)


def _low(doubt: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if doubt.get("threshold") is None:
        return "why_low_confidence_plain", {"conf": _pct(doubt.get("confidence"))}
    return "why_low_confidence", {"conf": _pct(doubt.get("confidence")), "needed": _pct(doubt["threshold"])}


# a doubt's `why` (bots/form_processing/result.py) -> (label key, its figures)
WHY: dict[str, Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]] = {
    "low_confidence": _low,
    "invalid": lambda d: ("why_invalid", {"message": d.get("message", "")}),
    "label": lambda d: ("why_label", {"score": _pct(d.get("score"))}),
    "second_look": lambda d: ("why_second_look", {"reading": d.get("reading", "")}),
    "lookalike": lambda d: ("why_lookalike", {}),
    "no_template": lambda d: ("why_no_template", {}),
}
STATUS_LABELS = {"accepted": "field_accepted", "review": "field_review", "invalid": "field_invalid"}
# what "Save as template" offers for a value: the form bot's text-like field types
# (bots/form_processing/template.py, which checks what it is sent)
TEMPLATE_TYPES = ("text", "name", "date", "hkid", "phone", "email", "amount")


def _recorded(field: dict[str, Any]) -> list[dict[str, Any]]:
    """The field's doubts; for a result made before they were recorded, what its status says."""
    if isinstance(field.get("doubts"), list):
        return [d for d in field["doubts"] if isinstance(d, dict)]
    unsure = field.get("status") == "review"
    found = [{"why": "low_confidence", "confidence": field.get("confidence")}] if unsure else []
    return found + ([{"why": "invalid", "message": field["problem"]}] if field.get("problem") else [])


def reasons(field: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Why the bot asks a person about this field, as (label key, figures), in the order noted."""
    return [WHY[d["why"]](d) for d in _recorded(field) if d.get("why") in WHY]


def _shown_field(control: dict[str, Any], bot: dict[str, Any], ref: str, lang: str) -> dict[str, Any]:
    status = bot.get("status")
    return {**control, **_label(control, bot, lang), "ref": ref, "status": status,
            "status_label": STATUS_LABELS.get(status or ""), "reasons": reasons(bot) if bot else [],
            "sure": status == "accepted"}


def _label(control: dict[str, Any], bot: dict[str, Any], lang: str) -> dict[str, Any]:
    """The template's label in the viewer's language (else the other) for a field the task's
    form leaves untitled; the key stays beside it (`key_hint`)."""
    found = bot.get("label") if isinstance(bot.get("label"), dict) else {}
    text = found.get(lang) or next((v for v in found.values() if v), "")
    if control["label"] != control["key"] or not text:
        return {}
    return {"label": text, "key_hint": True}


def _read_only(key: str, bot: dict[str, Any], ref: str, lang: str) -> dict[str, Any]:
    """A field the bot read that the task does not ask for: shown, not editable."""
    control = {"key": key, "label": key, "kind": "string", "tag": "", "type": "", "required": False,
               "enum": None, "value": _shown(bot.get("value"), "string"), "confidence": bot.get("confidence"),
               "help": "", "read_only": True}
    return _shown_field(control, bot, ref, lang)


def review_page(form: dict[str, Any], data: Any, lang: str = "en") -> dict[str, Any]:
    """The validation station: fields to check (with reasons) and fields the bot is sure of,
    each with a `ref` its boxes carry, so field and box light up together."""
    found = bot_fields(data)
    asked = controls(form, data)
    shown = [_shown_field(c, found.get(c["key"], {}), f"f{n}", lang) for n, c in enumerate(asked)]
    asked_keys = {c["key"] for c in asked}
    extra = [k for k in found if k not in asked_keys]
    shown += [_read_only(k, found[k], f"f{len(asked) + n}", lang) for n, k in enumerate(extra)]
    refs = {f["key"]: f["ref"] for f in shown}
    drawn = [{**b, "ref": refs.get(b["key"], "")} for b in boxes(data)]
    return {"check": [f for f in shown if not f["sure"]], "sure": [f for f in shown if f["sure"]],
            "boxes": drawn, "bot": bool(found), "template_types": TEMPLATE_TYPES,
            "generic": bool(found) and isinstance(data, dict) and data.get("form_type") == "unknown"}
