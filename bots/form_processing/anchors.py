"""Finding every label of a template on the pages, longest labels first, each word used once."""

from __future__ import annotations

from dataclasses import dataclass

from bots.form_processing.layout import Geometry, Match, find_label, same_band, union
from bots.form_processing.template import Label, Template


@dataclass(frozen=True)
class Anchor:
    page: int  # index into the pages list
    box: tuple[float, float, float, float]
    score: float
    indexes: tuple[int, ...]


Region = tuple[float, float, float, float] | None


def _labels(template: Template) -> list[tuple[str, Label, Region]]:
    """(anchor name, label, page region) for each field and each choice option."""
    found = [(f.key, f.label, f.region) for f in template.fields]
    found += [(f"{f.key}={o.value}", o.label, f.region)
              for f in template.fields for o in f.options]
    return found


def find_anchors(geos: list[Geometry], template: Template) -> dict[str, Anchor]:
    """Anchor name -> where its label is; a label's words are not reused by a shorter label."""
    taken: list[set[int]] = [set() for _ in geos]
    wanted = [(name, text, region) for name, label, region in _labels(template)
              for text in label.texts()]
    wanted.sort(key=lambda item: -len(item[1]))
    hits: dict[str, list[tuple[int, Match]]] = {}
    for name, text, region in wanted:
        best = _best(geos, text, _outside(geos, region, taken))
        if best:
            taken[best[0]].update(best[1].indexes)
            hits.setdefault(name, []).append(best)
    return {name: _combine(found) for name, found in hits.items()}


def _outside(geos: list[Geometry], region: Region, taken: list[set[int]]) -> list[set[int]]:
    """`taken`, plus every word outside the field's page region (as fractions), if it has one."""
    if region is None:
        return taken
    x0, y0, x1, y1 = region
    return [used | {i for i, w in enumerate(g.page.words)
                    if not (x0 * g.page.width <= (w.box[0] + w.box[2]) / 2 <= x1 * g.page.width
                            and y0 * g.page.height <= w.middle <= y1 * g.page.height)}
            for g, used in zip(geos, taken, strict=True)]


def _best(geos: list[Geometry], text: str, taken: list[set[int]]) -> tuple[int, Match] | None:
    found = [(n, m) for n, geo in enumerate(geos) if (m := find_label(geo, text, taken[n]))]
    return max(found, key=lambda item: item[1].score, default=None)


def _combine(found: list[tuple[int, Match]]) -> Anchor:
    """English and Chinese labels on one line make one anchor; otherwise the better one."""
    (page, first), rest = found[0], found[1:]
    if rest and rest[0][0] == page and same_band(first.box, rest[0][1].box):
        other = rest[0][1]
        return Anchor(page, union([first.box, other.box]), (first.score + other.score) / 2,
                      first.indexes + other.indexes)
    page, best = max(found, key=lambda item: item[1].score)
    return Anchor(page, best.box, best.score * 0.95, best.indexes)


def label_boxes(geos: list[Geometry], anchors: dict[str, Anchor]) -> list[list[tuple]]:
    """Per page, the boxes of every label word (values stop where another label starts)."""
    boxes: list[list[tuple]] = [[] for _ in geos]
    for anchor in anchors.values():
        boxes[anchor.page].extend(geos[anchor.page].word(i).box for i in anchor.indexes)
    return boxes
