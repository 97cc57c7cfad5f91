from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.form_processing import FormInvalid
from bots.form_processing import activities as forms
from bots.form_processing.keying import create_case, find_case
from rpa.activities import Context, registry_for
from rpa.documents import DocumentRejected
from rpa.errors import BusinessError
from tests.support.roots import EXAMPLES, HOSTILE, RUN_ID, Roots, declare

CTX = Context(run_id=RUN_ID, flow="form_processing", state="extract", step=0)
DIGITAL = EXAMPLES / "forms" / "sample" / "change_of_address-000-digital.pdf"


@pytest.fixture(autouse=True)
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Roots:
    """Declared roots: the samples are read from the read-only `examples` root."""
    return declare(tmp_path, monkeypatch, DIGITAL)


def test_forms_activities_register_for_flows_using_the_package() -> None:
    registry = registry_for(["bots.form_processing"])
    assert {"forms.classify", "forms.extract", "forms.validate"} <= set(registry.names())
    assert registry.get("forms.extract").params["threshold"].type_name == "float"


def test_forms_extract_returns_json_in_the_documented_shape(sample: Path) -> None:
    result = forms.extract(CTX, sample / "health_declaration-001-digital.pdf")
    json.dumps(result, ensure_ascii=False)
    assert {"file", "form_type", "pages", "fields"} <= result.keys()
    assert {"key", "value", "confidence", "page", "key_box", "value_box", "source"} <= \
        result["fields"][0].keys()


def test_forms_validate_raises_business_error_listing_problems(sample: Path) -> None:
    result = forms.extract(CTX, sample / "licence_application-002-digital.pdf")  # no declaration
    with pytest.raises(FormInvalid, match="declaration: the box is not ticked"):
        forms.validate(result)


def test_forms_validate_passes_values_and_review_list(sample: Path) -> None:
    checked = forms.validate(forms.extract(CTX, sample / "change_of_address-000-digital.pdf"))
    assert checked["needs_review"] is False and checked["values"]["signature"] is True


def test_forms_classify_scores_templates(sample: Path) -> None:
    found = forms.classify(CTX, sample / "change_of_address-000-digital.pdf")
    assert found["form_type"] == "change_of_address" and found["score"] == 1.0


def test_forms_extract_rejects_unreadable_files(roots: Roots) -> None:
    path = roots.box / "scan.pdf"
    path.write_bytes(b"%PDF-1.7\n%%EOF")
    with pytest.raises(DocumentRejected, match="scan.pdf: corrupt PDF"):
        forms.extract(CTX, path)


def test_forms_extract_saves_page_images_matching_the_boxes(sample: Path, roots: Roots) -> None:
    from PIL import Image

    result = forms.extract(CTX, sample / "licence_application-002-scan.pdf", images_dir=roots.box / "images")
    [image] = result["images"]
    hkid = next(f for f in result["fields"] if f["key"] == "hkid")
    with Image.open(image["path"]) as img:
        x0, top, x1, bottom = (v * image["scale"] for v in hkid["value_box"])
        assert 0 <= x0 < x1 <= img.width and 0 <= top < bottom <= img.height
        crop = img.convert("L").crop((int(x0), int(top), int(x1), int(bottom)))
        assert crop.getextrema()[0] < 100  # the box holds ink: the value is really there


def test_forms_validate_rejects_a_file_that_is_not_a_form(roots: Roots) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from bots.form_processing import UnknownForm

    path = roots.box / "minutes.pdf"
    c = Canvas(str(path))
    c.drawString(72, 760, "Minutes of the meeting held on Monday. The committee agreed to")
    c.drawString(72, 740, "review the opening hours of the public library next month.")
    c.save()
    with pytest.raises(UnknownForm, match="minutes.pdf: not a form we know"):
        forms.validate(forms.extract(CTX, path))


READERS = {"forms.classify": forms.classify, "forms.extract": forms.extract,
           "case.find": lambda ctx, path: find_case(ctx, "http://127.0.0.1:9", "u", "p", "F-1", target=path),
           "case.create": lambda ctx, path: create_case(ctx, "http://127.0.0.1:9", "u", "p", {}, target=path)}


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("name", sorted(READERS))
def test_forms_activities_refuse_a_path_leaving_the_roots(roots: Roots, name: str, case: str) -> None:
    """Refused before anything is read or a browser is opened (the case system's URL is dead)."""
    path, says = roots.hostile(case, DIGITAL.name)
    with pytest.raises(BusinessError, match=says):
        READERS[name](CTX, path)


def test_forms_extract_reads_a_form_inside_a_writable_root(roots: Roots) -> None:
    assert forms.extract(CTX, roots.box / DIGITAL.name)["form_type"] == "change_of_address"


def test_forms_extract_refuses_page_images_outside_the_roots(roots: Roots) -> None:
    with pytest.raises(BusinessError, match=r"outside the declared roots \(roots: "):
        forms.extract(CTX, DIGITAL, images_dir=roots.outside / "images")
    assert not (roots.outside / "images").exists()
