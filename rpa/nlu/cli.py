"""`smartlab nlu`: train, serve, stop, test and evaluate Rasa projects under `nlu/`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from rich.progress import Progress
from rich.table import Table

from rpa.cli.common import err, fail, out, user_errors
from rpa.nlu import csvdata, evaluate, server
from rpa.nlu.metrics import Report
from rpa.nlu.project import Project, open_project
from rpa.nlu.train import TrainProgress, TrainResult, train

ProjectArg = typer.Argument(..., help="Project name under nlu/ (triage, receptionist) or a folder.")

app = typer.Typer(help="Rasa projects under nlu/: train, serve, test, and evaluate on a CSV.",
                  no_args_is_help=True)


def _show_train(project: Project, result: TrainResult) -> None:
    if result.skipped:
        out.print(f"[green]current[/] {project.name}: {result.model.name} (data unchanged)")
    else:
        out.print(f"[green]trained[/] {project.name}: {result.model.name} in {result.seconds:.0f}s")


@app.command("train")
def train_cmd(
    project: str = ProjectArg,
    force: bool = typer.Option(False, "--force", help="Train even if the model is current."),
    from_csv: Path = typer.Option(None, "--from-csv", help="Train on this CSV of past cases."),
    text_col: str = typer.Option("text", "--text-col", help="CSV column with the enquiry text."),
    label_col: str = typer.Option("label", "--label-col", help="CSV column with the routed label."),
    out_dir: Path = typer.Option(None, "--out", help="With --from-csv: folder to build, train in."),
    epochs: int = typer.Option(None, "--epochs", help="With --from-csv: the classifier's epochs."),
) -> None:
    """Train a project's model; skipped when a model for the current data already exists.

    With --from-csv, PROJECT's pipeline is trained on the CSV's rows in a new project at --out.
    """
    with user_errors():
        base = open_project(project)
        if from_csv is not None:
            base = _from_csv(base, from_csv, text_col, label_col, out_dir, epochs)
        result = _train_with_bar(base, force)
        _show_train(base, result)


def _train_with_bar(project: Project, force: bool) -> TrainResult:
    """Train with a progress bar over the pipeline's components (and the embedding of texts)."""
    pipeline = (yaml.safe_load(project.config.read_text(encoding="utf-8")) or {}).get("pipeline")
    progress = TrainProgress(components=len(pipeline or []) or 1)
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(f"training {project.name}", total=1.0)

        def seen(line: str) -> None:
            progress.feed(line)
            bar.update(task, completed=progress.fraction,
                       description=f"training {project.name}: {progress.stage}")

        return train(project, force=force, on_line=seen)


def _from_csv(base: Project, csv_path: Path, text_col: str, label_col: str,
              out_dir: Path | None, epochs: int | None) -> Project:
    if out_dir is None:
        fail("--from-csv needs --out DIR")
    done = csvdata.write_project(csv_path, text_col, label_col, out_dir, base.config, epochs)
    out.print(f"built {out_dir}: {done.examples} examples, {done.labels} labels "
              f"({done.skipped_blank} blank and {done.skipped_duplicate} repeated rows left out)")
    return open_project(out_dir)


@app.command("serve")
def serve_cmd(
    project: str = ProjectArg,
    port: int = typer.Option(5005, "--port", "-p", help="Port on 127.0.0.1."),
    foreground: bool = typer.Option(False, "--foreground", help="Stay; Ctrl-C stops Rasa."),
) -> None:
    """Train if stale, start `rasa run --enable-api` on loopback, and return once it answers."""
    with user_errors():
        proj = open_project(project)
        _show_train(proj, train(proj))
        rasa = server.RasaServer(proj.model_path(), port, log=proj.state / f"server-{port}.log")
        with err.status(f"starting Rasa on port {port} (about 30 s)..."):
            rasa.start()
        if foreground:
            _stay(rasa)
            return
        server.record(rasa, proj.state)
        out.print(f"[green]ready[/] {rasa.url} (pid {rasa.pid}); "
                  f"stop with: smartlab nlu stop {proj.name}")


def _stay(rasa: server.RasaServer) -> None:
    out.print(f"[green]ready[/] {rasa.url}; Ctrl-C stops it")
    try:
        rasa.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        rasa.stop()


@app.command("stop")
def stop_cmd(
    project: str = ProjectArg,
    port: int = typer.Option(None, "--port", "-p", help="Only the server on this port."),
) -> None:
    """Stop the servers `smartlab nlu serve` started for a project."""
    with user_errors():
        proj = open_project(project)
        found = server.recorded(proj.state) if proj.state.exists() else []
        found = [(path, info) for path, info in found if port in (None, info["port"])]
        for path, info in found:
            stopped = server.stop_pid(int(info["pid"]))
            path.unlink(missing_ok=True)
            state = "stopped" if stopped else "already gone"
            out.print(f"{state}: {info['url']} (pid {info['pid']})")
        if not found:
            out.print(f"no server recorded for {proj.name}")


@app.command("test")
def test_cmd(project: str = ProjectArg) -> None:
    """Accuracy and macro-F1 from `rasa test` (held-out tests/ examples; test stories too)."""
    with user_errors():
        proj = open_project(project)
        _show_train(proj, train(proj))
        with err.status("rasa test..."):
            score = evaluate.score_project(proj, proj.model_path())
        source = "held-out tests/" if score.held_out else "training data (no tests/*nlu*.yml)"
        out.print(f"{proj.name}: accuracy {score.accuracy:.3f}  macro-F1 {score.macro_f1:.3f}  "
                  f"on {score.examples} examples from {source}")
        if score.stories is not None:
            out.print(f"test stories: {score.stories_accuracy:.3f} of {score.stories} "
                      "conversations correct")
        out.print(f"reports in {score.report_dir}")


@app.command("eval")
def eval_cmd(
    model: Path = typer.Option(..., "--model", help="A model .tar.gz or a folder with models/."),
    csv_path: Path = typer.Option(..., "--csv", help="CSV of cases with text and true label."),
    text_col: str = typer.Option("text", "--text-col"),
    label_col: str = typer.Option("label", "--label-col"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    url: str = typer.Option(None, "--url", help="Use this running Rasa server (no start)."),
    workers: int = typer.Option(2, "--workers", help="Requests in flight at once."),
    limit: int = typer.Option(None, "--limit", help="Only the first N rows."),
    oos_label: str = typer.Option(None, "--oos-label",
                                  help="Rows with this label are out of scope."),
    oos_threshold: float = typer.Option(0.0, "--oos-threshold",
                                        help="With --oos-label: below this confidence is "
                                             "out of scope too."),
) -> None:
    """Accuracy, macro-F1, coverage at 95%/99% precision, out-of-scope recall and precision,
    and p50/p95 latency on a CSV, via Rasa."""
    with user_errors():
        cases = evaluate.read_cases(csv_path, text_col, label_col, limit)
        oos = evaluate.OutOfScope(csvdata.intent_name(oos_label), oos_threshold) \
            if oos_label else None
        if as_json:
            report = evaluate.evaluate_csv(model, cases, url, workers, oos=oos)
            out.print_json(json.dumps(report.as_dict()))
            return
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"{len(cases)} cases", total=len(cases))
            report = evaluate.evaluate_csv(model, cases, url, workers,
                                           progress=lambda n: bar.advance(task, n), oos=oos)
        out.print(_report_table(report))


def _report_table(report: Report) -> Table:
    table = Table("figure", "value", title=f"{report.n} cases, {report.labels} labels")
    table.add_row("accuracy", f"{report.accuracy:.3f}")
    table.add_row("macro-F1", f"{report.macro_f1:.3f}")
    threshold = "-" if report.threshold_at_95 is None else f"{report.threshold_at_95:.4f}"
    table.add_row("coverage at 95% precision",
                  f"{report.coverage_at_95:.3f} (confidence ≥ {threshold})")
    threshold = "-" if report.threshold_at_99 is None else f"{report.threshold_at_99:.4f}"
    table.add_row("coverage at 99% precision",
                  f"{report.coverage_at_99:.3f} (confidence ≥ {threshold})")
    for key in ("in_scope_accuracy", "oos_recall", "oos_precision"):
        if getattr(report, key) is not None:
            table.add_row(key.replace("_", " "), f"{getattr(report, key):.3f}")
    table.add_row("latency p50 / p95", f"{report.p50_ms:.1f} / {report.p95_ms:.1f} ms")
    return table
