"""Sub-commands imported only when they run, so `smartlab --help` starts in a blink.

Each command is named by a target, `module:attribute` (the form of an entry point): a
function becomes a command, a Typer app a group. The root help lists every command from
the targets' source text (a function's docstring, a Typer's `help=`), read with `ast`
without importing the module, so the flows engine, the browser, OCR and the bots' models
load only for the command that needs them.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from rpa.cli.common import fail

Targets = Callable[[], dict[str, str]]


class LazyGroup(TyperGroup):
    """A command group whose sub-commands are loaded from their targets on first use."""

    targets: Targets = staticmethod(dict)

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*self.commands, *self.targets()})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in self.targets():
            return self.commands.get(cmd_name)
        return _Placeholder(cmd_name, help_of(self.targets()[cmd_name]))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else None
        if name and name not in self.commands and name in self.targets():
            self.add_command(load(name, self.targets()[name]), name)
        return super().resolve_command(ctx, args)


class _Placeholder(typer.core.TyperCommand):
    """What the root help shows for a command not loaded yet: its name and help text."""

    def __init__(self, name: str, text: str) -> None:
        first = text.split("\n\n", 1)[0]
        super().__init__(name=name, help=" ".join(first.split()))


def load(name: str, target: str) -> Any:
    """The click command behind `module:attribute`; a package that cannot load says so in a line."""
    module, _, attribute = target.partition(":")
    try:
        obj = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        fail(f"'smartlab {name}' is not available: {target} cannot be loaded ({exc})")
    if isinstance(obj, typer.Typer):
        return typer.main.get_group(obj)
    single = typer.Typer(rich_markup_mode="rich", add_completion=False)
    single.command(name=name)(obj)
    return typer.main.get_command(single)


@cache
def help_of(target: str) -> str:
    """A target's help, read from its module's source; empty when the source cannot be found."""
    module, _, attribute = target.partition(":")
    path = source_of(module)
    if path is None:
        return ""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        text = _node_help(node, attribute)
        if text is not None:
            return text
    return ast.get_docstring(tree) or ""


def source_of(module: str) -> Path | None:
    """The file of a dotted module, found without running any package's `__init__`."""
    top, *rest = module.split(".")
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        return Path(spec.origin) if spec and spec.origin and not rest else None
    for folder in spec.submodule_search_locations:
        base = Path(folder, *rest)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def _node_help(node: ast.stmt, attribute: str) -> str | None:
    if isinstance(node, ast.FunctionDef) and node.name == attribute:
        return ast.get_docstring(node) or ""
    if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == attribute
                                            for t in node.targets):
        return _help_keyword(node.value)
    return None


def _help_keyword(value: ast.expr) -> str:
    """`typer.Typer(help="...")` -> the help text, if it is a plain string."""
    if isinstance(value, ast.Call):
        for keyword in value.keywords:
            if keyword.arg == "help" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return ""
