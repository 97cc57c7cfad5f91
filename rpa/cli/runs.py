"""Commands that run flows and read runs: run, resume, runs list, runs show."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from rpa.audit import local_actor
from rpa.audit import record as audit
from rpa.cli.common import (
    DbOption,
    compile_file,
    err,
    fail,
    open_store,
    out,
    user_errors,
    with_cleanup,
)
from rpa.cli.exits import exit_code, worst
from rpa.cli.render import TimelineListener, runs_table, styled, timeline_table, when
from rpa.engine import Runs
from rpa.errors import RunError, SmartLabError
from rpa.store import RunRecord

runs_app = typer.Typer(help="Look at runs: list them, show one with its timeline.", no_args_is_help=True)


def _parse_inputs(pairs: list[str]) -> dict[str, str]:
    given: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            fail(f"input '{pair}' is not key=value")
        given[key.strip()] = value
    return given


def run(
    flow: Path = typer.Argument(..., help="The flow file to run."),
    inputs: list[str] = typer.Option([], "--input", "-i", help="An input as key=value; repeat for more."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the start and the result."),
    db: str = DbOption,
) -> None:
    """Run a flow in the foreground with a live step timeline.

    Prints the run id and the final status. Exits 0 on success, 1 when the run failed,
    3 when it waits for a person (a review task), 4 when interrupted; Ctrl-C leaves the
    run resumable with `smartlab resume RUN_ID`.
    """
    with user_errors():
        compiled = compile_file(flow)
        runs = Runs(open_store(db), with_cleanup(TimelineListener(out, quiet)))
        result = runs.start(compiled, _parse_inputs(inputs), actor=local_actor(), detail={"via": "cli"})
    raise typer.Exit(exit_code(result.status))


def resume(
    run_id: str = typer.Argument(None, help="The run to continue (a unique prefix will do)."),
    all_: bool = typer.Option(False, "--all", help="Resume every interrupted run, oldest first."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the start and the result."),
    force: bool = typer.Option(False, "--force", help="Resume even if the flow file changed since the run "
                               "started: the run goes on at its stored state and step, in the new version."),
    db: str = DbOption,
) -> None:
    """Continue interrupted runs from their last committed step; confirmed effects are not repeated.

    A run whose flow file changed since it started is skipped with the reason, unless --force.
    """
    if bool(run_id) == all_:
        fail("give a RUN_ID or --all")
    store = open_store(db)
    runs = Runs(store, with_cleanup(TimelineListener(out, quiet)))
    ids = [run_id] if run_id else [r.id for r in store.interrupted()]
    if not ids:
        out.print("nothing to resume")
        raise typer.Exit(0)
    raise typer.Exit(worst([_resume_one(runs, i, force) for i in ids]))


def _resume_one(runs: Runs, run_id: str, force: bool) -> str:
    """The run's status after resuming it; 'failure' when it could not be resumed."""
    try:
        return runs.resume(run_id, force=force).status
    except RunError as exc:
        err.print(f"[yellow]skipped[/] {run_id}: {exc}")
    except SmartLabError as exc:
        err.print(f"[red]cannot resume[/] {run_id}: {exc}", markup=True)
    return "failure"


@runs_app.command("list")
def list_runs(
    status: str = typer.Option(None, "--status", "-s", help="Only runs with this status."),
    flow: str = typer.Option(None, "--flow", help="Only runs of this flow."),
    limit: int = typer.Option(20, "--limit", "-n", help="How many, newest first."),
    as_json: bool = typer.Option(False, "--json"),
    db: str = DbOption,
) -> None:
    """List runs, newest first."""
    with user_errors():
        rows = open_store(db).list(status=status, flow=flow, limit=limit)
    if as_json:
        print(json.dumps([_run_dict(r) for r in rows], indent=2, ensure_ascii=False, default=str))
    elif not rows:
        out.print("no runs yet: start one with [bold]smartlab run FLOW[/]")
    else:
        out.print(runs_table(rows))


@runs_app.command("show")
def show_run(
    run_id: str = typer.Argument(..., help="The run (a unique prefix will do)."),
    as_json: bool = typer.Option(False, "--json", help="Run, timeline, variables and effects as JSON."),
    db: str = DbOption,
) -> None:
    """Show one run: status, timeline, variables, errors and effects."""
    with user_errors():
        store = open_store(db)
        run_rec = store.get(run_id)
        events, effects = store.events(run_rec.id), store.effects_of(run_rec.id)
    if as_json:
        data = {**_run_dict(run_rec), "timeline": events, "effects": effects}
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    out.print(f"[bold]run {run_rec.id}[/]  flow [cyan]{run_rec.flow}[/] ({run_rec.flow_path})")
    out.print("status ", styled(run_rec.shown_status), f"  state {run_rec.state}  started {when(run_rec.created_at)}")
    if run_rec.error:
        out.print(f"[red]error:[/] {run_rec.error}", markup=True)
    out.print(timeline_table(events))
    out.print("[bold]inputs[/] " + json.dumps(run_rec.inputs, ensure_ascii=False, default=str))
    out.print("[bold]vars[/]   " + json.dumps(run_rec.vars, ensure_ascii=False, default=str))
    for e in effects:
        out.print(f"[bold]effect[/] {e['key']} {e['activity']} {e['status']} (sent {e['issued']}x)")


@runs_app.command("cancel")
def cancel_run(run_id: str = typer.Argument(..., help="The run (a unique prefix will do)."),
               db: str = DbOption) -> None:
    """Cancel a run: at once if no process runs it, else at its next step boundary."""
    with user_errors():
        store = open_store(db)
        run_rec = store.get(run_id)
        status = store.request_cancel(run_rec.id)
        audit(store.engine, local_actor(), "run.cancel", run_rec.id, {"status": status})
    out.print(f"run {run_rec.id}: {status}")


def _run_dict(r: RunRecord) -> dict:
    keys = ("id", "flow", "flow_path", "status", "state", "visit", "step", "attempt", "inputs",
            "vars", "error", "created_at", "updated_at", "finished_at")
    return {k: getattr(r, k) for k in keys}
