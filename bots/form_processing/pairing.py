"""Candidate label -> value pairs on one page, and the features that score them.

Every phrase that could be a label is offered the values layout allows: the next phrase on
its line (`right`), the nearest phrase below it (`below`; `cell` when both share a ruled
cell), every cell under it in its table column (`column`: one header, many values), and each
tick-box option to its right (`tick`). Each candidate gets a row of features (label looks,
value looks, geometry); pairing_model.json weighs them (bench/train_pairing.py fits it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from bots.form_processing.layout import norm
from bots.form_processing.phrases import Phrase, phrases
from bots.form_processing.tickboxes import TickBox, box_before, find_boxes, unboxed
from rpa.documents import Page

KINDS = ("right", "below", "cell", "column", "tick")
LABEL_WORDS = (  # words labels are made of, both languages (norm()-ed, substrings)
    "name", "date", "no", "number", "address", "tel", "phone", "mobile", "fax", "mail",
    "company", "occupation", "nationality", "reference", "ref", "account", "amount", "contact",
    "department", "position", "employer", "income", "passport", "vehicle", "licence", "license",
    "invoice", "branch", "district", "remark", "gender", "sex", "status", "method", "language",
    "signature", "item", "quantity", "price", "description", "age", "relationship", "title",
    "surname", "birth", "id", "code", "type", "total", "service", "purpose", "place", "time",
    "姓名", "日期", "地址", "電話", "號碼", "編號", "名稱", "性別", "國籍", "職業", "金額", "簽署",
    "部門", "職位", "聯絡", "傳真", "電郵", "出生", "項目", "數量", "單價", "說明", "年齡", "關係",
    "備註", "地區", "分行", "僱主", "收入", "護照", "牌照", "方式", "狀況", "語言", "服務", "日",
)
DIGIT = re.compile(r"\d")
LETTER = re.compile(r"[A-Za-z\u3400-\u9fff]")
BELOW_LINES = 2.6  # a value below its label starts within this many line heights
RIGHT_GAP = 30.0  # ... and one to its right within this many


@dataclass
class Candidate:
    label: Phrase
    value: list[Phrase]  # first phrase, then continuation lines
    kind: str
    skip: int = 0  # phrases passed over between label and value
    features: dict[str, float] = field(default_factory=dict)

    @property
    def value_text(self) -> str:
        return " ".join(p.text for p in self.value)


def candidates(page: Page) -> list[Candidate]:
    found, boxes = _with_boxes(page, phrases(page))
    lines: dict[int, list[Phrase]] = {}
    for p in found:
        lines.setdefault(p.line, []).append(p)
    out = []
    for p in found:
        if not _could_label(p):
            continue
        out += _right(p, lines, boxes) + _below(p, found, lines) + _column(p, found)
    for c in out:
        c.features = features(c, lines, boxes)
    return out


def _with_boxes(page: Page, found: list[Phrase]) -> tuple[list[Phrase], dict[int, TickBox]]:
    """Phrases with tick-box marks taken off, and the box each option phrase carries."""
    if not found:
        return [], {}
    ticks = find_boxes(page, median(p.height for p in found))
    out, boxes = [], {}
    for p in found:
        box = box_before(p, ticks)
        if box is not None:
            p = unboxed(p, box)
            boxes[id(p)] = box
        out.append(p)
    return out, boxes


def _could_label(p: Phrase) -> bool:
    return bool(LETTER.search(p.text)) and len(p.words) <= 8 and len(p.text) <= 50


def _right(p: Phrase, lines: dict[int, list[Phrase]], boxes: dict) -> list[Candidate]:
    """The next phrase on the line, and the one after it (past a misread half of a bilingual
    label); and every tick-box option on the line."""
    after = [q for q in lines[p.line] if q.box[0] > p.box[2] - 1]
    made = []
    for skip, q in enumerate(after[:2]):
        if q.box[0] - p.box[2] < RIGHT_GAP * p.height and id(q) not in boxes:
            made.append(Candidate(p, [q, *_continuation(q, lines, p)], "right", skip=skip))
    return made + [Candidate(p, [q], "tick") for q in after if id(q) in boxes]


def _below(p: Phrase, found: list[Phrase], lines: dict[int, list[Phrase]]) -> list[Candidate]:
    x0, top, x1, bottom = p.box
    near = [q for q in found if q.line > p.line and q.box[1] - bottom < BELOW_LINES * p.height
            and q.box[0] < x1 and q.box[2] > x0 - p.height and q.box[0] > x0 - 2 * p.height]
    if not near:
        return []
    q = min(near, key=lambda q: (q.line, q.box[0]))
    kind = "cell" if p.cell and q.cell == p.cell else "below"
    if p.cell and q.cell and q.cell != p.cell:
        return []  # the cell below belongs to its own label, or to a column (see _column)
    return [Candidate(p, [q, *_continuation(q, lines, p)], kind)]


def _column(p: Phrase, found: list[Phrase]) -> list[Candidate]:
    if p.cell is None:
        return []
    cx0, _, cx1, cbottom = p.cell
    slack = p.height
    under = [q for q in found if q.cell and q.cell[1] >= cbottom - slack
             and abs(q.cell[0] - cx0) < slack and abs(q.cell[2] - cx1) < slack
             and q.cell[1] - cbottom < 12 * (cbottom - p.cell[1])]
    first: dict[tuple, Phrase] = {}
    for q in sorted(under, key=lambda q: (q.line, q.box[0])):
        first.setdefault(q.cell, q)
    return [Candidate(p, [q], "column") for q in first.values()]


def _continuation(first: Phrase, lines: dict[int, list[Phrase]], label: Phrase) -> list[Phrase]:
    """Lines that go on with a value: starting where it starts, just below, in its cell."""
    more, last = [], first
    for n in (first.line + 1, first.line + 2):
        nxt = [q for q in lines.get(n, []) if abs(q.box[0] - first.box[0]) < 1.5 * first.height
               and q.box[1] - last.box[3] < 0.9 * first.height and q.cell == first.cell
               and not q.colon and not _vocab(q)]
        labelled = any(q.box[2] <= first.box[0] for q in lines.get(n, []))  # its own label
        if not nxt or labelled:
            break
        more.append(nxt[0])
        last = nxt[0]
    return more


def _vocab(p: Phrase) -> bool:
    text = norm(p.text)
    return any(word in text for word in LABEL_WORDS if len(word) > 2 or not text.isascii()) or \
        any(w.lower().strip(".:：") in ("no", "id") for w in p.text.split())


def features(c: Candidate, lines: dict[int, list[Phrase]], boxes: dict) -> dict[str, float]:
    label, value = c.label, c.value[0]
    h = max(label.height, 1.0)
    row = {f"k_{k}": float(c.kind == k) for k in KINDS}
    row |= _looks("l", label) | _looks("v", value)
    line = lines[label.line]
    beside, under = c.kind == "right", c.kind in ("below", "cell", "column")
    row |= {
        "l_first": float(line[0] is label),
        "l_boxed": float(id(label) in boxes),
        "l_header": float(sum(_vocab(q) and q.cell is not None for q in line) >= 2),
        "l_in_cell": float(label.cell is not None),
        "v_in_cell": float(value.cell is not None),
        "v_lines": float(len(c.value) - 1),
        "v_ticked": float(c.kind == "tick" and boxes[id(value)].ticked),
        "skip": float(c.skip),
        "v_left_label": float(any(_vocab(q) or q.colon for q in lines[value.line]
                                  if q.box[2] <= value.box[0] and q is not label)),
        # across: how far right of its label a value starts; down: how far below, and how
        # far its start is from the label's (each only where the kind makes it mean something)
        "gap_x": min(max(value.box[0] - label.box[2], 0) / h, 10) / 5 if beside else 0.0,
        "gap_y": min(max(value.box[1] - label.box[3], 0) / h, 10) / 5 if under else 0.0,
        "align": min(abs(value.box[0] - label.box[0]) / h, 10) / 5 if under else 0.0,
    }
    return row


def _looks(prefix: str, p: Phrase) -> dict[str, float]:
    text = p.text
    return {f"{prefix}_colon": float(p.colon), f"{prefix}_vocab": float(_vocab(p)),
            f"{prefix}_digits": len(DIGIT.findall(text)) / max(len(text), 1),
            f"{prefix}_words": min(len(p.words), 8) / 4,
            f"{prefix}_conf": sum(w.conf for w in p.words) / len(p.words),
            f"{prefix}_cjk": float(any("\u3400" <= ch <= "\u9fff" for ch in text))}
