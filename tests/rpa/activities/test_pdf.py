from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from rpa.activities import Context, builtin_registry
from rpa.activities import pdf as pdf_activities
from rpa.artifacts import run_folder
from rpa.documents import DocumentRejected
from rpa.errors import BusinessError
from tests.support.roots import HOSTILE, RUN_ID, Roots, declare

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "forms" / "sample"
DIGITAL = SAMPLE / "licence_application-002-digital.pdf"
SCAN = SAMPLE / "health_declaration-001-scan.pdf"


CTX = Context(run_id=RUN_ID, flow="f", state="s", step=0)


@pytest.fixture(autouse=True)
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Roots:
    """Declared roots: the samples are read from the read-only `examples` root."""
    return declare(tmp_path, monkeypatch, DIGITAL)


def _truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["fields"]


def test_pdf_activities_are_builtins_with_typed_params() -> None:
    registry = builtin_registry()
    for name in ("pdf.words", "pdf.text", "pdf.tables", "pdf.render", "pdf.read"):
        assert registry.get(name) is not None, name
    assert registry.get("pdf.render").params["dpi"].type_name == "int"


def test_pdf_words_gives_boxes_in_points_on_the_page() -> None:
    [page] = pdf_activities.words(CTX, DIGITAL)
    assert page["unit"] == "pt" and page["source"] == "text"
    hkid = next(w for w in page["words"] if w["text"] == _truth(DIGITAL)["hkid"])
    x0, top, x1, bottom = hkid["box"]
    assert 0 < x0 < x1 < page["width"] and 0 < top < bottom < page["height"]
    json.dumps(page)  # results must be JSON-serialisable


def test_pdf_text_contains_both_languages() -> None:
    text = pdf_activities.text(CTX, DIGITAL)
    assert "Name of Applicant" in text and "申請人姓名" in text


def test_pdf_tables_finds_the_ruled_form_table() -> None:
    tables = pdf_activities.tables(CTX, DIGITAL)
    cells = [cell for t in tables for row in t["rows"] for cell in row]
    assert any("HKID" in c for c in cells)
    assert any(_truth(DIGITAL)["hkid"] in c for c in cells)


def test_pdf_render_writes_one_image_per_page_at_dpi(roots: Roots) -> None:
    [out] = pdf_activities.render(CTX, roots.box / DIGITAL.name, roots.box / "pages", dpi=72)
    with Image.open(out) as img:
        assert img.size == pytest.approx((595, 842), abs=2)


def test_pdf_read_routes_scan_pages_to_ocr() -> None:
    [page] = pdf_activities.read(CTX, SCAN, lang="eng")
    assert page["source"] == "ocr" and page["words"]


@pytest.mark.parametrize("activity", [pdf_activities.text, pdf_activities.words,
                                      pdf_activities.tables])
def test_pdf_activities_reject_a_non_pdf(roots: Roots, activity) -> None:
    note = roots.box / "note.pdf"
    note.write_text("hello", encoding="utf-8")
    with pytest.raises(DocumentRejected, match="not a PDF"):
        activity(CTX, note)


READERS = {"pdf.words": pdf_activities.words, "pdf.text": pdf_activities.text,
           "pdf.tables": pdf_activities.tables, "pdf.read": pdf_activities.read,
           "pdf.render": lambda ctx, path: pdf_activities.render(ctx, path, run_folder(ctx.run_id))}


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("name", sorted(READERS))
def test_pdf_activities_refuse_a_path_leaving_the_roots(roots: Roots, name: str, case: str) -> None:
    path, says = roots.hostile(case, DIGITAL.name)
    with pytest.raises(BusinessError, match=says):
        READERS[name](CTX, path)


def test_pdf_render_refuses_an_output_folder_outside_the_roots(roots: Roots) -> None:
    with pytest.raises(BusinessError, match=r"outside the declared roots \(roots: "):
        pdf_activities.render(CTX, DIGITAL, roots.outside / "pages")
    assert not (roots.outside / "pages").exists()


def test_pdf_render_refuses_an_output_folder_in_a_read_only_root(roots: Roots) -> None:
    with pytest.raises(BusinessError, match="in the read-only root .*examples"):
        pdf_activities.render(CTX, DIGITAL, DIGITAL.parent / "pages")
