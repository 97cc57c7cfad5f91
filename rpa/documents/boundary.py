"""The one place where pdfplumber, pdfminer, pypdfium2, Pillow and Tesseract exceptions
become SmartLab errors: bad files are BusinessErrors, broken machinery ApplicationErrors.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from rpa.errors import ApplicationError, BusinessError


class DocumentRejected(BusinessError):
    """The file cannot be read as a document: corrupt, encrypted, empty, too big, not a PDF."""


class ReaderFailed(ApplicationError):
    """The reading machinery failed (Tesseract missing or crashed, out of memory, I/O)."""


def _pdf_reason(exc: BaseException) -> str:
    """A one-line reason for a pdfminer failure, chosen by the type of its cause."""
    cause = getattr(exc, "args", [None])[0] if exc.args else exc
    name = type(cause).__name__ if isinstance(cause, BaseException) else type(exc).__name__
    for key, reason in _PDF_REASONS.items():
        if key in name:
            return reason
    return f"corrupt PDF ({cause or name})"


_PDF_REASONS: dict[str, str] = {
    "PDFPassword": "encrypted PDF: it needs a password to open",
    "PDFEncryption": "encrypted PDF: its encryption is not supported",
    "PSEOF": "corrupt PDF: the file ends unexpectedly (truncated?)",
    "PDFSyntaxError": "corrupt PDF: not a valid PDF structure",
}


@contextmanager
def pdf_errors(path: Path) -> Iterator[None]:
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException
    from pypdfium2 import PdfiumError

    try:
        yield
    except PdfminerException as exc:
        raise DocumentRejected(f"{path.name}: {_pdf_reason(exc)}") from exc
    except PDFPasswordIncorrect as exc:
        raise DocumentRejected(f"{path.name}: {_PDF_REASONS['PDFPassword']}") from exc
    except (PSException, PdfiumError) as exc:
        raise DocumentRejected(f"{path.name}: corrupt PDF ({exc})") from exc
    except MemoryError as exc:
        raise ReaderFailed(f"{path.name}: out of memory while reading the PDF") from exc
    except (KeyError, ValueError, TypeError, AssertionError, IndexError) as exc:
        # pdfminer surfaces many malformed-object cases as plain Python errors
        raise DocumentRejected(f"{path.name}: corrupt PDF ({type(exc).__name__}: {exc})") from exc


@contextmanager
def image_errors(path: Path) -> Iterator[None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        reason = "image too large (possible decompression bomb)"
        raise DocumentRejected(f"{path.name}: {reason}") from exc
    except UnidentifiedImageError as exc:
        raise DocumentRejected(f"{path.name}: not a PDF or a readable image") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise DocumentRejected(f"{path.name}: corrupt image ({exc})") from exc
    except MemoryError as exc:
        raise ReaderFailed(f"{path.name}: out of memory while decoding the image") from exc


@contextmanager
def tesseract_errors() -> Iterator[None]:
    import pytesseract

    try:
        yield
    except pytesseract.TesseractNotFoundError as exc:
        raise ReaderFailed("Tesseract is not installed or not on PATH") from exc
    except pytesseract.TesseractError as exc:
        raise ReaderFailed(f"Tesseract failed: {exc.message or exc.status}") from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise ReaderFailed(f"Tesseract did not finish: {exc}") from exc


def check_pixels(path: Path, width: float, height: float) -> None:
    """Refuse a page that would render beyond the pixel limit (an image bomb)."""
    from rpa.documents.limits import max_pixels

    limit = max_pixels()
    if limit and width * height > limit:
        raise DocumentRejected(
            f"{path.name}: page would be {int(width)}x{int(height)} pixels, "
            f"over the limit of {limit}")
