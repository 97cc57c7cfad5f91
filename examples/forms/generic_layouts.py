"""Sections of a generic form page: colon lists, ruled grids with labels inside cells,
label | value tables, list tables (one header, many values), tick-box questions, labels above
values, blank labels and instructions. Each draws on a Canvas and records its truth pairs."""

from __future__ import annotations

import random
from dataclasses import dataclass

from generic_page import Canvas, Pen, union
from generic_vocab import BLANK_LABELS, FIELDS, QUESTIONS, TABLES, value

LEFT, RIGHT = 50.0, 545.0


@dataclass
class Style:
    lang: str  # en, zh or bi
    label: Pen
    label_zh: Pen
    hand: Pen
    hand_zh: Pen
    colon: str  # "", ":" or "："
    rng: random.Random

    def label_text(self, en: str, zh: str) -> tuple[str, list[str], Pen]:
        text = {"en": en, "zh": zh, "bi": f"{en} {zh}"}[self.lang]
        alts = {"en": [en], "zh": [zh], "bi": [text, en, zh]}[self.lang]
        colon = ":" if self.lang == "en" and self.colon else self.colon  # no "：" in DejaVu
        return text + colon, alts, (self.label if self.lang == "en" else self.label_zh)

    def zh_value(self) -> bool:
        return self.lang == "zh" or (self.lang == "bi" and self.rng.random() < 0.4)

    def value_pen(self, text: str) -> Pen:
        return self.hand_zh if any(ord(c) > 0x2E80 for c in text) else self.hand


def _fields(style: Style, count: int) -> list[tuple[str, str, str]]:
    return style.rng.sample(FIELDS, count)


def _value_lines(style: Style, kind: str) -> list[str]:
    made = value(kind, style.rng, style.zh_value())
    return made if isinstance(made, list) else [made]


def _write_value(cv: Canvas, style: Style, x: float, y: float, lines: list[str],
                 leading: float) -> tuple[float, float, float, float]:
    boxes = [cv.text(x, y + n * leading, line, style.value_pen(line))
             for n, line in enumerate(lines)]
    return union(boxes)


def colon_list(cv: Canvas, style: Style, y: float) -> float:
    """Label: value lines in one or two columns; values on underlines; some left blank."""
    columns = style.rng.choice([1, 2])
    width = (RIGHT - LEFT) / columns
    rows = style.rng.randint(3, 6)
    column = style.rng.random() < 0.5  # values start at one x, well right of the longest label
    fields = _fields(style, rows * columns)
    label_width = max(cv.width(style.label_text(en, zh)[0], style.label_text(en, zh)[2])
                      for en, zh, _ in fields)
    for n, (en, zh, kind) in enumerate(fields):
        x, top = LEFT + (n % columns) * width, y + (n // columns) * 30
        text, alts, pen = style.label_text(en, zh)
        label_box = cv.text(x, top, text, pen)
        start = x + (label_width + 30 if column else cv.width(text, pen) + 6)
        if columns == 1 or kind != "address":
            cv.hline(start, x + width - 10, top + pen.size + 3, 0.5)
        if style.rng.random() < 0.12:
            continue  # a label left without an answer
        lines = _value_lines(style, kind)[:1] if columns == 2 else _value_lines(style, kind)
        box = _write_value(cv, style, start + 4, top - 3, lines, 15)
        cv.pair(text, alts, " ".join(lines), label_box, box)
    return y + rows * 30 + (15 if columns == 1 else 0) + 10


def grid(cv: Canvas, style: Style, y: float) -> float:
    """A ruled grid; each cell has a small label at its top-left and the value below it."""
    rows, height = style.rng.randint(2, 4), 38.0
    fields = iter(_fields(style, rows * 3))
    for r in range(rows):
        cells = style.rng.choice([2, 3])
        width = (RIGHT - LEFT) / cells
        for c in range(cells):
            x0, y0 = LEFT + c * width, y + r * height
            cv.rect(x0, y0, x0 + width, y0 + height)
            en, zh, kind = next(fields)
            text, alts, pen = style.label_text(en, zh)
            small = Pen(pen.role, pen.choice, pen.size * 0.85)
            label_box = cv.text(x0 + 3, y0 + 2, text.rstrip(":："), small)
            if style.rng.random() < 0.1:
                continue
            lines = _value_lines(style, kind)[:1]
            box = _write_value(cv, style, x0 + 8, y0 + 15, lines, 14)
            cv.pair(text.rstrip(":："), alts, lines[0], label_box, box)
    return y + rows * height + 14


def kv_table(cv: Canvas, style: Style, y: float) -> float:
    """Two ruled columns: label cell (sometimes shaded) | value cell, values up to two lines."""
    split = LEFT + style.rng.uniform(150, 210)
    shade = style.rng.choice([None, 225])
    for en, zh, kind in _fields(style, style.rng.randint(3, 6)):
        lines = _value_lines(style, kind)
        height = 10 + 16 * len(lines)
        cv.rect(LEFT, y, split, y + height, fill=shade)
        cv.rect(split, y, RIGHT, y + height)
        text, alts, pen = style.label_text(en, zh)
        label_box = cv.text(LEFT + 4, y + 5, text.rstrip(":："), pen)
        if style.rng.random() < 0.1:
            y += height
            continue
        box = _write_value(cv, style, split + 6, y + 3, lines, 16)
        cv.pair(text.rstrip(":："), alts, " ".join(lines), label_box, box)
        y += height
    return y + 14


def list_table(cv: Canvas, style: Style, y: float) -> float:
    """A header row and several rows of values: each filled cell pairs with its header."""
    columns = style.rng.choice(TABLES)
    rows = style.rng.randint(2, 4)
    width = (RIGHT - LEFT) / len(columns)
    heads = []
    for c, (en, zh, _) in enumerate(columns):
        text, alts, pen = style.label_text(en, zh)
        cv.rect(LEFT + c * width, y, LEFT + (c + 1) * width, y + 20, fill=235)
        heads.append((text.rstrip(":："), alts, cv.text(LEFT + c * width + 4, y + 5,
                                                       text.rstrip(":："), pen)))
    for r in range(rows):
        top = y + 20 + r * 22
        for c, (_, _, kind) in enumerate(columns):
            cv.rect(LEFT + c * width, top, LEFT + (c + 1) * width, top + 22)
            if style.rng.random() < 0.08:
                continue
            line = _value_lines(style, kind)[0]
            box = _write_value(cv, style, LEFT + c * width + 6, top + 2, [line], 14)
            cv.pair(heads[c][0], heads[c][1], line, heads[c][2], box)
    return y + 20 + rows * 22 + 14


def ticks(cv: Canvas, style: Style, y: float) -> float:
    """Questions answered by ticking boxes; each ticked option is an answer (several allowed)."""
    for en, zh, options in style.rng.sample(QUESTIONS, style.rng.randint(1, 3)):
        text, alts, pen = style.label_text(en, zh)
        label_box = cv.text(LEFT, y, text, pen)
        x = LEFT + max(cv.width(text, pen) + 14, 150)
        several = len(options) > 2 and style.rng.random() < 0.4
        chosen = set(style.rng.sample(range(len(options)), 2 if several else 1))
        for n, (o_en, o_zh) in enumerate(options):
            option = {"en": o_en, "zh": o_zh, "bi": f"{o_en} {o_zh}"}[style.lang]
            cv.tick_box(x, y + 1, pen.size, n in chosen)
            box = cv.text(x + pen.size + 4, y, option, pen)
            if n in chosen:
                cv.pair(text.rstrip(":："), alts, option, label_box, box)
            x += pen.size + 16 + cv.width(option, pen)
        y += 24
    return y + 8


def above(cv: Canvas, style: Style, y: float) -> float:
    """Labels above their values, two per row, values written on a line below the label."""
    fields = _fields(style, 2 * style.rng.randint(1, 3))
    for n, (en, zh, kind) in enumerate(fields):
        x, top = LEFT + (n % 2) * 250, y + (n // 2) * 44
        text, alts, pen = style.label_text(en, zh)
        label_box = cv.text(x, top, text.rstrip(":："), pen)
        cv.hline(x, x + 230, top + 36, 0.5)
        if style.rng.random() < 0.1:
            continue
        line = _value_lines(style, kind)[0]
        box = _write_value(cv, style, x + 4, top + 17, [line], 14)
        cv.pair(text.rstrip(":："), alts, line, label_box, box)
    return y + (len(fields) // 2) * 44 + 10


def blanks(cv: Canvas, style: Style, y: float) -> float:
    """Labels nobody filled in (signature, office use): no pairs, only distractors."""
    for n, (en, zh) in enumerate(style.rng.sample(BLANK_LABELS, 2)):
        text, _, pen = style.label_text(en, zh)
        cv.text(LEFT + n * 250, y, text, pen)
        cv.hline(LEFT + n * 250, LEFT + n * 250 + 220, y + 34, 0.5)
    return y + 48


NOTES = {"en": "Please complete this form in BLOCK LETTERS and return it to the counter.",
         "zh": "請用正楷填寫本表格，並交回櫃位。",
         "bi": "Please complete in BLOCK LETTERS. 請用正楷填寫。"}


def note(cv: Canvas, style: Style, y: float) -> float:
    pen = style.label if style.lang == "en" else style.label_zh
    cv.text(LEFT, y, NOTES[style.lang], Pen(pen.role, pen.choice, pen.size * 0.9))
    return y + 22


SECTIONS = [colon_list, grid, kv_table, list_table, ticks, above]
