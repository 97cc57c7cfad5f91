"""Generate scanned business forms unlike the shipped templates, with ground-truth pairs.

    python examples/forms/generic_forms.py OUT_DIR [--count 60] [--seed 13]

Each page (`generic-NNN.png`, 150-300 dpi) mixes sections from generic_layouts.py (colon lists,
ruled grids with labels in cells, label | value tables, list tables, tick boxes, labels
above values, blank labels) in English, Traditional Chinese or both, with printed labels and
handwriting-like values (Humor Sans, Comic Neue, Dancing Script, AR PL UKai), then stamps,
2-5 degree skew, and fax or scanner noise. `generic-NNN.json` holds the truth: every
(label, value) pair with boxes in the PNG's pixels; `alts` are the label's acceptable
readings (a bilingual label may be read in either language). Same seed, same pages.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from generic_layouts import SECTIONS, Style, blanks, note  # noqa: E402
from generic_page import FONTS, Canvas, Pen, rotate_box  # noqa: E402
from generic_vocab import TITLES  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

DPIS = (150, 200, 240, 300)
VERSION = 3  # bump when pages change, so cached sets are made again


def page(rng: random.Random, dpi: int) -> tuple[Image.Image, dict]:
    style = _style(rng)
    cv = Canvas(dpi)
    en, zh = rng.choice(TITLES)
    title = {"en": en, "zh": zh, "bi": f"{en} {zh}"}[style.lang]
    cv.text(50, 40, title, Pen("print_zh" if style.lang != "en" else "print", 0, 15))
    y = note(cv, style, 68)
    for section in rng.sample(SECTIONS, rng.randint(3, 4)):
        if y > 640:
            break
        y = section(cv, style, y + 6)
    if y < 740:
        blanks(cv, style, y + 6)
    image, angle = _scan(cv.image, rng, dpi)
    for p in cv.pairs:
        p["label_box"] = [round(v) for v in rotate_box(p["label_box"], angle, image.size)]
        p["value_box"] = [round(v) for v in rotate_box(p["value_box"], angle, image.size)]
    return image, {"dpi": dpi, "lang": style.lang, "skew": angle, "pairs": cv.pairs}


def _style(rng: random.Random) -> Style:
    lang = rng.choice(["en", "zh", "bi", "bi", "en"])
    size = rng.uniform(9.5, 11.5)
    typed = rng.random() < 0.3  # values typed, not handwritten
    hand = Pen("print" if typed else "hand", rng.randrange(3), size + (0 if typed else 2),
               (0, 0, 0) if typed else rng.choice([(20, 20, 110), (10, 10, 10)]))
    hand_zh = Pen("print_zh" if typed else "hand_zh", rng.randrange(2), size + 1, hand.ink)
    return Style(lang, Pen("print", rng.randrange(2), size), Pen("print_zh", rng.randrange(2), size),
                 hand, hand_zh, rng.choice(["", ":", ":", "："]), rng)


def _scan(image: Image.Image, rng: random.Random, dpi: int) -> tuple[Image.Image, float]:
    if rng.random() < 0.5:
        _stamp(image, rng, dpi)
    angle = rng.uniform(2, 5) * rng.choice([-1, 1])
    gray = image.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return (_fax(gray, rng) if rng.random() < 0.35 else _scanner(gray, rng)), round(angle, 2)


def _stamp(image: Image.Image, rng: random.Random, dpi: int) -> None:
    """A red rubber stamp (ring and words), partly over the form's text."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    r = dpi * rng.uniform(0.45, 0.7)
    cx, cy = rng.uniform(0.5, 0.85) * image.width, rng.uniform(0.15, 0.85) * image.height
    red = (200, 30, 40, 150)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=max(2, dpi // 40))
    path, index = FONTS["print_zh"][0]
    from PIL import ImageFont
    font = ImageFont.truetype(path, int(r / 3.2), index=index)
    for n, word in enumerate(rng.choice([["RECEIVED", "已收"], ["PAID", "已付"], ["COPY", "副本"]])):
        draw.text((cx, cy + (n - 0.5) * r * 0.55), word, font=font, fill=red, anchor="mm")
    layer = layer.rotate(rng.uniform(-25, 25), center=(cx, cy))
    image.paste(layer, (0, 0), layer)


def _scanner(gray: Image.Image, rng: random.Random) -> Image.Image:
    blurred = gray.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    pixels = np.asarray(blurred, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(4, 12), pixels.shape)
    return Image.fromarray(np.clip(pixels * rng.uniform(0.9, 1.0) + noise + 8, 0, 255).astype(np.uint8))


def _fax(gray: Image.Image, rng: random.Random) -> Image.Image:
    """Fax: half vertical resolution, hard threshold, speckles and streaks."""
    w, h = gray.size
    low = gray.resize((w, h // 2), Image.Resampling.BILINEAR).resize((w, h), Image.Resampling.NEAREST)
    ink = np.asarray(low) < rng.uniform(150, 190)
    noise = np.random.default_rng(rng.randrange(1 << 30))
    ink ^= noise.random(ink.shape) < 0.002
    for row in noise.integers(0, h, size=rng.randint(1, 4)):
        ink[row: row + 2, :] |= noise.random((min(2, h - row), w)) < 0.5
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))


def generate(folder: Path, count: int = 60, seed: int = 13) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    made = []
    for n in range(count):
        dpi = rng.choice(DPIS)
        image, truth = page(rng, dpi)
        target = folder / f"generic-{n:03d}.png"
        image.save(target, dpi=(dpi, dpi)) if rng.random() < 0.8 else image.save(target)
        target.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                               encoding="utf-8")
        made.append(target)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    made = generate(args.out, args.count, args.seed)
    print(f"{len(made)} pages in {args.out}")


if __name__ == "__main__":
    main()
