from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from rpa.activities import Context, builtin_registry
from rpa.activities import ocr as ocr_activities
from rpa.activities.pdf import words as pdf_words
from rpa.documents import DocumentRejected
from rpa.documents import pdf as pdfdoc
from rpa.errors import BusinessError
from tests.support.roots import HOSTILE, RUN_ID, Roots, declare

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "forms" / "sample"
SCAN = SAMPLE / "change_of_address-000-scan.pdf"


CTX = Context(run_id=RUN_ID, flow="f", state="s", step=0)


@pytest.fixture(autouse=True)
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Roots:
    """Declared roots: the samples are read from the read-only `examples` root."""
    return declare(tmp_path, monkeypatch, SCAN)


def _truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["fields"]


def _found(pages: list[dict], values: list[str]) -> int:
    text = "".join(w["text"] for p in pages for w in p["words"])
    return sum(v.replace(" ", "") in text for v in values)


def test_ocr_read_is_a_builtin() -> None:
    assert builtin_registry().get("ocr.read") is not None


def test_ocr_read_returns_words_with_boxes_and_confidences() -> None:
    [page] = ocr_activities.read(CTX, SCAN)
    assert page["source"] == "ocr" and page["unit"] == "px"
    words = page["words"]
    assert all(0 <= w["conf"] <= 1 for w in words)
    assert all(0 <= w["box"][0] < w["box"][2] <= page["width"] for w in words)
    assert _found([page], [_truth(SCAN)["hkid"]]) == 1


def test_ocr_read_reads_traditional_chinese() -> None:
    [page] = ocr_activities.read(CTX, SAMPLE / "licence_application-002-scan.pdf")
    text = "".join(w["text"] for w in page["words"])
    assert "申請人姓名" in text


def _low_res_skewed_scan(tmp_path: Path, source: Path) -> Path:
    """A poor scan: 100 dpi, 3° skew, blurred, noisy, JPEG with no dpi in its header."""
    with pdfdoc.open_pdf(source) as doc:
        image = pdfdoc.render(source, doc.pages[0], 100)
    image = image.rotate(3.0, resample=Image.Resampling.BICUBIC, fillcolor=240)
    pixels = np.asarray(image.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32)
    pixels += np.random.default_rng(1).normal(0, 12, pixels.shape)
    path = tmp_path / "poor.png"
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(path)
    return path


def _recall(pages: list[dict], reference: set[str]) -> float:
    return len(reference & {w["text"] for p in pages for w in p["words"]}) / len(reference)


def test_ocr_read_preprocessing_reads_more_of_a_poor_scan(roots: Roots) -> None:
    source = SAMPLE / "licence_application-002-digital.pdf"
    reference = {w["text"] for p in pdf_words(CTX, source) for w in p["words"] if w["text"].isascii()}
    path = _low_res_skewed_scan(roots.box, source)
    raw = _recall(ocr_activities.read(CTX, path, lang="eng", preprocess=False), reference)
    cleaned = _recall(ocr_activities.read(CTX, path, lang="eng", preprocess=True), reference)
    assert cleaned > raw + 0.05, (raw, cleaned)


def test_ocr_read_rejects_an_empty_language() -> None:
    with pytest.raises(DocumentRejected, match="no OCR language"):
        ocr_activities.read(CTX, SCAN, lang=" ")



@pytest.mark.parametrize("case", HOSTILE)
def test_ocr_read_refuses_a_path_leaving_the_roots(roots: Roots, case: str) -> None:
    path, says = roots.hostile(case, SCAN.name)
    with pytest.raises(BusinessError, match=says):
        ocr_activities.read(CTX, path, lang="eng")


def test_ocr_read_reads_each_tiff_frame_as_a_page(roots: Roots) -> None:
    from PIL import ImageDraw

    frames = []
    for text in ("Page one A123456(3)", "Page two 9123 4567"):
        frame = Image.new("L", (1200, 200), 255)
        ImageDraw.Draw(frame).text((30, 60), text, fill=0, font_size=56)
        frames.append(frame)
    path = roots.box / "fax.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    pages = ocr_activities.read(CTX, path, lang="eng")
    assert [p["page"] for p in pages] == [1, 2]
    assert "A123456(3)" in [w["text"] for w in pages[0]["words"]]
    [second] = ocr_activities.read(CTX, path, lang="eng", pages=[2])
    assert [w["text"] for w in second["words"]][-2:] == ["9123", "4567"]
