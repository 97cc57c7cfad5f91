"""Template extraction: find each field's label, read the value beside or below it, check it.

Readers are chosen by field type from `READERS`; each returns (raw text or flag, confidence,
value box). Confidence is the weakest of: OCR word confidence, label match, ink margin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bots.form_processing import ink
from bots.form_processing.anchors import Anchor, find_anchors, label_boxes
from bots.form_processing.errors import FieldInvalid
from bots.form_processing.layout import Geometry, geometry, join_words, same_band, union
from bots.form_processing.reread import Look, keeps, language, read_again, wants_look
from bots.form_processing.result import Field
from bots.form_processing.template import FieldSpec, Template
from bots.form_processing.validators import check_rule, normalise
from rpa.documents import Page, Word

Box = tuple[float, float, float, float]
NOT_FOUND = "the field's label was not found on the form"


@dataclass
class Scene:
    """Everything a reader needs about one page."""

    geo: Geometry
    labels: list[Box]  # every label word on the page
    anchors: dict[str, Anchor]
    column: float | None = None  # where values start when labels sit beside them

    @property
    def page(self) -> Page:
        return self.geo.page


Reading = tuple[Any, float, Box | None]


def extract(pages: list[Page], template: Template) -> tuple[list[Field], dict[str, str]]:
    """Every field of `template` read from `pages`, and the cross-field problems."""
    geos = [geometry(p) for p in pages]
    anchors = find_anchors(geos, template)
    boxes = label_boxes(geos, anchors)
    scenes = [Scene(g, boxes[n], anchors) for n, g in enumerate(geos)]
    for n, scene in enumerate(scenes):
        scene.column = _value_column(scene, template, n)
    drafts = [_draft(spec, anchors, scenes) for spec in template.fields]
    _second_looks(drafts)
    fields = [_field(d) for d in drafts]
    for found, spec in zip(fields, template.fields, strict=True):
        found.label = spec.label.model_dump(exclude_defaults=True)  # the review page shows it
    return fields, _rule_problems(template, fields)


def _value_column(scene: Scene, template: Template, page: int) -> float | None:
    """The x where most beside-the-label values start (a form's value column), if there is one.

    Misread label words sit between a label and its value; the column tells them apart.
    """
    starts = []
    for spec in template.fields:
        anchor = scene.anchors.get(spec.key)
        if spec.where == "right" and spec.type in TEXT_TYPES and anchor and anchor.page == page:
            starts.append({w.box[0] for w in _first_line(anchor, scene)})
    tolerance = 4 * scene.geo.pt
    counts = {x: sum(any(abs(x - y) <= tolerance for y in s) for s in starts)
              for s in starts for x in s}
    if not counts or max(counts.values()) < 3:
        return None
    best = max(counts.values())
    return min(x for x, c in counts.items() if c == best) - tolerance


TEXT_TYPES = {"text", "name", "hkid", "date", "phone", "email", "amount"}


@dataclass
class Draft:
    """A field's reading before its confidence is settled (a second look may replace it)."""

    spec: FieldSpec
    anchor: Anchor | None
    scene: Scene | None
    raw: Any = ""
    conf: float = 0.0
    box: Box | None = None
    value: Any = ""
    problem: str | None = None
    other: str | None = None  # a second look's reading that differs from the one kept


def _draft(spec: FieldSpec, anchors: dict[str, Anchor], scenes: list[Scene]) -> Draft:
    anchor = anchors.get(spec.key)
    if anchor is None:
        return Draft(spec, None, scenes[0] if scenes else None)
    scene = scenes[anchor.page]
    raw, conf, value_box = READERS.get(spec.type, read_text)(spec, anchor, scene)
    value, problem = _check(spec, raw)
    return Draft(spec, anchor, scene, raw, conf, value_box, value, problem)


def _second_looks(drafts: list[Draft]) -> None:
    """Doubtful values read again from their crops, each language's crops in one OCR run;
    a value whose first language did not help tries its next."""
    pending = [d for d in drafts if d.box and d.scene and d.anchor
               and wants_look(d.spec.type, d.scene.page.source, d.problem)]
    attempt = 0
    while pending:
        looks = [Look(d.spec.type, d.scene.page, d.box, d.scene.geo.pt) for d in pending]
        readings = read_again(looks, attempt)
        attempt += 1
        pending = [d for d, look, words in zip(pending, looks, readings, strict=True)
                   if not _take(d, words) and language(look, attempt)]


def _take(draft: Draft, words: list[Word]) -> bool:
    """Replace the draft's reading with `words` if the second reading is the better one."""
    if not words:
        return False
    text, conf = join_words(words), min(w.conf for w in words)
    value, problem = _check(draft.spec, text)
    first = (draft.raw if isinstance(draft.raw, str) else "", draft.conf)
    if not keeps(draft.spec.type, first, (text, conf), bool(value) and not problem):
        draft.other = text if text != first[0] else draft.other
        return False
    draft.other = first[0] if first[0] and first[0] != text else None
    draft.raw, draft.conf, draft.value, draft.problem = text, conf, value, problem
    return True


def _field(draft: Draft) -> Field:
    spec, anchor, scene = draft.spec, draft.anchor, draft.scene
    if anchor is None or scene is None:
        page = scene.page if scene else None
        return Field(spec.key, "", 0.0, 1, page.source if page else "text",
                     page.unit if page else "pt", problem=NOT_FOUND if spec.required else None)
    conf, value, raw = draft.conf, draft.value, draft.raw
    if value and not draft.problem:
        conf = 1 - (1 - conf) * EVIDENCE.get(spec.type, 1.0)
    lookalike = scene.page.source == "ocr" and isinstance(value, str) and bool(LOOKALIKE.search(value))
    if lookalike:
        conf = min(conf, LOOKALIKE_CONF)
    return Field(spec.key, value, min(conf, _label_conf(anchor)), scene.page.number,
                 scene.page.source, scene.page.unit, anchor.box, draft.box,
                 raw if isinstance(raw, str) else "", draft.problem, _notes(draft, lookalike))


def _notes(draft: Draft, lookalike: bool) -> list[dict[str, Any]]:
    """What the review page says besides confidence and problem (result.Field.notes)."""
    found: list[dict[str, Any]] = [{"why": "lookalike"}] if lookalike else []
    if draft.anchor and _label_conf(draft.anchor) < 1.0:
        found.append({"why": "label", "score": draft.anchor.score})
    return found + ([{"why": "second_look", "reading": draft.other}] if draft.other else [])


def _label_conf(anchor: Anchor) -> float:
    return 1.0 if anchor.score >= 0.9 else anchor.score


def _check(spec: FieldSpec, raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, bool):
        missing = spec.required and not raw
        return raw, (MISSING_FLAG[spec.type] if missing else None)
    try:
        value = normalise(spec.type, raw, spec.regex) if spec.type != "choice" else raw
    except FieldInvalid as exc:
        return " ".join(raw.split()), str(exc)
    return value, ("this required field is empty" if spec.required and not value else None)


# How much doubt is left once a value passes its type's check: an HKID whose check digit
# matches is rarely misread; a free-text name has no check at all.
# An e-mail address gets none: its pattern cannot tell "l" from "1" (measured in bench/forms.py).
EVIDENCE = {"hkid": 0.2, "date": 0.5, "phone": 0.5, "amount": 0.6}

# OCR confuses l/1, O/0 and I/1 next to digits, and reports high confidence doing it (seen
# in bench/forms.py: "applicantl4@..."); such a value is never accepted without a look.
LOOKALIKE = re.compile(r"(?<=\d)[lIO|]|[lIO|](?=\d)")
LOOKALIKE_CONF = 0.85

MISSING_FLAG = {"checkbox": "the box is not ticked", "signature": "the form is not signed"}


# --- text values -------------------------------------------------------------------------

def read_text(spec: FieldSpec, anchor: Anchor, scene: Scene) -> Reading:
    words = (_right_of if spec.where == "right" else _below)(spec, anchor, scene)
    if not words:  # blank for sure only when nothing at all was read beside the label
        return "", (0.5 if spec.where == "right" and _first_line(anchor, scene) else 1.0), None
    conf = min(w.conf for w in words)
    return join_words(words), conf, union([w.box for w in words])


def _free_words(scene: Scene, anchor: Anchor) -> list[Word]:
    used = {i for a in scene.anchors.values() if a.page == anchor.page for i in a.indexes}
    return [w for i, w in enumerate(scene.page.words) if i not in used]


def _stop_x(scene: Scene, anchor: Anchor) -> float:
    """Where the next label on the anchor's line starts (the page's edge when none)."""
    right = [b[0] for b in scene.labels if b[0] > anchor.box[2] and same_band(b, anchor.box)]
    return min(right, default=scene.page.width)


def _next_label_top(scene: Scene, anchor: Anchor) -> float:
    below = [b[1] for b in scene.labels if b[1] > anchor.box[3] and not same_band(b, anchor.box)]
    return min(below, default=scene.page.height)


def _first_line(anchor: Anchor, scene: Scene) -> list[Word]:
    pt, stop = scene.geo.pt, _stop_x(scene, anchor)
    return [w for w in _free_words(scene, anchor) if same_band(w.box, anchor.box)
            and anchor.box[2] - 2 * pt <= w.box[0] < stop]


def _right_of(spec: FieldSpec, anchor: Anchor, scene: Scene) -> list[Word]:
    pt, stop = scene.geo.pt, _stop_x(scene, anchor)
    free = _free_words(scene, anchor)
    first = _first_line(anchor, scene)
    if scene.column is not None:
        first = [w for w in first if (w.box[0] + w.box[2]) / 2 >= scene.column]
    else:
        first = _past_label(first, anchor, pt)
    if not first or spec.lines < 2:
        return _reading_order(first)
    start, floor = min(w.box[0] for w in first), _next_label_top(scene, anchor)
    limit = min(floor, anchor.box[3] + (spec.lines - 1) * 18 * pt)
    more = [w for w in free if w not in first and w.box[1] > anchor.box[3] - pt
            and w.box[3] <= limit + 2 * pt and start - 6 * pt <= w.box[0] < stop]
    return _reading_order(first + more)


def _below(spec: FieldSpec, anchor: Anchor, scene: Scene) -> list[Word]:
    pt, stop = scene.geo.pt, _stop_x(scene, anchor)
    floor = min(_next_label_top(scene, anchor), anchor.box[3] + spec.lines * 20 * pt)
    return _reading_order([w for w in _free_words(scene, anchor)
                           if w.middle > anchor.box[3] and w.middle < floor
                           and anchor.box[0] - 8 * pt <= w.box[0] < stop])


def _reading_order(words: list[Word]) -> list[Word]:
    """Lines top to bottom (a word joins a line when its middle is near the line's), then x."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.middle):
        if lines and abs(w.middle - lines[-1][-1].middle) <= 0.5 * max(w.height, 1.0):
            lines[-1].append(w)
        else:
            lines.append([w])
    return [w for line in lines for w in sorted(line, key=lambda w: w.box[0])]


def _past_label(first: list[Word], anchor: Anchor, pt: float) -> list[Word]:
    """Drop words that continue the label (a misread translation), up to the first wide gap."""
    edge, kept = anchor.box[2], []
    for w in sorted(first, key=lambda w: w.box[0]):
        if not kept and w.box[0] - edge < LABEL_GAP * pt:
            edge = w.box[2]
            continue
        kept.append(w)
    return kept


LABEL_GAP = 6  # points: a value cell starts further from its label than a word space


# --- ink values ----------------------------------------------------------------------------

def _tick_region(anchor_box: Box, pt: float) -> Box:
    middle = (anchor_box[1] + anchor_box[3]) / 2
    return (anchor_box[0] - 17 * pt, middle - 9 * pt, anchor_box[0] - 1.5 * pt, middle + 9 * pt)


def read_checkbox(spec: FieldSpec, anchor: Anchor, scene: Scene) -> Reading:
    region = _tick_region(_first_word_box(anchor, scene), scene.geo.pt)
    share = ink.box_fill(scene.page, region)
    return share > ink.TICK_SHARE, ink.confidence(share, ink.TICK_SHARE), region


def _first_word_box(anchor: Anchor, scene: Scene) -> Box:
    return min((scene.geo.word(i).box for i in anchor.indexes), key=lambda b: b[0])


def read_choice(spec: FieldSpec, anchor: Anchor, scene: Scene) -> Reading:
    shares = {}
    for option in spec.options:
        found = scene.anchors.get(f"{spec.key}={option.value}")
        if found:
            region = _tick_region(_first_word_box(found, scene), scene.geo.pt)
            shares[option.value] = (ink.box_fill(scene.page, region), region)
    ticked = [k for k, (share, _) in shares.items() if share > ink.TICK_SHARE]
    conf = min((ink.confidence(s, ink.TICK_SHARE) for s, _ in shares.values()), default=0.0)
    if len(shares) < len(spec.options):
        conf = min(conf, 0.5)  # an option's label was not found: a person should look
    value = ticked[0] if len(ticked) == 1 else ""
    return value, conf, (shares[value][1] if value else None)


def read_signature(spec: FieldSpec, anchor: Anchor, scene: Scene) -> Reading:
    pt, (x0, top, x1, bottom) = scene.geo.pt, anchor.box
    floor = _next_label_top(scene, anchor)
    if spec.where == "right":
        region = (x1 + 4 * pt, top - 4 * pt, min(x1 + 320 * pt, _stop_x(scene, anchor)),
                  min(top + 34 * pt, floor))
    else:
        region = (x0, bottom + 2 * pt, min(x0 + 320 * pt, _stop_x(scene, anchor)),
                  min(bottom + 42 * pt, floor))
    # words read with confidence are printed text; a squiggle OCR'd as junk stays in. The
    # label's other language, read as junk by an English-only pass, is printed text too.
    printed = [w.box for w in scene.page.words if w.conf >= 0.8] + _label_tail(anchor, scene)
    share = ink.stroke_share(scene.page, region, printed)
    return share > ink.SIGN_SHARE, ink.confidence(share, ink.SIGN_SHARE), region


def _label_tail(anchor: Anchor, scene: Scene) -> list[Box]:
    """Boxes of the words that continue a label on its line, up to the first wide gap."""
    first = _first_line(anchor, scene)
    kept = _past_label(first, anchor, scene.geo.pt)
    return [w.box for w in first if w not in kept]


READERS: dict[str, Callable[[FieldSpec, Anchor, Scene], Reading]] = {
    "checkbox": read_checkbox, "choice": read_choice, "signature": read_signature,
}


# --- cross-field rules -----------------------------------------------------------------------

def _rule_problems(template: Template, fields: list[Field]) -> dict[str, str]:
    by_key = {f.key: f for f in fields}
    problems = {}
    for rule in template.rules:
        a, b = (by_key.get(k) for k in rule.fields[:2])
        if not a or not b or a.problem or b.problem:
            continue
        try:
            check_rule(rule.rule, (_title(template, a.key), str(a.value)),
                       (_title(template, b.key), str(b.value)), rule.value)
        except FieldInvalid as exc:
            problems[f"{rule.rule}:{a.key},{b.key}"] = str(exc)
    return problems


def _title(template: Template, key: str) -> str:
    label = template.field(key).label
    return label.en or label.zh
