"""Commands for flow authors: validate, schema, graph, activities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from rpa.activities.registry import all_packages
from rpa.activities.spec import ActivitySpec
from rpa.cli.common import DbOption, compile_file, err, fail, open_store, out, user_errors
from rpa.errors import FlowError, FlowErrors
from rpa.flow import load_and_compile
from rpa.flow.graph import FORMATS, path_of
from rpa.flow.schema import flow_schema
from rpa.flow.source import read_source

FLOW_SUFFIXES = (".yaml", ".yml")


def validate(paths: list[Path] = typer.Argument(..., help="Flow files or folders (searched recursively).")) -> None:
    """Check flows without running them: YAML, schema, activities, parameters, states, expressions.

    Prints every problem as path:line:col: message and exits 1 when there is any.
    """
    files, skipped = _flow_files(paths)
    problems = 0
    for f in files:
        problems += _validate_one(f)
    summary = f"{len(files)} flow(s) checked, {problems} problem(s)"
    if skipped:
        summary += f"; {len(skipped)} YAML file(s) skipped (not flows: no 'flow:' key)"
    (err if problems else out).print(("[red]✗[/] " if problems else "[green]✓[/] ") + summary)
    raise typer.Exit(1 if problems else 0)


def _validate_one(path: Path) -> int:
    try:
        load_and_compile(str(path))
    except FlowErrors as exc:
        for e in exc.errors:
            err.print(str(e), soft_wrap=True, markup=False)
        return len(exc.errors)
    except FlowError as exc:
        err.print(str(exc), soft_wrap=True, markup=False)
        return 1
    return 0


def _flow_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files named are always checked; in folders, YAML files that are not flows are skipped."""
    files: list[Path] = []
    skipped: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.suffix in FLOW_SUFFIXES):
                (files if _looks_like_flow(f) else skipped).append(f)
        elif p.exists():
            files.append(p)
        else:
            fail(f"no such file or folder: {p}")
    return files, skipped


def _looks_like_flow(path: Path) -> bool:
    try:
        data = read_source(path).data  # bounded like any flow file (SMARTLAB_FLOW_MAX_*)
    except FlowError:
        return True  # broken: let validation say why
    return not isinstance(data, dict) or "flow" in data or "states" in data


def schema(out_file: Path = typer.Option(None, "--out", "-o", help="Write here instead of stdout.")) -> None:
    """Print the flow JSON Schema (shipped as flows/flow.schema.json) for editor completion."""
    names = sorted({s.name for specs in all_packages().values() for s in specs})
    text = json.dumps(flow_schema(names), indent=2, ensure_ascii=False) + "\n"
    if out_file:
        out_file.write_text(text, encoding="utf-8")
        err.print(f"wrote {out_file}")
    else:
        print(text, end="")


def graph(
    flow: Path = typer.Argument(..., help="The flow file."),
    fmt: str = typer.Option("mermaid", "--format", "-f", help="mermaid, dot or svg."),
    run: str = typer.Option(None, "--run", help="Highlight the path this run took."),
    out_file: Path = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
    db: str = DbOption,
) -> None:
    """Draw a flow's states and moves; with --run, the path a run took is highlighted."""
    if fmt not in FORMATS:
        fail(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    with user_errors():
        compiled = compile_file(flow)
        taken = None
        if run:
            store = open_store(db)
            taken = path_of(store.events(store.get(run).id))
        text = FORMATS[fmt](compiled.flow, taken)
    if out_file:
        out_file.write_text(text, encoding="utf-8")
        err.print(f"wrote {out_file}")
    else:
        print(text, end="")


def activities(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    markdown: bool = typer.Option(False, "--markdown", help="The reference page docs/activities.md."),
) -> None:
    """List every activity a flow can call, with parameters, types, defaults and effect flag."""
    packages = all_packages()
    if as_json:
        data = {pkg: [describe(s) for s in specs] for pkg, specs in packages.items()}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif markdown:
        print(activities_markdown(packages), end="")
    else:
        _print_activities(packages)


def describe(spec: ActivitySpec) -> dict[str, Any]:
    params = [{"name": p.name, "type": p.type_name, "required": p.required,
               "default": None if p.required else _plain(p.default)} for p in spec.params.values()]
    return {"name": spec.name, "effect": spec.effect, "params": params,
            "open_params": spec.open_params, "doc": spec.doc.strip()}


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _print_activities(packages: dict[str, list[ActivitySpec]]) -> None:
    for pkg, specs in packages.items():
        out.print(f"[bold]{pkg}[/]" + ("" if specs else " [dim](none yet)[/]"))
        for s in specs:
            effect = " [magenta]effect[/]" if s.effect else ""
            out.print(f"  [cyan]{s.name}[/]{effect}  {s.summary}")
            for p in s.params.values():
                default = "" if p.required else f" = {_plain(p.default)!r}"
                out.print(f"      [dim]{p.name}: {p.type_name}{default}[/]")
            if s.open_params:
                out.print("      [dim]**any name: any[/]")


def activities_markdown(packages: dict[str, list[ActivitySpec]]) -> str:
    lines = ["# Activities", "",
             "Generated by `smartlab activities --markdown` (run `make docs` after adding one).",
             "An *effect* activity goes through the effect ledger: it gets an idempotency key and",
             "is never repeated once confirmed, even across a crash and resume.", ""]
    for pkg, specs in packages.items():
        lines += [f"## {pkg}", ""]
        if not specs:
            lines += ["(no activities yet)", ""]
        for s in specs:
            lines += _activity_markdown(s)
    return "\n".join(lines)


def _activity_markdown(s: ActivitySpec) -> list[str]:
    lines = [f"### `{s.name}`" + (" (effect)" if s.effect else ""), "", s.doc.strip() or "-", ""]
    if s.params or s.open_params:
        lines += ["| parameter | type | default |", "| --- | --- | --- |"]
        for p in s.params.values():
            default = "required" if p.required else f"`{_plain(p.default)!r}`"
            lines.append(f"| `{p.name}` | `{p.type_name}` | {default} |")
        if s.open_params:
            lines.append("| *any name* | any | becomes `vars.<name>` |")
        lines.append("")
    return lines
