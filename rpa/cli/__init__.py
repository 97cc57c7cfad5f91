"""The `smartlab` command: Typer + Rich. Other packages add sub-commands by entry point."""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from rpa.cli import config, db, flows, orchestration, runs

CLI_ENTRY_POINT_GROUP = "smartlab.cli"

app = typer.Typer(
    name="smartlab",
    help="SmartLab: YAML flows on a durable state-machine engine, and a guide-robot controller.\n\n"
    "Start with: smartlab validate flows/  ·  smartlab run flows/examples/hello.yaml  ·  "
    "smartlab runs list",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
flows.register(app)
runs.register(app)
orchestration.register(app)
config.register(app)
db.register(app)


def _plugins() -> None:
    """Sub-commands from other packages (`smartlab robot`, `smartlab nlu`...), by entry point."""
    for ep in entry_points(group=CLI_ENTRY_POINT_GROUP):
        try:
            sub = ep.load()
        except ImportError:  # a package still being built or not installed: its commands are absent
            continue
        app.add_typer(sub, name=ep.name)


def main() -> None:
    _plugins()
    app()


__all__ = ["app", "main"]
