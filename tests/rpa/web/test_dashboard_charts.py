"""The dashboard's SVG drawing (rpa/web/console/charts.py) with plain data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from rpa.web.console.charts import Lane, Series, axis, columns, lanes, legend, table

SVG = "{http://www.w3.org/2000/svg}"


def _tree(markup: str) -> ET.Element:
    return ET.fromstring(str(markup).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


@pytest.mark.parametrize(("value", "top", "steps"), [(0, 1, 1), (3, 3, 3), (7, 8, 4), (10, 10, 2), (23, 30, 3),
                                                     (150, 150, 3)])
def test_charts_axis_has_whole_round_steps(value: float, top: float, steps: int) -> None:
    assert axis(value) == (top, steps)


def test_charts_columns_stack_one_titled_rect_per_nonzero_value() -> None:
    ok, bad = Series("success", "Succeeded", [2, 0, 5]), Series("failure", "Failed", [1, 0, 0])
    svg = _tree(columns("c", ["13:00", "14:00", "15:00"], [ok, bad], title="Runs", desc="8 runs."))
    rects = svg.findall(f"{SVG}rect")
    assert [r.get("class") for r in rects] == ["c-success", "c-failure", "c-success"]
    assert [r.find(f"{SVG}title").text for r in rects] == ["13:00 · Succeeded: 2", "13:00 · Failed: 1",
                                                            "15:00 · Succeeded: 5"]
    first, second = rects[0], rects[1]  # the failure sits on top of the success in the same column
    assert float(second.get("y")) + float(second.get("height")) == pytest.approx(float(first.get("y")))
    assert (svg.get("role"), svg.find(f"{SVG}title").text, svg.find(f"{SVG}desc").text) == ("img", "Runs", "8 runs.")


def test_charts_columns_draw_lines_over_the_bars_on_one_axis() -> None:
    svg = _tree(columns("q", ["a", "b"], [Series("finished", "Finished", [1, 3])], title="Q", desc="",
                        lines=[Series("waiting", "Waiting", [8, 6])]))
    assert svg.find(f"{SVG}polyline").get("class") == "ln-waiting"
    assert [c.find(f"{SVG}title").text for c in svg.findall(f"{SVG}circle")] == ["a · Waiting: 8", "b · Waiting: 6"]
    ticks = [t.text for t in svg.findall(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "2", "4", "6", "8"]  # the line's 8 sets the top, not the bars' 3


def test_charts_escape_every_text_they_are_given() -> None:
    hostile = "<script>alert(1)</script>"
    markup = str(columns("x", [hostile], [Series("a&b", hostile, [1])], title=hostile, desc=hostile))
    markup += str(legend([Series("k", hostile, [])])) + str(table(hostile, [hostile], [Series("k", hostile, [1])]))
    assert "<script>" not in markup and markup.count("&lt;script&gt;") >= 6


def test_charts_lanes_draw_each_bar_with_its_marker() -> None:
    rows = [Lane("#1 late", 7200, 3600, "overdue", "waited 2 h"), Lane("#2 new", 600, None, "nodue", "waited 10 min")]
    svg = _tree(lanes("t", rows, title="Tasks", desc="2 open tasks."))
    bars = svg.findall(f"{SVG}rect")
    assert [b.get("class") for b in bars] == ["c-overdue", "c-nodue"]
    assert float(bars[0].get("width")) == pytest.approx(12 * float(bars[1].get("width")))
    marks = svg.findall(f"{SVG}line")
    assert len(marks) == 1 and float(marks[0].get("x1")) - float(bars[0].get("x")) == pytest.approx(
        float(bars[0].get("width")) / 2)


def test_charts_table_gives_the_figures_with_a_total() -> None:
    html = str(table("Hour", ["13:00", "14:00"], [Series("a", "A", [1, 2]), Series("b", "B", [3, 0])], "Total"))
    assert re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", html) == ["Hour", "A", "B", "Total", "13:00", "1", "3", "4",
                                                               "14:00", "2", "0", "2"]
