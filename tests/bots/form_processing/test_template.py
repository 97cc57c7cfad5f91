from __future__ import annotations

from pathlib import Path

import pytest

import bots.form_processing
from bots.form_processing.errors import TemplateError
from bots.form_processing.template import get_template, load_template, templates


def test_templates_cover_the_three_form_types() -> None:
    assert set(templates()) >= {"licence_application", "health_declaration", "change_of_address"}


def test_templates_have_bilingual_labels_and_keywords() -> None:
    for template in templates().values():
        assert template.keywords["en"] and template.keywords["zh"]
        assert all(f.label.en and f.label.zh for f in template.fields), template.form_type


def test_template_types_cover_every_field_kind() -> None:
    kinds = {f.type for t in templates().values() for f in t.fields}
    assert kinds >= {"text", "name", "hkid", "date", "phone", "email", "amount", "choice",
                     "checkbox", "signature"}


@pytest.mark.parametrize(("text", "message"), [
    ("form_type: x\ntitle: {en: X}\nkeywords: {en: [a]}\nfields:\n  - {key: a, type: colour, "
     "label: {en: A}}\n", "fields.0.type"),
    ("form_type: x\ntitle: {en: X}\nkeywords: {en: [a]}\nfields:\n  - {key: a, regex: '(', "
     "label: {en: A}}\n", "fields.0.regex"),
    ("form_type: [unclosed\n", "cannot read template"),
])
def test_load_template_reports_the_broken_part(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=message) as info:
        load_template(path)
    assert str(path) in str(info.value)


def test_get_template_names_the_known_ones() -> None:
    with pytest.raises(TemplateError, match="known: change_of_address"):
        get_template("tax_return")


def test_package_all_is_sorted_and_activities_are_listed() -> None:
    names = bots.form_processing.__all__
    assert names == sorted(names) and all(hasattr(bots.form_processing, n) for n in names)
    from rpa.activities.spec import spec

    assert {spec(f).name for f in bots.form_processing.ACTIVITIES} >= {
        "forms.classify", "forms.extract", "forms.validate", "forms.templates"}
