"""Builders of the bad inputs every reader must reject with a one-line reason."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas


def encrypted(path: Path) -> Path:
    c = Canvas(str(path), encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(72, 700, "Application form")
    c.save()
    return path


def corrupt(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Catalog garbage\n%%EOF\n")
    return path


def truncated(path: Path) -> Path:
    full = path.with_name("full.pdf")
    pages(full, 3)
    path.write_bytes(full.read_bytes()[:800])
    return path


def zero_pages(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                     b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
                     b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return path


def pages(path: Path, count: int = 500) -> Path:
    c = Canvas(str(path))
    for n in range(count):
        c.drawString(72, 700, f"page {n + 1}")
        c.showPage()
    c.save()
    return path


def image_bomb(path: Path) -> Path:
    # 144 megapixels in a few kilobytes: over Pillow's default limit of about 89 megapixels
    Image.new("1", (12000, 12000), 1).save(path)
    return path


def huge_page(path: Path) -> Path:
    c = Canvas(str(path), pagesize=(14400, 14400))  # 200 inches square: a bomb once rendered
    c.rect(72, 72, 5000, 5000)  # no text: the page goes to OCR, which must render it
    c.showPage()
    c.save()
    return path


def not_a_form(path: Path) -> Path:
    path.write_text("Dear officer, please find my application attached.\n", encoding="utf-8")
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


# builder, file name, words the reason must contain
BAD_INPUTS = [
    (encrypted, "encrypted.pdf", "encrypted"),
    (corrupt, "corrupt.pdf", "corrupt"),
    (truncated, "truncated.pdf", "corrupt"),
    (zero_pages, "zero.pdf", "no pages"),
    (pages, "huge.pdf", "500 pages"),
    (image_bomb, "bomb.png", "too large"),
    (huge_page, "giant-page.pdf", "over the limit"),
    (not_a_form, "letter.txt", "not a PDF"),
    (empty, "empty.pdf", "empty"),
]
