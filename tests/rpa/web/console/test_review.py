"""The review form, as plain data: schema -> controls, submitted text -> typed answer, boxes,
why each field was doubted, and which fields are set apart as sure."""

from __future__ import annotations

import pytest

from rpa.web.console.i18n import LABELS, translate
from rpa.web.console.review import WHY, boxes, controls, parse, reasons, review_page

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
    assert boxes(BOT) == [{"key": "name", "page": 1, "x": 20.0, "y": 40.0, "w": 40.0, "h": 40.0, "status": "review",
                           "part": "value"}]


def test_review_boxes_include_the_label_box_when_the_result_has_one() -> None:
    data = {**BOT, "fields": [{**BOT["fields"][0], "key_box": [0, 0, 5, 10]}]}
    assert [(b["part"], b["w"], b["h"]) for b in boxes(data)] == [("value", 40.0, 40.0), ("label", 10.0, 20.0)]


@pytest.mark.parametrize(("doubts", "en"), [
    ([{"why": "low_confidence", "confidence": 0.8999, "threshold": 0.9}],
     ["The bot is only 89% sure of this reading; it needs 90%."]),
    ([{"why": "invalid", "message": "the check digit does not match"}],
     ["It breaks a rule: the check digit does not match"]),
    ([{"why": "label", "score": 0.81}, {"why": "lookalike"}],
     ["Its label matches the template's only 81%.",
      "Letters that look like digits (l/1, O/0) sit next to digits: OCR often confuses them."]),
    ([{"why": "second_look", "reading": "日本"}, {"why": "no_template"}, {"why": "not-a-reason"}],
     ["A second reading of the same spot disagreed: “日本”.",
      "No template matches this form: the bot paired label and value by their layout."]),
])
def test_review_reasons_say_why_with_the_figures(doubts: list[dict[str, object]], en: list[str]) -> None:
    assert [translate(key, "en", **values) for key, values in reasons({"doubts": doubts})] == en


def test_review_reasons_of_a_result_without_doubts_come_from_its_status_and_problem() -> None:
    old = {"status": "review", "confidence": 0.42, "problem": "this required field is empty"}
    assert [translate(k, "zh", **v) for k, v in reasons(old)] == ["機械程序對此讀數只有 42% 把握。",
                                                               "不符合規則：this required field is empty"]


def test_review_reasons_name_only_known_labels() -> None:
    made = [WHY[why]({"confidence": 0.5, "threshold": 0.9, "score": 0.5}) for why in WHY]
    assert {key for key, _ in made} <= set(LABELS)


def test_review_page_sets_sure_fields_apart_and_shows_what_the_task_does_not_ask() -> None:
    data = {**BOT, "fields": [*BOT["fields"], {"key": "hkid", "value": "A123456(3)", "confidence": 0.99,
                                               "page": 1, "value_box": [1, 1, 2, 2], "status": "accepted"}]}
    data["fields"][1] = {**data["fields"][1], "status": "accepted"}
    shown = review_page(FORM, data)
    assert [f["key"] for f in shown["check"]] == ["name", "ok", "tags", "score"]
    assert [(f["key"], f.get("read_only", False)) for f in shown["sure"]] == [("age", False), ("hkid", True)]
    refs = {f["key"]: f["ref"] for f in shown["check"] + shown["sure"]}
    assert [(b["key"], b["ref"]) for b in shown["boxes"]] == [("name", refs["name"]), ("hkid", refs["hkid"])]
    assert not shown["generic"] and shown["bot"]


def test_review_page_of_a_plain_task_has_no_bot_fields() -> None:
    shown = review_page(FORM, {"name": "WONG"})
    assert (len(shown["check"]), shown["sure"], shown["boxes"], shown["bot"]) == (5, [], [], False)


def test_review_page_names_an_untitled_field_by_the_templates_label_in_the_viewers_language() -> None:
    data = {"fields": [{"key": "name", "value": "CHAN", "status": "review", "label": {"en": "Name", "zh": "姓名"}},
                       {"key": "age", "value": 41, "status": "review", "label": {"en": "Age"}}]}
    form = {"properties": {"name": {"type": "string"}, "age": {"type": "integer", "title": "Age in years"}}}
    shown = review_page(form, data, "zh")["check"]
    assert [(f["label"], f.get("key_hint", False)) for f in shown] == [("姓名", True), ("Age in years", False)]
    english_only = {"fields": [{**data["fields"][0], "label": {"en": "Name"}}]}
    assert review_page(form, english_only, "zh")["check"][0]["label"] == "Name"  # the other language
