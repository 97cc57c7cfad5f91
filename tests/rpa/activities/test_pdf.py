from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from rpa.activities import builtin_registry
from rpa.activities import pdf as pdf_activities
from rpa.documents import DocumentRejected

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "forms" / "sample"
DIGITAL = SAMPLE / "licence_application-002-digital.pdf"
SCAN = SAMPLE / "health_declaration-001-scan.pdf"


def _truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["fields"]


def test_pdf_activities_are_builtins_with_typed_params() -> None:
    registry = builtin_registry()
    for name in ("pdf.words", "pdf.text", "pdf.tables", "pdf.render", "pdf.read"):
        assert registry.get(name) is not None, name
    assert registry.get("pdf.render").params["dpi"].type_name == "int"


def test_pdf_words_gives_boxes_in_points_on_the_page() -> None:
    [page] = pdf_activities.words(DIGITAL)
    assert page["unit"] == "pt" and page["source"] == "text"
    hkid = next(w for w in page["words"] if w["text"] == _truth(DIGITAL)["hkid"])
    x0, top, x1, bottom = hkid["box"]
    assert 0 < x0 < x1 < page["width"] and 0 < top < bottom < page["height"]
    json.dumps(page)  # results must be JSON-serialisable


def test_pdf_text_contains_both_languages() -> None:
    text = pdf_activities.text(DIGITAL)
    assert "Name of Applicant" in text and "申請人姓名" in text


def test_pdf_tables_finds_the_ruled_form_table() -> None:
    tables = pdf_activities.tables(DIGITAL)
    cells = [cell for t in tables for row in t["rows"] for cell in row]
    assert any("HKID" in c for c in cells)
    assert any(_truth(DIGITAL)["hkid"] in c for c in cells)


def test_pdf_render_writes_one_image_per_page_at_dpi(tmp_path: Path) -> None:
    [out] = pdf_activities.render(DIGITAL, tmp_path, dpi=72)
    with Image.open(out) as img:
        assert img.size == pytest.approx((595, 842), abs=2)


def test_pdf_read_routes_scan_pages_to_ocr() -> None:
    [page] = pdf_activities.read(SCAN, lang="eng")
    assert page["source"] == "ocr" and page["words"]


@pytest.mark.parametrize("activity", [pdf_activities.text, pdf_activities.words,
                                      pdf_activities.tables])
def test_pdf_activities_reject_a_non_pdf(tmp_path: Path, activity) -> None:
    note = tmp_path / "note.pdf"
    note.write_text("hello", encoding="utf-8")
    with pytest.raises(DocumentRejected, match="not a PDF"):
        activity(note)
