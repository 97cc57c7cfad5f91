"""Turning a task's JSON Schema into form controls, and the submitted text back into data.

Pure functions over plain data. A form-review task (its `data` holds the form bot's
`fields`, with values, confidences and boxes) gets the validation-station view: the page
image with each field's box, the value to correct and the confidence beside it.
"""

from __future__ import annotations

import json
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
    """Each field's value box on its page image, in image pixels (box units x the page's scale)."""
    images = {i.get("page"): i for i in (data.get("images") or [])} if isinstance(data, dict) else {}
    found = []
    for key, field in bot_fields(data).items():
        image, box = images.get(field.get("page")), field.get("value_box")
        if image is None or not box:
            continue
        scale = float(image.get("scale") or 1.0)
        x0, y0, x1, y1 = (v * scale for v in box)
        found.append({"key": key, "page": field.get("page"), "x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0,
                      "status": field.get("status", "review")})
    return found
