"""`smartlab audit`: list the newest entries, verify the chain (exit 1 naming a broken entry)."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.markup import escape
from rich.table import Table

from rpa.audit.log import entries, head, verify
from rpa.cli.common import DbOption, err, out, user_errors
from rpa.store import open_engine

app = typer.Typer(help="The audit log: who did what and when, chained by hash.",
                  no_args_is_help=True)


@app.command("list")
def list_cmd(
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many of the newest entries."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    db: str = DbOption,
) -> None:
    """The newest entries, newest first."""
    with user_errors():
        found = entries(open_engine(db), limit)
    if as_json:
        out.print_json(json.dumps([asdict(e) for e in found], ensure_ascii=False))
        return
    table = Table("id", "at (UTC)", "actor", "action", "target", "detail")
    for e in found:
        cells = (str(e.id), e.at[:19].replace("T", " "), e.actor, e.action, e.target, e.detail)
        table.add_row(*map(escape, cells))
    out.print(table)


@app.command("verify")
def verify_cmd(db: str = DbOption) -> None:
    """Check every entry's hash and link; exit 1 naming the first broken entry."""
    with user_errors():
        engine = open_engine(db)
        broken = verify(engine)
        newest = head(engine)
    if broken:
        err.print(str(broken), soft_wrap=True, markup=False)
        raise typer.Exit(1)
    if newest is None:
        out.print("the audit log is empty")
        return
    out.print(f"{newest.id} entries, chain intact; head hash {newest.hash}")


if __name__ == "__main__":
    app()
