"""What every command shares: consoles, the store, flow loading, and one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from rpa.errors import FlowError, FlowErrors, SmartLabError

if TYPE_CHECKING:  # imported where used: `smartlab --help` must not load the engine
    from rpa.engine import Listener
    from rpa.flow import CompiledFlow
    from rpa.store import RunStore

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbOption = typer.Option(None, "--db", envvar="SMARTLAB_DB", show_envvar=True,
                        help="SQLAlchemy URL of the store (default: sqlite file .smartlab/smartlab.db).")


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """A user's mistake ends in one line (or one line per flow error), never a traceback."""
    try:
        yield
    except FlowErrors as exc:
        for e in exc.errors:
            err.print(str(e), soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    except FlowError as exc:
        err.print(str(exc), soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    except SmartLabError as exc:
        fail(str(exc))


def open_store(db: str | None) -> RunStore:
    from rpa.store import RunStore

    return RunStore(db)


def compile_file(path: Path) -> CompiledFlow:
    if not path.exists():
        fail(f"no such flow file: {path}")
    from rpa.flow import load_and_compile

    return load_and_compile(str(path))


def with_cleanup(listener: Listener) -> Listener:
    """The terminal's listener plus the ones that free a run's resources when it ends."""
    from rpa.browser.listener import BrowserListener
    from rpa.engine import Listeners

    return Listeners(listener, BrowserListener())


