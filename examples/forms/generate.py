"""Generate bilingual Hong Kong-style application forms with ground truth.

    python examples/forms/generate.py OUT_DIR [--count N] [--seed S] [--no-scans]

For each form: a digital PDF (`*-digital.pdf`, with a text layer), a scan of the same form
(`*-scan.pdf` or `.jpg`: rasterised at 150-300 dpi, rotated up to ±3°, blurred, noisy,
JPEG-compressed, no text layer) and the ground truth (`*.json`) with normalised values.
Some forms carry a deliberate flaw (wrong HKID check digit, unsigned, no declaration,
missing field), named in the truth's `flaws`, so validation has something to catch.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import draw  # noqa: E402
import fonts  # noqa: E402
import numpy as np  # noqa: E402
import values  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from specs import SPECS, FormSpec  # noqa: E402

FLAW_RATE = 0.15
SCAN_DPIS = (150, 200, 300)
FLAW_FIELDS = {"unsigned": "signature", "no_declaration": "declaration", "missing_phone": "phone"}


def register_font() -> None:
    if draw.FONT not in pdfmetrics.getRegisteredFontNames():
        ttf = fonts.cjk_ttf(values.CJK_TEXT + __import__("specs").LABEL_TEXT + "°／")
        pdfmetrics.registerFont(TTFont(draw.FONT, str(ttf)))


def fill(spec: FormSpec, rng: random.Random, lang: str) -> tuple[dict, dict, list[str]]:
    """(printed values, normalised truth, flaws) for one form."""
    printed, truth, facts = {}, {}, {}
    for row in spec.rows:
        if row.kind == "field":
            printed[row.key], truth[row.key] = row.make(rng, lang, facts)
        elif row.kind == "choice":
            printed[row.key] = truth[row.key] = rng.choice(row.options)[0]
        elif row.kind in ("checkbox", "signature"):
            ticked = row.key in ("declaration", "signature") or rng.random() < 0.3
            printed[row.key] = truth[row.key] = ticked
    flaws = _flaw(spec, rng, printed, truth) if rng.random() < FLAW_RATE else []
    return printed, truth, flaws


def _flaw(spec: FormSpec, rng: random.Random, printed: dict, truth: dict) -> list[str]:
    kind = rng.choice(["hkid_check_digit", "unsigned", "no_declaration", "missing_phone"])
    if kind == "hkid_check_digit":
        body, digit = truth["hkid"][:-3], truth["hkid"][-2]
        wrong = rng.choice([d for d in "0123456789" if d != digit])
        printed["hkid"] = truth["hkid"] = f"{body}({wrong})"
    else:
        key = FLAW_FIELDS[kind]
        printed[key] = truth[key] = "" if key == "phone" else False
    return [kind]


def digital_pdf(spec: FormSpec, printed: dict, rng: random.Random, above: bool) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(draw.PAGE_W, draw.PAGE_H), invariant=1)
    c.setTitle(spec.title[0])
    draw.draw_form(c, spec, printed, rng, above)
    c.showPage()
    c.save()
    return buf.getvalue()


def scan(pdf_bytes: bytes, rng: random.Random, dpi: int) -> tuple[Image.Image, float]:
    """A scanner's view of a printed page: rotated, blurred, noisy, JPEG-compressed."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0].to_image(resolution=dpi).original.convert("L")
    angle = round(rng.uniform(-3, 3), 2)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=rng.randint(235, 250))
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    pixels = np.asarray(page, dtype=np.float32)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(4, 12), pixels.shape)
    page = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), mode="L")
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=rng.randint(35, 70))
    return Image.open(io.BytesIO(buf.getvalue())), angle


def make_one(out: Path, index: int, form_type: str, rng: random.Random, scans: bool,
             dpis: tuple[int, ...] = SCAN_DPIS) -> list[Path]:
    spec, lang = SPECS[form_type], rng.choice(["en", "zh"])
    above = form_type == "change_of_address"
    printed, truth, flaws = fill(spec, rng, lang)
    pdf_bytes = digital_pdf(spec, printed, rng, above)
    stem = f"{form_type}-{index:03d}"
    written = [_write(out / f"{stem}-digital.pdf", pdf_bytes)]
    base = {"form_type": form_type, "lang": lang, "fields": truth, "flaws": flaws}
    written.append(_truth(out / f"{stem}-digital.json", {**base, "kind": "digital"}))
    if scans:
        dpi = rng.choice(dpis)
        image, angle = scan(pdf_bytes, rng, dpi)
        target = out / f"{stem}-scan.{'jpg' if rng.random() < 0.25 else 'pdf'}"
        extra = {"resolution": dpi} if target.suffix == ".pdf" else {"dpi": (dpi, dpi)}
        image.save(target, **extra)
        written.append(target)
        meta = {**base, "kind": "scan", "dpi": dpi, "angle": angle}
        written.append(_truth(out / f"{stem}-scan.json", meta))
    return written


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _truth(path: Path, data: dict) -> Path:
    data = {"file": path.with_suffix("").name, **data}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def generate(out: Path, count: int = 3, seed: int = 1, scans: bool = True,
             types: list[str] | None = None, dpis: tuple[int, ...] = SCAN_DPIS) -> list[Path]:
    """`count` forms, cycling through the form types; returns every file written."""
    register_font()
    out.mkdir(parents=True, exist_ok=True)
    rng, kinds = random.Random(seed), types or sorted(SPECS)
    return [p for i in range(count)
            for p in make_one(out, i, kinds[i % len(kinds)], rng, scans, dpis)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-scans", action="store_true")
    parser.add_argument("--type", action="append", choices=sorted(SPECS), dest="types")
    parser.add_argument("--dpi", action="append", type=int, dest="dpis",
                        help="scan resolutions to pick from (default 150, 200, 300)")
    args = parser.parse_args(argv)
    dpis = tuple(args.dpis or SCAN_DPIS)
    files = generate(args.out, args.count, args.seed, not args.no_scans, args.types, dpis)
    print(f"wrote {len(files)} files to {args.out}")


if __name__ == "__main__":
    main()
