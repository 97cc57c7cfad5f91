"""The review form, as plain data: schema -> controls, submitted text -> typed answer, boxes."""

from __future__ import annotations

import pytest

from rpa.web.console.review import boxes, controls, parse

FORM = {"type": "object", "required": ["name"],
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "ok": {"type": "boolean"},
                       "tags": {"type": "array"}, "score": {"type": "number"}}}
BOT = {"fields": [{"key": "name", "value": "CHAN", "confidence": 0.5, "page": 1, "value_box": [10, 20, 30, 40],
                   "status": "review"},
                  {"key": "age", "value": 41, "confidence": 0.97, "page": 2, "value_box": None}],
       "images": [{"page": 1, "path": "/x/p1.png", "scale": 2.0}]}


def test_review_controls_follow_the_schema_and_the_bots_values() -> None:
    found = {c["key"]: (c["tag"], c["value"], c["confidence"], c["required"]) for c in controls(FORM, BOT)}
    assert found == {"name": ("input", "CHAN", 0.5, True), "age": ("input", "41", 0.97, False),
                     "ok": ("select", "", None, False), "tags": ("textarea", "", None, False),
                     "score": ("input", "", None, False)}


def test_review_controls_prefill_from_plain_data() -> None:
    found = controls(FORM, {"name": "WONG", "values": {"age": 7}, "ok": True})
    assert [c["value"] for c in found] == ["WONG", "7", "true", "", ""]


@pytest.mark.parametrize(("submitted", "expected"), [
    ({"field.name": "Ada", "field.age": "42"}, {"name": "Ada", "age": 42}),
    ({"field.ok": "false", "field.tags": '["a"]', "field.score": "0.5"}, {"ok": False, "tags": ["a"], "score": 0.5}),
    ({"field.name": "", "other": "ignored"}, {}),
])
def test_review_parse_types_the_answer(submitted: dict[str, str], expected: dict[str, object]) -> None:
    assert parse(FORM, submitted) == expected


def test_review_parse_names_the_field_that_does_not_parse() -> None:
    with pytest.raises(ValueError, match="age: 'forty' is not a valid integer"):
        parse(FORM, {"field.age": "forty"})


def test_review_boxes_are_in_image_pixels_and_skip_fields_without_a_box() -> None:
    assert boxes(BOT) == [{"key": "name", "page": 1, "x": 20.0, "y": 40.0, "w": 40.0, "h": 40.0, "status": "review"}]
