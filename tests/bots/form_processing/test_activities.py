from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.form_processing import FormInvalid
from bots.form_processing import activities as forms
from rpa.activities import registry_for
from rpa.documents import DocumentRejected


def test_forms_activities_register_for_flows_using_the_package() -> None:
    registry = registry_for(["bots.form_processing"])
    assert {"forms.classify", "forms.extract", "forms.validate"} <= set(registry.names())
    assert registry.get("forms.extract").params["threshold"].type_name == "float"


def test_forms_extract_returns_json_in_the_documented_shape(sample: Path) -> None:
    result = forms.extract(sample / "health_declaration-001-digital.pdf")
    json.dumps(result, ensure_ascii=False)
    assert {"file", "form_type", "pages", "fields"} <= result.keys()
    assert {"key", "value", "confidence", "page", "key_box", "value_box", "source"} <= \
        result["fields"][0].keys()


def test_forms_validate_raises_business_error_listing_problems(sample: Path) -> None:
    result = forms.extract(sample / "licence_application-002-digital.pdf")  # no declaration
    with pytest.raises(FormInvalid, match="declaration: the box is not ticked"):
        forms.validate(result)


def test_forms_validate_passes_values_and_review_list(sample: Path) -> None:
    checked = forms.validate(forms.extract(sample / "change_of_address-000-digital.pdf"))
    assert checked["needs_review"] is False and checked["values"]["signature"] is True


def test_forms_classify_scores_templates(sample: Path) -> None:
    found = forms.classify(sample / "change_of_address-000-digital.pdf")
    assert found["form_type"] == "change_of_address" and found["score"] == 1.0


def test_forms_extract_rejects_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7\n%%EOF")
    with pytest.raises(DocumentRejected, match="scan.pdf: corrupt PDF"):
        forms.extract(path)


def test_forms_extract_saves_page_images_matching_the_boxes(sample: Path, tmp_path: Path) -> None:
    from PIL import Image

    result = forms.extract(sample / "licence_application-002-scan.pdf", images_dir=tmp_path)
    [image] = result["images"]
    hkid = next(f for f in result["fields"] if f["key"] == "hkid")
    with Image.open(image["path"]) as img:
        x0, top, x1, bottom = (v * image["scale"] for v in hkid["value_box"])
        assert 0 <= x0 < x1 <= img.width and 0 <= top < bottom <= img.height
        crop = img.convert("L").crop((int(x0), int(top), int(x1), int(bottom)))
        assert crop.getextrema()[0] < 100  # the box holds ink: the value is really there


def test_forms_validate_rejects_a_file_that_is_not_a_form(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from bots.form_processing import UnknownForm

    path = tmp_path / "minutes.pdf"
    c = Canvas(str(path))
    c.drawString(72, 760, "Minutes of the meeting held on Monday. The committee agreed to")
    c.drawString(72, 740, "review the opening hours of the public library next month.")
    c.save()
    with pytest.raises(UnknownForm, match="minutes.pdf: not a form we know"):
        forms.validate(forms.extract(path))
