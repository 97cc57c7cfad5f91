"""Charts as SVG drawn on the server: columns (stacked, with optional lines over them) and
lanes (one bar per row against a marker). No script and no library: the page stays readable
without JavaScript and under the console's strict CSP.

Every chart is `role="img"` named by its `<title>` and described by a `<desc>` sentence
(`aria-labelledby` / `aria-describedby`);
each bar and point has its own `<title>` (a tooltip, and what a screen reader's browse mode
reads), and `table()` gives the same figures as an HTML table for the page to offer.
Colours come from console.css by series key (`c-<key>` fills, `ln-<key>` strokes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 30  # room for the y labels and the x labels
MAX_X_LABELS = 12
LANE, LANE_LABEL = 26, 220  # a lane's height; the width of its label column


@dataclass(frozen=True)
class Series:
    key: str  # names its colour (c-<key> / ln-<key>) and its legend entry
    label: str  # the series in words, in the viewer's language
    values: Sequence[float]


@dataclass(frozen=True)
class Lane:
    label: str
    value: float  # the bar's length (a task's age)
    mark: float | None  # where the marker stands (the time allowed), None for no marker
    key: str  # the bar's colour
    title: str  # the bar's tooltip, in words


def _nice(value: float) -> float:
    """Rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def axis(value: float) -> tuple[float, int]:
    """The axis top and its number of steps: at most four whole, round steps (0, 5, 10)."""
    tick = _nice(value / 4)
    steps = max(1, math.ceil(value / tick))
    return tick * steps, steps


def _num(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _frame(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> Markup:
    head = (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{chart_id}-t" aria-describedby="{chart_id}-d" id="{chart_id}">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _y_axis(top: float, steps: int, plot_h: int) -> list[str]:
    """A grid line with its figure at each step."""
    found = []
    for n in range(steps + 1):
        y, figure = TOP + plot_h - plot_h * n / steps, _num(top * n / steps)
        found.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{figure}</text>')
    return found


def _x_labels(labels: Sequence[str], slot: float) -> list[str]:
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    return [f'<text class="tick" x="{LEFT + slot * (n + 0.5):.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
            f'{escape(label)}</text>' for n, label in enumerate(labels) if n % every == 0]


def _stack(n: int, label: str, bars: Sequence[Series], slot: float, scale: float) -> list[str]:
    """One column: each series' rectangle on top of the ones before."""
    found, base = [], TOP + (HEIGHT - TOP - BOTTOM)
    for series in bars:
        value = series.values[n]
        if value <= 0:
            continue
        h = value * scale
        base -= h
        found.append(f'<rect class="c-{escape(series.key)}" x="{LEFT + slot * (n + 0.15):.1f}" y="{base:.1f}" '
                     f'width="{slot * 0.7:.1f}" height="{h:.1f}"><title>{escape(label)} · '
                     f'{escape(series.label)}: {_num(value)}</title></rect>')
    return found


def _line(series: Series, labels: Sequence[str], slot: float, scale: float) -> list[str]:
    bottom = TOP + (HEIGHT - TOP - BOTTOM)
    points = [(LEFT + slot * (n + 0.5), bottom - v * scale) for n, v in enumerate(series.values)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = [f'<circle class="ln-{escape(series.key)}" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(label)} · '
            f'{escape(series.label)}: {_num(v)}</title></circle>'
            for (x, y), label, v in zip(points, labels, series.values, strict=True)]
    return [f'<polyline class="ln-{escape(series.key)}" fill="none" points="{path}"/>', *dots]


def columns(chart_id: str, labels: Sequence[str], bars: Sequence[Series], *, title: str, desc: str,
            lines: Sequence[Series] = ()) -> Markup:
    """Stacked columns, one per label, with `lines` drawn over them on the same axis."""
    plot_h = HEIGHT - TOP - BOTTOM
    stacked = [sum(s.values[n] for s in bars) for n in range(len(labels))]
    top, steps = axis(max([*stacked, *(v for s in lines for v in s.values), 0]))
    slot, scale = (WIDTH - LEFT - RIGHT) / max(1, len(labels)), plot_h / top
    body = _y_axis(top, steps, plot_h) + _x_labels(labels, slot)
    for n, label in enumerate(labels):
        body += _stack(n, label, bars, slot, scale)
    for series in lines:
        body += _line(series, labels, slot, scale)
    return _frame(chart_id, title, desc, HEIGHT, body)


def _lane(n: int, lane: Lane, scale: float) -> list[str]:
    y, width = TOP + n * LANE, max(1.0, lane.value * scale)
    found = [f'<text class="lane" x="{LANE_LABEL - 8}" y="{y + 17}" text-anchor="end">{escape(lane.label)}</text>',
             f'<rect class="c-{escape(lane.key)}" x="{LANE_LABEL}" y="{y + 5}" width="{width:.1f}" '
             f'height="{LANE - 10}"><title>{escape(lane.title)}</title></rect>']
    if lane.mark is not None:
        x = LANE_LABEL + lane.mark * scale
        found.append(f'<line class="due" x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + LANE - 1}"/>')
    return found


def lanes(chart_id: str, rows: Sequence[Lane], *, title: str, desc: str) -> Markup:
    """One horizontal bar per row, from a common start, each with its own marker (a due time)."""
    height = TOP + LANE * len(rows) + 6
    top = max([r.value for r in rows] + [r.mark for r in rows if r.mark is not None] + [1.0])
    scale = (WIDTH - LANE_LABEL - RIGHT) / top
    body = [part for n, row in enumerate(rows) for part in _lane(n, row, scale)]
    return _frame(chart_id, title, desc, height, body)


def legend(series: Sequence[Series], marker: str = "") -> Markup:
    """The series' colours named in words (an HTML list beside the chart)."""
    items = [f'<li><span class="swatch c-{escape(s.key)} ln-{escape(s.key)}" aria-hidden="true"></span>'
             f'{escape(s.label)}</li>' for s in series]
    if marker:
        items.append(f'<li><span class="swatch due" aria-hidden="true"></span>{escape(marker)}</li>')
    return Markup('<ul class="legend">' + "".join(items) + "</ul>")


def table(head: str, labels: Sequence[str], series: Sequence[Series], total: str = "") -> Markup:
    """The chart's figures as a table: a row per label, a column per series (and a total)."""
    cols = "".join(f'<th scope="col">{escape(s.label)}</th>' for s in series)
    cols += f'<th scope="col">{escape(total)}</th>' if total else ""
    rows = []
    for n, label in enumerate(labels):
        cells = "".join(f'<td class="num">{_num(s.values[n])}</td>' for s in series)
        cells += f'<td class="num">{_num(sum(s.values[n] for s in series))}</td>' if total else ""
        rows.append(f'<tr><th scope="row">{escape(label)}</th>{cells}</tr>')
    return Markup(f'<table class="figures"><thead><tr><th scope="col">{escape(head)}</th>{cols}</tr></thead>'
                  f'<tbody>{"".join(rows)}</tbody></table>')
