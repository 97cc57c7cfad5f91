"""The `smartlab` command: Typer + Rich. Other packages add sub-commands by entry point.

Every sub-command, built-in or plugin, is a `module:attribute` target loaded only when it
runs (`rpa.cli.lazy`), so `smartlab --help` and `smartlab --version` import no engine, no
browser and no bot (bench/cli.py measures it).
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points, version

import typer

from rpa.cli.exits import EXIT_HELP
from rpa.cli.lazy import LazyGroup

CLI_ENTRY_POINT_GROUP = "smartlab.cli"

BUILTIN = {
    "run": "rpa.cli.runs:run",
    "resume": "rpa.cli.runs:resume",
    "runs": "rpa.cli.runs:runs_app",
    "validate": "rpa.cli.flows:validate",
    "schema": "rpa.cli.flows:schema",
    "graph": "rpa.cli.flows:graph",
    "activities": "rpa.cli.flows:activities",
    "serve": "rpa.cli.orchestration:serve",
    "worker": "rpa.cli.orchestration:worker",
    "queues": "rpa.cli.orchestration:queues_app",
    "tasks": "rpa.cli.orchestration:tasks_app",
    "config": "rpa.cli.config:config",
    "db": "rpa.cli.db:db_app",
}


@cache
def commands() -> dict[str, str]:
    """The built-ins, then sub-commands from other packages (`smartlab robot`, `smartlab nlu`...)."""
    plugins = {ep.name: ep.value for ep in entry_points(group=CLI_ENTRY_POINT_GROUP)}
    return {**plugins, **BUILTIN}


class SmartLabGroup(LazyGroup):
    targets = staticmethod(commands)


app = typer.Typer(
    name="smartlab",
    cls=SmartLabGroup,
    help="SmartLab: YAML flows on a durable state-machine engine, and a guide-robot controller.\n\n"
    "Start with: smartlab validate flows/  ·  smartlab run flows/examples/hello.yaml  ·  "
    "smartlab runs list\n\n" + EXIT_HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"smartlab {version('smartlab')}")
        raise typer.Exit(0)


@app.callback()
def root(show_version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                           help="Print the version and exit.")) -> None:
    """SmartLab's command line."""
    from rpa.logs import mask_every_logger  # here, not at the top: `--help` stays light

    mask_every_logger()


def main() -> None:
    app()


__all__ = ["app", "main"]
