"""The dashboard's charts: the store's trends (rpa/store/trends.py) turned into SVG with the
viewer's words. Each builder gives a `Chart`, or None when there is nothing to draw, and the
template then shows that chart's empty state (what to do next).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import Engine

from rpa import settings
from rpa.settings import SettingError
from rpa.store import trends
from rpa.web.console import charts, humanize
from rpa.web.console.charts import Lane, Series
from rpa.web.console.i18n import translate, word

RUN_OUTCOMES = ("success", "business_exception", "failure", "cancelled")  # stacked bottom to top
TOUR_OUTCOMES = ("completed", "running", "aborted", "refused", "fault")
# (overdue, due within the hour) -> the colour and legend label of a task's bar
TASK_KEYS = {(True, False): ("overdue", "st_overdue"), (False, True): ("soon", "task_due_soon"),
             (False, False): ("ontime", "task_on_time")}


@dataclass(frozen=True)
class Chart:
    svg: Markup
    legend: Markup
    table: Markup
    note: str = ""


@dataclass(frozen=True)
class Look:
    """Who is looking and when: what every chart needs to say itself in words."""

    now: float
    lang: str
    hours: int
    rows: int

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)

    def status(self, key: str) -> str:
        return word("st", key, self.lang)

    def hours_of(self, starts: list[float]) -> list[str]:
        return [humanize.hour(s) for s in starts]


def limit(name: str) -> int:
    value = settings.integer(name)
    if value < 1:
        raise SettingError(f"{name}={value} must be at least 1")
    return value


def _keys(counts: dict[str, list[int]], order: tuple[str, ...]) -> list[str]:
    """The keys present, in the chart's order, then any others (a newer status) by name."""
    return [k for k in order if k in counts] + sorted(set(counts) - set(order))


def _parts(look: Look, counts: dict[str, list[int]], order: tuple[str, ...]) -> str:
    return ", ".join(f"{sum(counts[k])} {look.status(k).lower()}" for k in _keys(counts, order) if sum(counts[k]))


def _outcomes(look: Look, hourly: trends.Hourly, order: tuple[str, ...]) -> list[Series]:
    return [Series(k, look.status(k), hourly.counts[k]) for k in _keys(hourly.counts, order)]


def _hourly_chart(look: Look, chart_id: str, hourly: trends.Hourly, title: str, desc: str,
                  order: tuple[str, ...]) -> Chart:
    labels, series = look.hours_of(hourly.starts), _outcomes(look, hourly, order)
    svg = charts.columns(chart_id, labels, series, title=title, desc=desc)
    return Chart(svg, charts.legend(series), charts.table(look.t("chart_hour"), labels, series, look.t("chart_total")))


def runs_chart(engine: Engine, look: Look) -> Chart | None:
    hourly = trends.runs_per_hour(engine, look.now, look.hours)
    if not hourly.total:
        return None
    title = look.t("chart_runs", hours=look.hours)
    desc = look.t("chart_runs_desc", total=hourly.total, hours=look.hours,
                  parts=_parts(look, hourly.counts, RUN_OUTCOMES))
    return _hourly_chart(look, "chart-runs", hourly, title, desc, RUN_OUTCOMES)


def queue_chart(engine: Engine, look: Look) -> Chart | None:
    flow = trends.queue_flow(engine, look.now, look.hours)
    if flow.empty:
        return None
    labels = look.hours_of(flow.starts)
    done = Series("finished", look.t("queue_finished"), flow.finished)
    waiting = Series("waiting", look.t("queue_waiting"), flow.waiting)
    desc = look.t("chart_queue_desc", now=flow.waiting[-1], finished=sum(flow.finished), hours=look.hours)
    svg = charts.columns("chart-queue", labels, [done], lines=[waiting],
                         title=look.t("chart_queue", hours=look.hours), desc=desc)
    return Chart(svg, charts.legend([waiting, done]), charts.table(look.t("chart_hour"), labels, [waiting, done]))


def _task_lane(look: Look, task: dict[str, Any]) -> Lane:
    key, _ = TASK_KEYS[(task["overdue"], task["due_soon"])] if task["allowed"] is not None else ("nodue", "")
    due = (look.t("task_no_due") if task["allowed"] is None
           else f"{look.t('task_due_at')} {humanize.span(task['allowed'], look.lang)} "
                f"({humanize.ago(task['due_at'], look.now, look.lang)})")
    title = f"#{task['id']} {task['title']} · {look.t('task_waited')} {humanize.span(task['age'], look.lang)} · {due}"
    label = f"#{task['id']} {task['title']}"
    return Lane(label if len(label) <= 30 else label[:29] + "…", task["age"], task["allowed"], key, title)


def tasks_chart(engine: Engine, look: Look) -> tuple[Chart | None, list[dict[str, Any]]]:
    """The lanes chart, and the tasks it draws (the page lists them with links)."""
    shown, total = trends.tasks_against_due(engine, look.now, look.rows)
    if not shown:
        return None, []
    overdue = sum(t["overdue"] for t in shown)
    desc = look.t("chart_tasks_desc", total=total, overdue=overdue)
    svg = charts.lanes("chart-tasks", [_task_lane(look, t) for t in shown], title=look.t("chart_tasks"), desc=desc)
    keys = [Series(k, look.t(label), ()) for k, label in TASK_KEYS.values()]
    note = look.t("chart_tasks_more", shown=len(shown), total=total) if total > len(shown) else ""
    return Chart(svg, charts.legend(keys, marker=look.t("due")), Markup(""), note), shown


def share_chart(engine: Engine, look: Look) -> Chart | None:
    found = trends.review_share(engine, look.now, look.hours, look.rows)
    if not found:
        return None
    labels = [f["flow"] for f in found]
    auto = Series("auto", look.t("share_auto"), [f["auto"] for f in found])
    reviewed = Series("reviewed", look.t("share_reviewed"), [f["reviewed"] for f in found])
    parts = "; ".join(look.t("share_part", flow=f["flow"], auto=f["auto"], reviewed=f["reviewed"],
                             share=round(100 * f["reviewed"] / f["runs"])) for f in found)
    svg = charts.columns("chart-share", labels, [auto, reviewed], title=look.t("chart_share", hours=look.hours),
                         desc=look.t("chart_share_desc", parts=parts))
    return Chart(svg, charts.legend([auto, reviewed]),
                 charts.table(look.t("flow"), labels, [auto, reviewed], look.t("chart_total")))


def tours_chart(engine: Engine, look: Look) -> tuple[Chart | None, bool]:
    """The chart of today's tours, and whether the store keeps tour records at all."""
    hourly = trends.tours_today(engine, look.now, humanize.midnight(look.now))
    if hourly is None or not hourly.total:
        return None, hourly is not None
    desc = look.t("chart_tours_desc", total=hourly.total, parts=_parts(look, hourly.counts, TOUR_OUTCOMES))
    return _hourly_chart(look, "chart-tours", hourly, look.t("chart_tours"), desc, TOUR_OUTCOMES), True


BUILDERS: dict[str, Callable[[Engine, Look], Any]] = {
    "runs_chart": runs_chart, "queue_chart": queue_chart, "share_chart": share_chart,
}


def context(engine: Engine, now: float, lang: str) -> dict[str, Any]:
    """Everything the dashboard's charts show, for the template."""
    look = Look(now, lang, limit("SMARTLAB_DASHBOARD_HOURS"), limit("SMARTLAB_DASHBOARD_ROWS"))
    found: dict[str, Any] = {name: build(engine, look) for name, build in BUILDERS.items()}
    found["tasks_chart"], found["chart_tasks"] = tasks_chart(engine, look)
    found["tours_chart"], found["tours_kept"] = tours_chart(engine, look)
    return {**found, "hours": look.hours}
