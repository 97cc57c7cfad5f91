"""A page canvas in points over a Pillow image at a chosen dpi: printed and handwriting-like
fonts, ruled lines, tick boxes, and the truth pairs (label, value, boxes) drawn on it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

A4 = (595.0, 842.0)  # points
FONTS = {  # role -> [(file, index)]; every one comes from a Debian package (scripts/setup.sh)
    "print": [("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
              ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 0)],
    "print_zh": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 3),
                 ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 3)],
    "hand": [("/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf", 0),
             ("/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf", 0),
             ("/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf", 0)],
    "hand_zh": [("/usr/share/fonts/truetype/arphic/ukai.ttc", 2)],
}
Box = tuple[float, float, float, float]


@lru_cache(maxsize=64)
def _font(path: str, index: int, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px, index=index)


@dataclass
class Pen:
    role: str  # a key of FONTS
    choice: int  # which font of the role
    size: float  # points
    ink: tuple[int, int, int] = (0, 0, 0)


@dataclass
class Canvas:
    dpi: int
    image: Image.Image = field(init=False)
    pairs: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (self.px(A4[0]), self.px(A4[1])), "white")
        self.draw = ImageDraw.Draw(self.image)

    def px(self, pt: float) -> int:
        return round(pt * self.dpi / 72)

    def font(self, pen: Pen) -> ImageFont.FreeTypeFont:
        fonts = FONTS[pen.role]
        path, index = fonts[pen.choice % len(fonts)]
        return _font(path, index, self.px(pen.size))

    def width(self, text: str, pen: Pen) -> float:
        return self.font(pen).getlength(text) * 72 / self.dpi

    def text(self, x: float, y: float, text: str, pen: Pen) -> Box:
        """Draw `text` with its top-left at (x, y) points; its ink box in pixels."""
        font = self.font(pen)
        self.draw.text((self.px(x), self.px(y)), text, font=font, fill=pen.ink)
        return self.draw.textbbox((self.px(x), self.px(y)), text, font=font)

    def hline(self, x0: float, x1: float, y: float, weight: float = 0.8) -> None:
        self.draw.line([(self.px(x0), self.px(y)), (self.px(x1), self.px(y))], fill="black",
                       width=max(1, self.px(weight)))

    def vline(self, x: float, y0: float, y1: float, weight: float = 0.8) -> None:
        self.draw.line([(self.px(x), self.px(y0)), (self.px(x), self.px(y1))], fill="black",
                       width=max(1, self.px(weight)))

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: int | None = None) -> None:
        self.draw.rectangle([self.px(x0), self.px(y0), self.px(x1), self.px(y1)],
                            outline="black", width=max(1, self.px(0.8)),
                            fill=(fill, fill, fill) if fill is not None else None)

    def tick_box(self, x: float, y: float, size: float, ticked: bool) -> None:
        self.rect(x, y, x + size, y + size)
        if ticked:
            pts = [(x + size * 0.15, y + size * 0.5), (x + size * 0.4, y + size * 0.85),
                   (x + size * 1.05, y - size * 0.15)]
            self.draw.line([(self.px(a), self.px(b)) for a, b in pts], fill=(20, 20, 120),
                           width=max(2, self.px(1.4)))

    def pair(self, label: str, alts: list[str], value: str, label_box: Box,
             value_box: Box) -> None:
        self.pairs.append({"label": label, "alts": alts, "value": value,
                           "label_box": [round(v) for v in label_box],
                           "value_box": [round(v) for v in value_box]})


def union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def rotate_box(box: Box, angle: float, size: tuple[int, int]) -> Box:
    """The box's bounding box after Pillow's `rotate(angle)` about the image centre."""
    cx, cy = size[0] / 2, size[1] / 2
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
    moved = [(cx + (x - cx) * c + (y - cy) * s, cy - (x - cx) * s + (y - cy) * c)
             for x, y in corners]
    return (min(p[0] for p in moved), min(p[1] for p in moved),
            max(p[0] for p in moved), max(p[1] for p in moved))
