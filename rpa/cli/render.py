"""How runs look in a terminal: a live step timeline and tables, with Rich."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from rpa.engine.listener import Listener
from rpa.errors import ActivityError
from rpa.flow.compiler import CompiledStep
from rpa.store.runs import RunRecord

STATUS_STYLE = {
    "success": "green", "ok": "green", "replayed": "cyan", "skipped": "dim",
    "business_exception": "yellow", "retry": "yellow", "waiting": "yellow", "interrupted": "yellow",
    "failure": "red", "error": "red", "cancelled": "magenta", "running": "blue",
}
MARK = {"ok": "✓", "replayed": "↺", "skipped": "·", "error": "✗", "retry": "↻"}


def styled(status: str) -> Text:
    return Text(status, style=STATUS_STYLE.get(status, ""))


class TimelineListener(Listener):
    """Prints each state and step as it happens; `quiet` keeps only the start and the end."""

    def __init__(self, console: Console, quiet: bool = False) -> None:
        self.console, self.quiet = console, quiet

    def start_run(self, run_id: str, flow: str, resumed: bool) -> None:
        verb = "resuming" if resumed else "run"
        self.console.print(f"[bold]▶ {verb} {run_id}[/] [dim]flow[/] {flow}")

    def start_state(self, state: str) -> None:
        if not self.quiet:
            self.console.print(f"  [bold cyan]{state}[/]")

    def end_step(self, state: str, step: CompiledStep, status: str, duration_ms: float,
                 output: Any = None, error: ActivityError | None = None) -> None:
        if self.quiet:
            return
        line = Text(f"    {MARK.get(status, '?')} ", style=STATUS_STYLE.get(status, ""))
        line.append(step.label)
        line.append(f"  {duration_ms:.1f} ms", style="dim")
        if status == "replayed":
            line.append("  (confirmed before; not repeated)", style="cyan")
        if error is not None:
            line.append(f"  {error.kind}: {error}", style=STATUS_STYLE["error"])
        self.console.print(line)
        if step.spec.name == "log" and status == "ok":
            self.console.print(Text(f"      │ {output}", style="italic"))

    def retry_wait(self, state: str, step: CompiledStep, seconds: float) -> None:
        if not self.quiet:
            self.console.print(f"    [yellow]↻ retrying {step.label} in {seconds:.1f}s[/]")

    def transition(self, source: str, target: str) -> None:
        if not self.quiet:
            self.console.print(f"  [dim]→ {target}[/]")

    def end_run(self, run_id: str, status: str, error: str | None) -> None:
        text = Text("■ ", style=STATUS_STYLE.get(status, ""))
        text.append(f"{status}", style=f"bold {STATUS_STYLE.get(status, '')}")
        text.append(f"  run {run_id}")
        if error:
            text.append(f"\n  {error}", style="red")
        self.console.print(text)


def when(epoch: float | None) -> str:
    if not epoch:
        return "-"
    return dt.datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


def runs_table(rows: list[RunRecord]) -> Table:
    table = Table(box=None, header_style="bold")
    # full ids even on a narrow or piped console: a script copies them into `runs show`
    table.add_column("run", no_wrap=True, min_width=max((len(r.id) for r in rows), default=3))
    for column in ("flow", "status", "state", "started", "took"):
        table.add_column(column)
    for r in rows:
        took = f"{(r.finished_at or r.updated_at) - r.created_at:.1f}s"
        table.add_row(r.id, r.flow, styled(r.shown_status), r.state, when(r.created_at), took)
    return table


def timeline_table(events: list[dict[str, Any]]) -> Table:
    table = Table(box=None, header_style="bold")
    for column in ("time", "state", "step", "status", "ms", "detail"):
        table.add_column(column)
    for e in events:
        table.add_row(when(e["at"]), e["state"], _step_label(e), styled(e["status"]),
                      f"{e['duration_ms']:.1f}" if e.get("duration_ms") is not None else "",
                      _detail(e))
    return table


def _step_label(e: dict[str, Any]) -> str:
    if e["kind"] == "step":
        attempt = f" #{e['attempt']}" if (e.get("attempt") or 1) > 1 else ""
        return f"{e['step']}: {e['activity']}{attempt}"
    return e["kind"]


def _detail(e: dict[str, Any]) -> str:
    if e.get("error"):
        return f"{e.get('error_kind') or ''}: {e['error']}"
    if e["kind"] == "transition":
        return f"→ {e['status']}"
    if e.get("output") is None:
        return ""
    text = json.dumps(e["output"], ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."
