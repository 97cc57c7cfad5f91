"""`smartlab users`: add a user (prints an API token once), list users, issue a new token.

Whoever runs these commands already holds the database, so the CLI acts as an admin; every
change is audited under `SMARTLAB_ACTOR` or `<login>@cli`.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict

import typer
from rich.table import Table

from rpa.audit import local_actor
from rpa.auth.roles import ROLES
from rpa.auth.users import add_user, issue_token, list_users
from rpa.cli.common import DbOption, err, out, user_errors
from rpa.store import open_engine

app = typer.Typer(help="Users, their roles and API tokens.", no_args_is_help=True)


def _show_token(token: str) -> None:
    out.print(token, markup=False)
    err.print("this API token is shown once; send it as `Authorization: Bearer <token>`")


@app.command("add")
def add_cmd(
    name: str = typer.Argument(..., help="Login name: lower-case letters, digits, . _ -"),
    role: str = typer.Option(..., "--role", "-r", help=f"One of: {', '.join(ROLES)}."),
    password: str = typer.Option(None, "--password", help="Omit to be prompted (hidden)."),
    db: str = DbOption,
) -> None:
    """Add a user and print a first API token."""
    with user_errors():
        engine = open_engine(db)
        if password is None:
            password = typer.prompt(f"password for {name}", hide_input=True,
                                    confirmation_prompt=True, err=True)
        user = add_user(engine, name, role, password, actor=local_actor())
        err.print(f"added {user.name} ({user.role})")
        _show_token(issue_token(engine, name, actor=local_actor()))


@app.command("list")
def list_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    db: str = DbOption,
) -> None:
    """Every user with their role."""
    with user_errors():
        found = list_users(open_engine(db))
    if as_json:
        out.print_json(json.dumps([asdict(u) for u in found]))
        return
    table = Table("name", "role", "created", "status")
    for u in found:
        created = time.strftime("%Y-%m-%d %H:%M", time.localtime(u.created_at))
        table.add_row(u.name, u.role, created, "disabled" if u.disabled else "active")
    out.print(table)


@app.command("token")
def token_cmd(name: str = typer.Argument(..., help="The user's name."), db: str = DbOption) -> None:
    """Issue another API token for a user (earlier tokens keep working)."""
    with user_errors():
        _show_token(issue_token(open_engine(db), name, actor=local_actor()))


if __name__ == "__main__":
    app()
