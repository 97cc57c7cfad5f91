"""Drawing a filled form onto a reportlab canvas: header, rows of cells, boxes and ink."""

from __future__ import annotations

import random
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from specs import FormSpec, Row

FONT = "NotoHK"
PAGE_W, PAGE_H = 595.27, 841.89
LABEL, VALUE = 8.5, 10.5
INK = Color(0.05, 0.1, 0.45)  # values "typed" in dark blue, as many filled forms are
BOX = 9.0


@dataclass
class Cursor:
    canvas: Canvas
    rng: random.Random
    left: float
    right: float
    y: float
    above: bool  # labels above values (boxed style) rather than beside them

    @property
    def split(self) -> float:
        return self.left + (0 if self.above else 235)


def draw_form(c: Canvas, spec: FormSpec, filled: dict[str, object], rng: random.Random,
              above: bool) -> None:
    left = 48 + rng.uniform(-8, 8)
    cur = Cursor(c, rng, left, PAGE_W - 48 + rng.uniform(-6, 6), PAGE_H - 50, above)
    _header(cur, spec)
    for row in spec.rows:
        ROW_DRAWERS[row.kind](cur, row, filled.get(row.key))
    c.setFont(FONT, 7)
    c.setFillColorRGB(0, 0, 0)
    c.drawString(cur.left, 40, f"{spec.code} (Rev. {rng.randint(1, 12)}/20{rng.randint(18, 24)})")


def _header(cur: Cursor, spec: FormSpec) -> None:
    c, mid = cur.canvas, (cur.left + cur.right) / 2
    c.setFont(FONT, 9)
    c.drawCentredString(mid, cur.y, "香港特別行政區政府  The Government of the Hong Kong SAR")
    c.drawCentredString(mid, cur.y - 14, f"{spec.department[0]}  {spec.department[1]}")
    c.setFont(FONT, 14)
    c.drawCentredString(mid, cur.y - 38, spec.title[0])
    c.drawCentredString(mid, cur.y - 56, spec.title[1])
    c.setFont(FONT, 8)
    c.drawRightString(cur.right, cur.y + 14, f"Form No. 表格編號 {spec.code}")
    cur.y -= 80 + cur.rng.uniform(0, 12)


def _label(row: Row) -> str:
    return f"{row.en} {row.zh}"


def _cells(cur: Cursor, height: float, split: bool = True) -> None:
    c = cur.canvas
    c.setLineWidth(0.8)
    c.rect(cur.left, cur.y - height, cur.right - cur.left, height)
    if split and not cur.above:
        c.line(cur.split, cur.y, cur.split, cur.y - height)


def _text_lines(text: str, width: float) -> list[str]:
    """Wrap at spaces (or anywhere for Chinese) to fit `width` at the value size."""
    lines, line = [], ""
    for token in (text.split(" ") if " " in text else list(text)):
        trial = f"{line} {token}".strip() if " " in text else line + token
        if line and stringWidth(trial, FONT, VALUE) > width:
            lines.append(line)
            trial = token
        line = trial
    return [*lines, line] if line else lines


def _field(cur: Cursor, row: Row, value: object) -> None:
    text = str(value or "")
    width = cur.right - cur.split - 12
    lines = _text_lines(text, width) or [""]
    height = (16 if cur.above else 6) + 15 * len(lines) + cur.rng.uniform(4, 9)
    _cells(cur, height)
    c = cur.canvas
    c.setFont(FONT, LABEL)
    c.setFillColorRGB(0, 0, 0)
    c.drawString(cur.left + 5, cur.y - 12, _label(row))
    c.setFont(FONT, VALUE)
    c.setFillColor(INK)
    top = cur.y - (28 if cur.above else 13)
    for i, line in enumerate(lines):
        c.drawString(cur.split + 8, top - 15 * i, line)
    cur.y -= height


def _box(c: Canvas, x: float, y: float, ticked: bool) -> None:
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.8)
    c.rect(x, y, BOX, BOX)
    if ticked:
        c.setStrokeColor(INK)
        c.setLineWidth(1.6)
        c.line(x + 1.5, y + 1.5, x + BOX - 1.5, y + BOX - 1.5)
        c.line(x + 1.5, y + BOX - 1.5, x + BOX - 1.5, y + 1.5)
        c.setStrokeColorRGB(0, 0, 0)


def _choice(cur: Cursor, row: Row, value: object) -> None:
    height = (18 if cur.above else 6) + 16 * len(row.options) + 4
    _cells(cur, height)
    c = cur.canvas
    c.setFont(FONT, LABEL)
    c.drawString(cur.left + 5, cur.y - 12, _label(row))
    top = cur.y - (30 if cur.above else 15)
    for i, (key, en, zh) in enumerate(row.options):
        _box(c, cur.split + 8, top - 16 * i - 1, key == value)
        c.setFont(FONT, LABEL)
        c.drawString(cur.split + 8 + BOX + 5, top - 16 * i, f"{en} {zh}")
    cur.y -= height


def _checkbox(cur: Cursor, row: Row, value: object) -> None:
    height = 22
    _cells(cur, height, split=False)
    c = cur.canvas
    _box(c, cur.left + 8, cur.y - 15, bool(value))
    c.setFont(FONT, LABEL)
    c.drawString(cur.left + 8 + BOX + 5, cur.y - 14, _label(row))
    cur.y -= height


def _signature(cur: Cursor, row: Row, value: object) -> None:
    height = 46 if cur.above else 36
    _cells(cur, height)
    c = cur.canvas
    c.setFont(FONT, LABEL)
    c.drawString(cur.left + 5, cur.y - 12, _label(row))
    if value:
        _squiggle(cur, cur.split + 20, cur.y - height + 10)
    cur.y -= height


def _squiggle(cur: Cursor, x: float, y: float) -> None:
    c, rng = cur.canvas, cur.rng
    c.setStrokeColor(INK)
    c.setLineWidth(1.3)
    path = c.beginPath()
    path.moveTo(x, y + rng.uniform(2, 12))
    for i in range(rng.randint(3, 5)):
        x0 = x + 25 * i
        path.curveTo(x0 + 8, y + rng.uniform(14, 22), x0 + 16, y - rng.uniform(0, 4),
                     x0 + 25, y + rng.uniform(4, 14))
    c.drawPath(path, stroke=1, fill=0)
    c.setStrokeColorRGB(0, 0, 0)


def _section(cur: Cursor, row: Row, value: object) -> None:
    c = cur.canvas
    c.setFillColorRGB(0.88, 0.88, 0.88)
    c.rect(cur.left, cur.y - 18, cur.right - cur.left, 18, fill=1, stroke=1)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(FONT, 9.5)
    c.drawString(cur.left + 5, cur.y - 13, f"{row.en}    {row.zh}")
    cur.y -= 18


ROW_DRAWERS = {"field": _field, "choice": _choice, "checkbox": _checkbox,
               "signature": _signature, "section": _section}
