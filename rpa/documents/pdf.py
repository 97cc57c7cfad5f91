"""PDF pages through pdfplumber: open with limits, text-layer words, tables, rendering."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
from PIL import Image

from rpa.documents.boundary import DocumentRejected, check_pixels, pdf_errors

__all__ = ["MAX_PAGES", "has_usable_text", "is_pdf", "open_pdf", "page_tables", "page_words",
           "pdf_errors", "render"]
from rpa.documents.model import Word

MAX_PAGES = 100  # an application form is a few pages; hundreds means the wrong file
MIN_TEXT_CHARS = 20  # fewer real characters than this and the text layer is not usable
PDF_MAGIC = b"%PDF-"


def is_pdf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return PDF_MAGIC in fh.read(1024)


@contextmanager
def open_pdf(path: Path, max_pages: int = MAX_PAGES) -> Iterator[pdfplumber.PDF]:
    """An open PDF with at least one page and at most `max_pages`; bad files are rejected."""
    with pdf_errors(path):
        pdf = pdfplumber.open(path)
        try:
            _check_pages(path, len(pdf.pages), max_pages)
            yield pdf
        finally:
            pdf.close()


def _check_pages(path: Path, count: int, max_pages: int) -> None:
    if count == 0:
        raise DocumentRejected(f"{path.name}: the PDF has no pages")
    if count > max_pages:
        raise DocumentRejected(f"{path.name}: {count} pages, more than the {max_pages} allowed")


def page_words(page: Any) -> list[Word]:
    """Words of the text layer in PDF points, top-left origin; CID garbage dropped."""
    raw = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    return [Word(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]), 1.0, "text")
            for w in raw if "(cid:" not in w["text"]]


def has_usable_text(page: Any) -> bool:
    """True when the text layer holds enough real characters to trust over OCR."""
    text = "".join(c["text"] for c in page.chars if not c["text"].isspace())
    return len(text) - 5 * text.count("(cid:") >= MIN_TEXT_CHARS


def page_tables(page: Any) -> list[list[list[str]]]:
    return [[[cell or "" for cell in row] for row in table] for table in page.extract_tables()]


def render(path: Path, page: Any, dpi: float) -> Image.Image:
    """The page as a grayscale image at `dpi`; a page that would be an image bomb is refused."""
    zoom = dpi / 72
    check_pixels(path, float(page.width) * zoom, float(page.height) * zoom)
    with pdf_errors(path):
        return page.to_image(resolution=dpi).original.convert("L")
