"""`smartlab config`: what configuration is in force and where each value came from."""

from __future__ import annotations

import os

from rich.table import Table

from rpa.cli.common import err, out
from rpa.settings import family, in_force, unread


def config() -> None:
    """Print every setting SmartLab reads: its value and where it came from (environment or
    default). Secret values are never shown; a SMARTLAB_* variable nothing reads is flagged."""
    table = Table(box=None, header_style="bold")
    for column in ("setting", "value", "from", "meaning"):
        table.add_column(column, overflow="fold")
    for setting, value, source in in_force(os.environ):
        table.add_row(setting.name, value, source, setting.meaning)
    for prefix, label in (("SMARTLAB_SECRET_", "secrets (values hidden)"), ("SMARTLAB_INPUT_", "flow inputs")):
        names = ", ".join(family(os.environ, prefix))
        table.add_row(f"{prefix}*", names or "-", "environment" if names else "-", label)
    out.print(table)
    for name, like in unread(os.environ):
        hint = f" (did you mean {like}?)" if like else ""
        err.print(f"[yellow]warning:[/] {name} is set but SmartLab reads no such setting{hint}", soft_wrap=True)
