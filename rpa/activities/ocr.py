"""Built-in `ocr.*` activities: Tesseract (eng + chi_tra) after page clean-up.

The path goes through `rpa.activities.roots` before anything is read: only files inside the
declared roots, never a quarantined one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rpa.activities import roots
from rpa.activities.context import Context
from rpa.activities.spec import activity

# rpa.documents (Tesseract, OpenCV, numpy) is imported by the call, not with the activity list.


@activity("ocr.read")
def read(ctx: Context, path: Path, lang: str = "eng+chi_tra", psm: int = 3, preprocess: bool = True,
         pages: list[int] | None = None) -> list[dict[str, Any]]:
    """Words with boxes (page pixels, after deskew) and confidences (0..1) per page.

    Works on scanned PDFs and image files (PNG, JPEG, TIFF). `preprocess` runs grayscale,
    upscale to ~300 dpi, deskew, denoise, binarise and ruled-line removal first.
    """
    from rpa.documents import ALL_STEPS, ReadOptions, read_document
    from rpa.documents.boundary import DocumentRejected

    path = roots.readable(path, ctx.run_id)
    if not lang.strip():
        raise DocumentRejected("no OCR language given")
    steps = ALL_STEPS if preprocess else frozenset({"grayscale"})
    options = ReadOptions(mode="ocr", lang=lang, psm=psm, steps=steps, pages=tuple(pages or ()))
    return [p.to_dict() for p in read_document(path, options)]


ACTIVITIES: list = [read]
