"""Built-in `pdf.*` activities: text-layer words, text, tables, page images, routed reading.

Every path a flow gives goes through `rpa.activities.roots` before the file is opened: a
document is read only inside the declared roots (never from a quarantine folder), and page
images are written only to a writable root.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from rpa.activities import roots
from rpa.activities.context import Context
from rpa.activities.spec import activity

# rpa.documents (pdfplumber, OpenCV, numpy) is imported by each call, not with the activity list.

ImageFormat = Literal["png", "jpeg"]


@activity("pdf.words")
def words(ctx: Context, path: Path, pages: list[int] | None = None) -> list[dict[str, Any]]:
    """Words of the text layer per page, boxes in PDF points (origin top-left)."""
    from rpa.documents import ReadOptions, read_document

    found = read_document(_require_pdf(ctx, path), ReadOptions(mode="text", pages=tuple(pages or ())))
    return [p.to_dict() for p in found]


@activity("pdf.text")
def text(ctx: Context, path: Path, pages: list[int] | None = None) -> str:
    """The text layer as plain text, pages separated by a form feed."""
    return "\f".join(_each_page(ctx, path, pages, lambda p: p.extract_text() or ""))


@activity("pdf.tables")
def tables(ctx: Context, path: Path, pages: list[int] | None = None) -> list[dict[str, Any]]:
    """Ruled tables found on each page, as rows of cell strings."""
    from rpa.documents import pdf as pdfdoc

    found = _each_page(ctx, path, pages, lambda p: [(p.page_number, t) for t in pdfdoc.page_tables(p)])
    return [{"page": n, "rows": rows} for page in found for n, rows in page]


@activity("pdf.render")
def render(ctx: Context, path: Path, out_dir: Path, dpi: int = 150, format: ImageFormat = "png",
           pages: list[int] | None = None) -> list[str]:
    """Each page as an image file in `out_dir` (`<name>-p<N>.<format>`); returns the paths."""
    from rpa.documents import pdf as pdfdoc

    path, folder = _require_pdf(ctx, path), roots.writable(out_dir, ctx.run_id)
    images = _each_page(ctx, path, pages, lambda p: (p.page_number, pdfdoc.render(path, p, dpi)))
    return [_save(img, folder / f"{path.stem}-p{n}.{format}", dpi) for n, img in images]


@activity("pdf.read")
def read(ctx: Context, path: Path, mode: Literal["auto", "text", "ocr"] = "auto", lang: str = "eng+chi_tra",
         pages: list[int] | None = None) -> list[dict[str, Any]]:
    """Words per page, each page from its text layer when usable and by OCR otherwise."""
    from rpa.documents import ReadOptions, read_document

    options = ReadOptions(mode=mode, lang=lang, pages=tuple(pages or ()))
    return [p.to_dict() for p in read_document(roots.readable(path, ctx.run_id), options)]


def _require_pdf(ctx: Context, path: Path) -> Path:
    from rpa.documents import pdf as pdfdoc
    from rpa.documents.boundary import DocumentRejected

    path = roots.readable(path, ctx.run_id)
    if not path.is_file():
        raise DocumentRejected(f"{path.name}: file not found")
    if not pdfdoc.is_pdf(path):
        raise DocumentRejected(f"{path.name}: not a PDF")
    return path


def _each_page(ctx: Context, path: Path, pages: list[int] | None, do: Any) -> list[Any]:
    from rpa.documents import pdf as pdfdoc

    path = _require_pdf(ctx, path)
    with pdfdoc.open_pdf(path) as doc, pdfdoc.pdf_errors(path):
        return [do(p) for n, p in enumerate(doc.pages, 1) if not pages or n in pages]


def _save(image: Any, target: Path, dpi: int) -> str:
    from rpa.documents.boundary import ReaderFailed

    try:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, dpi=(dpi, dpi))
    except OSError as exc:
        raise ReaderFailed(f"cannot write {target}: {exc}") from exc
    return str(target)


ACTIVITIES: list = [words, text, tables, render, read]
