"""`smartlab forms`: extract fields from forms, list templates."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress
from rich.table import Table

from bots.form_processing.process import process
from bots.form_processing.result import DEFAULT_THRESHOLD, FormResult
from bots.form_processing.template import templates as all_templates
from rpa.errors import SmartLabError

app = typer.Typer(help="Read application forms (PDF or scan): extract fields, list templates.",
                  no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
STYLE = {"accepted": "green", "review": "yellow", "invalid": "red"}


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Forms to read: PDF, PNG, JPEG or TIFF."),
    template: str = typer.Option(None, "--template", "-t",
                                 help="Use this template (see `templates`)."),
    generic: bool = typer.Option(False, "--generic",
                                 help="No template: pair labels with values by layout."),
    threshold: float = typer.Option(DEFAULT_THRESHOLD,
                                    help="Fields below this confidence go to review."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per file."),
    workers: int = typer.Option(1, "--workers", "-w", min=1,
                                help="Read this many files at once (one process each)."),
) -> None:
    """Extract the fields of each form; boxes are PDF points (text layer) or image pixels (OCR)."""
    if template and generic:
        err.print("[bold red]error:[/] give --template or --generic, not both")
        raise typer.Exit(2)
    jobs = [(path, template, generic, threshold) for path in files]
    results, failed = [], 0
    for outcome in _run(jobs, workers):
        if isinstance(outcome, FormResult):
            results.append(outcome)
        else:
            failed += 1
            err.print(f"[red]rejected[/] {outcome}", soft_wrap=True)
    if as_json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        for result in results:
            out.print(_table(result))
    raise typer.Exit(1 if failed else 0)


def _one(job: tuple[Path, str | None, bool, float]) -> FormResult | str:
    """One file read in a worker; a rejection comes back as its one-line reason."""
    try:
        return process(*job)
    except SmartLabError as exc:
        return str(exc)


def _run(jobs: list[tuple[Path, str | None, bool, float]],
         workers: int) -> Iterator[FormResult | str]:
    """Outcomes in the order of the files, with a progress bar on stderr over many files."""
    with Progress(*Progress.get_default_columns(), MofNCompleteColumn(), console=err,
                  transient=True, disable=len(jobs) < 2) as bar:
        task = bar.add_task("reading forms", total=len(jobs))
        if workers == 1 or len(jobs) < 2:
            outcomes: Iterable[FormResult | str] = map(_one, jobs)
            pool = None
        else:
            pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)))
            outcomes = pool.map(_one, jobs)
        try:
            for outcome in outcomes:
                bar.advance(task)
                yield outcome
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)


def _table(result: FormResult) -> Table:
    table = Table(title=f"{result.file} — {result.form_type} (score {result.template_score:.2f})")
    for column in ("field", "value", "confidence", "status", "problem"):
        table.add_column(column)
    for f in result.fields:
        status = f.status(result.threshold)
        table.add_row(f.key, str(f.value), f"{f.confidence:.2f}",
                      f"[{STYLE[status]}]{status}[/]", f.problem or "")
    for rule, problem in result.problems.items():
        table.add_row(rule, "", "", "[red]invalid[/]", problem)
    return table


@app.command()
def templates(as_json: bool = typer.Option(False, "--json")) -> None:
    """List the form templates: type, bilingual title, number of fields."""
    found = all_templates()
    if as_json:
        print(json.dumps([{"form_type": t.form_type, "title": t.title.model_dump(),
                           "fields": [f.key for f in t.fields]} for t in found.values()],
                         ensure_ascii=False, indent=2))
        return
    table = Table(title="form templates")
    for column in ("form type", "title", "標題", "fields"):
        table.add_column(column)
    for t in found.values():
        table.add_row(t.form_type, t.title.en, t.title.zh, str(len(t.fields)))
    out.print(table)
