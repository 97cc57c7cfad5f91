"""One form, end to end: read the pages, pick a template (or generic mode), extract, check."""

from __future__ import annotations

from pathlib import Path

from bots.form_processing.classify import MIN_SCORE, classify
from bots.form_processing.errors import FormInvalid
from bots.form_processing.extract import extract
from bots.form_processing.generic import key_values
from bots.form_processing.result import DEFAULT_THRESHOLD, FormResult
from bots.form_processing.template import get_template, templates
from rpa.documents import Page, ReadOptions, read_document

GENERIC = "unknown"
# Scanned pages are read in English only: half the cost of `eng+chi_tra`, and the template's
# English labels are enough to find its fields; values read poorly (Chinese ones) get a
# second look in `chi_tra` from their crops (reread.py). They are read at 240 dpi rather than
# 300: Tesseract's page pass costs about a third less, generic pairs were found as well or
# better, template fields as well; 200 dpi misread small labels (`HKID` as `HID`).
READ_OPTIONS = ReadOptions(lang="eng", dpi=240)
# A form known to have no template (`--generic`) is read at 220 dpi: its page pass and the
# Chinese second look's crops cost less; 200 dpi read `HKID` as `HID` again (docs/forms.md).
GENERIC_READ_OPTIONS = ReadOptions(lang="eng", dpi=220)


def process(path: Path, template: str | None = None, generic: bool = False,
            threshold: float = DEFAULT_THRESHOLD, options: ReadOptions | None = None,
            images_dir: Path | None = None) -> FormResult:
    """Read and extract one form; rejected files raise DocumentRejected (a BusinessError).

    With `images_dir`, each page image as read is saved there, so a reviewer sees the
    field boxes on the very image they were measured on (a scan's is deskewed).
    """
    path = Path(path)
    if options is None:
        options = GENERIC_READ_OPTIONS if generic else READ_OPTIONS
    pages = read_document(path, options)
    result = extract_pages(path.name, pages, template, generic, threshold)
    if images_dir is not None:
        result.images = save_page_images(pages, Path(images_dir), path.stem)
    return result


def save_page_images(pages: list[Page], folder: Path, stem: str) -> list[dict]:
    """Each page image as PNG: [{page, path, scale}], scale = image pixels per box unit."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for page in pages:
        image, scale = page.image()
        target = folder / f"{stem}-p{page.number}.png"
        image.save(target)
        saved.append({"page": page.number, "path": str(target), "scale": round(scale, 4)})
    return saved


def extract_pages(name: str, pages: list[Page], template: str | None = None,
                  generic: bool = False, threshold: float = DEFAULT_THRESHOLD) -> FormResult:
    chosen, score = _choose(pages, template, generic)
    if chosen is None:
        return FormResult(name, GENERIC, score, len(pages), key_values(pages), threshold=threshold)
    fields, problems = extract(pages, get_template(chosen))
    return FormResult(name, chosen, score, len(pages), fields, problems, threshold)


def _choose(pages: list[Page], template: str | None, generic: bool) -> tuple[str | None, float]:
    if generic:
        return None, 0.0
    if template:
        return get_template(template).form_type, 1.0
    ranked = classify(pages, templates())
    best, score = ranked[0] if ranked else (None, 0.0)
    return (best, score) if score >= MIN_SCORE else (None, score)


def check(result: FormResult) -> FormResult:
    """Raise FormInvalid when a confidently read field or a cross-field rule fails."""
    problems = result.invalid()
    if problems:
        raise FormInvalid(result.file, problems)
    return result
