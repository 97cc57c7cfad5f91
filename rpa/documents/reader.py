"""Page routing: each page is read from its text layer when that holds usable text, and by
OCR otherwise (scans, image files, pages whose fonts lack a Unicode map).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from PIL import Image

from rpa.documents import images, limits, pdf, preprocess, tesseract
from rpa.documents.boundary import DocumentRejected
from rpa.documents.model import Page, Word

Mode = Literal["auto", "text", "ocr"]
RENDER_DPI = 300  # PDF pages routed to OCR are rendered at this resolution
INK_DPI = 100  # text-layer pages are rendered at this resolution only to measure ink


@dataclass(frozen=True)
class ReadOptions:
    mode: Mode = "auto"
    lang: str = tesseract.DEFAULT_LANG
    psm: int = tesseract.DEFAULT_PSM
    steps: frozenset[str] = preprocess.ALL_STEPS
    dpi: int = preprocess.TARGET_DPI  # OCR reads pages resized (PDF pages rendered) to this
    max_pages: int | None = None  # None: SMARTLAB_DOC_MAX_PAGES
    pages: tuple[int, ...] = ()  # 1-based page numbers; empty means all
    engine: str | None = None  # "api" or "cli"; None: SMARTLAB_OCR_ENGINE


def read_document(path: Path, options: ReadOptions = ReadOptions()) -> list[Page]:
    """Every page of a PDF or image file as words with boxes, routed per page."""
    path = Path(path)
    if not path.is_file():
        raise DocumentRejected(f"{path.name}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise DocumentRejected(f"{path.name}: the file is empty")
    if size > limits.max_bytes():
        raise DocumentRejected(f"{path.name}: {size / 2**20:.0f} MB, more than the "
                               f"{limits.max_bytes() // 2**20} MB allowed")
    if pdf.is_pdf(path):
        return _read_pdf(path, options)
    if options.mode == "text":
        raise DocumentRejected(f"{path.name}: an image has no text layer")
    return _read_images(path, options)


def _read_pdf(path: Path, options: ReadOptions) -> list[Page]:
    with pdf.open_pdf(path, options.max_pages or limits.max_pages()) as doc:
        return [_read_pdf_page(path, p, n, options) for n, p in enumerate(doc.pages, 1)
                if not options.pages or n in options.pages]


def _read_pdf_page(path: Path, page: Any, number: int, options: ReadOptions) -> Page:
    use_text = options.mode == "text" or (options.mode == "auto" and pdf.has_usable_text(page))
    if use_text:
        return Page(number, float(page.width), float(page.height), "text", pdf.page_words(page),
                    render=partial(_render_for_ink, path, number))
    # rendered at 300 dpi and resized by the clean-up: rendering a 150 dpi scan at 200 dpi
    # (or at its own resolution, upscaled after clean-up) read the test scans worse
    return ocr_page(pdf.render(path, page, RENDER_DPI), RENDER_DPI, number, options)


def _render_for_ink(path: Path, number: int) -> tuple[Image.Image, float]:
    with pdf.open_pdf(path) as doc:
        return pdf.render(path, doc.pages[number - 1], INK_DPI), INK_DPI / 72


def _read_images(path: Path, options: ReadOptions) -> list[Page]:
    frames = images.load_pages(path, options.max_pages or limits.max_pages())
    return [ocr_page(img, dpi, n, options) for n, (img, dpi) in enumerate(frames, 1)
            if not options.pages or n in options.pages]


def ocr_page(image: Image.Image, dpi: float, number: int, options: ReadOptions) -> Page:
    """OCR one page image; boxes are in pixels of the deskewed page at its own resolution."""
    prepared = preprocess.prepare(image, dpi, options.steps, options.dpi)
    words = tesseract.recognise(prepared.ocr_image, options.lang, options.psm,
                                via=options.engine)
    scaled = [_unscale(w, prepared.scale) for w in words]
    page_image = prepared.page_image
    return Page(number, page_image.width, page_image.height, "ocr", scaled,
                rulings=prepared.rulings, cleaned=(prepared.ocr_image, prepared.scale),
                _image=(page_image, 1.0))


def _unscale(word: Word, scale: float) -> Word:
    if scale == 1.0:
        return word
    box = tuple(v / scale for v in word.box)
    return Word(word.text, box, word.conf, word.source)  # type: ignore[arg-type]
