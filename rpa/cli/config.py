"""`smartlab config`: what configuration is in force and where each value came from."""

from __future__ import annotations

import os

import typer
from rich.table import Table

from rpa.cli.common import out
from rpa.store.db import DEFAULT_PATH

SETTINGS = {
    "SMARTLAB_DB": ("store URL", lambda: f"sqlite:///{DEFAULT_PATH}"),
    "RASA_TELEMETRY_ENABLED": ("Rasa telemetry", lambda: "false (set by make)"),
}


def config() -> None:
    """Print the configuration in force: value and source (environment or default)."""
    table = Table(box=None, header_style="bold")
    for column in ("setting", "value", "from"):
        table.add_column(column)
    for name, (label, default) in SETTINGS.items():
        value = os.environ.get(name)
        table.add_row(f"{name} ({label})", value or default(), "environment" if value else "default")
    secrets = sorted(k for k in os.environ if k.startswith("SMARTLAB_SECRET_"))
    table.add_row("secrets", ", ".join(s.removeprefix("SMARTLAB_SECRET_").lower() for s in secrets) or "-",
                  "environment (values hidden)")
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(config)
