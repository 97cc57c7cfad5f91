"""`smartlab secrets`: set, list (names only), rm, and keygen for the encrypted secrets file.

Changes are audited (names, never values) under `SMARTLAB_ACTOR` or `<login>@cli`.
"""

from __future__ import annotations

import os

import typer
from rich.table import Table

from rpa.audit import local_actor
from rpa.cli.common import DbOption, err, out, user_errors
from rpa.secrets.keys import KEY_ENV, new_key, store_in_keyring
from rpa.secrets.manage import remove_secret, set_secret
from rpa.secrets.providers import list_secrets
from rpa.secrets.vault import FILE_ENV, secrets_path
from rpa.store import open_engine

app = typer.Typer(help="Secrets for flows (`secrets.NAME`): an encrypted file, or "
                  "SMARTLAB_SECRET_<NAME> variables.", no_args_is_help=True)
NameArg = typer.Argument(..., help="The secret's name, as a flow's `secrets:` lists it.")


@app.command("set")
def set_cmd(
    name: str = NameArg,
    value: str = typer.Option(None, "--value", help="The value; omit to be prompted (hidden), "
                              "which keeps it out of shell history."),
    db: str = DbOption,
) -> None:
    """Store a secret in the encrypted file (created with the key in force)."""
    with user_errors():
        engine = open_engine(db)
        if value is None:
            value = typer.prompt(f"value for {name}", hide_input=True,
                                 confirmation_prompt=True, err=True)
        created = set_secret(engine, local_actor(), name, value)
        verb = "added" if created else "replaced"
        out.print(f"{verb} {name.lower()} in {secrets_path(os.environ)}", markup=False)


@app.command("list")
def list_cmd() -> None:
    """Names of the secrets available, and where each comes from; never values."""
    with user_errors():
        found = list_secrets()
    table = Table("name", "from")
    for name, source in found:
        table.add_row(name, source)
    out.print(table)


@app.command("rm")
def rm_cmd(name: str = NameArg, db: str = DbOption) -> None:
    """Delete a secret from the encrypted file."""
    with user_errors():
        remove_secret(open_engine(db), local_actor(), name)
        out.print(f"removed {name.lower()}")


@app.command("keygen")
def keygen_cmd(
    keyring: bool = typer.Option(False, "--keyring", help="Keep the key in the OS keyring "
                                 "instead of printing it."),
) -> None:
    """Make a new key for the secrets file (print it, or keep it in the OS keyring)."""
    key = new_key()
    if keyring:
        with user_errors():
            store_in_keyring(key)
        out.print("a new key is in the OS keyring (service 'smartlab', user 'secrets-key')")
        return
    out.print(key, markup=False)
    err.print(f"export {KEY_ENV}=<this key> to use it; keep it apart from the secrets file "
              f"({FILE_ENV} or .smartlab/secrets.enc). A new key cannot open an old file.")


if __name__ == "__main__":
    app()
