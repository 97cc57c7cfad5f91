from __future__ import annotations

from pathlib import Path

import pytest

from rpa.documents import DocumentRejected, ReaderFailed, ReadOptions, read_document
from rpa.errors import ApplicationError, BusinessError
from tests.rpa.documents.bad_inputs import BAD_INPUTS


def test_read_document_routes_digital_pdf_to_text_layer(sample: Path) -> None:
    [page] = read_document(sample / "licence_application-002-digital.pdf")
    assert page.source == "text" and page.unit == "pt"
    assert "申請人姓名" in page.text() and "Applicant" in page.text()
    assert all(w.conf == 1.0 for w in page.words)


def test_read_document_routes_scan_to_ocr_with_confidences(sample: Path, truth: dict) -> None:
    [page] = read_document(sample / "change_of_address-000-scan.pdf")
    assert page.source == "ocr" and page.unit == "px"
    assert all(0 <= w.conf <= 1 for w in page.words)
    text = page.text().replace(" ", "")
    assert truth["change_of_address-000-scan"]["fields"]["hkid"] in text


def test_read_document_forced_text_mode_on_scan_finds_no_words(sample: Path) -> None:
    [page] = read_document(sample / "change_of_address-000-scan.pdf", ReadOptions(mode="text"))
    assert page.words == []


def test_read_document_text_page_renders_image_for_ink(sample: Path) -> None:
    [page] = read_document(sample / "health_declaration-001-digital.pdf")
    image, scale = page.image()
    assert image.width == pytest.approx(page.width * scale, abs=2)


@pytest.mark.parametrize(("build", "name", "reason"), BAD_INPUTS, ids=[b[1] for b in BAD_INPUTS])
def test_read_document_rejects_bad_input_with_one_line_reason(
        tmp_path: Path, build, name: str, reason: str) -> None:
    path = build(tmp_path / name)
    with pytest.raises(DocumentRejected) as info:
        read_document(path)
    message = str(info.value)
    assert isinstance(info.value, BusinessError)
    assert reason in message and name in message and "\n" not in message


def test_read_document_unknown_language_is_application_error(sample: Path) -> None:
    with pytest.raises(ReaderFailed) as info:
        read_document(sample / "change_of_address-000-scan.pdf", ReadOptions(lang="xxx"))
    assert isinstance(info.value, ApplicationError) and info.value.retryable
