"""Words and pages: what every reader returns, whichever route read the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from PIL import Image

from rpa.documents.preprocess import Rulings

Source = Literal["text", "ocr"]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom; origin top-left

UNITS: dict[str, str] = {"text": "pt", "ocr": "px"}


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    conf: float  # 0..1; the text layer is taken as certain
    source: Source = "text"

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def middle(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": [round(v, 1) for v in self.box],
                "conf": round(self.conf, 3), "source": self.source}


@dataclass
class Page:
    """One page: its words in page units (PDF points for text, image pixels for OCR).

    `image` is the page as read (deskewed, at `scale` pixels per page unit), rendered on first
    use for text-layer pages, so checkbox and signature ink can be measured on either route.
    """

    number: int
    width: float
    height: float
    source: Source
    words: list[Word]
    render: Callable[[], tuple[Image.Image, float]] | None = field(default=None, repr=False)
    rulings: Rulings = field(default_factory=Rulings, repr=False)  # OCR pages: page-image px
    # OCR pages: the cleaned image Tesseract read and its pixels per page unit (second looks)
    cleaned: tuple[Image.Image, float] | None = field(default=None, repr=False)
    _image: tuple[Image.Image, float] | None = field(default=None, repr=False)

    @property
    def unit(self) -> str:
        return UNITS[self.source]

    def image(self) -> tuple[Image.Image, float]:
        """The page image and its scale (image pixels per page unit)."""
        if self._image is None:
            if self.render is None:
                raise LookupError(f"page {self.number} has no image")
            self._image = self.render()
        return self._image

    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.number, "width": round(self.width, 1),
                "height": round(self.height, 1), "unit": self.unit, "source": self.source,
                "words": [w.to_dict() for w in self.words]}
