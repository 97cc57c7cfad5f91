"""Commands for the orchestrator: serve, worker, queues, tasks."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from rpa.audit import local_actor
from rpa.audit import record as audit
from rpa.cli.common import DbOption, err, fail, open_store, out, user_errors, with_cleanup
from rpa.cli.exits import exit_code
from rpa.cli.render import TimelineListener, styled, when
from rpa.engine import Runs
from rpa.errors import RunError
from rpa.logs import start_logging
from rpa.store import QueueStore, TaskStore

queues_app = typer.Typer(help="Work queues: list them, look at items, add items.", no_args_is_help=True)
tasks_app = typer.Typer(help="Human tasks: list them, complete one.", no_args_is_help=True)

FlowsOption = typer.Option("flows", "--flows", help="Folder of flows to serve (searched recursively).")


def _logging(verbose: bool) -> None:
    start_logging(verbose)  # rpa/logs.py: every logger masked, INFO lines to stderr


def serve(
    flows: str = FlowsOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8321, "--port", "-p", help="Port of the web server (API at /api, docs at /docs)."),
    workers: int = typer.Option(1, "--workers", "-w", min=0, help="Worker processes to start."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
    db: str = DbOption,
) -> None:
    """Run the scheduler, N workers and the web server until Ctrl-C or SIGTERM.

    On start, runs interrupted by a crash are handed to the workers and expired leases
    return their items to the queues. On stop, workers checkpoint their runs.
    """
    from rpa.orchestrator.serve import serve as run_server

    _logging(verbose)
    err.print(f"SmartLab on http://{host}:{port}  (API docs: http://{host}:{port}/docs) "
              f"with {workers} worker(s); Ctrl-C stops")
    with user_errors():
        run_server(flows, host, port, workers, db)


def worker(
    flows: str = FlowsOption,
    poll: float = typer.Option(0.5, "--poll", help="Seconds between looks for work when idle."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
    db: str = DbOption,
) -> None:
    """Run one worker alone (start more, on this or other machines, against the same database)."""
    from rpa.orchestrator.serve import work

    _logging(verbose)
    with user_errors():
        work(flows, db, poll)


@queues_app.command("list")
def queues_list(db: str = DbOption, as_json: bool = typer.Option(False, "--json")) -> None:
    """Every queue with its items per status and the age of the oldest waiting item."""
    with user_errors():
        summary = QueueStore(open_store(db).engine).summary()
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    table = Table(box=None, header_style="bold")
    for column in ("queue", "new", "in progress", "done", "business exc.", "application exc.", "oldest new"):
        table.add_column(column)
    for q in summary:
        c = q["counts"]
        age = f"{q['oldest_new_age']:.0f}s" if q["oldest_new_age"] is not None else "-"
        table.add_row(q["name"], str(c["new"]), str(c["in_progress"]), str(c["done"]),
                      str(c["business_exception"]), str(c["application_exception"]), age)
    out.print(table if summary else "no queues yet")


@queues_app.command("items")
def queues_items(queue: str, status: str = typer.Option(None, "--status", "-s"),
                 limit: int = typer.Option(50, "--limit", "-n"),
                 as_json: bool = typer.Option(False, "--json"), db: str = DbOption) -> None:
    """Items of a queue, oldest first."""
    with user_errors():
        found = QueueStore(open_store(db).engine).list(queue, status, limit)
    if as_json:
        print(json.dumps([i.as_dict() for i in found], indent=2, ensure_ascii=False, default=str))
        return
    table = Table(box=None, header_style="bold")
    for column in ("id", "reference", "attempt", "status", "run", "error"):
        table.add_column(column)
    for i in found:
        table.add_row(str(i.id), i.reference, str(i.attempt), styled(i.status), i.run_id or "-", i.error or "")
    out.print(table)


@queues_app.command("add")
def queues_add(queue: str, reference: str = typer.Option(..., "--ref", help="Unique within the queue."),
               payload: str = typer.Option("{}", "--payload", help="JSON."),
               priority: int = typer.Option(0, "--priority"), db: str = DbOption) -> None:
    """Add an item (a reference already in the queue returns the existing item)."""
    try:
        data = json.loads(payload)
    except json.JSONDecodeError as exc:
        fail(f"--payload is not JSON: {exc}")
    with user_errors():
        item, created = QueueStore(open_store(db).engine).add(queue, reference, data, priority=priority)
    out.print(f"{'added' if created else 'already there'}: item {item.id} ({item.status})")


@tasks_app.command("list")
def tasks_list(status: str = typer.Option("open", "--status", "-s", help="open, done, escalated or all."),
               role: str = typer.Option(None, "--role"), as_json: bool = typer.Option(False, "--json"),
               db: str = DbOption) -> None:
    """Tasks waiting for a person (or others with --status)."""
    with user_errors():
        found = TaskStore(open_store(db).engine).list(None if status == "all" else status, role)
    if as_json:
        print(json.dumps([t.as_dict() for t in found], indent=2, ensure_ascii=False, default=str))
        return
    table = Table(box=None, header_style="bold")
    for column in ("id", "title", "role", "status", "run", "due"):
        table.add_column(column)
    for t in found:
        table.add_row(str(t.id), t.title, t.role, styled(t.status), t.run_id, when(t.due_at))
    out.print(table if found else "no tasks")


@tasks_app.command("complete")
def tasks_complete(
    task_id: int,
    data: str = typer.Option(..., "--data", help="The answer as JSON; checked against the task's form."),
    by: str = typer.Option(None, "--by", help="Who completes it, for the audit log "
                           "(default: SMARTLAB_ACTOR or <your login>@cli)."),
    resume: bool = typer.Option(True, "--resume/--no-resume", help="Resume the run here and now."),
    db: str = DbOption,
) -> None:
    """Complete a task; its run becomes ready and (by default) is resumed in the foreground."""
    try:
        answer = json.loads(data)
    except json.JSONDecodeError as exc:
        fail(f"--data is not JSON: {exc}")
    with user_errors():
        store = open_store(db)
        by = by or local_actor()
        task = TaskStore(store.engine).complete(task_id, answer, by=by)
        audit(store.engine, by, "task.complete", str(task_id), {"run": task.run_id})
        out.print(f"task {task.id} done; run {task.run_id} is ready")
        if not resume:
            return
        try:
            result = Runs(store, with_cleanup(TimelineListener(out))).resume(task.run_id)
        except RunError as exc:
            out.print(f"run {task.run_id} not resumed here: {exc}")
            return
    raise typer.Exit(exit_code(result.status))
