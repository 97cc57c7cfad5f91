"""Documents: PDFs and page images read into words with boxes, one page at a time.

Each page is routed to its text layer when that holds usable text and to OCR otherwise
(pdfplumber for text, Tesseract after clean-up for images). Foreign exceptions are
translated once, in `boundary`:

    BusinessError (rpa.errors)
    └── DocumentRejected   corrupt, encrypted, empty, zero-page, too many pages, image bomb,
                           not a PDF or image: route it to quarantine, do not retry
    ApplicationError (rpa.errors)
    └── ReaderFailed       Tesseract missing or crashed, out of memory: retry per policy
"""

from rpa.documents.boundary import DocumentRejected, ReaderFailed
from rpa.documents.model import Page, Word
from rpa.documents.preprocess import ALL_STEPS, Prepared, Rulings, estimate_skew, prepare
from rpa.documents.reader import ReadOptions, ocr_page, read_document
from rpa.documents.tesseract import DEFAULT_LANG, recognise

__all__ = [
    "ALL_STEPS",
    "DEFAULT_LANG",
    "DocumentRejected",
    "Page",
    "Prepared",
    "ReadOptions",
    "ReaderFailed",
    "Rulings",
    "Word",
    "estimate_skew",
    "ocr_page",
    "prepare",
    "read_document",
    "recognise",
]
