"""Saving a reviewed generic form as a template: labels become fields read beside or below
them, the template reads back and is offered by `templates()`; a name taken or malformed is
refused and nothing is overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.form_processing.errors import TemplateError
from bots.form_processing.template import SITE_ENV, load_template, save_template, template_from_pairs, templates

PAIRS = [{"label": "Name of Owner:", "type": "name", "key_box": [10, 10, 100, 20], "value_box": [120, 10, 200, 20]},
         {"label": "寵物名稱", "key_box": [10, 40, 60, 50], "value_box": [10, 55, 90, 65]},
         {"label": " Name  of owner ", "type": "text", "key_box": None, "value_box": None}]


def test_template_from_pairs_reads_beside_or_below_as_the_bot_found_them() -> None:
    made = template_from_pairs("pet_licence", PAIRS)
    assert [(f.key, f.type, f.where, f.required, f.label.texts()) for f in made.fields] == [
        ("name_of_owner", "name", "right", False, ["Name of Owner:"]),
        ("field_2", "text", "below", False, ["寵物名稱"]),
        ("name_of_owner_3", "text", "right", False, ["Name of owner"])]
    assert made.keywords == {"en": ("Name of Owner:", "Name of owner"), "zh": ("寵物名稱",)}


@pytest.mark.parametrize(("name", "pairs", "message"), [
    ("Pet Licence", PAIRS, "not a template name"),
    ("pet_licence", [{"label": "  "}], "keep at least one label"),
    ("pet_licence", [{"label": "Owner", "type": "colour"}], "fields.0.type"),
])
def test_template_from_pairs_refuses_in_one_line(name: str, pairs: list[dict], message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        template_from_pairs(name, pairs)


def test_save_template_writes_a_template_the_bot_then_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SITE_ENV, str(tmp_path / "site"))
    assert "pet_licence" not in templates()
    path = save_template(template_from_pairs("pet_licence", PAIRS))
    assert path == tmp_path / "site" / "pet_licence.yaml"
    assert load_template(path) == templates()["pet_licence"]
    assert "licence_application" in templates()  # the shipped ones too


@pytest.mark.parametrize("name", ["pet_licence", "licence_application"])
def test_save_template_refuses_a_name_already_known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    name: str) -> None:
    monkeypatch.setenv(SITE_ENV, str(tmp_path))
    (tmp_path / "pet_licence.yaml").write_text("form_type: pet_licence\ntitle: {en: Pets}\nkeywords: {en: [Pet]}\n"
                                               "fields: [{key: a, label: {en: Pet}}]\n")
    with pytest.raises(TemplateError, match=f"a template named '{name}' already exists"):
        save_template(template_from_pairs(name, PAIRS))
    assert "Pets" in (tmp_path / "pet_licence.yaml").read_text()
